package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// columnNamesOf binds column_names_of(T) to the constant dynamic array of
// T's column names; T is any tabular expression, checked but not run.
func (c *checker) columnNamesOf(sc *scope, x *syntax.Call) plan.Expr {
	if len(x.Args) != 1 || !c.isTabular(sc, x.Args[0]) {
		c.errorf(x, "column_names_of() expects a table")
	}
	var names []any
	for _, f := range c.tabular(sc, x.Args[0]).Schema() {
		names = append(names, f.Name)
	}
	if names == nil {
		names = []any{}
	}
	return &plan.Const{V: types.NewDynamic(names)}
}
