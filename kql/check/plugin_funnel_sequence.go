package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// funnel_sequence(IdColumn, TimelineColumn, Start, End,
// MaxSequenceStepWindow, Step, StateColumn, Sequence) finds, per id, the
// runs of consecutive events whose states are Sequence, and counts the
// distinct ids per Step window by the state before and after the run. It
// returns three tables (prev and next, prev only, next only); used in the
// middle of a pipeline it is the first.
//
// funnel_sequence_completion(IdColumn, TimelineColumn, Start, End, Step,
// StateColumn, Sequence, MaxSequenceWindows) counts, per Step window, per
// window of MaxSequenceWindows and per state of Sequence, the distinct ids
// that went from the first state to that one, in order, within the window.
func init() {
	registerPlugin("funnel_sequence", func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
		return c.funnelSequence(sc, in, o, 0)
	})
	registerMultiPlugin("funnel_sequence", func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) []*Result {
		var out []*Result
		for t := 0; t < 3; t++ {
			out = append(out, &Result{Plan: c.funnelSequence(sc, in, o, t)})
		}
		return out
	})
	registerPlugin("funnel_sequence_completion", bindFunnelCompletion)
}

// funnelArgs binds the arguments the funnel plugins share: the id and
// timeline columns, Start and End, the state column and the sequence.
func (c *checker) funnelArgs(sc *scope, in plan.Node, o *syntax.Evaluate, stateArg int) (*plan.Plugin, vec.Schema, int, int) {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 8, 8)
	sch := in.Schema()
	id := c.columnArg(sch, args.pos[0], "the id column")
	ts := c.columnOfType(sch, args.pos[1], types.Datetime, "the timeline column")
	state := c.columnArg(sch, args.pos[stateArg], "the state column")
	n := &plan.Plugin{Name: funcName(o.Call), In: in, ColsOnly: true, Cols: []int{id, ts, state}}
	n.Scalars = []plan.Expr{
		c.scalarArg(sc, args.pos[2], types.Datetime, "Start"),
		c.scalarArg(sc, args.pos[3], types.Datetime, "End"),
		c.dynamicArray(sc, args.pos[stateArg+1], "the sequence"),
	}
	return n, sch, ts, state
}

// dynamicArray binds a constant dynamic array argument.
func (c *checker) dynamicArray(sc *scope, x syntax.Expr, what string) plan.Expr {
	v := c.constant(sc, x)
	if arr, ok := v.D.([]any); !ok || len(arr) == 0 {
		c.errorf(x, "%s must be a non-empty dynamic array", what)
	}
	return &plan.Const{V: v}
}

// funnelSequence binds output table t of funnel_sequence.
func (c *checker) funnelSequence(sc *scope, in plan.Node, o *syntax.Evaluate, t int) plan.Node {
	n, sch, ts, state := c.funnelArgs(sc, in, o, 6)
	args := splitArgs(o.Call)
	n.Scalars = append(n.Scalars,
		c.scalarArg(sc, args.pos[4], types.Timespan, "MaxSequenceStepWindow"),
		c.scalarArg(sc, args.pos[5], types.Timespan, "Step"),
		&plan.Const{V: types.NewLong(int64(t))})
	n.Sch = vec.Schema{sch[ts]}
	if t != 2 {
		n.Sch = append(n.Sch, vec.Field{Name: "prev", Type: sch[state].Type})
	}
	if t != 1 {
		n.Sch = append(n.Sch, vec.Field{Name: "next", Type: sch[state].Type})
	}
	n.Sch = append(n.Sch, vec.Field{Name: "dcount", Type: types.Long}, vec.Field{Name: "samples", Type: types.Dynamic})
	return n
}

func bindFunnelCompletion(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	n, sch, ts, state := c.funnelArgs(sc, in, o, 5)
	args := splitArgs(o.Call)
	n.Scalars = append(n.Scalars,
		c.dynamicArray(sc, args.pos[7], "MaxSequenceWindows"),
		c.scalarArg(sc, args.pos[4], types.Timespan, "Step"))
	n.Sch = vec.Schema{sch[ts], {Name: sch[state].Name, Type: types.String},
		{Name: "Period", Type: types.Timespan}, {Name: "dcount", Type: types.Long}}
	return n
}
