package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// bagPackColumns binds bag_pack_columns(col1, col2, ...) as
// bag_pack("col1", col1, "col2", col2, ...): the property names are the
// columns' names, so the arguments must be columns.
func (c *checker) bagPackColumns(sc *scope, r *row, x *syntax.Call) plan.Expr {
	if len(x.Args) == 0 {
		c.errorf(x, "bag_pack_columns() expects at least one column")
	}
	args := make([]plan.Expr, 0, 2*len(x.Args))
	for _, a := range x.Args {
		name := exprName(a)
		if name == "" {
			c.errorf(a, "bag_pack_columns(): the arguments must be columns")
		}
		args = append(args, &plan.Const{V: types.NewString(name)}, c.scalar(sc, r, a))
	}
	return c.call(x, "bag_pack", args)
}
