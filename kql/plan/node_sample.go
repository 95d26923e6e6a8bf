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
