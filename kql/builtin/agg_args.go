package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Argument helpers shared by the aggregates.

// truthAt reports whether row r of a predicate column is true; null and
// false are not. Non-bool predicates (dynamic) convert.
func truthAt(c *vec.Column, r int) bool {
	if c.Type == types.Bool {
		return !c.IsNull(r) && c.Int(r) != 0
	}
	if c.IsNull(r) {
		return false
	}
	return types.Convert(c.Value(r), types.Bool).I != 0
}

// predicateType reports whether t may be used as a predicate.
func predicateType(t types.Type) bool {
	return t == types.Bool || t == types.Dynamic || t == types.Null
}

// constIntArg returns the constant integer argument i, def when it is absent,
// and an error naming fn when it is not a constant integer.
func constIntArg(fn string, args []Arg, i int, def int64, what string) (int64, error) {
	if i >= len(args) {
		return def, nil
	}
	a := args[i]
	if a.Const == nil || !(a.Type.IsInteger() || a.Type == types.Real && a.Const.F == float64(int64(a.Const.F))) {
		return 0, ArgError(fn, "the %s must be a constant integer", what)
	}
	if !a.Const.Valid {
		return def, nil
	}
	if a.Type == types.Real {
		return int64(a.Const.F), nil
	}
	return a.Const.I, nil
}

// arity checks the argument count of fn.
func arity(fn string, args []Arg, min, max int) error {
	switch {
	case len(args) < min && min == max:
		return ArgError(fn, "expects %d argument%s", min, pluralS(min))
	case len(args) < min:
		return ArgError(fn, "expects at least %d argument%s", min, pluralS(min))
	case len(args) > max:
		return ArgError(fn, "expects at most %d argument%s", max, pluralS(max))
	}
	return nil
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// wantBoolArg checks that argument i of fn is a predicate.
func wantBoolArg(fn string, args []Arg, i int) error {
	if !predicateType(args[i].Type) {
		return ArgError(fn, "the predicate must be bool, not %s", args[i].Type)
	}
	return nil
}
