package exec_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func TestNarrow(t *testing.T) {
	var rows [][]types.Value
	for i := 0; i < 9000; i++ {
		rows = append(rows, []types.Value{types.NewLong(int64(i + 1))})
	}
	cat := engine.Catalog{"Big": memTable("Big", vec.Schema{{Name: "x", Type: types.Long}}, rows...)}
	runPluginCases(t, cat, []pluginCase{
		{"cells as text", `datatable(Name:string, Healthy:bool, Total:long, When:datetime, Bag:dynamic)
[
    "a", true, 2, datetime(2017-03-14 10:59:18.9263023), dynamic({"x":1}),
    "b", false, long(null), datetime(null), dynamic(null),
]
| evaluate narrow()`, `
Row:long | Column:string | Value:string
0 | Name | a
0 | Healthy | true
0 | Total | 2
0 | When | 2017-03-14T10:59:18.9263023Z
0 | Bag | {"x":1}
1 | Name | b
1 | Healthy | false
1 | Total | 
1 | When | 
1 | Bag | `},
		{"row numbers continue across batches", "Big | evaluate narrow() | where Row >= 8998", `
Row:long | Column:string | Value:string
8998 | x | 8999
8999 | x | 9000`},
		{"no arguments", "print 1 | evaluate narrow(1)", "error: narrow() expects 0 arguments"},
	})
}
