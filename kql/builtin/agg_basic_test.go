package builtin_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
)

func TestBasicAggregates(t *testing.T) {
	const y = `datatable(x:long, y:real)[1, real(null), 2, 5.0, 3, 5.0, 4, 5.0]`
	aggRun(t, []aggCase{
		{name: "nulls ignored", query: y + `| summarize sum(y), avg(y)`,
			header: "sum_y:real avg_y:real", rows: []string{"15|5"}},
		{name: "count counts nulls", query: y + `| where x <= 2 | summarize count(y), count(), countif(y > 1)`,
			header: "count_y:long count_:long countif_:long", rows: []string{"2|2|1"}},
		{name: "deprecated count(predicate)", query: y + `| summarize count(x > 2)`,
			header: "count_:long", rows: []string{"2"}},
		{name: "empty input defaults", query: `datatable(x:long)[] | summarize avg(x), max(x), min(x), sum(x), sumif(x, x > 0), count()`,
			header: "avg_x:real max_x:long min_x:long sum_x:long sumif_x:long count_:long", rows: []string{"NaN|||0|0|0"}},
		{name: "all-null group", query: `datatable(k:long, x:long, d:timespan)[1, long(null), timespan(null)]
			| summarize sum(x), avg(x), min(x), avg(d) by k`,
			header: "k:long sum_x:long avg_x:real min_x:long avg_d:timespan", rows: []string{"1|0|NaN||"}},
		{name: "if forms", query: `range x from 1 to 10 step 1 | summarize sumif(x, x > 5), avgif(x, x <= 4), minif(x, x > 3), maxif(x, x < 3), countif(x % 2 == 0)`,
			header: "sumif_x:long avgif_x:real minif_x:long maxif_x:long countif_:long", rows: []string{"40|2.5|4|2|5"}},
		{name: "types", query: `datatable(i:int, r:real, d:decimal, t:timespan, s:string)[1, 1.5, decimal(2.5), 1h, "b", 2, 2.5, decimal(0.5), 3h, "a"]
			| summarize sum(i), sum(r), sum(d), sum(t), avg(t), max(s), min(s), avg(i)`,
			header: "sum_i:long sum_r:real sum_d:decimal sum_t:timespan avg_t:timespan max_s:string min_s:string avg_i:real",
			rows:   []string{"3|4|3|04:00:00|02:00:00|b|a|1.5"}},
		{name: "datetime average keeps ticks", query: `datatable(t:datetime)[datetime(2024-01-01 00:00:00.0000001), datetime(2024-01-01 00:00:00.0000003)]
			| summarize avg(t), max(t)`,
			header: "avg_t:datetime max_t:datetime", rows: []string{"2024-01-01T00:00:00.0000002Z|2024-01-01T00:00:00.0000003Z"}},
		{name: "dynamic", query: `print d=dynamic([3, 1.5, 7]) | mv-expand d | summarize max(d), min(d), sum(d)`,
			header: "max_d:dynamic min_d:dynamic sum_d:real", rows: []string{"7|1.5|11.5"}},
		{name: "missing predicate", query: `range x from 1 to 3 step 1 | summarize avgif(x)`, err: "expects 2 arguments"},
		{name: "bad predicate", query: `range x from 1 to 3 step 1 | summarize sumif(x, x)`, err: "predicate"},
		{name: "unsummable", query: `print s="a" | summarize sum(s)`, err: "cannot sum"},
	})
}

func TestSummarizeNames(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "parenthesized", query: `datatable(x:long)[1, 2] | summarize (max(x)), dcount(x) + 1`,
			header: "max_x:long Column1:long", rows: []string{"2|3"}},
		{name: "duplicates", query: `datatable(x:long)[1, 2] | summarize count(), count(), sum(x), sum(x)`,
			header: "count_:long count_1:long sum_x:long sum_x1:long", rows: []string{"2|2|3|3"}},
	})
	if _, ok := builtin.LookupScalar("toreal"); !ok {
		t.Skip("toreal is not registered")
	}
	aggRun(t, []aggCase{
		{name: "through name-keeping functions", query: `datatable(x:long)[1, 2] | summarize toreal(sum(x))`,
			header: "sum_x:real", rows: []string{"3"}},
	})
}
