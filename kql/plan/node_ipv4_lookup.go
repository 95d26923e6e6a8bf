package plan

import "github.com/idlogs/idlogs/kql/vec"

// IPv4Lookup is `evaluate ipv4_lookup(Lookup, SourceKey, LookupKey, ...)`:
// a lookup join whose key matches when the source address (column
// LeftKey of Left) falls in the lookup row's address or prefix (column
// RightKey of Right, such as 10.1.0.0/16); extra key columns must be
// equal.
type IPv4Lookup struct {
	Left, Right           Node
	LeftKey, RightKey     int
	LeftExtra, RightExtra []int
	Unmatched             bool // keep source rows without a match
	Sch                   vec.Schema
	LeftCols, RightCols   []int // as in Join
}

// Schema returns the output schema.
func (n *IPv4Lookup) Schema() vec.Schema { return n.Sch }

// Inputs returns the source and the lookup table.
func (n *IPv4Lookup) Inputs() []Node { return []Node{n.Left, n.Right} }

// WithInputs returns a copy reading from ins.
func (n *IPv4Lookup) WithInputs(ins []Node) Node {
	c := *n
	c.Left, c.Right = ins[0], ins[1]
	return &c
}
