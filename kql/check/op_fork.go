package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
)

// fork and facet return several tables, so they can only end a query
// statement: stmt asks multiResult first, and anywhere else they are an
// error. Some plugins (funnel_sequence) also return several tables when
// they end a statement.
func init() {
	registerOperator((*syntax.Fork)(nil), severalResults)
	registerOperator((*syntax.Facet)(nil), severalResults)
}

func severalResults(c *checker, _ *scope, _ plan.Node, op syntax.Operator) plan.Node {
	c.errorf(op, "%s returns several tables, so it must be the last operator of a query statement", op.Name())
	return nil
}

// multiResult binds a statement ending in fork or facet to its results; it
// returns nil for any other statement. The input is shared by all results
// and evaluated once.
func (c *checker) multiResult(sc *scope, x syntax.Expr) []*Result {
	p, ok := x.(*syntax.Pipe)
	if !ok {
		return nil
	}
	switch o := p.Op.(type) {
	case *syntax.Fork:
		return c.fork(sc, c.share(c.tabular(sc, p.Source)), o)
	case *syntax.Facet:
		return c.facet(sc, c.share(c.tabular(sc, p.Source)), o)
	case *syntax.Evaluate:
		if bind, ok := multiPlugins[funcName(o.Call)]; ok {
			return bind(c, sc, c.share(c.tabular(sc, p.Source)), o)
		}
	}
	return nil
}

// share wraps in so that every consumer reads one evaluation of it.
func (c *checker) share(in plan.Node) plan.Node {
	if _, ok := in.(*plan.Shared); ok {
		return in
	}
	c.shared++
	return &plan.Shared{In: in, ID: c.shared}
}

// fork binds each branch over the shared input. A branch is named by
// `name=` or by an `as` inside it.
func (c *checker) fork(sc *scope, in plan.Node, o *syntax.Fork) []*Result {
	var out []*Result
	for _, b := range o.Branches {
		res := &Result{Plan: c.chain(newScope(sc), in, b.Ops)}
		if b.Name != nil {
			res.Name = b.Name.Name
		} else {
			res.Name = chainAlias(b.Ops)
		}
		out = append(out, res)
	}
	return out
}

// chain binds a sourceless pipeline (the body of fork, facet and
// partition) over in.
func (c *checker) chain(sc *scope, in plan.Node, ops *syntax.OpChain) plan.Node {
	for _, op := range ops.Ops {
		in = c.operator(sc, in, op)
	}
	return in
}

// chainAlias returns the name given by the last `as` of a pipeline, or "".
func chainAlias(ops *syntax.OpChain) string {
	name := ""
	for _, op := range ops.Ops {
		if as, ok := op.(*syntax.As); ok {
			name = as.Alias.Name
		}
	}
	return name
}
