package plan

import (
	"github.com/idlogs/idlogs/kql/vec"
)

// BagUnpack is `evaluate bag_unpack(Col, ...)`: each output column comes
// either from an input column or from one property of the bag in column
// Col, converted to the column's type.
type BagUnpack struct {
	In  Node
	Col int
	// Src[j] is the input column feeding output column j, or -1 when the
	// column comes from the bag property Keys[j].
	Src  []int
	Keys []string
	Sch  vec.Schema
}

// Schema returns the output schema.
func (n *BagUnpack) Schema() vec.Schema { return n.Sch }

// Inputs returns the input.
func (n *BagUnpack) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *BagUnpack) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
