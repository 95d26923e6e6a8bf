package plan

import "github.com/idlogs/idlogs/kql/vec"

// SampleDistinct returns up to N distinct values of X chosen at random, in
// a single column: the sample-distinct operator.
type SampleDistinct struct {
	In  Node
	N   int64
	X   Expr
	Sch vec.Schema
}

// Schema returns the one column of sampled values.
func (n *SampleDistinct) Schema() vec.Schema { return n.Sch }

// Inputs returns the sampled input.
func (n *SampleDistinct) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *SampleDistinct) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
