package tablemap

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
)

var update = flag.Bool("update", false, "rewrite the expected rows of testdata/*.txt")

// testWorkspace is the workspace customer id of the golden tests.
const testWorkspace = "8c2e7f0a-5b1d-4d6e-9f3a-2b7c1e0d4a55"

// A golden test file holds comment lines (#), then records one per line as
// Entra writes them to storage (PT1H.json), then a line "----" and the
// expected rows: each row's non-null columns in schema order, and the
// errors of records that have no row. The records are received three
// minutes after the first one's time.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			runGolden(t, file)
		})
	}
}

func runGolden(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	head, want, ok := bytes.Cut(data, []byte("\n----\n"))
	if !ok {
		t.Fatalf("%s: no ---- line", file)
	}
	recs := readRecords(t, file, head)
	if len(recs) == 0 {
		t.Fatalf("%s: no records", file)
	}
	category := recs[0].Category
	table, ok := Table(category)
	if !ok {
		t.Fatalf("%s: unknown category %q", file, category)
	}
	sch, ok := schema.Lookup(table)
	if !ok {
		t.Fatalf("%s: no schema for table %s", file, table)
	}
	received := recs[0].Time.Add(3 * time.Minute)
	b, errs := Build(category, sch, testWorkspace, recs, received)
	got := formatBatch(sch, b, errs)
	if *update {
		out := append(append(bytes.Clone(head), "\n----\n"...), got...)
		if err := os.WriteFile(file, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != string(want) {
		t.Errorf("%s: rows differ (run with -update to rewrite)\n--- got\n%s--- want\n%s", file, got, want)
	}
}

func readRecords(t *testing.T, file string, head []byte) []activity.Record {
	var recs []activity.Record
	sc := bufio.NewScanner(bytes.NewReader(head))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var r activity.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s:%d: %v", file, n, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// formatBatch prints each row's non-null columns and then the errors.
func formatBatch(sch vec.Schema, b *vec.Batch, errs []error) string {
	var sb strings.Builder
	for row := 0; row < b.N; row++ {
		fmt.Fprintf(&sb, "row %d\n", row)
		for i, f := range sch {
			c := b.Cols[i]
			if c.IsNull(row) || f.Type == types.String && c.Str(row) == "" {
				continue
			}
			fmt.Fprintf(&sb, "  %s:%s = %s\n", f.Name, f.Type, formatCell(c, row))
		}
	}
	for _, err := range errs {
		fmt.Fprintf(&sb, "error: %v\n", err)
	}
	return sb.String()
}

func formatCell(c *vec.Column, row int) string {
	switch c.Type {
	case types.String, types.Guid:
		return strconv.Quote(c.Str(row))
	case types.Dynamic:
		return types.FormatJSON(c.Any(row))
	case types.Datetime:
		return types.FormatDatetimeFull(c.Int(row))
	case types.Bool:
		return strconv.FormatBool(c.Int(row) != 0)
	}
	return c.Value(row).String()
}
