package check

import (
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// multiColumn is one column produced by a function returning several.
type multiColumn struct {
	name string
	expr plan.Expr
}

// multiOutput splits `[(a, b, ...) =] f(x, ...)`, where f returns several
// columns (series_decompose, series_fit_poly, ...), into those columns.
// Unnamed columns are called f_x_suffix, as Kusto names them; a single
// name is used as the prefix. ok is false when a is an ordinary column.
func (c *checker) multiOutput(sc *scope, r *row, a *syntax.Assign) ([]multiColumn, bool) {
	call, isCall := a.Value.(*syntax.Call)
	if !isCall {
		return nil, false
	}
	fn := funcName(call)
	if fn == "array_sort_asc" || fn == "array_sort_desc" {
		return c.arraySortOutput(sc, r, a, call, fn)
	}
	outs, ok := builtin.MultiOutput(fn)
	if !ok {
		return nil, false
	}
	bag := c.scalar(sc, r, a.Value)
	prefix := fn
	if len(call.Args) > 0 {
		if arg := exprName(call.Args[0]); arg != "" {
			prefix += "_" + arg
		}
	}
	if len(a.Names) == 1 && !a.Tuple {
		prefix = a.Names[0].Name
	}
	if a.Tuple && len(a.Names) > len(outs) {
		c.errorf(a, "%s() returns %d columns, but %d names are given", fn, len(outs), len(a.Names))
	}
	var cols []multiColumn
	for i, o := range outs {
		name := prefix + "_" + o.Suffix
		if a.Tuple {
			if i >= len(a.Names) {
				break
			}
			name = a.Names[i].Name
		}
		e := c.call(a, "__index", []plan.Expr{bag, &plan.Const{V: types.NewString(o.Suffix)}})
		if o.Type != types.Dynamic {
			e = c.call(a, convertName(o.Type), []plan.Expr{e})
		}
		cols = append(cols, multiColumn{name, e})
	}
	return cols, true
}

// arraySortOutput splits array_sort_asc/desc over several arrays into a
// column per array, named after the array (`a_sorted`, or `array2_sorted`
// for an array without a name: the position is counted from 1, which is
// unverified) or by a tuple of names. With one array, or one name for
// several, the call is an ordinary column.
func (c *checker) arraySortOutput(sc *scope, r *row, a *syntax.Assign, call *syntax.Call, fn string) ([]multiColumn, bool) {
	n := len(call.Args)
	if n > 1 && c.scalar(sc, r, call.Args[n-1]).Type() == types.Bool {
		n-- // nulls_last
	}
	if n < 2 || len(a.Names) == 1 && !a.Tuple {
		return nil, false
	}
	if a.Tuple && len(a.Names) > n {
		c.errorf(a, "%s() returns %d columns, but %d names are given", fn, n, len(a.Names))
	}
	arrays := c.scalar(sc, r, a.Value)
	var cols []multiColumn
	for i := 0; i < n; i++ {
		name := exprName(call.Args[i])
		if name == "" {
			name = "array" + itoa(i+1)
		}
		name += "_sorted"
		if a.Tuple {
			if i >= len(a.Names) {
				break
			}
			name = a.Names[i].Name
		}
		e := c.call(a, "__index", []plan.Expr{arrays, &plan.Const{V: types.NewLong(int64(i))}})
		cols = append(cols, multiColumn{name, e})
	}
	return cols, true
}

// convertName is the to*() function converting to t.
func convertName(t types.Type) string {
	switch t {
	case types.Long:
		return "tolong"
	case types.Int:
		return "toint"
	case types.Bool:
		return "tobool"
	}
	return "toreal"
}
