package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.GraphMatch)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.graphMatch(sc, c.graphInput(in, op), op.(*syntax.GraphMatch))
	})
}

// maxGraphHops bounds the length of a variable-length edge.
const maxGraphHops = 64

// graphBinder binds one graph-match: its pattern variables and the
// expressions over them.
type graphBinder struct {
	c    *checker
	sc   *scope
	g    plan.Graph
	n    *plan.GraphMatch
	vars map[string]int
}

func (c *checker) graphMatch(sc *scope, g plan.Graph, o *syntax.GraphMatch) plan.Node {
	n := &plan.GraphMatch{In: g, Shortest: o.Shortest}
	c.graphMatchParams(n, o)
	b := &graphBinder{c: c, sc: sc, g: g, n: n, vars: map[string]int{}}
	for _, p := range o.Patterns {
		b.pattern(p)
	}
	if o.Shortest {
		b.checkShortest(o)
	}
	b.matchSchema()
	if o.Where != nil {
		where := b.rewriteWhere(o.Where)
		n.Where = c.scalar(sc, rowOf(n.MatchSch), where)
		if t := n.Where.Type(); t != types.Bool && t != types.Null {
			c.errorf(o.Where, "the where clause of %s must be a bool, not %s", o.Name(), t)
		}
		nodeFilters(n)
	}
	if len(o.Project) == 0 {
		c.errorf(o, "%s needs a project clause: project Name = v.property, ...", o.Name())
	}
	b.project(o.Project)
	return n
}

func (c *checker) graphMatchParams(n *plan.GraphMatch, o *syntax.GraphMatch) {
	cycles, at := paramString(o.Params, "cycles")
	switch cycles {
	case "":
		n.Cycles = "unique_edges"
	case "none", "unique_edges", "all":
		n.Cycles = cycles
	default:
		c.errorf(at, "unknown cycles mode '%s': expected none, unique_edges or all", cycles)
	}
	switch out, at := paramString(o.Params, "output"); out {
	case "", "any":
	case "all":
		n.All = true
	default:
		c.errorf(at, "unknown output mode '%s': expected any or all", out)
	}
}

func (b *graphBinder) pattern(p *syntax.GraphPattern) {
	gp := plan.GraphPattern{First: b.nodeVar(p.Nodes[0])}
	for i, e := range p.Edges {
		st := plan.GraphStep{Edge: b.edgeVar(e), Dir: e.Dir, Min: 1, Max: 1}
		if e.Variable {
			st.Min, st.Max = b.hops(e)
		}
		st.Node = b.nodeVar(p.Nodes[i+1])
		gp.Steps = append(gp.Steps, st)
	}
	b.n.Patterns = append(b.n.Patterns, gp)
}

// hops returns the bounds of a variable-length edge.
func (b *graphBinder) hops(e *syntax.GraphEdge) (int, int) {
	lo, hi := int64(1), int64(-1)
	if e.Min != nil {
		lo = b.bound(e.Min)
		hi = lo
	}
	if e.Max != nil {
		hi = b.bound(e.Max)
	}
	if hi < 0 {
		b.c.errorf(e, "a variable-length edge needs an upper bound: *min..max")
	}
	if lo < 0 || hi < lo || hi > maxGraphHops {
		b.c.errorf(e, "the length of a variable-length edge must be within 0..%d, with min <= max", maxGraphHops)
	}
	return int(lo), int(hi)
}

func (b *graphBinder) bound(x syntax.Expr) int64 {
	v := types.Convert(b.c.constant(b.sc, x), types.Long)
	if v.IsNull() {
		b.c.errorf(x, "expected a number of edges")
	}
	return v.I
}

func (b *graphBinder) nodeVar(node *syntax.GraphNode) int {
	if node.Name == nil {
		return b.newVar("", plan.GraphNodeVar)
	}
	return b.named(node.Name, plan.GraphNodeVar)
}

func (b *graphBinder) edgeVar(e *syntax.GraphEdge) int {
	kind := plan.GraphEdgeVar
	if e.Variable {
		kind = plan.GraphPathVar
	}
	if e.Name == nil {
		return b.newVar("", kind)
	}
	if _, dup := b.vars[e.Name.Name]; dup {
		b.c.errorf(e.Name, "the edge variable '%s' is used twice", e.Name.Name)
	}
	return b.named(e.Name, kind)
}

// named returns the variable of that name, declaring it on first use.
func (b *graphBinder) named(id *syntax.Ident, kind plan.GraphVarKind) int {
	if i, ok := b.vars[id.Name]; ok {
		if b.n.Vars[i].Kind != kind {
			b.c.errorf(id, "'%s' names both a node and an edge", id.Name)
		}
		return i
	}
	i := b.newVar(id.Name, kind)
	b.vars[id.Name] = i
	return i
}

func (b *graphBinder) newVar(name string, kind plan.GraphVarKind) int {
	b.n.Vars = append(b.n.Vars, plan.GraphVar{Name: name, Kind: kind})
	return len(b.n.Vars) - 1
}

// matchSchema lays out the columns of a match (see plan.GraphMatch).
func (b *graphBinder) matchSchema() {
	nodes, edges := plan.GraphNodeElem(b.g.NodeSchema()), b.g.EdgeSchema()
	for i, v := range b.n.Vars {
		b.n.VarCol = append(b.n.VarCol, len(b.n.MatchSch))
		name := v.Name
		if name == "" {
			name = "$anon" + itoa(i)
		}
		switch v.Kind {
		case plan.GraphNodeVar:
			b.prefixed(name, nodes)
		case plan.GraphEdgeVar:
			b.prefixed(name, edges)
		default:
			b.n.MatchSch = append(b.n.MatchSch, vec.Field{Name: name, Type: types.Dynamic})
		}
	}
}

func (b *graphBinder) prefixed(name string, props vec.Schema) {
	for _, f := range props {
		b.n.MatchSch = append(b.n.MatchSch, vec.Field{Name: name + "." + f.Name, Type: f.Type})
	}
}

func (b *graphBinder) project(items []*syntax.Assign) {
	names := newNamer(nil)
	for _, a := range items {
		if len(a.Names) > 1 {
			b.c.errorf(a, "graph-match project assigns one column at a time")
		}
		x := b.rewrite(a.Value)
		e := b.c.scalar(b.sc, rowOf(b.n.MatchSch), x)
		b.n.Project = append(b.n.Project, e)
		b.n.Sch = append(b.n.Sch, vec.Field{Name: uniqueOrColumn(names, graphColumnName(a)), Type: resultType(e.Type())})
	}
}

// graphColumnName is assignName, except that a degree function names its
// column after itself.
func graphColumnName(a *syntax.Assign) string {
	if name := assignName(a); name != "" {
		return name
	}
	if call, ok := a.Value.(*syntax.Call); ok {
		switch name := funcName(call); name {
		case "node_degree_in", "node_degree_out":
			return name
		}
	}
	return ""
}

// checkShortest enforces graph-shortest-paths' pattern shape: one sequence
// with at least one variable-length edge.
func (b *graphBinder) checkShortest(o *syntax.GraphMatch) {
	if len(o.Patterns) != 1 {
		b.c.errorf(o.Patterns[1], "graph-shortest-paths takes a single path pattern")
	}
	for _, e := range o.Patterns[0].Edges {
		if e.Variable {
			return
		}
	}
	b.c.errorf(o.Patterns[0], "graph-shortest-paths needs a variable-length edge in its pattern, such as -[e*1..5]->")
}
