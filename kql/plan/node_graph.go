package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Graph is a node whose result is a graph rather than a table: make-graph
// and the graph-to-graph operators. Its Schema is empty; the properties of
// its nodes and edges are described by NodeSchema and EdgeSchema. Only the
// graph operators read it.
type Graph interface {
	Node
	NodeSchema() vec.Schema
	EdgeSchema() vec.Schema
}

// GraphNodes is one `with Table on Key` source of node properties.
type GraphNodes struct {
	Table Node
	Key   int // the key column of Table
}

// MakeGraph builds a graph from a table of edges: each row is an edge from
// the node whose id is column Source to the node whose id is column Target.
// Node properties come from Nodes (merged by column name into NodeSch), or,
// without node tables, the id alone is the property named by NodeSch[0].
type MakeGraph struct {
	Edges          Node
	Source, Target int
	Nodes          []GraphNodes
	NodeSch        vec.Schema
	// KeyProp is the node property that holds the id of nodes found only
	// in edges.
	KeyProp int
}

// Schema is empty: the result is a graph.
func (n *MakeGraph) Schema() vec.Schema { return nil }

// Inputs returns the edges and the node tables.
func (n *MakeGraph) Inputs() []Node {
	ins := []Node{n.Edges}
	for _, t := range n.Nodes {
		ins = append(ins, t.Table)
	}
	return ins
}

// NodeSchema returns the node properties.
func (n *MakeGraph) NodeSchema() vec.Schema { return n.NodeSch }

// EdgeSchema returns the edge properties: the columns of the edges table.
func (n *MakeGraph) EdgeSchema() vec.Schema { return n.Edges.Schema() }

// GraphMarkComponents adds to each node of In the id (a long) of its
// weakly connected component, as the node property Column.
type GraphMarkComponents struct {
	In     Graph
	Column string
}

// Schema is empty: the result is a graph.
func (n *GraphMarkComponents) Schema() vec.Schema { return nil }

// Inputs returns the graph.
func (n *GraphMarkComponents) Inputs() []Node { return []Node{n.In} }

// NodeSchema returns In's node properties and the component id.
func (n *GraphMarkComponents) NodeSchema() vec.Schema {
	return append(append(vec.Schema(nil), n.In.NodeSchema()...), vec.Field{Name: n.Column, Type: types.Long})
}

// EdgeSchema returns In's edge properties.
func (n *GraphMarkComponents) EdgeSchema() vec.Schema { return n.In.EdgeSchema() }

// GraphToTable returns the nodes or the edges of a graph as a table.
// For nodes, IDColumn (when not "") comes first and holds the node's id;
// for edges, SourceColumn and TargetColumn do the same for its ends.
type GraphToTable struct {
	In                                   Graph
	Edges                                bool
	IDColumn, SourceColumn, TargetColumn string
	Sch                                  vec.Schema
}

// Schema returns the id columns and the properties.
func (n *GraphToTable) Schema() vec.Schema { return n.Sch }

// Inputs returns the graph.
func (n *GraphToTable) Inputs() []Node { return []Node{n.In} }

// GraphVarKind classifies a pattern variable.
type GraphVarKind uint8

// Pattern variable kinds.
const (
	GraphNodeVar GraphVarKind = iota
	GraphEdgeVar
	GraphPathVar // a variable-length edge: an array of edges
)

// GraphVar is a named or anonymous variable of a graph pattern.
type GraphVar struct {
	Name string
	Kind GraphVarKind
}

// GraphStep is one edge of a pattern and the node after it.
type GraphStep struct {
	Edge int // index in Vars
	Node int
	// Dir is "->", "<-" or "--".
	Dir      string
	Min, Max int // hops; 1, 1 for a fixed edge
}

// GraphPattern is a path of a graph-match pattern.
type GraphPattern struct {
	First int // the first node's index in Vars
	Steps []GraphStep
}

// GraphFold computes a column of a match from the edges of a path
// variable, or from its inner nodes: all(), any() or map() of Expr, which
// is bound over one element (GraphMatch.EdgeElem or NodeElem).
type GraphFold struct {
	Func  string // "all", "any" or "map"
	Var   int
	Inner bool
	Expr  Expr
}

// GraphFilter is a predicate on the node or edges bound to variable Var.
type GraphFilter struct {
	Var  int
	Pred Expr
}

// GraphMatch is graph-match and graph-shortest-paths. Each match is a row
// of MatchSch: for every node variable its properties (`v.name`) and its
// in and out degrees (`v.$in`, `v.$out`), for every edge variable its
// properties, for every path variable a dynamic array of edge bags, then
// the Folds. Where filters matches and Project computes the result.
type GraphMatch struct {
	In       Graph
	Shortest bool
	All      bool   // output=all for shortest paths
	Cycles   string // "none", "unique_edges" or "all"
	Vars     []GraphVar
	Patterns []GraphPattern
	Folds    []GraphFold
	MatchSch vec.Schema
	// VarCol is the first column of each variable in MatchSch.
	VarCol []int
	Where  Expr
	// NodeFilters are the conjuncts of Where that read one node variable
	// alone, bound over its node element: the matcher skips nodes that
	// fail them. Where is still applied to every match.
	NodeFilters []GraphFilter
	// EdgeFilters are the conjuncts of Where that every edge bound to an
	// edge or path variable must pass, bound over one edge.
	EdgeFilters []GraphFilter
	Project     []Expr
	Sch         vec.Schema
}

// Schema returns the projected columns.
func (n *GraphMatch) Schema() vec.Schema { return n.Sch }

// Inputs returns the graph.
func (n *GraphMatch) Inputs() []Node { return []Node{n.In} }

// Degree columns follow the properties of a node element: the number of
// edges into and out of the node.
const (
	GraphDegreeIn  = "$in"
	GraphDegreeOut = "$out"
)

// GraphNodeElem returns the schema of one node as graph expressions see
// it: its properties and its degrees.
func GraphNodeElem(props vec.Schema) vec.Schema {
	return append(append(vec.Schema(nil), props...),
		vec.Field{Name: GraphDegreeIn, Type: types.Long}, vec.Field{Name: GraphDegreeOut, Type: types.Long})
}

// WithInputs returns a copy reading its edges and node tables from ins.
func (n *MakeGraph) WithInputs(ins []Node) Node {
	c := *n
	c.Edges = ins[0]
	c.Nodes = make([]GraphNodes, len(n.Nodes))
	for i, t := range n.Nodes {
		c.Nodes[i] = GraphNodes{Table: ins[i+1], Key: t.Key}
	}
	return &c
}

// WithInputs returns a copy reading from ins[0], which must be a Graph.
func (n *GraphMarkComponents) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0].(Graph)
	return &c
}

// WithInputs returns a copy reading from ins[0], which must be a Graph.
func (n *GraphToTable) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0].(Graph)
	return &c
}

// WithInputs returns a copy reading from ins[0], which must be a Graph.
func (n *GraphMatch) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0].(Graph)
	return &c
}
