package builtin_test

import "testing"

func TestHll(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "merge scalar", query: `range x from 1 to 10 step 1
			| extend y = x + 10
			| summarize hll_x = hll(x), hll_y = hll(y)
			| project merged = hll_merge(hll_x, hll_y)
			| project n = dcount_hll(merged)`,
			header: "n:long", rows: []string{"20"}},
		{name: "merge aggregate", query: `range x from 1 to 100 step 1
			| summarize h = hll(x % 7) by k = x % 3
			| summarize m = hll_merge(h)
			| project dcount_hll(m)`,
			header: "dcount_hll_m:long", rows: []string{"7"}},
		{name: "names", query: `range x from 1 to 4 step 1 | summarize hll(x), hll_if(x, x > 2) | project dcount_hll(hll_x), dcount_hll(hll_if_x)`,
			header: "dcount_hll_hll_x:long dcount_hll_hll_if_x:long", rows: []string{"4|2"}},
		{name: "merge dense", query: `range x from 1 to 30000 step 1
			| summarize h = hll(x, 2) by k = x % 2
			| summarize m = hll_merge(h)
			| project n = dcount_hll(m) between (29000 .. 31000)`,
			header: "n:bool", rows: []string{"true"}},
		{name: "merge levels", query: `range x from 1 to 3000 step 1
			| summarize a = hll(x, 0), b = hll(x + 3000, 4)
			| project n = dcount_hll(hll_merge(a, b)) between (5700 .. 6300)`,
			header: "n:bool", rows: []string{"true"}},
		{name: "merge dense levels", query: `range x from 1 to 30000 step 1
			| summarize a = hll(x, 0), b = hll(x + 30000, 2), c = hll(x + 15000, 4)
			| project n = dcount_hll(hll_merge(a, b, c)) between (57000 .. 63000), m = dcount_hll(hll_merge(b, a)) between (57000 .. 63000)`,
			header: "n:bool m:bool", rows: []string{"true|true"}},
		{name: "empty", query: `datatable(x:long)[] | summarize h = hll(x) | project h, n = dcount_hll(h)`,
			header: "h:dynamic n:long", rows: []string{"|0"}},
		{name: "null skipped", query: `datatable(x:long)[long(null), 1, 1] | summarize h = hll(x) | project n = dcount_hll(h)`,
			header: "n:long", rows: []string{"1"}},
		{name: "real rejected", query: `print x=1.5 | summarize hll(x)`, err: "real"},
		{name: "not a sketch", query: `print n = dcount_hll(dynamic([1, 2]))`, header: "n:long", rows: []string{""}},
	})
}
