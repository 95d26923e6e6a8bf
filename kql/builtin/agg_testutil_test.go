package builtin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
)

// aggCase is one query and its expected result: the header lists
// "name:type" columns separated by spaces, each row's cells are separated
// by "|" and formatted as types.Value.String() does (null is empty).
type aggCase struct {
	name   string
	query  string
	header string
	rows   []string
	// err, when set, is a substring of the expected error.
	err string
}

// aggQuery runs a query on an empty catalog and returns its last result.
func aggQuery(t *testing.T, query string) (*engine.Result, error) {
	t.Helper()
	return aggQueryIn(t, engine.Catalog{}, query)
}

// aggQueryIn runs a query on catalog cat and returns its last result.
func aggQueryIn(t *testing.T, cat engine.Catalog, query string) (*engine.Result, error) {
	t.Helper()
	res, err := (&engine.Engine{Catalog: cat}).Query(context.Background(), query)
	if err != nil {
		return nil, err
	}
	if len(res) == 0 {
		t.Fatalf("%s: no result", query)
	}
	return res[len(res)-1], nil
}

// aggRun runs the cases as subtests.
func aggRun(t *testing.T, cases []aggCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { aggCheck(t, c) })
	}
}

func aggCheck(t *testing.T, c aggCase) {
	t.Helper()
	res, err := aggQuery(t, c.query)
	if c.err != "" {
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Fatalf("error = %v, want %q", err, c.err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s\nerror: %v", c.query, err)
	}
	if got := aggHeader(res); got != c.header {
		t.Errorf("header\n got %s\nwant %s", got, c.header)
	}
	got := aggRows(res)
	if strings.Join(got, "\n") != strings.Join(c.rows, "\n") {
		t.Errorf("rows\n got %q\nwant %q", got, c.rows)
	}
}

func aggHeader(res *engine.Result) string {
	cols := make([]string, len(res.Schema))
	for i, f := range res.Schema {
		cols[i] = f.Name + ":" + f.Type.String()
	}
	return strings.Join(cols, " ")
}

func aggRows(res *engine.Result) []string {
	rows := []string{}
	for r := 0; r < res.Rows.N; r++ {
		cells := make([]string, len(res.Schema))
		for c := range res.Schema {
			cells[c] = aggCell(res.Value(r, c))
		}
		rows = append(rows, strings.Join(cells, "|"))
	}
	return rows
}

func aggCell(v types.Value) string {
	if v.IsNull() && v.Type != types.String {
		return ""
	}
	return v.String()
}
