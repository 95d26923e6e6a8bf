package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Reduce groups the string values of By by similarity: the reduce
// operator. Each group is described by a pattern in which '*' stands for
// the terms that vary. With Source set every input row is kept and gains
// its Pattern; otherwise there is one row per pattern with its Count and
// a Representative value.
type Reduce struct {
	In         Node
	By         Expr
	Threshold  float64
	Characters string // term separators; empty for the default
	Source     bool
	Sch        vec.Schema
}

// ReduceSchema is the output schema of reduce over in.
func ReduceSchema(in vec.Schema, source bool) vec.Schema {
	if source {
		return append(append(vec.Schema(nil), in...), vec.Field{Name: "Pattern", Type: types.String})
	}
	return vec.Schema{{Name: "Pattern", Type: types.String}, {Name: "Count", Type: types.Long},
		{Name: "Representative", Type: types.String}}
}

// Schema returns the output schema.
func (n *Reduce) Schema() vec.Schema { return n.Sch }

// Inputs returns the reduced input.
func (n *Reduce) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *Reduce) WithInputs(ins []Node) Node {
	cp := *n
	cp.In = ins[0]
	return &cp
}
