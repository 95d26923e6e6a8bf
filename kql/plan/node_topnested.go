package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// TopNested is hierarchical aggregation: the top-nested operator. Each
// level groups the rows of each group selected by the level before it,
// aggregates every group, and keeps the N best. The result has two
// columns per level: the group's value and its aggregate.
type TopNested struct {
	In     Node
	Levels []*TopNestedLevel
	Sch    vec.Schema
}

// TopNestedLevel is one `top-nested [N] of Of [with others = V] by Agg`.
type TopNestedLevel struct {
	N  int64 // -1 keeps every group
	Of Expr
	// Others, when set, is the value of an extra group that aggregates the
	// rows of the groups not kept.
	Others *types.Value
	// Aggs are computed per group; By is evaluated over AggSch, their
	// columns, and orders the groups.
	Aggs   []*AggCall
	AggSch vec.Schema
	By     Expr
	Asc    bool
}

// Schema returns two columns per level.
func (n *TopNested) Schema() vec.Schema { return n.Sch }

// Inputs returns the aggregated input.
func (n *TopNested) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *TopNested) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
