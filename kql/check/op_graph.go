package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.MakeGraph)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.makeGraph(sc, in, op.(*syntax.MakeGraph))
	})
	registerOperator((*syntax.GraphMarkComponents)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.graphMarkComponents(c.graphInput(in, op), op.(*syntax.GraphMarkComponents))
	})
	registerOperator((*syntax.GraphToTable)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.graphToTable(c.graphInput(in, op), op.(*syntax.GraphToTable))
	})
}

// graphInput returns the graph an operator reads.
func (c *checker) graphInput(in plan.Node, op syntax.Operator) plan.Graph {
	g, ok := in.(plan.Graph)
	if !ok {
		c.errorf(op, "%s needs a graph: put make-graph before it", op.Name())
	}
	return g
}

func (c *checker) makeGraph(sc *scope, in plan.Node, o *syntax.MakeGraph) plan.Node {
	if in == nil {
		c.errorf(o, "make-graph needs an input table of edges")
	}
	if o.PartitionedBy != nil {
		return c.partitionedGraph(sc, in, o)
	}
	return c.graphOf(sc, in, o, nil)
}

// partitionedGraph binds `make-graph ... partitioned-by Col (ops)`: ops run
// on the graph of each value of Col, made of the edges with that value and
// of the nodes with that value when the node table has the column.
func (c *checker) partitionedGraph(sc *scope, in plan.Node, o *syntax.MakeGraph) plan.Node {
	sch := in.Schema()
	key := c.edgeColumn(sch, o.PartitionedBy)
	p := &plan.Partition{In: in, Key: key, Input: &plan.PartitionInput{Sch: sch}}
	g := c.graphOf(sc, p.Input, o, p)
	p.Sub = c.chain(newScope(sc), g, o.PartitionOps)
	if _, ok := p.Sub.(plan.Graph); ok {
		c.errorf(o.PartitionOps, "the operators after partitioned-by must turn the graph into a table")
	}
	return p
}

// graphOf binds make-graph over the edges in; part is the enclosing
// partition, if any.
func (c *checker) graphOf(sc *scope, in plan.Node, o *syntax.MakeGraph, part *plan.Partition) *plan.MakeGraph {
	sch := in.Schema()
	n := &plan.MakeGraph{Edges: in, Source: c.edgeColumn(sch, o.Source), Target: c.edgeColumn(sch, o.Target)}
	idName, at := paramString(o.After, "with_node_id")
	if idName != "" && len(o.Nodes) > 0 {
		c.errorf(at, "make-graph takes either node tables or with_node_id, not both")
	}
	if len(o.Nodes) == 0 {
		if idName == "" {
			c.errorf(o, "make-graph needs node tables (with T on Key) or with_node_id=Name")
		}
		n.NodeSch = vec.Schema{{Name: idName, Type: sch[n.Source].Type}}
		return n
	}
	for _, src := range o.Nodes {
		t := c.graphNodes(sc, n, src)
		if part != nil {
			t.Table = c.partitionNodes(src, t.Table, part)
		}
		n.Nodes = append(n.Nodes, t)
	}
	n.KeyProp = n.NodeSch.Index(o.Nodes[0].Key.Name)
	return n
}

func (c *checker) edgeColumn(sch vec.Schema, id *syntax.Ident) int {
	i := sch.Index(id.Name)
	if i < 0 {
		c.errorf(id, "unknown column '%s' in the edges table", id.Name)
	}
	return i
}

// graphNodes binds one node table and merges its columns into the node
// properties.
func (c *checker) graphNodes(sc *scope, n *plan.MakeGraph, src *syntax.GraphNodesSource) plan.GraphNodes {
	t := c.tabular(sc, src.Table)
	sch := t.Schema()
	key := sch.Index(src.Key.Name)
	if key < 0 {
		c.errorf(src.Key, "unknown column '%s' in the nodes table", src.Key.Name)
	}
	for _, f := range sch {
		if i := n.NodeSch.Index(f.Name); i < 0 {
			n.NodeSch = append(n.NodeSch, f)
		} else if n.NodeSch[i].Type != f.Type {
			c.errorf(src, "node property '%s' is %s in one node table and %s in another", f.Name, n.NodeSch[i].Type, f.Type)
		}
	}
	return plan.GraphNodes{Table: t, Key: key}
}

func (c *checker) graphMarkComponents(g plan.Graph, o *syntax.GraphMarkComponents) plan.Node {
	if kind, at := paramString(o.Params, "kind"); kind != "" && kind != "weak" {
		c.errorf(at, "graph-mark-components kind '%s' is not supported: only weak", kind)
	}
	name, _ := paramString(o.Params, "with_component_id")
	if name == "" {
		name = "ComponentId"
	}
	return &plan.GraphMarkComponents{In: g, Column: name}
}

func (c *checker) graphToTable(g plan.Graph, o *syntax.GraphToTable) plan.Node {
	if len(o.Items) != 1 {
		c.errorf(o, "graph-to-table of both nodes and edges is not supported yet")
	}
	item := o.Items[0]
	n := &plan.GraphToTable{In: g, Edges: item.Kind == "edges"}
	n.IDColumn, _ = paramString(item.Params, "with_node_id")
	n.SourceColumn, _ = paramString(item.Params, "with_source_id")
	n.TargetColumn, _ = paramString(item.Params, "with_target_id")
	props := g.NodeSchema()
	ids := []string{n.IDColumn}
	if n.Edges {
		props, ids = g.EdgeSchema(), []string{n.SourceColumn, n.TargetColumn}
	}
	for _, id := range ids {
		if id != "" {
			n.Sch = append(n.Sch, vec.Field{Name: id, Type: types.Long})
		}
	}
	n.Sch = append(n.Sch, props...)
	return n
}

// partitionNodes keeps the nodes of the current partition: those whose
// partition column equals the partition's key.
func (c *checker) partitionNodes(src *syntax.GraphNodesSource, t plan.Node, part *plan.Partition) plan.Node {
	f := part.Input.Sch[part.Key]
	col := t.Schema().Index(f.Name)
	if col < 0 {
		return t
	}
	keyRef := &plan.ColRef{Index: part.Key, Name: f.Name, T: f.Type}
	keyRow := &plan.Limit{In: &plan.Project{In: part.Input, Exprs: []plan.Expr{keyRef}, Sch: vec.Schema{f}}, N: 1}
	nodeKey := &plan.ColRef{Index: col, Name: f.Name, T: t.Schema()[col].Type}
	pred := c.call(src, "==", []plan.Expr{nodeKey, &plan.Subquery{Plan: keyRow, T: f.Type}})
	return &plan.Filter{In: t, Pred: pred}
}
