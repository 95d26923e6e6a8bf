package builtin_test

import "testing"

func TestStdev(t *testing.T) {
	aggRun(t, []aggCase{
		{name: "sample and population", query: `range x from 1 to 5 step 1
			| summarize make_list(x), stdev(x), variance(x), stdevp(x), variancep(x)`,
			header: "list_x:dynamic stdev_x:real variance_x:real stdevp_x:real variancep_x:real",
			rows:   []string{"[1,2,3,4,5]|1.5811388300841898|2.5|1.4142135623730951|2"}},
		{name: "if forms", query: `range x from 1 to 100 step 1 | summarize varianceif(x, x % 2 == 0), stdevif(x, x <= 2), variancepif(x, x <= 2)`,
			header: "varianceif_x:real stdevif_x:real variancepif_x:real", rows: []string{"850|0.7071067811865476|0.25"}},
		{name: "covariance", query: `datatable(x:real, y:real)[1.0, 14.0, 2.0, 10.0, 3.0, 17.0, 4.0, 20.0, 5.0, 50.0] | summarize covariance(x, y), covariancep(x, y)`,
			header: "covariance_x_y:real covariancep_x_y:real", rows: []string{"20.5|16.4"}},
		{name: "covarianceif", query: `range x from 1 to 100 step 1
			| extend y = x * 2 + x % 2 * x
			| summarize covarianceif(x, y, x % 3 == 0), covariancepif(x, y, x % 3 == 0)`,
			header: "covarianceif_x_y:real covariancepif_x_y:real", rows: []string{"2142|2077.090909090909"}},
		{name: "nulls and single values", query: `datatable(k:long, x:long)[1, 5, 1, long(null), 2, long(null)] | summarize stdev(x), variancep(x) by k`,
			header: "k:long stdev_x:real variancep_x:real", rows: []string{"1|0|0", "2|0|0"}},
		{name: "empty", query: `datatable(x:long)[] | summarize stdev(x), variance(x)`,
			header: "stdev_x:real variance_x:real", rows: []string{"0|0"}},
		{name: "strings rejected", query: `print s="a" | summarize stdev(s)`, err: "string"},
	})
}
