package plan

import "github.com/idlogs/idlogs/kql/vec"

// Plugin is an evaluate plugin that computes its output from its whole
// input at once (the activity and sequence analysis plugins). The
// executor finds the plugin's code by Name; what the arguments mean is
// the plugin's own affair, fixed by its checker.
type Plugin struct {
	Name string
	In   Node // nil for plugins without a tabular input
	// Cols are input columns the plugin reads.
	Cols []int
	// ColsOnly declares that the plugin reads nothing of its input but
	// Cols, Exprs and the number of rows, so the planner may stop reading
	// the other columns.
	ColsOnly bool
	// Scalars are arguments evaluated once, without a row.
	Scalars []Expr
	// Exprs are evaluated for every input row.
	Exprs []Expr
	Sch   vec.Schema
}

// Schema returns the output schema.
func (n *Plugin) Schema() vec.Schema { return n.Sch }

// Inputs returns the input, if any.
func (n *Plugin) Inputs() []Node {
	if n.In == nil {
		return nil
	}
	return []Node{n.In}
}

// WithInputs returns a copy reading from ins[0].
func (n *Plugin) WithInputs(ins []Node) Node {
	c := *n
	if len(ins) > 0 {
		c.In = ins[0]
	}
	return &c
}
