package exec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// pluginCase is a query and the text of its results (see resultText).
type pluginCase struct {
	name, query, want string
}

// runPluginCases runs each case against cat and compares the text of all
// its results; a want starting with "error: " expects an error that
// contains the rest.
func runPluginCases(t *testing.T, cat engine.Catalog, cases []pluginCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := queryText(cat, tc.query)
			if msg, ok := strings.CutPrefix(tc.want, "error: "); ok {
				if err == nil || !strings.Contains(err.Error(), msg) {
					t.Fatalf("%s\n got error %v\nwant error containing %q", tc.query, err, msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\n%v", tc.query, err)
			}
			if want := strings.TrimPrefix(tc.want, "\n"); got != want {
				t.Errorf("%s\n got:\n%s\nwant:\n%s", tc.query, got, want)
			}
		})
	}
}

// queryText runs query and returns its results as text: per result a
// header of name:type columns, then one line per row with cells separated
// by " | " (null is "null"); results are separated by a line "----" (named ones start with
// "== Name").
func queryText(cat engine.Catalog, query string) (string, error) {
	e := &engine.Engine{Catalog: cat, Now: func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }}
	res, err := e.Query(context.Background(), query)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, r := range res {
		parts = append(parts, resultText(r))
	}
	return strings.Join(parts, "\n----\n"), nil
}

func resultText(r *engine.Result) string {
	var lines []string
	if r.Name != "" {
		lines = append(lines, "== "+r.Name)
	}
	head := make([]string, len(r.Schema))
	for i, f := range r.Schema {
		head[i] = f.Name + ":" + f.Type.String()
	}
	lines = append(lines, strings.Join(head, " | "))
	for i := 0; i < r.Rows.N; i++ {
		cells := make([]string, len(r.Schema))
		for j := range r.Schema {
			v := r.Value(i, j)
			cells[j] = v.String()
			if v.IsNull() && v.Type != types.String {
				cells[j] = "null"
			}
		}
		lines = append(lines, strings.Join(cells, " | "))
	}
	return strings.Join(lines, "\n")
}

// memTable builds an in-memory table from rows of values.
func memTable(name string, sch vec.Schema, rows ...[]types.Value) *engine.MemTable {
	cols := make([]*vec.Column, len(sch))
	for j, f := range sch {
		b := vec.NewBuilder(f.Type, len(rows))
		for _, row := range rows {
			b.Append(row[j])
		}
		cols[j] = b.Build()
	}
	return &engine.MemTable{TableName: name, Sch: sch, Data: &vec.Batch{Cols: cols, N: len(rows)}}
}
