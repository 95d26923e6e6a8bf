package builtin_test

import (
	"fmt"
	"strconv"
	"testing"
)

func TestPercentile(t *testing.T) {
	const latency = `datatable (ReqCount:long, LatencyBucket:long)[8, 10, 6, 20, 3, 30, 1, 40]`
	aggRun(t, []aggCase{
		{name: "nearest rank", query: `range x from 1 to 100 step 1 | summarize percentiles(x, 5, 99), percentile(x, 50), percentile(x, 0), percentile(x, 100)`,
			header: "percentile_x_5:long percentile_x_99:long percentile_x_50:long percentile_x_0:long percentile_x_100:long",
			rows:   []string{"5|99|50|1|100"}},
		{name: "weighted", query: latency + `| summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9)`,
			header: "percentile_LatencyBucket_50:long percentile_LatencyBucket_75:long percentile_LatencyBucket_99_9:long",
			rows:   []string{"20|20|40"}},
		{name: "weighted array", query: latency + `| summarize percentilesw_array(LatencyBucket, ReqCount, dynamic([50, 75, 99.9]))`,
			header: "percentile_LatencyBucket:dynamic", rows: []string{"[20,20,40]"}},
		{name: "percentilew", query: latency + `| summarize percentilew(LatencyBucket, ReqCount, 50)`,
			header: "percentile_LatencyBucket_50:long", rows: []string{"20"}},
		{name: "array", query: `range x from 1 to 10 step 1 | summarize percentiles_array(x, 10, 50, 90), p = percentiles_array(x, dynamic([25]))`,
			header: "percentiles_x:dynamic p:dynamic", rows: []string{"[1,5,9]|[3]"}},
		{name: "named and by", query: `datatable(k:string, v:real)["a",1.5,"a",2.5,"b",7.0,"a",0.5] | summarize p = percentile(v, 50) by k`,
			header: "k:string p:real", rows: []string{"a|1.5", "b|7"}},
		{name: "tuple names", query: `range x from 1 to 10 step 1 | summarize (lo, hi) = percentiles(x, 10, 90)`,
			header: "lo:long hi:long", rows: []string{"1|9"}},
		{name: "datetimes keep precision", query: `datatable(t:datetime)[datetime(2024-01-01 00:00:00.0000001), datetime(2024-01-01 00:00:00.0000003), datetime(2024-01-01 00:00:00.0000002)]
			| summarize percentile(t, 50)`,
			header: "percentile_t_50:datetime", rows: []string{"2024-01-01T00:00:00.0000002Z"}},
		{name: "timespans and nulls", query: `datatable(d:timespan)[1h, timespan(null), 3h, 2h] | summarize percentiles(d, 50, 100)`,
			header: "percentile_d_50:timespan percentile_d_100:timespan", rows: []string{"02:00:00|03:00:00"}},
		{name: "empty", query: `datatable(x:long)[] | summarize percentile(x, 55), percentiles_array(x, 50)`,
			header: "percentile_x_55:long percentiles_x:dynamic", rows: []string{"|"}},
		{name: "int becomes long", query: `datatable(x:int)[3, 1, 2] | summarize percentile(x, 50)`,
			header: "percentile_x_50:long", rows: []string{"2"}},
		{name: "non-constant percentile", query: `range x from 1 to 3 step 1 | summarize percentile(x, x)`, err: "constant"},
		{name: "out of range", query: `range x from 1 to 3 step 1 | summarize percentile(x, 101)`, err: "between 0 and 100"},
		{name: "strings rejected", query: `print s="a" | summarize percentile(s, 50)`, err: "string"},
	})
}

// TestPercentileLarge checks the rank error past the exact range: the
// docs promise at most 1% at the median.
func TestPercentileLarge(t *testing.T) {
	const n = 200000
	q := fmt.Sprintf("range x from 1 to %d step 1 | summarize percentiles(x * 7919 %% %d, 1, 25, 50, 75, 99)", n, n)
	res, err := aggQuery(t, q)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []float64{1, 25, 50, 75, 99} {
		got, _ := strconv.ParseFloat(res.Value(0, i).String(), 64)
		want := p / 100 * n
		if d := got - want; d > n/200 || d < -n/200 {
			t.Errorf("percentile %v = %v, want %v ± 0.5%%", p, got, want)
		}
	}
}

// TestPercentileWeightedLarge mixes weighted values past the exact range.
func TestPercentileWeightedLarge(t *testing.T) {
	res, err := aggQuery(t, `range x from 1 to 60000 step 1 | summarize percentilew(x, 2, 50), percentilew(x, x % 2 + 1, 90)`)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{30000, 54000} {
		got, _ := strconv.ParseFloat(res.Value(0, i).String(), 64)
		if d := got - want; d > 300 || d < -300 {
			t.Errorf("column %d = %v, want %v ± 0.5%%", i, got, want)
		}
	}
}
