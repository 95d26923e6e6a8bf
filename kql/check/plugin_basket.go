package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// basket([Threshold, WeightColumn, MaxDimensions, CustomWildcard, ...])
// finds the frequent patterns of the input: sets of (column, value) that
// the rows holding all of them reach Threshold (a ratio, 0.05 by default)
// of the total weight. The output is SegmentId:int, Count:long,
// Percent:real, then the input columns except the weight column, holding a
// pattern's value or the column type's wildcard (null, or "" for
// strings, unless a CustomWildcard of that type is given). `~` stands for
// a default argument.
//
// Plan: Cols are the output dimension columns; Scalars are the threshold
// (real), MaxDimensions (long) and the custom wildcards; Exprs hold the
// weight (real) when a weight column is given.
func init() { registerPlugin("basket", bindBasket) }

func bindBasket(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	sch := in.Schema()
	threshold := c.constArg(sc, tildeDefault(args.get(0, "")), types.Real, types.NewReal(0.05), "basket's Threshold")
	if f := threshold.F; !(f > 0 && f <= 1) {
		c.errorf(args.get(0, ""), "basket's Threshold must be a ratio in (0, 1], got %v", f)
	}
	weight := -1
	if x := tildeDefault(args.get(1, "")); x != nil {
		weight = c.columnArg(sch, x, "basket's WeightColumn")
		if !sch[weight].Type.IsNumeric() {
			c.errorf(x, "basket's WeightColumn must be numeric, not %s", sch[weight].Type)
		}
	}
	maxDims := c.constArg(sc, tildeDefault(args.get(2, "")), types.Long, types.NewLong(5), "basket's MaxDimensions")
	if maxDims.I < 1 {
		c.errorf(args.get(2, ""), "basket's MaxDimensions must be at least 1")
	}
	n := &plan.Plugin{Name: "basket", In: in, ColsOnly: true, Scalars: []plan.Expr{&plan.Const{V: threshold}, &plan.Const{V: maxDims}}}
	for i := 3; i < len(args.pos); i++ {
		if x := tildeDefault(args.pos[i]); x != nil {
			n.Scalars = append(n.Scalars, &plan.Const{V: c.constant(sc, x)})
		}
	}
	if weight >= 0 {
		n.Exprs = []plan.Expr{convertValues(&plan.ColRef{Index: weight, Name: sch[weight].Name, T: sch[weight].Type}, types.Real)}
	}
	n.Sch = vec.Schema{{Name: "SegmentId", Type: types.Int}, {Name: "Count", Type: types.Long}, {Name: "Percent", Type: types.Real}}
	for i, f := range sch {
		if i != weight {
			n.Cols = append(n.Cols, i)
			n.Sch = append(n.Sch, f)
		}
	}
	return n
}

// tildeDefault returns nil for the `~` (or '~') that asks for an
// argument's default, and x otherwise.
func tildeDefault(x syntax.Expr) syntax.Expr {
	if lit, ok := x.(*syntax.Literal); ok && lit.Kind == syntax.LitString && syntax.StringValue(lit.Text) == "~" {
		return nil
	}
	if id, ok := x.(*syntax.Ident); ok && id.Name == "~" {
		return nil
	}
	return x
}
