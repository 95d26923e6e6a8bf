package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Narrow is `evaluate narrow()`: one output row per input cell, as
// (Row, Column, Value) with the row number from 0, the column's name and
// the value as text.
type Narrow struct {
	In Node
}

// NarrowSchema is narrow's output schema.
var NarrowSchema = vec.Schema{{Name: "Row", Type: types.Long}, {Name: "Column", Type: types.String}, {Name: "Value", Type: types.String}}

// Schema returns NarrowSchema.
func (n *Narrow) Schema() vec.Schema { return NarrowSchema }

// Inputs returns the input.
func (n *Narrow) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *Narrow) WithInputs(ins []Node) Node { return &Narrow{In: ins[0]} }
