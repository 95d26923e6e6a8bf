package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
)

func init() {
	registerOperator((*syntax.Sample)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		o := op.(*syntax.Sample)
		if in == nil {
			c.errorf(o, "sample needs an input table")
		}
		return &plan.Sample{In: in, N: c.rowCount(sc, o.N)}
	})
}

// rowCount binds a constant, non-negative number of rows; a real number
// is truncated.
func (c *checker) rowCount(sc *scope, x syntax.Expr) int64 {
	n := c.count(sc, x)
	if n < 0 {
		c.errorf(x, "the number of rows must not be negative")
	}
	return n
}
