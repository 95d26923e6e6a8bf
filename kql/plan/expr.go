// Package plan is the typed logical plan that the checker produces and the
// executor runs: relational nodes (Scan, Filter, Project, Aggregate, Join,
// ...) over typed scalar expressions, plus rewrite rules (rule_*.go).
package plan

import (
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
)

// Expr is a typed scalar expression evaluated per row of its input.
type Expr interface {
	Type() types.Type
	String() string
}

// ColRef reads column Index of the input.
type ColRef struct {
	Index int
	Name  string
	T     types.Type
}

// Const is a constant.
type Const struct {
	V types.Value
}

// Call applies a scalar function (operators are functions too: `==` is
// "__eq", `and` is "__and").
type Call struct {
	Name   string
	Fn     *builtin.Scalar
	Kernel builtin.Kernel
	Args   []Expr
	T      types.Type
}

// Subquery is a tabular expression used as a scalar (toscalar) or as the
// set of an `in` test; the executor evaluates it once.
type Subquery struct {
	Plan Node
	T    types.Type // the type of the first column
}

// RowSet is `X in (subquery)` and its negated and case-insensitive forms.
type RowSet struct {
	X          Expr
	Set        *Subquery
	Not        bool
	IgnoreCase bool
}

// UsesSerial reports whether e calls a window function (row_number, prev,
// next, ...), which must see all rows in order in one evaluation.
func UsesSerial(e Expr) bool {
	switch e := e.(type) {
	case *Call:
		if e.Fn != nil && e.Fn.Serial {
			return true
		}
		for _, a := range e.Args {
			if UsesSerial(a) {
				return true
			}
		}
	case *RowSet:
		return UsesSerial(e.X)
	}
	return false
}

func (e *ColRef) Type() types.Type   { return e.T }
func (e *Const) Type() types.Type    { return e.V.Type }
func (e *Call) Type() types.Type     { return e.T }
func (e *Subquery) Type() types.Type { return e.T }
func (e *RowSet) Type() types.Type   { return types.Bool }

func (e *ColRef) String() string { return fmt.Sprintf("#%d:%s", e.Index, e.Name) }

func (e *Const) String() string {
	if e.V.IsNull() {
		return e.V.Type.String() + "(null)"
	}
	if e.V.Type == types.String {
		return fmt.Sprintf("%q", e.V.S)
	}
	return e.V.Type.String() + "(" + e.V.String() + ")"
}

func (e *Call) String() string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = a.String()
	}
	return e.Name + "(" + strings.Join(args, ", ") + ")"
}

func (e *Subquery) String() string { return "subquery(" + Describe(e.Plan) + ")" }

func (e *RowSet) String() string {
	op := "in"
	if e.IgnoreCase {
		op += "~"
	}
	if e.Not {
		op = "!" + op
	}
	return e.X.String() + " " + op + " " + e.Set.String()
}
