package plan

import "github.com/idlogs/idlogs/kql/vec"

// Sample keeps up to N rows of its input chosen at random: the sample
// operator.
type Sample struct {
	In Node
	N  int64
}

// Schema returns the input's schema.
func (n *Sample) Schema() vec.Schema { return n.In.Schema() }

// Inputs returns the sampled input.
func (n *Sample) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *Sample) WithInputs(ins []Node) Node { return &Sample{In: ins[0], N: n.N} }
