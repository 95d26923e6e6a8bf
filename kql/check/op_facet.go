package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// facet returns the `with` pipeline's table first (when there is one),
// then one table per column: its values and how many rows have each,
// as `summarize count_Col = count() by Col`.
func (c *checker) facet(sc *scope, in plan.Node, o *syntax.Facet) []*Result {
	var out []*Result
	if o.With != nil {
		out = append(out, &Result{Plan: c.chain(newScope(sc), in, o.With)})
	}
	sch := in.Schema()
	for _, x := range o.By {
		id, ok := x.(*syntax.Ident)
		if !ok {
			c.errorf(x, "facet expects column names")
		}
		i := sch.Index(id.Name)
		if i < 0 {
			c.errorf(x, "unknown column '%s'", id.Name)
		}
		count := c.aggCall(x, "count", nil)
		count.Out = vec.Schema{{Name: "count_" + id.Name, Type: types.Long}}
		out = append(out, &Result{Plan: &plan.Aggregate{In: in,
			Keys: []plan.Expr{&plan.ColRef{Index: i, Name: id.Name, T: sch[i].Type}},
			Aggs: []*plan.AggCall{count},
			Sch:  vec.Schema{sch[i], count.Out[0]}}})
	}
	return out
}
