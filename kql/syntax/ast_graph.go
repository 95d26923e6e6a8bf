package syntax

// GraphNode is `(Name)` or `()` in a graph pattern.
type GraphNode struct {
	Span
	Name *Ident // nil for an anonymous node
}

// GraphEdge is an edge in a graph pattern: `-[Name*Min..Max]->`, `<-[...]-`,
// `-[...]-`, or the anonymous forms `-->`, `<--`, `--`.
type GraphEdge struct {
	Span
	Dir      string // "->", "<-" or "--"
	Name     *Ident // nil for an anonymous edge
	Variable bool   // a `*` length range follows the name
	Min      Expr   // nil when not given
	Max      Expr   // nil when not given
}

// GraphPattern is a path: node (edge node)*.
type GraphPattern struct {
	Span
	Nodes []*GraphNode
	Edges []*GraphEdge // len(Edges) == len(Nodes)-1
}

// GraphNodesSource is `Table on KeyColumn` in make-graph's with clause.
type GraphNodesSource struct {
	Span
	Table Expr
	Key   *Ident
}

// MakeGraph is `make-graph [params] Source --> Target [with Nodes on Key, ...]
// [with_node_id=Name] [partitioned-by Col (Ops)]`.
type MakeGraph struct {
	Span
	Params        []*OpParam
	Source        *Ident
	Target        *Ident
	Nodes         []*GraphNodesSource
	After         []*OpParam // with_node_id and other parameters after the edge
	PartitionedBy *Ident
	PartitionOps  *OpChain
}

// GraphMatch is `graph-match [params] Pattern, ... [where Pred] [project Cols]`;
// graph-shortest-paths has the same shape with Shortest set.
type GraphMatch struct {
	Span
	Shortest bool
	Params   []*OpParam
	Patterns []*GraphPattern
	Where    Expr
	Project  []*Assign
}

// GraphTableItem is `nodes|edges [as Name] [params]` in graph-to-table.
type GraphTableItem struct {
	Span
	Kind   string // "nodes" or "edges"
	As     *Ident
	Params []*OpParam
}

// GraphToTable is `graph-to-table Item, ...`.
type GraphToTable struct {
	Span
	Items []*GraphTableItem
}

// GraphMarkComponents is `graph-mark-components [params]`.
type GraphMarkComponents struct {
	Span
	Params []*OpParam
}

func (*MakeGraph) Name() string           { return "make-graph" }
func (*GraphToTable) Name() string        { return "graph-to-table" }
func (*GraphMarkComponents) Name() string { return "graph-mark-components" }

// Name reports "graph-match" or "graph-shortest-paths".
func (o *GraphMatch) Name() string {
	if o.Shortest {
		return "graph-shortest-paths"
	}
	return "graph-match"
}
