package builtin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
)

// nullText stands for a null cell in expected values, to tell it apart
// from an empty string.
const nullText = "<null>"

// exprCase is one scalar expression evaluated with `print`: its expected
// cell text (see cellText) and, when set, its expected type.
type exprCase struct {
	expr string
	want string
	typ  string
}

// errCase is a query that must fail with an error containing want.
type errCase struct {
	query string
	want  string
}

// runQuery runs q and returns its last result set.
func runQuery(t *testing.T, q string) (*engine.Result, error) {
	t.Helper()
	e := &engine.Engine{Catalog: engine.Catalog{}}
	res, err := e.Query(context.Background(), q)
	if err != nil {
		return nil, err
	}
	if len(res) == 0 {
		t.Fatalf("%s: no result set", q)
	}
	return res[len(res)-1], nil
}

// cellText formats a value for comparison: Kusto's text form, with nulls
// of non-string types shown as nullText.
func cellText(v types.Value) string {
	if v.IsNull() && v.Type != types.String {
		return nullText
	}
	return v.String()
}

// table returns a result's rows as cell texts.
func table(r *engine.Result) [][]string {
	rows := make([][]string, r.Rows.N)
	for i := range rows {
		rows[i] = make([]string, len(r.Schema))
		for j := range r.Schema {
			rows[i][j] = cellText(r.Value(i, j))
		}
	}
	return rows
}

// testExprs evaluates each case with `print r = expr`.
func testExprs(t *testing.T, cases []exprCase) {
	t.Helper()
	for _, c := range cases {
		r, err := runQuery(t, "print r = "+c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got := cellText(r.Value(0, 0)); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
		if c.typ != "" && r.Schema[0].Type.String() != c.typ {
			t.Errorf("%s: type %s, want %s", c.expr, r.Schema[0].Type, c.typ)
		}
	}
}

// testErrors checks that each query fails with the expected message.
func testErrors(t *testing.T, cases []errCase) {
	t.Helper()
	for _, c := range cases {
		_, err := runQuery(t, c.query)
		if err == nil {
			t.Errorf("%s: no error, want %q", c.query, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to contain %q", c.query, err, c.want)
		}
	}
}

// tableCase is a whole query with its expected result rows, as cell texts
// joined by " | ".
type tableCase struct {
	name  string
	query string
	want  []string
}

// testTables runs each query and compares all rows in order.
func testTables(t *testing.T, cases []tableCase) {
	t.Helper()
	for _, c := range cases {
		r, err := runQuery(t, c.query)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, row := range table(r) {
			got = append(got, strings.Join(row, " | "))
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}
