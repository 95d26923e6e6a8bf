package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// activity_counts_metrics(IdColumn, TimelineColumn, Start, End, Step
// [, dim, ...]) counts, per Step window from Start and per dimension
// values, the rows, the distinct ids, the ids new since Start, and the
// distinct ids since Start.
//
// sliding_window_counts(IdColumn, TimelineColumn, Start, End,
// LookbackWindow, Bin [, dim, ...]) counts, per Bin from Start, the rows
// and distinct ids in the LookbackWindow that ends with the bin.
func init() {
	registerPlugin("activity_counts_metrics", func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
		return c.activityPlugin(sc, in, o, []string{"Start", "End", "Step"},
			[]string{"count", "dcount", "new_dcount", "aggregated_dcount"})
	})
	registerPlugin("sliding_window_counts", func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
		return c.activityPlugin(sc, in, o, []string{"Start", "End", "LookbackWindow", "Bin"}, []string{"Count", "Dcount"})
	})
}

// activityPlugin binds the plugins shaped (IdColumn, TimelineColumn,
// Start, End, timespans..., dims...): Start and End are datetimes, the
// other scalars timespans. The output is the timeline column, the
// dimensions, and long counts named counts.
func (c *checker) activityPlugin(sc *scope, in plan.Node, o *syntax.Evaluate, scalars, counts []string) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 2+len(scalars), -1)
	sch := in.Schema()
	id := c.columnArg(sch, args.pos[0], "the id column")
	ts := c.columnOfType(sch, args.pos[1], types.Datetime, "the timeline column")
	dims := c.columnsArgs(sch, args.pos[2+len(scalars):], "a dimension")
	n := &plan.Plugin{Name: funcName(o.Call), In: in, ColsOnly: true, Cols: append([]int{id, ts}, dims...)}
	for i, what := range scalars {
		t := types.Timespan
		if i < 2 {
			t = types.Datetime
		}
		n.Scalars = append(n.Scalars, c.scalarArg(sc, args.pos[2+i], t, what))
	}
	n.Sch = vec.Schema{sch[ts]}
	for _, d := range dims {
		n.Sch = append(n.Sch, sch[d])
	}
	for _, name := range counts {
		n.Sch = append(n.Sch, vec.Field{Name: name, Type: types.Long})
	}
	return n
}
