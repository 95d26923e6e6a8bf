package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// active_users_count(IdColumn, TimelineColumn, Start, End, LookbackWindow,
// Period, ActivePeriodsCount, Bin [, dim, ...]) counts, per Bin step from
// Start and per dimension values, the distinct ids that were active: seen
// in at least ActivePeriodsCount distinct Periods within the
// LookbackWindow before (and including) an appearance.
func init() { registerPlugin("active_users_count", bindActiveUsersCount) }

func bindActiveUsersCount(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 8, -1)
	sch := in.Schema()
	n := &plan.Plugin{Name: "active_users_count", In: in, ColsOnly: true}
	id := c.columnArg(sch, args.pos[0], "the id column")
	ts := c.columnOfType(sch, args.pos[1], types.Datetime, "the timeline column")
	dims := c.columnsArgs(sch, args.pos[8:], "a dimension")
	n.Cols = append([]int{id, ts}, dims...)
	n.Scalars = []plan.Expr{
		c.scalarArg(sc, args.pos[2], types.Datetime, "Start"),
		c.scalarArg(sc, args.pos[3], types.Datetime, "End"),
		c.scalarArg(sc, args.pos[4], types.Timespan, "LookbackWindow"),
		c.scalarArg(sc, args.pos[5], types.Timespan, "Period"),
		c.scalarArg(sc, args.pos[6], types.Long, "ActivePeriodsCount"),
		c.scalarArg(sc, args.pos[7], types.Timespan, "Bin"),
	}
	n.Sch = vec.Schema{sch[ts]}
	for _, d := range dims {
		n.Sch = append(n.Sch, sch[d])
	}
	n.Sch = append(n.Sch, vec.Field{Name: "dcount", Type: types.Long})
	return n
}
