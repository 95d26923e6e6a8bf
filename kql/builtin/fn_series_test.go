package builtin_test

import "testing"

const seriesRows = `range x from 1 to 3 step 1
| extend y = x * 2
| extend z = y * 2
| project s1 = pack_array(x,y,z), s2 = pack_array(z, y, x)`

func TestSeriesArithmetic(t *testing.T) {
	runDynCases(t, []dynCase{
		{seriesRows + `| project series_add(s1, s2)`, "[5,4,5]\n[10,8,10]\n[15,12,15]"},
		{seriesRows + `| project series_subtract(s1, s2)`, "[-3,0,3]\n[-6,0,6]\n[-9,0,9]"},
		{seriesRows + `| project series_multiply(s1, s2)`, "[4,4,4]\n[16,16,16]\n[36,36,36]"},
		{seriesRows + `| project series_divide(s1, s2)`, "[0.25,1,4]\n[0.25,1,4]\n[0.25,1,4]"},
		{`print series_add(dynamic([1, 2.5, "a", null]), dynamic([1, 1, 1, 1, 1]))`, `[2,3.5,null,null,null]`},
		{`print series_multiply(dynamic([1, 2]), -1), series_subtract(10, dynamic([1, 2]))`, `[-1,-2] | [9,8]`},
		{`print series_divide(dynamic([1, -1, 0]), 0)`, `["Infinity","-Infinity","NaN"]`},
		{`print series_pow(dynamic([2, 3]), 2)`, `[4,9]`},
		{`print series_add(dynamic([]), dynamic([]))`, `[]`},
		{`print series_add(1, 2), series_add(dynamic(null), dynamic([1])), series_add(dynamic([1]), "a")`, ` |  | `},
	})
}

func TestSeriesCompare(t *testing.T) {
	const s = `print s1 = dynamic([1,2,4]), s2 = dynamic([4,2,1])`
	runDynCases(t, []dynCase{
		{s + `| project series_greater(s1, s2)`, `[false,false,true]`},
		{s + `| project series_greater_equals(s1, s2)`, `[false,true,true]`},
		{s + `| project series_less(s1, s2)`, `[true,false,false]`},
		{s + `| project series_less_equals(s1, s2)`, `[true,true,false]`},
		{s + `| project series_equals(s1, s2)`, `[false,true,false]`},
		{s + `| project series_not_equals(s1, s2)`, `[true,false,true]`},
		{`print series_greater_equals(dynamic([1, 1.5, null, "x"]), 1.5)`, `[false,true,null,null]`},
		{`print series_equals(dynamic([1]), dynamic([1, 2]))`, `[true,null]`},
	})
}

func TestSeriesMath(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print series_acos(dynamic([-1,0,1]))`, `[3.141592653589793,1.5707963267948966,0]`},
		{`print series_asin(dynamic([-1,0,1]))`, `[-1.5707963267948966,0,1.5707963267948966]`},
		{`print series_atan(dynamic([-1,0,1]))`, `[-0.7853981633974483,0,0.7853981633974483]`},
		{`print series_sin(dynamic([-1,0,1]))`, `[-0.8414709848078965,0,0.8414709848078965]`},
		{`print series_tan(dynamic([-1,0,1]))`, `~[-1.5574077246549023,0,1.5574077246549023]`},
		{`print series_exp(dynamic([1,2,3]))`, `[2.718281828459045,7.38905609893065,20.085536923187668]`},
		{`print series_log(dynamic([1,2,3]))`, `~[0,0.6931471805599453,1.0986122886681098]`},
		{`print series_abs(dynamic([-1, 2.5, -3.5, "a"]))`, `[1,2.5,3.5,null]`},
		{`print series_sign(dynamic([-7, 0, 2.5])), series_floor(dynamic([1.5, -1.5, 2])), series_ceiling(dynamic([1.5]))`,
			`[-1,0,1] | [1,-2,2] | [2]`},
		{`print series_sqrt(dynamic([4, -1]))`, `[2,"NaN"]`},
		{`print series_cos(dynamic(null))`, ``},
	})
}

func TestSeriesFill(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print series_fill_backward(dynamic([111, null, 36, 41, null, null, 16, 61, 33, null, null]))`,
			`[111,36,36,41,16,16,16,61,33,null,null]`},
		{`print series_fill_forward(dynamic([null, null, 36, 41, null, null, 16, 61, 33, null, null]))`,
			`[null,null,36,41,41,41,16,61,33,33,33]`},
		{`print series_fill_forward(dynamic([1, 0, 2, 0]), 0), series_fill_backward(dynamic([0, 1, -1, 3]), -1)`,
			`[1,1,2,2] | [0,1,3,3]`},
		{`print series_fill_const(dynamic([111, null, 36, null]), 0.0), series_fill_const(dynamic([111, null, 36, null]), -1)`,
			`[111,0,36,0] | [111,-1,36,-1]`},
		{`print series_fill_const(dynamic([1, 0, null]), 5, 0)`, `[1,5,null]`},
		{`print series_fill_forward(dynamic([])), series_fill_const(dynamic(null), 1)`, `[] | `},
	})
}

