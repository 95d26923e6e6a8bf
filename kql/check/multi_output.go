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
