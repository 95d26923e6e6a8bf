package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
)

func init() {
	registerOperator((*syntax.Consume)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		if in == nil {
			c.errorf(op, "consume needs an input table")
		}
		return &plan.Consume{In: in}
	})
}
