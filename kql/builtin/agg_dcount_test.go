package builtin_test

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func TestDcount(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "basic", query: `datatable(k:string, x:long)["a",1,"a",2,"a",1,"b",long(null),"b",3]
			| summarize dcount(x) by k`,
			header: "k:string dcount_x:long", rows: []string{"a|2", "b|1"}},
		{name: "empty input", query: `datatable(x:long)[] | summarize count(x), countif(x > 0), dcount(x), dcountif(x, x > 0)`,
			header: "count_x:long countif_:long dcount_x:long dcountif_x:long", rows: []string{"0|0|0|0"}},
		{name: "dcountif", query: `datatable(x:int, p:bool)[1,true, 2,false, 3,true, 3,true, 4,bool(null)]
			| summarize dcountif(x, p)`,
			header: "dcountif_x:long", rows: []string{"2"}},
		{name: "strings and empty string", query: `datatable(s:string)["a","b","","a",""] | summarize n=dcount(s)`,
			header: "n:long", rows: []string{"3"}},
		{name: "accuracy levels exact", query: `range x from 1 to 1000 step 1 | summarize dcount(x), dcount(x, 2), dcount(x % 10, 4)`,
			header: "dcount_x:long dcount_x1:long dcount_:long", rows: []string{"1000|1000|10"}},
		{name: "long equals real", query: `print a=dynamic([1, 1.0, 2.5, "1"]) | mv-expand a | summarize dcount(a)`,
			header: "dcount_a:long", rows: []string{"3"}},
		{name: "datetimes", query: `datatable(t:datetime)[datetime(2024-01-01), datetime(2024-01-01), datetime(null), datetime(2024-01-02)]
			| summarize dcount(t)`,
			header: "dcount_t:long", rows: []string{"2"}},
		{name: "bad accuracy", query: `range x from 1 to 3 step 1 | summarize dcount(x, 7)`, err: "accuracy"},
		{name: "non-constant accuracy", query: `range x from 1 to 3 step 1 | summarize dcount(x, x)`, err: "constant"},
		{name: "count_distinct", query: `datatable(k:string, v:string)["a","x","a","y","a","x","b","z"]
			| summarize count_distinct(v), count_distinctif(v, v != "y") by k`,
			header: "k:string count_distinct_v:long count_distinctif_v:long", rows: []string{"a|2|1", "b|1|1"}},
		{name: "count_distinct dynamic", query: `print d=dynamic([1]) | summarize count_distinct(d)`, err: "dynamic"},
	})
}

// TestDcountAccuracy checks the HyperLogLog estimate against the documented
// error of each accuracy level (3 sigma) over longs and strings.
func TestDcountAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	const max = 300000
	b := vec.NewBuilder(types.String, max)
	for i := 0; i < max; i++ {
		b.AppendString("user-" + strconv.Itoa(i))
	}
	cat := engine.Catalog{"T": &engine.MemTable{TableName: "T",
		Sch:  vec.Schema{{Name: "s", Type: types.String}},
		Data: &vec.Batch{Cols: []*vec.Column{b.Build()}, N: max}}}
	errs := []float64{1.6, 0.8, 0.4, 0.28, 0.2}
	for _, n := range []int{3000, 40000, max} {
		for acc, e := range errs {
			for _, q := range []string{
				fmt.Sprintf("range x from 1 to %d step 1 | summarize dcount(x, %d)", n, acc),
				fmt.Sprintf("T | take %d | summarize dcount(s, %d)", n, acc),
			} {
				res, err := aggQueryIn(t, cat, q)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := strconv.ParseFloat(res.Value(0, 0).String(), 64)
				if rel := math.Abs(got-float64(n)) / float64(n) * 100; rel > 3*e {
					t.Errorf("%s: dcount = %v, error %.2f%% > %.2f%%", q, got, rel, 3*e)
				}
			}
		}
	}
}
