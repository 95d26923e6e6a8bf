package check

import (
	"strings"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// reduce [kind=source] by Expr [with threshold=T, characters=C].
func init() {
	registerOperator((*syntax.Reduce)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		o := op.(*syntax.Reduce)
		if in == nil {
			c.errorf(o, "reduce needs an input table")
		}
		n := &plan.Reduce{In: in, Threshold: 0.1}
		if kind, at := paramString(o.Params, "kind"); at != nil {
			if !strings.EqualFold(kind, "source") {
				c.errorf(at, "reduce: kind must be 'source'")
			}
			n.Source = true
		}
		n.By = c.scalar(sc, rowOf(in.Schema()), o.By)
		if n.By.Type() != types.String {
			n.By = c.call(o.By, "tostring", []plan.Expr{n.By})
		}
		for _, p := range o.With {
			c.reduceProperty(sc, n, p)
		}
		n.Sch = plan.ReduceSchema(in.Schema(), n.Source)
		return n
	})
}

func (c *checker) reduceProperty(sc *scope, n *plan.Reduce, p *syntax.OpParam) {
	v := c.constant(sc, p.Value)
	switch strings.ToLower(p.Name) {
	case "threshold":
		f, ok := types.Convert(v, types.Real).F, v.Type.IsNumeric()
		if !ok || f < 0 || f > 1 {
			c.errorf(p, "reduce: threshold must be a number between 0 and 1")
		}
		n.Threshold = f
	case "characters":
		if v.Type != types.String {
			c.errorf(p, "reduce: characters must be a string")
		}
		n.Characters = v.S
	default:
		c.errorf(p, "reduce: unknown property '%s'", p.Name)
	}
}
