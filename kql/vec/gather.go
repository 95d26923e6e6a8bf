package vec

import (
	"slices"

	"github.com/idlogs/idlogs/kql/types"
)

// gatherFast copies rows idx of c by storage without boxing values; it
// handles columns without dictionaries or constants and idx without -1.
func (c *Column) gatherFast(idx []int) *Column {
	out := &Column{Type: c.Type, N: len(idx)}
	switch c.Type.Storage() {
	case types.StoreInt:
		out.Ints = make([]int64, len(idx))
		for j, i := range idx {
			out.Ints[j] = c.Ints[i]
		}
	case types.StoreFloat:
		out.Floats = make([]float64, len(idx))
		for j, i := range idx {
			out.Floats[j] = c.Floats[i]
		}
	case types.StoreString:
		out.Strs = make([]string, len(idx))
		for j, i := range idx {
			out.Strs[j] = c.Strs[i]
		}
	default:
		out.Anys = make([]any, len(idx))
		for j, i := range idx {
			out.Anys[j] = c.Anys[i]
		}
	}
	if c.Valid != nil {
		out.Valid = make([]bool, len(idx))
		for j, i := range idx {
			out.Valid[j] = c.Valid[i]
		}
	}
	return out
}

// noNulls reports whether idx has no -1 (null row) entries.
func noNulls(idx []int) bool {
	for _, i := range idx {
		if i < 0 {
			return false
		}
	}
	return true
}

// gatherDict keeps a dictionary column dictionary-encoded.
func (c *Column) gatherDict(idx []int) *Column {
	out := &Column{Type: c.Type, N: len(idx), Dict: c.Dict, Codes: make([]uint32, len(idx))}
	for j, i := range idx {
		out.Codes[j] = c.Codes[i]
	}
	return out
}

// appendColumn appends all rows of src (same storage) to dst's slices.
func appendColumn(dst *Column, src *Column) {
	if src.Codes != nil && !src.Const && src.Valid == nil && dst.Type.Storage() == types.StoreString &&
		src.Type.Storage() == types.StoreString {
		// Decode the dictionary straight into the strings.
		strs := slices.Grow(dst.Strs, src.N)
		for _, c := range src.Codes[:src.N] {
			strs = append(strs, src.Dict[c])
		}
		dst.Strs = strs
		if dst.Valid != nil {
			for range src.N {
				dst.Valid = append(dst.Valid, true)
			}
		}
		dst.N += src.N
		return
	}
	if src.Const || src.Codes != nil || src.Type == types.Null || dst.Type.Storage() != src.Type.Storage() {
		for i := 0; i < src.N; i++ {
			v := src.Value(i)
			if v.Type != dst.Type && !v.IsNull() {
				v = types.Convert(v, dst.Type)
			}
			appendValue(dst, v)
		}
		return
	}
	n0 := dst.N
	switch dst.Type.Storage() {
	case types.StoreInt:
		dst.Ints = append(dst.Ints, src.Ints[:src.N]...)
	case types.StoreFloat:
		dst.Floats = append(dst.Floats, src.Floats[:src.N]...)
	case types.StoreString:
		dst.Strs = append(dst.Strs, src.Strs[:src.N]...)
	default:
		dst.Anys = append(dst.Anys, src.Anys[:src.N]...)
	}
	if src.Valid != nil || dst.Valid != nil {
		if dst.Valid == nil {
			dst.Valid = make([]bool, n0, n0+src.N)
			for i := range dst.Valid {
				dst.Valid[i] = true
			}
		}
		if src.Valid != nil {
			dst.Valid = append(dst.Valid, src.Valid[:src.N]...)
		} else {
			for i := 0; i < src.N; i++ {
				dst.Valid = append(dst.Valid, true)
			}
		}
	}
	dst.N += src.N
}

// appendValue appends one value to a column being assembled.
func appendValue(dst *Column, v types.Value) {
	null := v.IsNull() && dst.Type != types.String
	switch dst.Type.Storage() {
	case types.StoreInt:
		dst.Ints = append(dst.Ints, v.I)
	case types.StoreFloat:
		dst.Floats = append(dst.Floats, v.F)
	case types.StoreString:
		dst.Strs = append(dst.Strs, v.S)
	default:
		dst.Anys = append(dst.Anys, v.D)
	}
	if null || dst.Valid != nil {
		if dst.Valid == nil {
			dst.Valid = make([]bool, dst.N)
			for i := range dst.Valid {
				dst.Valid[i] = true
			}
		}
		dst.Valid = append(dst.Valid, !null)
	}
	dst.N++
}

// GatherCodes returns the column whose row j is row codes[j] of c: the
// rows of a dictionary-encoded column when c holds one value per
// dictionary entry. A string column without nulls becomes the dictionary
// of the result, which shares codes.
func (c *Column) GatherCodes(codes []uint32) *Column {
	n := len(codes)
	switch {
	case c.Const:
		cc := *c
		cc.N = n
		return &cc
	case c.Codes != nil:
		out := &Column{Type: c.Type, N: n, Dict: c.Dict, Codes: make([]uint32, n)}
		for j, code := range codes {
			out.Codes[j] = c.Codes[code]
		}
		return out
	case c.Type.Storage() == types.StoreString && c.Valid == nil:
		return &Column{Type: c.Type, N: n, Dict: c.Strs[:c.N], Codes: codes}
	}
	out := &Column{Type: c.Type, N: n}
	switch c.Type.Storage() {
	case types.StoreInt:
		out.Ints = gatherByCodes(c.Ints, codes)
	case types.StoreFloat:
		out.Floats = gatherByCodes(c.Floats, codes)
	case types.StoreString:
		out.Strs = gatherByCodes(c.Strs, codes)
	default:
		out.Anys = gatherByCodes(c.Anys, codes)
	}
	if c.Valid != nil {
		out.Valid = gatherByCodes(c.Valid, codes)
	}
	return out
}

func gatherByCodes[T any](src []T, codes []uint32) []T {
	out := make([]T, len(codes))
	for j, code := range codes {
		out[j] = src[code]
	}
	return out
}
