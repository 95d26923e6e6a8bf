package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
)

// narrow() unpivots a table into (Row, Column, Value) rows, for display.
func init() {
	registerPlugin("narrow", func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
		c.needInput(o, in)
		c.argCount(splitArgs(o.Call), 0, 0)
		return &plan.Narrow{In: in}
	})
}
