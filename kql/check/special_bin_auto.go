package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// binAuto binds bin_auto(x) as bin(x, size) or bin_at(x, size, at), with
// size and at from the query_bin_auto_size and query_bin_auto_at set
// statements.
func (c *checker) binAuto(sc *scope, r *row, x *syntax.Call) plan.Expr {
	if len(x.Args) != 1 {
		c.errorf(x, "bin_auto() expects 1 argument")
	}
	size, ok := c.sets["query_bin_auto_size"]
	if !ok || size.Type == types.Bool {
		c.errorf(x, "bin_auto() needs the bin size: set query_bin_auto_size=<size>; before the query")
	}
	arg := c.scalar(sc, r, x.Args[0])
	sizeExpr := &plan.Const{V: size}
	if at, ok := c.sets["query_bin_auto_at"]; ok && at.Type != types.Bool {
		return c.call(x, "bin_at", []plan.Expr{arg, sizeExpr, &plan.Const{V: at}})
	}
	return c.call(x, "bin", []plan.Expr{arg, sizeExpr})
}
