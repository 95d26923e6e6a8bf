package builtin_test

import "testing"

func TestTdigest(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "weighted percentile", query: `datatable(V:real, W:long)[1.0, 1, 2.0, 2]
			| summarize TD=tdigest(V, W)
			| project P50=percentile_tdigest(TD, 50)`,
			header: "P50:dynamic", rows: []string{"2"}},
		{name: "rank", query: `range x from 1 to 1000 step 1
			| summarize t_x=tdigest(x)
			| project rank_of_685=rank_tdigest(t_x, 685), pr=percentrank_tdigest(t_x, 250)`,
			header: "rank_of_685:real pr:real", rows: []string{"685|25"}},
		{name: "typed result", query: `range x from 1 to 10 step 1
			| summarize t=tdigest(x)
			| project p=percentile_tdigest(t, 90, "long"), a=percentiles_array_tdigest(t, 10, 50, 100), b=percentiles_array_tdigest(t, dynamic([0, 20]))`,
			header: "p:long a:dynamic b:dynamic", rows: []string{"9|[1,5,10]|[1,2]"}},
		{name: "merge aggregate", query: `range x from 1 to 100 step 1
			| summarize d=tdigest(x) by k = x % 4
			| summarize tdigest_merge(d), m=merge_tdigest(d)
			| project p=percentile_tdigest(merge_tdigests_d, 50), q=percentile_tdigest(m, 100)`,
			header: "p:dynamic q:dynamic", rows: []string{"50|100"}},
		{name: "merge scalar", query: `range x from 1 to 10 step 1
			| summarize a=tdigest(x), b=tdigest(x + 10)
			| project p=percentile_tdigest(tdigest_merge(a, b), 50), q=percentile_tdigest(merge_tdigests(a, b), 100)`,
			header: "p:dynamic q:dynamic", rows: []string{"10|20"}},
		{name: "datetimes", query: `datatable(t:datetime)[datetime(2024-01-01), datetime(2024-01-03), datetime(2024-01-02)]
			| summarize d=tdigest(t)
			| project percentile_tdigest(d, 50)`,
			header: "percentile_tdigest_d:dynamic", rows: []string{`"2024-01-02T00:00:00.0000000Z"`}},
		{name: "empty", query: `datatable(x:long)[] | summarize d=tdigest(x) | project d, p=percentile_tdigest(d, 50)`,
			header: "d:dynamic p:dynamic", rows: []string{"|"}},
		{name: "default name", query: `datatable(x:long)[1] | summarize tdigest(x) | project p=percentile_tdigest(tdigest_x, 50)`,
			header: "p:dynamic", rows: []string{"1"}},
		{name: "not a digest", query: `print p=percentile_tdigest(dynamic([1, 2]), 50)`,
			header: "p:dynamic", rows: []string{""}},
		{name: "bad type", query: `print p=percentile_tdigest(dynamic(null), 50, "nosuchtype")`, err: "type"},
	})
}
