package plan

import "github.com/idlogs/idlogs/kql/vec"

// Consume reads its whole input and returns nothing: the consume operator.
type Consume struct {
	In Node
}

// Schema returns no columns.
func (n *Consume) Schema() vec.Schema { return nil }

// Inputs returns the consumed input.
func (n *Consume) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *Consume) WithInputs(ins []Node) Node { return &Consume{In: ins[0]} }
