package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.MvApply)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.mvApply(sc, in, op.(*syntax.MvApply))
	})
}

func (c *checker) mvApply(sc *scope, in plan.Node, o *syntax.MvApply) plan.Node {
	if in == nil {
		c.errorf(o, "mv-apply needs an input table")
	}
	inSch := in.Schema()
	sub := append(vec.Schema(nil), inSch...)
	n := &plan.MvApply{In: in, Limit: -1}
	row := rowOf(inSch)
	names := newNamer(inSch)
	for _, it := range o.Items {
		e := c.scalar(sc, row, it.Assign.Value)
		name := assignName(it.Assign)
		if name == "" {
			name = names.column()
		}
		t := types.Dynamic
		if it.To != nil {
			tt, ok := types.Lookup(typeRefName(it.To))
			if !ok {
				c.errorf(it, "unknown type in to typeof()")
			}
			t = tt
		}
		target := sub.Index(name)
		if target < 0 {
			target = len(sub)
			sub = append(sub, vec.Field{Name: name, Type: t})
		}
		sub[target].Type = t
		n.Exprs = append(n.Exprs, e)
		n.Targets = append(n.Targets, target)
		n.ToTypes = append(n.ToTypes, t)
	}
	for _, p := range []string{"with_itemindex", "itemindex"} {
		if v, at := paramString(o.Params, p); v != "" {
			if sub.Index(v) >= 0 {
				c.errorf(at, "the item index column '%s' already exists", v)
			}
			n.IndexName = v
			sub = append(sub, vec.Field{Name: v, Type: types.Long})
		}
	}
	if o.Limit != nil {
		n.Limit = c.rowCount(sc, o.Limit)
	}
	c.shared++
	n.Source = &plan.Shared{In: &plan.Values{Sch: sub}, ID: c.shared}
	n.Sub = c.opChain(sc, n.Source, o.Ops)
	c.mvApplySchema(n, len(inSch))
	return n
}

// opChain binds the operators of a subquery applied to in.
func (c *checker) opChain(sc *scope, in plan.Node, ops *syntax.OpChain) plan.Node {
	if ops == nil || len(ops.Ops) == 0 {
		return in
	}
	for _, op := range ops.Ops {
		in = c.operator(sc, in, op)
	}
	return in
}

// mvApplySchema keeps the input columns that were not expanded in place
// and that the subquery does not return, followed by the subquery's
// columns.
func (c *checker) mvApplySchema(n *plan.MvApply, nin int) {
	inSch, out := n.In.Schema(), n.Sub.Schema()
	replaced := map[int]bool{}
	for _, t := range n.Targets {
		replaced[t] = true
	}
	for i := 0; i < nin; i++ {
		if !replaced[i] && out.Index(inSch[i].Name) < 0 {
			n.Keep = append(n.Keep, i)
			n.Sch = append(n.Sch, inSch[i])
		}
	}
	n.Sch = append(n.Sch, out...)
}
