package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
)

// TestFilterUnreadColumns: a filter whose output columns are partly or
// wholly unread above it (count, project of others) gives the same rows.
func TestFilterUnreadColumns(t *testing.T) {
	const n = 3*8192 + 100
	tbl, text := mvExpandTable(n)
	cat := engine.Catalog{"T": tbl}
	count, sum := 0, 0
	for r := range n {
		if strings.HasPrefix(text(r), "[") && r%3 != 0 {
			count++
			sum += r
		}
	}
	for _, tc := range []struct{ query, want string }{
		{`T | where S startswith "[" and R % 3 != 0 | count`, fmt.Sprintf("Count:long\n%d", count)},
		{`T | where S startswith "[" and R % 3 != 0 | summarize sum(R)`, fmt.Sprintf("sum_R:long\n%d", sum)},
		{`T | where S startswith "[" and R % 3 != 0 | project R | summarize count(), sum(R)`, fmt.Sprintf("count_:long | sum_R:long\n%d | %d", count, sum)},
		{`T | where R < 0 | count`, "Count:long\n0"},
	} {
		got, err := queryText(cat, tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.query, got, tc.want)
		}
	}
}