func TestSeriesFillLinear(t *testing.T) {
	runDynCases(t, []dynCase{
		{`let data = datatable(arr: dynamic)
    [
    dynamic([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null]),
    dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null]),
    dynamic([null, null, null, null])
];
data
| project
    without_args = series_fill_linear(arr),
    with_edges = series_fill_linear(arr, double(null), true),
    wo_edges = series_fill_linear(arr, double(null), false),
    with_const = series_fill_linear(arr, double(null), true, 3.14159)`,
			"~[111,111,73.5,36,41,32.667,24.333,16,61,33,33,33] | [111,111,73.5,36,41,32.667,24.333,16,61,33,33,33] | " +
				"[null,111,73.5,36,41,32.667,24.333,16,61,33,null,null] | [111,111,73.5,36,41,32.667,24.333,16,61,33,33,33]\n" +
				"[111,111,73,36,41,32,24,16,61,33,33,33] | [111,111,73,36,41,32,24,16,61,33,33,33] | " +
				"[null,111,73,36,41,32,24,16,61,33,null,null] | [111,111,73,36,41,32,24,16,61,33,33,33]\n" +
				"[0,0,0,0] | [0,0,0,0] | [0,0,0,0] | [3.14159,3.14159,3.14159,3.14159]"},
		{`print series_fill_linear(dynamic([1, -1, 3]), -1), series_fill_linear(dynamic([null]), double(null), true, double(null))`,
			`[1,2,3] | [null]`},
		{`print series_fill_linear(dynamic([])), series_fill_linear(dynamic(5))`, `[] | `},
	})
}

