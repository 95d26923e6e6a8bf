package builtin_test

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
)

// dynCase is a query and its expected result: rows separated by "\n",
// cells by " | ", each cell in its grid text form (dynamic as JSON, null
// as the empty string).
type dynCase struct {
	query string
	want  string
}

// dynQuery runs a query with an empty catalog and formats its first
// result like dynCase.want.
func dynQuery(t *testing.T, q string) (string, error) {
	t.Helper()
	res, err := (&engine.Engine{Catalog: engine.Catalog{}}).Query(context.Background(), q)
	if err != nil {
		return "", err
	}
	r := res[0]
	rows := make([]string, r.Rows.N)
	for i := range rows {
		cells := make([]string, len(r.Schema))
		for c := range cells {
			cells[c] = r.Value(i, c).String()
		}
		rows[i] = strings.Join(cells, " | ")
	}
	return strings.Join(rows, "\n"), nil
}

// runDynCases runs table cases; a want starting with "error:" expects a
// query error containing the rest, and one starting with "~" compares
// numbers to within 1e-3 (for results the docs show rounded).
func runDynCases(t *testing.T, cases []dynCase) {
	t.Helper()
	for _, c := range cases {
		got, err := dynQuery(t, c.query)
		if msg, ok := strings.CutPrefix(c.want, "error:"); ok {
			if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(msg)) {
				t.Errorf("%s\n got error %v, want one containing %q", c.query, err, msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s\n error: %v", c.query, err)
			continue
		}
		if approx, ok := strings.CutPrefix(c.want, "~"); ok {
			if !dynApproxEqual(got, approx) {
				t.Errorf("%s\n got  %s\n want %s", c.query, got, c.want)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s\n got  %s\n want %s", c.query, got, c.want)
		}
	}
}

func TestPackArray(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print pack_array(1, "a", 2.5, true)`, `[1,"a",2.5,true]`},
		{`print pack_array(long(null), dynamic(null))`, `[null,null]`},
		{`print pack_array(dynamic([1]), dynamic({"a":1}))`, `[[1],{"a":1}]`},
		{`print pack_array(1s, datetime(2020-01-01))`, `["00:00:01","2020-01-01T00:00:00.0000000Z"]`},
		{`range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2 | project pack_array(x, y, z)`,
			"[1,2,4]\n[2,4,8]\n[3,6,12]"},
		{`print pack_array()`, `error: at least 1`},
	})
}

func TestZip(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print zip(dynamic([1,3,5]), dynamic([2,4,6]))`, `[[1,2],[3,4],[5,6]]`},
		{`print zip(dynamic(["A", 1, 1.5]), dynamic([{}, "B"]))`, `[["A",{}],[1,"B"],[1.5,null]]`},
		{`print zip(dynamic([]), dynamic([]))`, `[]`},
		{`print zip(dynamic([1]), dynamic(null))`, ``},
		{`print zip(dynamic([1]))`, `error: at least 2`},
	})
}

func TestTreepath(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print treepath(dynamic({"a":"b", "c":123}))`, `["['a']","['c']"]`},
		{`print treepath(dynamic({"prop1":[1,2,3,4], "prop2":"value2"}))`, `["['prop1']","['prop1'][0]","['prop2']"]`},
		{`print treepath(dynamic({"listProperty":[100,200,300,"abcde",{"x":"y"}]}))`,
			`["['listProperty']","['listProperty'][0]","['listProperty'][0]['x']"]`},
		{`print treepath(dynamic(1))`, `[]`},
		{`print treepath(dynamic(null))`, ``},
	})
}

func TestRangeFunction(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print r = range(1, 8, 3)`, `[1,4,7]`},
		{`print range(1, 3)`, `[1,2,3]`},
		{`print range(5, 1, -2)`, `[5,3,1]`},
		{`print range(3, 1)`, `[]`},
		{`print range(1, 2, 0)`, ``},
		{`print range(1.0, 2, 0.5)`, `[1,1.5,2]`},
		{`print range(1h, 5h)`, `["01:00:00","02:00:00","03:00:00","04:00:00","05:00:00"]`},
		{`print range(datetime(2007-01-01), datetime(2007-01-03), 1d)`,
			`["2007-01-01T00:00:00.0000000Z","2007-01-02T00:00:00.0000000Z","2007-01-03T00:00:00.0000000Z"]`},
		{`print array_length(range(datetime(2007-01-01), datetime(2007-12-31), 1d))`, `365`},
		{`print array_length(range(1, 1000000000))`, `1048576`},
		{`print range(long(null), 3)`, ``},
		{`print range("a", "b")`, `error: range()`},
		{`print range(1, 2, 1h)`, `error: step`},
	})
}

var dynNumberRE = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?`)

// dynApproxEqual reports whether got and want differ only in numbers, and
// those by less than 1e-3.
func dynApproxEqual(got, want string) bool {
	gn, wn := dynNumberRE.FindAllString(got, -1), dynNumberRE.FindAllString(want, -1)
	if len(gn) != len(wn) || dynNumberRE.ReplaceAllString(got, "#") != dynNumberRE.ReplaceAllString(want, "#") {
		return false
	}
	for i := range gn {
		g, _ := strconv.ParseFloat(gn[i], 64)
		w, _ := strconv.ParseFloat(wn[i], 64)
		if math.Abs(g-w) > 1e-3 {
			return false
		}
	}
	return true
}
