package builtin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
)

// dtNow is the query start time the datetime and math tests run with.
var dtNow = time.Date(2023, 6, 19, 8, 22, 54, 662332400, time.UTC)

// dtCase is one scalar expression, the type of its result and the result
// as text (the empty string for null). A want starting with "error: "
// expects a query error containing the rest.
type dtCase struct {
	expr, typ, want string
}

// dtQuery runs a query and returns its first result as rows of "type:text"
// cells.
func dtQuery(t *testing.T, q string) ([][]string, error) {
	t.Helper()
	e := &engine.Engine{Catalog: engine.Catalog{}, Now: func() time.Time { return dtNow }}
	res, err := e.Query(context.Background(), q)
	if err != nil {
		return nil, err
	}
	r := res[len(res)-1]
	var rows [][]string
	for i := 0; i < r.Rows.N; i++ {
		var row []string
		for j := range r.Schema {
			v := r.Value(i, j)
			row = append(row, v.Type.String()+":"+v.String())
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// dtRun checks each case through `print r = expr`.
func dtRun(t *testing.T, cases []dtCase) {
	t.Helper()
	for _, c := range cases {
		rows, err := dtQuery(t, "print r = "+c.expr)
		if want, isErr := strings.CutPrefix(c.want, "error: "); isErr {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %v, %v; want error containing %q", c.expr, rows, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got, want := rows[0][0], c.typ+":"+c.want; got != want {
			t.Errorf("%s = %s, want %s", c.expr, got, want)
		}
	}
}

// dtTable checks a whole query result, given as rows of "type:text" cells.
func dtTable(t *testing.T, q string, want [][]string) {
	t.Helper()
	got, err := dtQuery(t, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: got %d rows %v, want %d rows %v", q, len(got), got, len(want), want)
	}
	for i := range want {
		if strings.Join(got[i], " | ") != strings.Join(want[i], " | ") {
			t.Errorf("%s: row %d = %v, want %v", q, i, got[i], want[i])
		}
	}
}
