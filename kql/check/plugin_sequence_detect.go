package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// sequence_detect(TimelineColumn, MaxSequenceStepWindow, MaxSequenceSpan,
// Name1 = Pred1, Name2 = Pred2, ... [, Dim, ...]) finds, per dimension
// values, every chain of rows matching the predicates in order, each step
// within MaxSequenceStepWindow of the previous and the chain within
// MaxSequenceSpan. Output: the dimensions, Name_TimelineColumn per step,
// and the chain's Duration.
func init() { registerPlugin("sequence_detect", bindSequenceDetect) }

func bindSequenceDetect(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	if len(o.Call.Args) < 5 {
		c.errorf(o.Call, "sequence_detect() expects a timeline column, two timespans and at least two predicates")
	}
	sch := in.Schema()
	row := rowOf(sch)
	ts := c.columnOfType(sch, o.Call.Args[0], types.Datetime, "the timeline column")
	n := &plan.Plugin{Name: "sequence_detect", In: in, ColsOnly: true, Cols: []int{ts}}
	n.Scalars = []plan.Expr{
		c.scalarArg(sc, o.Call.Args[1], types.Timespan, "MaxSequenceStepWindow"),
		c.scalarArg(sc, o.Call.Args[2], types.Timespan, "MaxSequenceSpan"),
	}
	var steps, dims vec.Schema
	var dimExprs []plan.Expr
	for _, x := range o.Call.Args[3:] {
		name := ""
		if na, ok := x.(*syntax.NamedArg); ok {
			name, x = na.Name.Name, na.Value
		}
		e := c.scalar(sc, row, x)
		if name != "" || e.Type() == types.Bool && len(dims) == 0 {
			if e.Type() != types.Bool {
				c.errorf(x, "a sequence step must be a bool predicate")
			}
			if name == "" {
				name = "Expr" + itoa(len(steps)+1)
			}
			n.Exprs = append(n.Exprs, e)
			steps = append(steps, vec.Field{Name: name + "_" + sch[ts].Name, Type: types.Datetime})
			continue
		}
		name = exprName(x)
		if name == "" {
			c.errorf(x, "a dimension must be a column or a named expression")
		}
		dimExprs = append(dimExprs, e)
		dims = append(dims, vec.Field{Name: name, Type: resultType(e.Type())})
	}
	if len(steps) < 2 {
		c.errorf(o.Call, "sequence_detect() needs at least two step predicates")
	}
	// Exprs are the step predicates then the dimensions; the last scalar
	// says how many steps there are.
	n.Exprs = append(n.Exprs, dimExprs...)
	n.Scalars = append(n.Scalars, &plan.Const{V: types.NewLong(int64(len(steps)))})
	names := newNamer(nil)
	for _, f := range append(append(dims, steps...), vec.Field{Name: "Duration", Type: types.Timespan}) {
		n.Sch = append(n.Sch, vec.Field{Name: names.unique(f.Name), Type: f.Type})
	}
	return n
}
