package exec

import (
	"fmt"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	graphOnly := func(r *Runner, n plan.Node) (Operator, error) {
		return nil, fmt.Errorf("the result of make-graph is a graph: follow it with graph-match, graph-shortest-paths or graph-to-table")
	}
	registerNode((*plan.MakeGraph)(nil), graphOnly)
	registerNode((*plan.GraphMarkComponents)(nil), graphOnly)
	registerNode((*plan.GraphToTable)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		b, err := r.graphToTable(n.(*plan.GraphToTable))
		if err != nil {
			return nil, err
		}
		return &once{b: b}, nil
	})
}

// graph is a built graph: nodes are numbered in order of appearance (node
// tables first, then the ends of edges), edges in the order of their rows.
type graph struct {
	nodes    *vec.Batch // node properties
	elem     *vec.Batch // node properties and degrees (plan.GraphNodeElem)
	edges    *vec.Batch
	src, dst []int
	out, in  [][]int // edge numbers by node
}

// buildGraph runs the plan of a graph.
func (r *Runner) buildGraph(n plan.Graph) (*graph, error) {
	switch n := n.(type) {
	case *plan.MakeGraph:
		return r.makeGraph(n)
	case *plan.GraphMarkComponents:
		g, err := r.buildGraph(n.In)
		if err != nil {
			return nil, err
		}
		return g.withColumn(components(g)), nil
	}
	return nil, fmt.Errorf("unexpected graph node %T", n)
}

// nodeSet collects node property rows by id.
type nodeSet struct {
	ids  map[string]int
	rows [][]types.Value
}

func (s *nodeSet) add(id types.Value, row []types.Value) (int, bool) {
	k := string(types.Key(nil, id))
	if i, ok := s.ids[k]; ok {
		return i, false
	}
	s.ids[k] = len(s.rows)
	s.rows = append(s.rows, row)
	return len(s.rows) - 1, true
}

func (r *Runner) makeGraph(n *plan.MakeGraph) (*graph, error) {
	edges, err := r.Run(n.Edges)
	if err != nil {
		return nil, err
	}
	set := &nodeSet{ids: map[string]int{}}
	for _, t := range n.Nodes {
		if err := r.addNodeTable(set, n.NodeSch, t); err != nil {
			return nil, err
		}
	}
	g := &graph{edges: edges, src: make([]int, edges.N), dst: make([]int, edges.N)}
	for i := 0; i < edges.N; i++ {
		g.src[i] = set.endNode(n, edges.Cols[n.Source].Value(i))
		g.dst[i] = set.endNode(n, edges.Cols[n.Target].Value(i))
	}
	g.nodes = rowsBatch(n.NodeSch, set.rows)
	g.link()
	return g, nil
}

// endNode returns the node of an edge's end, adding a node without other
// properties than its id when no node table has it.
func (s *nodeSet) endNode(n *plan.MakeGraph, id types.Value) int {
	row := make([]types.Value, len(n.NodeSch))
	for i, f := range n.NodeSch {
		row[i] = types.NullOf(f.Type)
	}
	// Ids are compared as the key's type, so that an int end finds its
	// long key.
	id = types.Convert(id, n.NodeSch[n.KeyProp].Type)
	row[n.KeyProp] = id
	i, _ := s.add(id, row)
	return i
}

func (r *Runner) addNodeTable(set *nodeSet, sch vec.Schema, t plan.GraphNodes) error {
	b, err := r.Run(t.Table)
	if err != nil {
		return err
	}
	tsch := t.Table.Schema()
	for i := 0; i < b.N; i++ {
		row := make([]types.Value, len(sch))
		for j, f := range sch {
			row[j] = types.NullOf(f.Type)
			if k := tsch.Index(f.Name); k >= 0 {
				row[j] = b.Cols[k].Value(i)
			}
		}
		set.add(b.Cols[t.Key].Value(i), row)
	}
	return nil
}

func rowsBatch(sch vec.Schema, rows [][]types.Value) *vec.Batch {
	b := &vec.Batch{N: len(rows)}
	for j, f := range sch {
		vals := make([]types.Value, len(rows))
		for i, row := range rows {
			vals[i] = row[j]
		}
		b.Cols = append(b.Cols, vec.FromValues(f.Type, vals))
	}
	return b
}

// link builds the adjacency lists and the node elements.
func (g *graph) link() {
	g.out, g.in = make([][]int, g.nodes.N), make([][]int, g.nodes.N)
	for e := range g.src {
		g.out[g.src[e]] = append(g.out[g.src[e]], e)
		g.in[g.dst[e]] = append(g.in[g.dst[e]], e)
	}
	din, dout := vec.NewBuilder(types.Long, g.nodes.N), vec.NewBuilder(types.Long, g.nodes.N)
	for v := 0; v < g.nodes.N; v++ {
		din.AppendInt(int64(len(g.in[v])))
		dout.AppendInt(int64(len(g.out[v])))
	}
	cols := append(append([]*vec.Column(nil), g.nodes.Cols...), din.Build(), dout.Build())
	g.elem = &vec.Batch{Cols: cols, N: g.nodes.N}
}

// withColumn returns g with one more node property.
func (g *graph) withColumn(c *vec.Column) *graph {
	out := *g
	out.nodes = &vec.Batch{Cols: append(append([]*vec.Column(nil), g.nodes.Cols...), c), N: g.nodes.N}
	out.link()
	return &out
}

// components numbers the weakly connected components in the order of
// their first node.
func components(g *graph) *vec.Column {
	parent := make([]int, g.nodes.N)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for e := range g.src {
		parent[find(g.src[e])] = find(g.dst[e])
	}
	ids := map[int]int64{}
	b := vec.NewBuilder(types.Long, g.nodes.N)
	for v := 0; v < g.nodes.N; v++ {
		root := find(v)
		if _, ok := ids[root]; !ok {
			ids[root] = int64(len(ids))
		}
		b.AppendInt(ids[root])
	}
	return b.Build()
}

func (r *Runner) graphToTable(n *plan.GraphToTable) (*vec.Batch, error) {
	g, err := r.buildGraph(n.In)
	if err != nil {
		return nil, err
	}
	if !n.Edges {
		return withIDs(g.nodes, idColumn(n.IDColumn, nil, g.nodes.N)), nil
	}
	return withIDs(g.edges, idColumn(n.SourceColumn, g.src, g.edges.N), idColumn(n.TargetColumn, g.dst, g.edges.N)), nil
}

// idColumn returns the node numbers of = ids (or 0..n-1 when ids is nil)
// as a long column, or nil when name is empty.
func idColumn(name string, ids []int, n int) *vec.Column {
	if name == "" {
		return nil
	}
	b := vec.NewBuilder(types.Long, n)
	for i := 0; i < n; i++ {
		if ids == nil {
			b.AppendInt(int64(i))
		} else {
			b.AppendInt(int64(ids[i]))
		}
	}
	return b.Build()
}

func withIDs(b *vec.Batch, ids ...*vec.Column) *vec.Batch {
	var cols []*vec.Column
	for _, c := range ids {
		if c != nil {
			cols = append(cols, c)
		}
	}
	return &vec.Batch{Cols: append(cols, b.Cols...), N: b.N}
}
