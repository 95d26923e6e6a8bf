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
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = prefix + "_" + o.Suffix
	}
	return c.outputColumns(a, fn, names, func(i int) plan.Expr {
		e := c.call(a, "__index", []plan.Expr{bag, &plan.Const{V: types.NewString(outs[i].Suffix)}})
		if outs[i].Type != types.Dynamic {
			e = c.call(a, convertName(outs[i].Type), []plan.Expr{e})
		}
		return e
	}), true
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
	arrays := c.scalar(sc, r, a.Value)
	names := make([]string, n)
	for i := range names {
		names[i] = exprName(call.Args[i])
		if names[i] == "" {
			names[i] = "array" + itoa(i+1)
		}
		names[i] += "_sorted"
	}
	return c.outputColumns(a, fn, names, func(i int) plan.Expr {
		return c.call(a, "__index", []plan.Expr{arrays, &plan.Const{V: types.NewLong(int64(i))}})
	}), true
}

// outputColumns names the columns of fn's several outputs: the names a
// tuple gives (the first ones, when it gives fewer) or else the default
// names; column i is expr(i).
func (c *checker) outputColumns(a *syntax.Assign, fn string, names []string, expr func(i int) plan.Expr) []multiColumn {
	if a.Tuple {
		if len(a.Names) > len(names) {
			c.errorf(a, "%s() returns %d columns, but %d names are given", fn, len(names), len(a.Names))
		}
		names = names[:len(a.Names)]
		for i, n := range a.Names {
			names[i] = n.Name
		}
	}
	cols := make([]multiColumn, len(names))
	for i, name := range names {
		cols[i] = multiColumn{name, expr(i)}
	}
	return cols
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
