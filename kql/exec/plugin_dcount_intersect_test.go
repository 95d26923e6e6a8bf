package exec_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
)

// exactSketches is set when this test registered exact stand-ins for the
// sketch functions (sketches as arrays of distinct values), because the
// engine has no hll_merge()/dcount_hll() of its own.
var exactSketches bool

func init() {
	_, merge := builtin.LookupScalar("hll_merge")
	_, count := builtin.LookupScalar("dcount_hll")
	if merge || count {
		return
	}
	exactSketches = true
	builtin.RegisterScalar(
		&builtin.Scalar{Name: "hll_merge", Bind: func(args []builtin.Arg) (types.Type, builtin.Kernel, error) {
			return types.Dynamic, builtin.RowKernel(types.Dynamic, func(v []types.Value) types.Value {
				seen := map[string]bool{}
				var out []any
				for _, a := range v {
					arr, _ := a.D.([]any)
					for _, x := range arr {
						if k := types.FormatJSON(x); !seen[k] {
							seen[k] = true
							out = append(out, x)
						}
					}
				}
				return types.NewDynamic(out)
			}), nil
		}},
		&builtin.Scalar{Name: "dcount_hll", Bind: func(args []builtin.Arg) (types.Type, builtin.Kernel, error) {
			return types.Long, builtin.RowKernel(types.Long, func(v []types.Value) types.Value {
				arr, _ := v[0].D.([]any)
				return types.NewLong(int64(len(arr)))
			}), nil
		}})
}

func TestDcountIntersect(t *testing.T) {
	if !exactSketches {
		runPluginCases(t, nil, []pluginCase{
			{"documented example", `range x from 1 to 100 step 1
| extend isEven = (x % 2 == 0), isMod3 = (x % 3 == 0), isMod5 = (x % 5 == 0)
| summarize hll_even = hll(iif(isEven, x, 0), 2), hll_mod3 = hll(iif(isMod3, x, 0), 2), hll_mod5 = hll(iif(isMod5, x, 0), 2)
| evaluate dcount_intersect(hll_even, hll_mod3, hll_mod5)
| project evenNumbers = s0 - 1, even_and_mod3 = s1 - 1, even_and_mod3_and_mod5 = s2 - 1`, `
evenNumbers:long | even_and_mod3:long | even_and_mod3_and_mod5:long
50 | 16 | 3`},
		})
		return
	}
	runPluginCases(t, nil, []pluginCase{
		{"nested intersections", `datatable(k:string, a:dynamic, b:dynamic, c:dynamic)
["x", dynamic([1,2,3,4]), dynamic([2,3,4,5]), dynamic([3,4,9])]
| evaluate dcount_intersect(a, b, c) | project k, s0, s1, s2`, `
k:string | s0:long | s1:long | s2:long
x | 4 | 3 | 2`},
		{"disjoint", `print a = dynamic([1,2]), b = dynamic([3]) | evaluate dcount_intersect(a, b) | project s0, s1`, `
s0:long | s1:long
2 | 0`},
		{"needs sketches", `print a = 1, b = 2 | evaluate dcount_intersect(a, b)`, "error: expects hll() sketches"},
		{"needs two", `print a = dynamic([1]) | evaluate dcount_intersect(a)`, "error: dcount_intersect() expects 2 to 16 arguments"},
	})
}
