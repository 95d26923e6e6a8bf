package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// schema_merge([PreserveOrder]) merges schemas in getschema's format (a
// new schema starts where ColumnOrdinal does not grow) into one, reducing
// each column's types to a common one.
func init() { registerPlugin("schema_merge", bindSchemaMerge) }

func bindSchemaMerge(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 0, 1)
	preserve := c.constArg(sc, args.get(0, "PreserveOrder"), types.Bool, types.NewBool(true), "PreserveOrder")
	sch := in.Schema()
	n := &plan.Plugin{Name: "schema_merge", In: in, ColsOnly: true, Scalars: []plan.Expr{&plan.Const{V: preserve}}}
	for _, name := range []string{"ColumnName", "ColumnOrdinal", "ColumnType"} {
		i := sch.Index(name)
		if i < 0 {
			c.errorf(o, "schema_merge expects getschema's columns; '%s' is missing", name)
		}
		n.Cols = append(n.Cols, i)
	}
	n.Sch = vec.Schema{{Name: "ColumnName", Type: types.String}, {Name: "ColumnOrdinal", Type: types.Int},
		{Name: "DataType", Type: types.String}, {Name: "ColumnType", Type: types.String}}
	return n
}
