package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// MvApply expands arrays of each input row into a subtable, runs a
// subquery on it, and returns the union of the results: the mv-apply
// operator.
type MvApply struct {
	In Node
	// Exprs are the expanded expressions; Targets the subtable column each
	// writes (an input column it replaces or a new one) and ToTypes the
	// type of the elements. IndexName, when set, is a last subtable column
	// with each element's index. Limit bounds the elements taken per row
	// (-1: no limit).
	Exprs     []Expr
	Targets   []int
	ToTypes   []types.Type
	IndexName string
	Limit     int64
	// Source is the leaf of Sub that stands for the subtable: the executor
	// provides each row's subtable as the value of this shared node.
	Source *Shared
	Sub    Node
	// Keep lists the input columns repeated in front of each subquery
	// result row: those neither expanded in place nor produced by the
	// subquery.
	Keep []int
	Sch  vec.Schema
}

// Schema returns the kept input columns and the subquery's columns.
func (n *MvApply) Schema() vec.Schema { return n.Sch }

// Inputs returns the expanded input.
func (n *MvApply) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0]; the subquery and its
// source stay the same.
func (n *MvApply) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
