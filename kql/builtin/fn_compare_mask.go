package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// CompareMask sets mask[i] to whether the comparison op ("==", "<", ...)
// of a and b holds at row i, for int-stored operands without nulls where
// one is a constant, and for == and != of a plain string column with a
// constant string: a filter's time-range, number and lookup tests, written
// straight into a row mask without a bool column. It reports whether it
// applied; when it did not, mask is untouched.
func CompareMask(op string, a, b *vec.Column, mask []bool) bool {
	if stringEqualityMask(op, a, b, mask) {
		return true
	}
	if a.Type.Storage() != types.StoreInt || b.Type.Storage() != types.StoreInt ||
		a.Valid != nil || b.Valid != nil || a.Const == b.Const {
		return false
	}
	if a.Const {
		a, b = b, a
		op = mirrorOp[op]
	}
	y := b.Ints[0]
	xs := a.Ints[:len(mask)]
	switch op {
	case "==":
		for i, x := range xs {
			mask[i] = x == y
		}
	case "!=":
		for i, x := range xs {
			mask[i] = x != y
		}
	case "<":
		for i, x := range xs {
			mask[i] = x < y
		}
	case "<=":
		for i, x := range xs {
			mask[i] = x <= y
		}
	case ">":
		for i, x := range xs {
			mask[i] = x > y
		}
	case ">=":
		for i, x := range xs {
			mask[i] = x >= y
		}
	default:
		return false
	}
	return true
}

// mirrorOp gives the comparison that holds for (b, a) when op holds for
// (a, b).
var mirrorOp = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// IsComparison reports whether fn is one of the comparison operators.
func IsComparison(fn *Scalar) bool {
	_, ok := mirrorOp[fn.Name]
	return ok && scalars[fn.Name] == fn
}

// stringEqualityMask is CompareMask for == and != of a plain string
// column without nulls and a constant string.
func stringEqualityMask(op string, a, b *vec.Column, mask []bool) bool {
	if op != "==" && op != "!=" || a.Type.Storage() != types.StoreString || b.Type.Storage() != types.StoreString {
		return false
	}
	if a.Const {
		a, b = b, a
	}
	if a.Const || !b.Const || a.Codes != nil || a.Valid != nil || b.Valid != nil && !b.Valid[0] {
		return false
	}
	y := b.Str(0)
	for i, s := range a.Strs[:len(mask)] {
		mask[i] = (s == y) == (op == "==")
	}
	return true
}
