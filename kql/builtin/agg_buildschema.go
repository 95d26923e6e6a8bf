package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// buildschema returns the minimal schema admitting every dynamic value of
// the group: a primitive type name ("long", "string", ...), a container
// {name: schema, ...} for bags and {"`indexer`": schema} for arrays, or an
// array of alternatives in order of first appearance.
func init() {
	RegisterAggregate(&Aggregate{Name: "buildschema", Prefix: "schema", Bind: bindBuildSchema})
}

// schemaIndexer is the key under which arrays record their elements.
const schemaIndexer = "`indexer`"

// schemaNode is a union of primitive types and at most one container.
type schemaNode struct {
	items []any // string: a primitive; *schemaContainer: the container
	cont  *schemaContainer
}

type schemaContainer struct {
	keys  []string
	props map[string]*schemaNode
}

// add widens the node to admit d; nulls add nothing.
func (n *schemaNode) add(d any) {
	switch x := d.(type) {
	case nil:
	case []any:
		c := n.container()
		for _, e := range x {
			c.prop(schemaIndexer).add(e)
		}
	case *types.Bag:
		c := n.container()
		for i, k := range x.Keys {
			c.prop(k).add(x.Vals[i])
		}
	default:
		name := primitiveName(d)
		for _, it := range n.items {
			if it == name {
				return
			}
		}
		n.items = append(n.items, name)
	}
}

func (n *schemaNode) container() *schemaContainer {
	if n.cont == nil {
		n.cont = &schemaContainer{props: map[string]*schemaNode{}}
		n.items = append(n.items, n.cont)
	}
	return n.cont
}

func (c *schemaContainer) prop(k string) *schemaNode {
	p, ok := c.props[k]
	if !ok {
		p = &schemaNode{}
		c.props[k] = p
		c.keys = append(c.keys, k)
	}
	return p
}

func primitiveName(d any) string {
	switch d.(type) {
	case bool:
		return "bool"
	case int64:
		return "long"
	case float64:
		return "double"
	case types.DatetimeVal:
		return "datetime"
	case types.TimespanVal:
		return "timespan"
	case types.GuidVal:
		return "guid"
	}
	return "string"
}

// toDynamic renders the schema; a node that never saw a value is null.
func (n *schemaNode) toDynamic() any {
	out := make([]any, 0, len(n.items))
	for _, it := range n.items {
		if c, ok := it.(*schemaContainer); ok {
			bag := &types.Bag{}
			for _, k := range c.keys {
				bag.Keys = append(bag.Keys, k)
				bag.Vals = append(bag.Vals, c.props[k].toDynamic())
			}
			out = append(out, bag)
			continue
		}
		out = append(out, it)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

type buildSchemaState struct{ nodes []schemaNode }

func (s *buildSchemaState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.nodes) {
		s.nodes = grow(s.nodes, g)
	}
	if r >= 0 && !args[0].IsNull(r) {
		s.nodes[g].add(types.ToDynamic(args[0].Value(r)))
	}
}

func (s *buildSchemaState) Result(g int) types.Value {
	d := s.nodes[g].toDynamic()
	if d == nil {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(d)
}

func bindBuildSchema(args []Arg) (types.Type, func() AggState, error) {
	if err := arity("buildschema", args, 1, 1); err != nil {
		return 0, nil, err
	}
	if err := wantDynamicArgs("buildschema", args); err != nil {
		return 0, nil, err
	}
	return types.Dynamic, func() AggState { return &buildSchemaState{} }, nil
}
