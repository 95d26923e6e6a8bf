package builtin

import (
	"sync/atomic"
	"unsafe"

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
	if a.Const || !b.Const || a.Valid != nil || b.Valid != nil && !b.Valid[0] {
		return false
	}
	y := b.Str(0)
	if a.Codes != nil {
		return codeEqualityMask(op == "==", a, y, mask)
	}
	for i, s := range a.Strs[:len(mask)] {
		mask[i] = (s == y) == (op == "==")
	}
	return true
}

// codeEqualityMask is stringEqualityMask for a dictionary-encoded column:
// the constant is looked up in the dictionary once, then rows compare
// codes. A dictionary shared by many batches (a segment's) is larger than
// a batch, but comparing its entries costs less than collecting the
// entries a batch uses. It reports false for a dictionary that holds y
// twice.
func codeEqualityMask(eq bool, a *vec.Column, y string, mask []bool) bool {
	match, ok := lookupCode(a.Dict, y)
	if !ok {
		return false
	}
	if match < 0 {
		for i := range mask {
			mask[i] = !eq
		}
		return true
	}
	m := uint32(match)
	for i, c := range a.Codes[:len(mask)] {
		mask[i] = (c == m) == eq
	}
	return true
}

// codeLookup is a dictionary lookup of codeEqualityMask, remembered: the
// batches of a scan share their segment's dictionary, so the next batch
// from that segment usually asks the same question. A few are kept, one
// per slot chosen by the dictionary's address, as the workers of a scan
// read several segments at once.
type codeLookup struct {
	dict  *string
	n     int
	y     string
	match int
	ok    bool
}

var lookups [16]atomic.Pointer[codeLookup]

// lookupCode returns the code of y in dict (-1 when absent); ok is false
// when dict holds y more than once.
func lookupCode(dict []string, y string) (match int, ok bool) {
	if len(dict) == 0 {
		return -1, true
	}
	slot := &lookups[uintptr(unsafe.Pointer(&dict[0]))>>4%uintptr(len(lookups))]
	if l := slot.Load(); l != nil && l.dict == &dict[0] && l.n == len(dict) && l.y == y {
		return l.match, l.ok
	}
	match, ok = -1, true
	for c, s := range dict {
		if s == y {
			if match >= 0 {
				ok = false
				break
			}
			match = c
		}
	}
	slot.Store(&codeLookup{dict: &dict[0], n: len(dict), y: y, match: match, ok: ok})
	return match, ok
}
