package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// top-hitters N of X [by Y] is summarize approximate_count_X = count() by X
// (or approximate_sum_Y = sum(Y)) followed by top N by that column desc.
// The counts here are exact.
func init() {
	registerOperator((*syntax.TopHitters)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.topHitters(sc, in, op.(*syntax.TopHitters))
	})
}

func (c *checker) topHitters(sc *scope, in plan.Node, o *syntax.TopHitters) plan.Node {
	if in == nil {
		c.errorf(o, "top-hitters needs an input table")
	}
	n := c.rowCount(sc, o.N)
	row := rowOf(in.Schema())
	x := c.scalar(sc, row, o.Of)
	name := exprName(o.Of)
	if name == "" {
		name = "Column1"
	}
	agg := c.aggCall(o, "count", nil)
	aggName := "approximate_count_" + name
	if o.By != nil {
		y := c.scalar(sc, row, o.By)
		if !y.Type().IsNumeric() && y.Type() != types.Dynamic {
			c.errorf(o.By, "top-hitters sums a number, not %s", y.Type())
		}
		agg = c.aggCall(o.By, "sum", []plan.Expr{y})
		if y.Type().IsNumeric() {
			agg.T = y.Type() // the column has the type of the summed expression
		}
		aggName = "approximate_sum_" + exprName(o.By)
	}
	names := newNamer(vec.Schema{{Name: name}})
	sch := vec.Schema{{Name: name, Type: resultType(x.Type())}, {Name: names.unique(aggName), Type: agg.T}}
	agg.Out = sch[1:]
	a := &plan.Aggregate{In: in, Keys: []plan.Expr{x}, Aggs: []*plan.AggCall{agg}, Sch: sch}
	by := &plan.ColRef{Index: 1, Name: sch[1].Name, T: agg.T}
	return &plan.Top{In: a, N: n, Keys: []plan.SortKey{{X: by, Desc: true}}}
}
