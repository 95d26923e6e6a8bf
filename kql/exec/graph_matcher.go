package exec

import (
	"context"
	"fmt"

	"github.com/idlogs/idlogs/kql/plan"
)

// matcher enumerates the bindings of a graph pattern by depth-first
// search, pattern by pattern and step by step.
type matcher struct {
	g   *graph
	n   *plan.GraphMatch
	cur match
	out []*match
	err error
	// used counts the edges of the match, for cycles=unique_edges; seq
	// the nodes walked in the current sequence, for cycles=none.
	used map[int]bool
	seq  map[int]bool
	// nodeOK[v] and edgeOK[v], when not nil, tell the nodes and edges
	// that pass variable v's filters.
	nodeOK, edgeOK [][]bool
	ctx            context.Context
	steps          int
}

func findMatches(ctx context.Context, g *graph, n *plan.GraphMatch, nodeOK, edgeOK [][]bool) ([]*match, error) {
	m := &matcher{g: g, n: n, used: map[int]bool{}, nodeOK: nodeOK, edgeOK: edgeOK, ctx: ctx}
	m.cur = match{nodes: make([]int, len(n.Vars)), edges: make([][]int, len(n.Vars)), walks: make([][]int, len(n.Vars))}
	for i := range m.cur.nodes {
		m.cur.nodes[i] = -1
	}
	m.pattern(0)
	return m.out, m.err
}

func (m *matcher) pattern(pi int) {
	if m.err != nil {
		return
	}
	if pi == len(m.n.Patterns) {
		m.record()
		return
	}
	p := m.n.Patterns[pi]
	outer := m.seq
	defer func() { m.seq = outer }()
	if v := m.cur.nodes[p.First]; v >= 0 {
		m.seq = map[int]bool{v: true}
		m.step(pi, 0, v)
		return
	}
	for v := 0; v < m.g.nodes.N; v++ {
		m.seq = map[int]bool{v: true}
		m.bind(p.First, v, func() { m.step(pi, 0, v) })
	}
}

func (m *matcher) record() {
	if len(m.out) >= maxGraphMatches {
		m.err = fmt.Errorf("graph-match found more than %d matches: restrict the pattern", maxGraphMatches)
		return
	}
	c := &match{nodes: append([]int(nil), m.cur.nodes...), edges: make([][]int, len(m.cur.edges)), walks: make([][]int, len(m.cur.walks))}
	for i := range c.edges {
		c.edges[i] = append([]int(nil), m.cur.edges[i]...)
		c.walks[i] = append([]int(nil), m.cur.walks[i]...)
	}
	m.out = append(m.out, c)
}

// bind binds node variable v to node x for the duration of k, or runs k
// when v is already bound to x.
func (m *matcher) bind(v, x int, k func()) {
	if a := m.nodeOK[v]; a != nil && !a[x] {
		return
	}
	switch m.cur.nodes[v] {
	case -1:
		m.cur.nodes[v] = x
		k()
		m.cur.nodes[v] = -1
	case x:
		k()
	}
}

// step matches step si of pattern pi from node at.
func (m *matcher) step(pi, si, at int) {
	p := m.n.Patterns[pi]
	if si == len(p.Steps) {
		m.pattern(pi + 1)
		return
	}
	st := p.Steps[si]
	m.walk(st, []int{at}, nil, func(end int) { m.bind(st.Node, end, func() { m.step(pi, si+1, end) }) })
}

// walk extends a path of edges from the last node of walk, calling k with
// its end node for every length within the step's bounds.
func (m *matcher) walk(st plan.GraphStep, walk, edges []int, k func(end int)) {
	if m.steps++; m.steps&0xfff == 0 && m.err == nil {
		m.err = m.ctx.Err()
	}
	if m.err != nil {
		return
	}
	at := walk[len(walk)-1]
	if len(edges) >= st.Min {
		m.cur.edges[st.Edge], m.cur.walks[st.Edge] = edges, walk
		k(at)
	}
	if len(edges) == st.Max {
		return
	}
	ok := m.edgeOK[st.Edge]
	m.neighbors(at, st.Dir, func(e, next int) {
		if (ok == nil || ok[e]) && m.enter(e, next) {
			m.walk(st, append(walk[:len(walk):len(walk)], next), append(edges[:len(edges):len(edges)], e), k)
			m.exit(e, next)
		}
	})
}

// enter applies the cycles mode to following edge e to node next: with
// unique_edges no edge appears twice in a match, with none no node
// appears twice in a sequence.
func (m *matcher) enter(e, next int) bool {
	switch m.n.Cycles {
	case "none":
		if m.seq[next] {
			return false
		}
		m.seq[next] = true
	case "unique_edges":
		if m.used[e] {
			return false
		}
		m.used[e] = true
	}
	return true
}

// exit undoes enter.
func (m *matcher) exit(e, next int) {
	switch m.n.Cycles {
	case "none":
		delete(m.seq, next)
	case "unique_edges":
		delete(m.used, e)
	}
}

// neighbors calls f with each edge that leaves at in direction dir and
// the node at its other end.
func (m *matcher) neighbors(at int, dir string, f func(e, next int)) {
	if dir != "<-" {
		for _, e := range m.g.out[at] {
			f(e, m.g.dst[e])
		}
	}
	if dir != "->" {
		for _, e := range m.g.in[at] {
			if dir == "--" && m.g.src[e] == at {
				continue // a self-loop was already followed outwards
			}
			f(e, m.g.src[e])
		}
	}
}
