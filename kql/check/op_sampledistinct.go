package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.SampleDistinct)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		o := op.(*syntax.SampleDistinct)
		if in == nil {
			c.errorf(o, "sample-distinct needs an input table")
		}
		x := c.scalar(sc, rowOf(in.Schema()), o.Of)
		name := exprName(o.Of)
		if name == "" {
			name = "Column1"
		}
		sch := vec.Schema{{Name: name, Type: resultType(x.Type())}}
		return &plan.SampleDistinct{In: in, N: c.rowCount(sc, o.N), X: x, Sch: sch}
	})
}
