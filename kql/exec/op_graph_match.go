package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.GraphMatch)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		b, err := r.graphMatch(n.(*plan.GraphMatch))
		if err != nil {
			return nil, err
		}
		return &once{b: b}, nil
	})
}

// maxGraphMatches bounds the matches of one graph-match.
const maxGraphMatches = 1_000_000

// match is one binding of the pattern variables: a node for node
// variables; edges, and the walk of nodes along them, for edge variables.
type match struct {
	nodes []int
	edges [][]int
	walks [][]int
}

func (m *match) length() int {
	n := 0
	for _, e := range m.edges {
		n += len(e)
	}
	return n
}

func (r *Runner) graphMatch(n *plan.GraphMatch) (*vec.Batch, error) {
	g, err := r.buildGraph(n.In)
	if err != nil {
		return nil, err
	}
	nodes, err := r.filters(n.NodeFilters, g.elem, len(n.Vars))
	if err != nil {
		return nil, err
	}
	edges, err := r.filters(n.EdgeFilters, g.edges, len(n.Vars))
	if err != nil {
		return nil, err
	}
	ms, err := findMatches(r.ctx, g, n, nodes, edges)
	if err != nil {
		return nil, err
	}
	b, err := r.matchBatch(g, n, ms)
	if err != nil {
		return nil, err
	}
	keep, err := r.matchFilter(n, b)
	if err != nil {
		return nil, err
	}
	if n.Shortest {
		keep = shortest(n, ms, keep)
	}
	b = b.Gather(keep)
	out := &vec.Batch{N: b.N}
	for i, e := range n.Project {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		if c.Type != n.Sch[i].Type {
			c = convertColumn(c, n.Sch[i].Type)
		}
		out.Cols = append(out.Cols, c)
	}
	return out, nil
}

// filters evaluates filters over all of rows (the nodes or the edges):
// allowed[v], when not nil, tells the rows that pass variable v's.
func (r *Runner) filters(fs []plan.GraphFilter, rows *vec.Batch, nvars int) ([][]bool, error) {
	allowed := make([][]bool, nvars)
	for _, f := range fs {
		pred, err := r.eval(f.Pred, rows)
		if err != nil {
			return nil, err
		}
		ok := make([]bool, rows.N)
		for _, i := range truth(pred, rows.N) {
			ok[i] = allowed[f.Var] == nil || allowed[f.Var][i]
		}
		allowed[f.Var] = ok
	}
	return allowed, nil
}

func (r *Runner) matchFilter(n *plan.GraphMatch, b *vec.Batch) ([]int, error) {
	if n.Where == nil {
		idx := make([]int, b.N)
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	pred, err := r.eval(n.Where, b)
	if err != nil {
		return nil, err
	}
	return truth(pred, b.N), nil
}

// shortest keeps, for each pair of source and target nodes, the shortest
// matches: the first one, or all of them with output=all.
func shortest(n *plan.GraphMatch, ms []*match, keep []int) []int {
	p := n.Patterns[0]
	last := p.Steps[len(p.Steps)-1].Node
	ends := func(m *match) [2]int { return [2]int{m.nodes[p.First], m.nodes[last]} }
	best := map[[2]int]int{}
	for _, i := range keep {
		k := ends(ms[i])
		if l, ok := best[k]; !ok || ms[i].length() < l {
			best[k] = ms[i].length()
		}
	}
	var out []int
	taken := map[[2]int]bool{}
	for _, i := range keep {
		k := ends(ms[i])
		if ms[i].length() == best[k] && (n.All || !taken[k]) {
			out = append(out, i)
			taken[k] = true
		}
	}
	return out
}
