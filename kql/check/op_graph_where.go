package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// rewriteWhere rewrites graph-match's where clause. A conjunct over the
// properties of one variable-length edge alone constrains every edge of
// the path: `e.w > 1` means all(e, w > 1).
func (b *graphBinder) rewriteWhere(x syntax.Expr) syntax.Expr {
	if bin, ok := x.(*syntax.Binary); ok && bin.Op == "and" {
		return &syntax.Binary{Span: bin.Span, Op: bin.Op, L: b.rewriteWhere(bin.L), R: b.rewriteWhere(bin.R)}
	}
	if p, ok := x.(*syntax.Paren); ok {
		if _, and := p.X.(*syntax.Binary); and {
			return &syntax.Paren{Span: p.Span, X: b.rewriteWhere(p.X)}
		}
	}
	v, ok := b.pathOnly(x)
	if !ok {
		return b.rewrite(x)
	}
	pred := b.c.scalar(b.sc, rowOf(b.g.EdgeSchema()), edgeProps(x))
	if t := pred.Type(); t != types.Bool && t != types.Null {
		return b.rewrite(x)
	}
	b.n.EdgeFilters = append(b.n.EdgeFilters, plan.GraphFilter{Var: v, Pred: pred})
	return b.addFold(plan.GraphFold{Func: "all", Var: v, Expr: pred}, types.Bool, spanOf(x))
}

// pathOnly reports the path variable when x reads properties of that
// one variable-length edge and no other variable or graph function.
func (b *graphBinder) pathOnly(x syntax.Expr) (int, bool) {
	v, ok := -1, true
	var visit func(syntax.Expr) syntax.Expr
	visit = func(x syntax.Expr) syntax.Expr {
		switch x := x.(type) {
		case *syntax.Member:
			if id, isID := x.X.(*syntax.Ident); isID {
				if w, isVar := b.vars[id.Name]; isVar {
					ok = ok && b.n.Vars[w].Kind == plan.GraphPathVar && (v < 0 || v == w)
					v = w
					return x
				}
			}
		case *syntax.Ident:
			if _, isVar := b.vars[x.Name]; isVar {
				ok = false
			}
			return x
		case *syntax.Call:
			switch funcName(x) {
			case "all", "any", "map", "inner_nodes", "node_degree_in", "node_degree_out":
				ok = false
			}
		}
		return mapChildren(x, visit)
	}
	visit(x)
	return v, ok && v >= 0
}

// edgeProps replaces `e.p` by `p`, to bind over one edge.
func edgeProps(x syntax.Expr) syntax.Expr {
	if m, ok := x.(*syntax.Member); ok {
		if _, isID := m.X.(*syntax.Ident); isID {
			return m.Name
		}
	}
	return mapChildren(x, edgeProps)
}
