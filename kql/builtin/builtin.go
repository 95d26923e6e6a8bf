// Package builtin holds KQL's built-in scalar and aggregate functions:
// their type rules (used by the checker) and their vectorised kernels (used
// by the executor). One file per family: fn_string.go, fn_datetime.go,
// agg_*.go, and so on.
package builtin

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Context is the per-query state a kernel may read. Now is the query's
// start time, so that now() and ago() agree across a query and tests are
// deterministic.
type Context struct {
	Now  int64 // datetime ticks
	Rand *rand.Rand
}

// Arg describes an argument at bind time: its type and, when the argument
// is a constant, its value.
type Arg struct {
	Type  types.Type
	Const *types.Value
	// Name is set for a named argument (`f(x, name=value)`).
	Name string
}

// Kernel evaluates a function over n rows. Argument columns may be
// constant (Column.Const) or dictionary-encoded; the result has n rows.
// Kernels must not modify their arguments.
type Kernel func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error)

// Scalar is a scalar function.
type Scalar struct {
	Name string
	// Bind checks the arguments and returns the result type and kernel.
	// Errors are written for the person who typed the query.
	Bind func(args []Arg) (types.Type, Kernel, error)
	// Serial marks window functions (row_number, prev, next, ...) that
	// need all rows in order in one call.
	Serial bool
	// Volatile marks functions whose result changes between calls with the
	// same arguments (rand, new_guid); they are never constant-folded.
	Volatile bool
}

var scalars = map[string]*Scalar{}

// RegisterScalar adds functions to the registry; it is called from init
// functions of the fn_*.go files. Names are case-sensitive, as in Kusto.
func RegisterScalar(fs ...*Scalar) {
	for _, f := range fs {
		if _, dup := scalars[f.Name]; dup {
			panic("builtin: duplicate scalar function " + f.Name)
		}
		scalars[f.Name] = f
	}
}

// LookupScalar returns the scalar function named name.
func LookupScalar(name string) (*Scalar, bool) {
	f, ok := scalars[name]
	return f, ok
}

// ScalarNames returns the names of all scalar functions, sorted.
func ScalarNames() []string { return sortedKeys(scalars) }

func sortedKeys[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ArgError is a bind error about the arguments of a function call.
func ArgError(fn string, format string, args ...any) error {
	return fmt.Errorf("%s(): %s", fn, fmt.Sprintf(format, args...))
}

// typeList formats argument types for error messages.
func typeList(args []Arg) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = a.Type.String()
	}
	return strings.Join(s, ", ")
}
