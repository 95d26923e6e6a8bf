package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Pivot is `evaluate pivot(Col [, Agg] [, Key, ...])`: one row per
// distinct combination of the Keys columns, with a column per value of
// column Col holding Agg over the rows that have that value.
type Pivot struct {
	In   Node
	Col  int
	Agg  *AggCall // count() when the query gives none
	Keys []int
	// Out says where each output column comes from.
	Out []PivotOut
	Sch vec.Schema
}

// PivotOut is the source of one pivot output column: key column Keys[Key],
// or (Key < 0) the aggregate over the rows whose pivot value, as text, is
// Value.
type PivotOut struct {
	Key   int
	Value string
}

// Schema returns the output schema.
func (n *Pivot) Schema() vec.Schema { return n.Sch }

// Inputs returns the input.
func (n *Pivot) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *Pivot) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}

// PivotValueText is the text of a pivot value, which names its column.
func PivotValueText(v types.Value) string { return v.String() }
