package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// ScanOp matches sequences of rows against steps: the scan operator. Rows
// are read in order; each step keeps the state of the sequence that last
// reached it, and a row that matches a step is output extended with the
// declared columns.
//
// Conditions and assignments are evaluated over a scan row: the record
// (the input columns, then the declared ones) followed, for each step in
// order, by the same columns as that step's row of the state
// (`step.column` in the query, null or the declared default when the state
// has no such row).
type ScanOp struct {
	In Node
	// Declared are the declared columns and Defaults their initial values.
	Declared vec.Schema
	Defaults []types.Value
	Steps    []*ScanStep
	// MatchID, when set, is a last output column with each sequence's
	// number, from 0.
	MatchID string
	// Sch is the input columns, the declared ones and the match id.
	Sch vec.Schema
}

// ScanStep is `step Name [output=...]: Cond [=> Column = Value, ...]`.
type ScanStep struct {
	Name string
	// Output is "all", "last" or "none".
	Output string
	Cond   Expr
	// Targets are the record columns the assignments write; Values their
	// new values.
	Targets []int
	Values  []Expr
}

// Schema returns the input columns extended with the declared ones.
func (n *ScanOp) Schema() vec.Schema { return n.Sch }

// Inputs returns the scanned input.
func (n *ScanOp) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *ScanOp) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