func TestSeriesFilters(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print series_fir(dynamic([0, 0, 10, 20, 40, 20, 10, 0, 0]), dynamic([1, 1, 1, 1, 1]))`,
			`[0,0,2,6,14,18,20,18,14]`},
		{`print series_fir(dynamic([0, 0, 10, 20, 40, 20, 10, 0, 0]), dynamic([1, 1, 1, 1, 1]), true, true)`,
			`[2,6,14,18,20,18,14,6,2]`},
		{`print series_fir(dynamic([0, 0, 2, 2, 3, 3]), dynamic([1, -1])), series_fir(dynamic([1, 2]), dynamic([1, -1]), true)`,
			`[0,0,2,0,1,0] | `},
		{`print series_fir(dynamic([1, 2]), dynamic([2]), false), series_fir(dynamic([1, null, 3]), dynamic([1, 1]), false)`,
			`[2,4] | [1,null,null]`},
		{`print series_fir(dynamic([1]), dynamic([])), series_fir(dynamic([1]), dynamic(["a"]))`, ` | `},
		{`let x = range(1.0, 4, 1);
print x=x, y = series_iir(x, dynamic([1]), dynamic([1,-1]))`, `[1,2,3,4] | [1,3,6,10]`},
		{`let vector_sum=(x: dynamic) {
    let y=array_length(x) - 1;
    series_iir(x, dynamic([1]), dynamic([1, -1]))[y]
};
print d=dynamic([0, 1, 2, 3, 4])
| extend dd=vector_sum(d)`, `[0,1,2,3,4] | 10`},
		{`print series_iir(dynamic([1, 1, 1]), dynamic([0.5]), dynamic([1, -0.5]))`, `[0.5,0.75,0.875]`},
		{`print series_iir(dynamic([1]), dynamic([1]), dynamic([0, 1]))`, ``},
	})
}

func TestSeriesReductions(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print series_sum(dynamic([1,2,3,4])), series_product(dynamic([1,2,3,4])), series_sum(dynamic([])), series_sum(dynamic([1, "a", null]))`,
			`10 | 24 | 0 | 1`},
		{seriesRows + `| project series_dot_product(s1, s2)`, "12\n48\n108"},
		{`range x from 1 to 3 step 1
| extend y = x * 2
| extend z = y * 2
| project s1 = pack_array(x,y,z), s2 = x
| project series_dot_product(s1, s2)`, "7\n28\n63"},
		{`print series_dot_product(dynamic([1, 2, 3]), dynamic([1, "a"])), series_dot_product(dynamic([]), dynamic([1]))`,
			`1 | `},
		{`datatable(s1:dynamic, s2:dynamic)
[
    dynamic([0.1,0.2,0.1,0.2]), dynamic([0.11,0.2,0.11,0.21]),
    dynamic([0.1,0.2,0.1,0.2]), dynamic([1,2,3,4]),
]
| project series_cosine_similarity(s1, s2)`, "~0.99935343825504\n0.923760430703401"},
		{`print series_cosine_similarity(dynamic([1, 0]), dynamic([1, 0]), 2.0, 1.0)`, `0.5`},
		{`print series_pearson_correlation(dynamic([1,2,3,4,5]), dynamic([2,4,6,8,10]))`, `1`},
		{`print series_pearson_correlation(dynamic([1,2,3]), dynamic([3,2,1]))`, `-1`},
		{`print series_pearson_correlation(dynamic([1,2]), dynamic([1,2,3])), series_pearson_correlation(dynamic([1,null]), dynamic([1,2]))`,
			` | `},
	})
}

func TestSeriesStatsDynamic(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print x=dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]) | project stats=series_stats_dynamic(x)`,
			`~{"min":2,"min_idx":8,"max":87,"max_idx":3,"avg":32.8,"stdev":28.503633853548269,"variance":812.45714285714291,"sum":492,"len":15}`},
		{`print series_stats_dynamic(dynamic([1, null, 3]))`,
			`{"min":null,"min_idx":null,"max":null,"max_idx":null,"avg":null,"stdev":null,"variance":null,"sum":null,"len":2}`},
		{`print series_stats_dynamic(dynamic([1, null, 3]), true)`,
			`{"min":1,"min_idx":0,"max":3,"max_idx":2,"avg":2,"stdev":1.4142135623730951,"variance":2,"sum":4,"len":2}`},
		{`print series_stats_dynamic(dynamic("x"))`, ``},
	})
}

func TestSeriesFitLineDynamic(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print y=dynamic([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30])
| extend fit=series_fit_line_dynamic(y)
| project RSquare=fit.rsquare, Slope=fit.slope, Variance=fit.variance, RVariance=fit.rvariance,
    Interception=fit.interception, LineFit=fit.line_fit`,
			`~0.982 | 2.730 | 98.628 | 1.686 | -1.666 | [1.064,3.7945,6.526,9.256,11.987,14.718,17.449,20.180,22.910,25.641,28.371,31.102]`},
		{`print series_fit_line_dynamic(dynamic([3, 3]))`,
			`{"rsquare":1,"slope":0,"variance":0,"rvariance":0,"interception":3,"line_fit":[3,3]}`},
		{`print series_fit_line_dynamic(dynamic([])), series_fit_line_dynamic(dynamic([1, "a"]))`, ` | `},
	})
}
