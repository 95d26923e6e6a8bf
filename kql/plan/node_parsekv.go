package plan

import (
	"regexp"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// ParseKV extracts the values of listed keys from key/value text: the
// parse-kv operator.
type ParseKV struct {
	In Node
	X  Expr // the text; values of other types parse as their text
	// Keys, Targets and Types describe the extracted columns: the key
	// looked up, the output column written (an input column it replaces or
	// a new one at the end) and the column's type.
	Keys    []string
	Targets []int
	Types   []types.Type
	// PairDelim and KVDelim separate pairs and a key from its value; when
	// both are empty any character other than a letter or digit separates
	// keys and values.
	PairDelim, KVDelim string
	// Quotes holds opening and closing quote pairs; Escapes the characters
	// that escape the next one inside quotes.
	Quotes  [][2]rune
	Escapes []rune
	// Greedy makes an unquoted value run up to the next key rather than the
	// next pair delimiter.
	Greedy bool
	// Regex, when set, finds the pairs: group 1 is the key, group 2 the value.
	Regex *regexp.Regexp
	Sch   vec.Schema
}

// Schema returns the input columns with the extracted ones.
func (n *ParseKV) Schema() vec.Schema { return n.Sch }

// Inputs returns the parsed input.
func (n *ParseKV) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *ParseKV) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
