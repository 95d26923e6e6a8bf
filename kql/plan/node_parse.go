package plan

import (
	"regexp"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Parse extracts columns from a string with a pattern: the parse and
// parse-where operators. The checker compiles every kind of pattern
// (simple, relaxed, regex) to one regular expression with a capture group
// per extracted column.
type Parse struct {
	In Node
	// X is the parsed text; values of other types parse as their text.
	X       Expr
	Pattern *regexp.Regexp
	// Groups, Targets and Types describe each extracted column: the
	// capture group that holds its text, the output column it writes (an
	// input column it replaces or a new one at the end) and its type.
	Groups  []int
	Targets []int
	Types   []types.Type
	// Relaxed keeps a match whose text does not convert to a column's
	// type, with a null in that column; otherwise such a row fails to
	// parse as a whole.
	Relaxed bool
	// Where drops rows that fail to parse (parse-where); otherwise their
	// extracted columns are null.
	Where bool
	Sch   vec.Schema
}

// Schema returns the input columns with the extracted ones.
func (n *Parse) Schema() vec.Schema { return n.Sch }

// Inputs returns the parsed input.
func (n *Parse) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *Parse) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
