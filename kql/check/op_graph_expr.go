package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// rewrite turns an expression over pattern variables into one over the
// columns of a match: `n.name` reads the column "n.name",
// node_degree_out(n) the column "n.$out", and all(), any() and map() over a
// path become fold columns.
func (b *graphBinder) rewrite(x syntax.Expr) syntax.Expr {
	switch x := x.(type) {
	case *syntax.Member:
		if id, ok := x.X.(*syntax.Ident); ok {
			if v, ok := b.vars[id.Name]; ok {
				return b.property(x, v)
			}
		}
	case *syntax.Ident:
		if v, ok := b.vars[x.Name]; ok && b.n.Vars[v].Kind == plan.GraphNodeVar {
			b.c.errorf(x, "use a property of the node '%s', such as %s.name", x.Name, x.Name)
		}
		return x
	case *syntax.Call:
		if y := b.graphCall(x); y != nil {
			return y
		}
	}
	return mapChildren(x, b.rewrite)
}

// property rewrites `v.p` to the column of the match that holds it.
func (b *graphBinder) property(x *syntax.Member, v int) syntax.Expr {
	props := b.g.NodeSchema()
	switch b.n.Vars[v].Kind {
	case plan.GraphEdgeVar:
		props = b.g.EdgeSchema()
	case plan.GraphPathVar:
		props = b.g.EdgeSchema()
	}
	if props.Index(x.Name.Name) < 0 {
		b.c.errorf(x.Name, "'%s' has no property '%s'", b.n.Vars[v].Name, x.Name.Name)
	}
	if b.n.Vars[v].Kind == plan.GraphPathVar {
		// e.p of a variable-length edge is the array of its edges' p.
		f := plan.GraphFold{Func: "map", Var: v, Expr: b.c.scalar(b.sc, rowOf(props), x.Name)}
		return b.addFold(f, types.Dynamic, x.Span)
	}
	return &syntax.Ident{Span: x.Span, Name: b.n.Vars[v].Name + "." + x.Name.Name}
}

// graphCall rewrites the graph functions, or returns nil for other calls.
func (b *graphBinder) graphCall(x *syntax.Call) syntax.Expr {
	switch name := funcName(x); name {
	case "node_degree_in", "node_degree_out":
		v := b.argVar(x, plan.GraphNodeVar)
		return &syntax.Ident{Span: x.Span, Name: b.n.Vars[v].Name + "." + degreeColumn(name)}
	case "all", "any", "map":
		if len(x.Args) != 2 {
			b.c.errorf(x, "%s() expects a path variable and an expression", name)
		}
		return b.fold(x, name)
	case "inner_nodes":
		b.c.errorf(x, "inner_nodes() is supported only as the first argument of map(), all() or any()")
	}
	return nil
}

func degreeColumn(fn string) string {
	if fn == "node_degree_in" {
		return plan.GraphDegreeIn
	}
	return plan.GraphDegreeOut
}

// argVar returns the variable that is the only argument of x.
func (b *graphBinder) argVar(x *syntax.Call, kind plan.GraphVarKind) int {
	if len(x.Args) == 1 {
		if id, ok := x.Args[0].(*syntax.Ident); ok {
			if v, ok := b.vars[id.Name]; ok && b.n.Vars[v].Kind == kind {
				return v
			}
		}
	}
	what := map[plan.GraphVarKind]string{plan.GraphNodeVar: "a node variable", plan.GraphPathVar: "a variable-length edge"}[kind]
	b.c.errorf(x, "%s() expects %s", funcName(x), what)
	return -1
}

// fold binds all(), any() or map() over the edges of a path variable or
// over its inner nodes, and returns a reference to its column.
func (b *graphBinder) fold(x *syntax.Call, name string) syntax.Expr {
	f := plan.GraphFold{Func: name}
	elem := b.g.EdgeSchema()
	coll := x.Args[0]
	if call, ok := coll.(*syntax.Call); ok && funcName(call) == "inner_nodes" {
		f.Inner, coll = true, nil
		f.Var = b.argVar(call, plan.GraphPathVar)
		elem = plan.GraphNodeElem(b.g.NodeSchema())
	}
	if coll != nil {
		f.Var = b.argVar(&syntax.Call{Span: x.Span, Fun: x.Fun, Args: []syntax.Expr{coll}}, plan.GraphPathVar)
	}
	f.Expr = b.c.scalar(b.sc, rowOf(elem), elemRewrite(x.Args[1]))
	t := types.Dynamic
	if name != "map" {
		t = types.Bool
		if et := f.Expr.Type(); et != types.Bool && et != types.Null {
			b.c.errorf(x.Args[1], "%s() needs a bool predicate, not %s", name, et)
		}
	}
	return b.addFold(f, t, x.Span)
}

// addFold adds a fold column to the match and returns a reference to it.
func (b *graphBinder) addFold(f plan.GraphFold, t types.Type, at syntax.Span) syntax.Expr {
	col := "$fold" + itoa(len(b.n.Folds))
	b.n.Folds = append(b.n.Folds, f)
	b.n.MatchSch = append(b.n.MatchSch, vec.Field{Name: col, Type: t})
	return &syntax.Ident{Span: at, Name: col}
}

// elemRewrite rewrites an expression over one element of a path: there
// node_degree_in() and node_degree_out() read the element's degrees.
func elemRewrite(x syntax.Expr) syntax.Expr {
	if call, ok := x.(*syntax.Call); ok && len(call.Args) == 0 {
		switch name := funcName(call); name {
		case "node_degree_in", "node_degree_out":
			return &syntax.Ident{Span: call.Span, Name: degreeColumn(name)}
		}
	}
	return mapChildren(x, elemRewrite)
}

// mapChildren returns a copy of x whose sub-expressions are f of x's.
func mapChildren(x syntax.Expr, f func(syntax.Expr) syntax.Expr) syntax.Expr {
	switch x := x.(type) {
	case *syntax.Paren:
		return &syntax.Paren{Span: x.Span, X: f(x.X)}
	case *syntax.Unary:
		return &syntax.Unary{Span: x.Span, Op: x.Op, X: f(x.X)}
	case *syntax.Binary:
		return &syntax.Binary{Span: x.Span, Op: x.Op, L: f(x.L), R: f(x.R)}
	case *syntax.ListExpr:
		return &syntax.ListExpr{Span: x.Span, Op: x.Op, X: f(x.X), List: mapList(x.List, f)}
	case *syntax.Between:
		return &syntax.Between{Span: x.Span, Not: x.Not, X: f(x.X), Lo: f(x.Lo), Hi: f(x.Hi)}
	case *syntax.Call:
		return &syntax.Call{Span: x.Span, Fun: x.Fun, Args: mapList(x.Args, f)}
	case *syntax.NamedArg:
		return &syntax.NamedArg{Span: x.Span, Name: x.Name, Value: f(x.Value)}
	case *syntax.Member:
		return &syntax.Member{Span: x.Span, X: f(x.X), Name: x.Name}
	case *syntax.Index:
		return &syntax.Index{Span: x.Span, X: f(x.X), Index: f(x.Index)}
	}
	return x
}

func mapList(xs []syntax.Expr, f func(syntax.Expr) syntax.Expr) []syntax.Expr {
	out := make([]syntax.Expr, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
