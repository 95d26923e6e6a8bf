package conformance

import (
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// result builds a result set from a schema and rows of values.
func result(sch vec.Schema, rows ...[]types.Value) *engine.Result {
	cols := make([]*vec.Column, len(sch))
	for c, f := range sch {
		b := vec.NewBuilder(f.Type, len(rows))
		for _, row := range rows {
			b.Append(row[c])
		}
		cols[c] = b.Build()
	}
	return &engine.Result{Schema: sch, Rows: &vec.Batch{Cols: cols, N: len(rows)}}
}

var nameCount = vec.Schema{{Name: "Name", Type: types.String}, {Name: "Count", Type: types.Long}}

func nc(name string, n int64) []types.Value {
	return []types.Value{types.NewString(name), types.NewLong(n)}
}

func boolPtr(b bool) *bool { return &b }

func TestCompareResults(t *testing.T) {
	abc := result(nameCount, nc("a", 1), nc("b", 2), nc("c", 2))
	tests := []struct {
		name    string
		rec     Record
		query   string
		got     *engine.Result
		wantMsg string // "" for a match, else a substring of the message
	}{
		{"ordered match", Record{Ordered: true, Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"a", "1"}, {"b", "2"}, {"c", "2"}}}}, "", abc, ""},
		{"ordered mismatch", Record{Ordered: true, Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"b", "2"}, {"a", "1"}, {"c", "2"}}}}, "", abc, "row 1, column Name"},
		{"ties in any order", Record{Ordered: true, Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"a", "1"}, {"c", "2"}, {"b", "2"}}}}, "T | sort by Count asc", abc, ""},
		{"ties do not allow crossing keys", Record{Ordered: true, Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"b", "2"}, {"a", "1"}, {"c", "2"}}}}, "T | sort by Count asc", abc, "no result row matches"},
		{"sort by expression keeps strict order", Record{Ordered: true, Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"a", "1"}, {"c", "2"}, {"b", "2"}}}}, "T | sort by Count * 2", abc, "row 2"},
		{"unordered", Record{Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"c", "2"}, {"a", "1"}, {"b", "2"}}}}, "", abc, ""},
		{"unordered duplicate", Record{Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"c", "2"}, {"c", "2"}, {"b", "2"}}}}, "", abc, "no result row matches expected row 2"},
		{"row count", Record{Expected: &Table{Columns: []string{"Name", "Count"},
			Rows: [][]string{{"a", "1"}}}}, "", abc, "want 1 rows, got 3"},
		{"column names ignore case", Record{Expected: &Table{Columns: []string{"name", "count"},
			Rows: [][]string{{"a", "1"}, {"b", "2"}, {"c", "2"}}}}, "", abc, ""},
		{"official column names are exact", Record{ColumnsMatchOfficial: boolPtr(true),
			OfficialResultColumns: []string{"Name", "count"}, Expected: &Table{Columns: []string{"Name", "Count"},
				Rows: [][]string{{"a", "1"}, {"b", "2"}, {"c", "2"}}}}, "", abc, "case differs"},
		{"column mismatch", Record{Expected: &Table{Columns: []string{"Name", "N"},
			Rows: [][]string{{"a", "1"}, {"b", "2"}, {"c", "2"}}}}, "", abc, "columns: want [Name, N], got [Name, Count]"},
		{"truncated subset", Record{Truncated: true, Expected: &Table{Columns: []string{"count"},
			Rows: [][]string{{"2"}, {"1"}}}}, "", abc, ""},
		{"truncated missing row", Record{Truncated: true, Expected: &Table{Columns: []string{"Name"},
			Rows: [][]string{{"d"}}}}, "", abc, "no result row matches expected row 1"},
	}
	for _, tt := range tests {
		msg := compareResults(&tt.rec, tt.query, []*engine.Result{tt.got})
		switch {
		case tt.wantMsg == "" && msg != "":
			t.Errorf("%s: got %q, want a match", tt.name, msg)
		case tt.wantMsg != "" && !strings.Contains(msg, tt.wantMsg):
			t.Errorf("%s: got %q, want a message containing %q", tt.name, msg, tt.wantMsg)
		}
	}
}

func TestCompareSeveralResultSets(t *testing.T) {
	one := vec.Schema{{Name: "x", Type: types.Long}}
	r1 := result(one, []types.Value{types.NewLong(1)})
	r2 := result(one, []types.Value{types.NewLong(2)})
	rec := &Record{Expected: &Table{Columns: []string{"x"}, Rows: [][]string{{"1"}}},
		ExpectedMore: []*Table{{Columns: []string{"x"}, Rows: [][]string{{"2"}}}}}
	if msg := compareResults(rec, "", []*engine.Result{r1, r2}); msg != "" {
		t.Errorf("two result sets: %s", msg)
	}
	if msg := compareResults(rec, "", []*engine.Result{r2}); !strings.Contains(msg, "want 2 result sets") {
		t.Errorf("missing result set: got %q", msg)
	}
	if msg := compareResults(rec, "", []*engine.Result{r2, r2}); !strings.HasPrefix(msg, "result set 1:") {
		t.Errorf("wrong first result set: got %q", msg)
	}
}

func TestSortKeyNames(t *testing.T) {
	tests := []struct {
		query string
		want  string
	}{
		{"T | sort by a desc, b", "a,b"},
		{"let x = 1; T | top 3 by a | project a, b", "a"},
		{"T | order by a | summarize count()", ""},
		{"T | sort by a * 2", ""},
		{"T | where x > 1", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(sortKeyNames(tt.query), ","); got != tt.want {
			t.Errorf("sortKeyNames(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
