package builtin

import (
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// fastCompare returns a column-at-a-time kernel for comparisons whose
// operand types allow one (int-stored types compared as integers, reals,
// reals with integers, strings and guids), or nil. A kernel returns a nil
// column for operand shapes it leaves to the row kernel. Nulls follow
// nullCompare.
func fastCompare(op string, ok func(int) bool, ta, tb types.Type) Kernel {
	intLike := func(t types.Type) bool { return t == types.Int || t == types.Long }
	sa, sb := ta.Storage(), tb.Storage()
	switch {
	case ta == types.Null || tb == types.Null || ta == types.Dynamic || tb == types.Dynamic:
		return nil
	case sa == types.StoreInt && sb == types.StoreInt:
		return compareInts(op, ok)
	case sa == types.StoreFloat && sb == types.StoreFloat:
		return compareFloats(op, ok)
	case sa == types.StoreFloat && intLike(tb), intLike(ta) && sb == types.StoreFloat:
		return compareMixed(op, ok)
	case sa == types.StoreString && sb == types.StoreString:
		return compareStrings(op, ok)
	}
	return nil
}

func boolColumn(out []int64, valid []bool) *vec.Column {
	return &vec.Column{Type: types.Bool, N: len(out), Ints: out, Valid: valid}
}

// cmpTable holds the result of a comparison for less, equal, greater and
// unordered (NaN) operands.
type cmpTable [4]int64

func newCmpTable(op string, ok func(int) bool) *cmpTable {
	var t cmpTable
	for i, c := range []int{-1, 0, 1} {
		if ok(c) {
			t[i] = 1
		}
	}
	if op == "!=" { // comparisons with NaN: only != holds
		t[3] = 1
	}
	return &t
}

// intIdx is the cmpTable index of comparing x with y, without branches.
func intIdx(x, y int64) int { return (1 + int(b2i(x > y)) - int(b2i(x < y))) & 3 }

// floatIdx is the cmpTable index of comparing x with y, NaN giving 3.
func floatIdx(x, y float64) int {
	return (3 - 3*int(b2i(x < y)) - 2*int(b2i(x == y)) - int(b2i(x > y))) & 3
}

func compareInts(op string, ok func(int) bool) Kernel {
	t := newCmpTable(op, ok)
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		a, b := args[0], args[1]
		if a.Const && b.Const {
			return nil, nil
		}
		out := make([]int64, n)
		switch {
		case b.Const:
			y := b.Ints[0]
			for i, x := range a.Ints[:n] {
				out[i] = t[intIdx(x, y)]
			}
		case a.Const:
			x := a.Ints[0]
			for i, y := range b.Ints[:n] {
				out[i] = t[intIdx(x, y)]
			}
		default:
			ys := b.Ints[:n]
			for i, x := range a.Ints[:n] {
				out[i] = t[intIdx(x, ys[i])]
			}
		}
		return compareNulls(op, a, b, out), nil
	}
}

// validAt reports whether row i of c is not null (c is not dynamic).
func validAt(c *vec.Column, i int) bool {
	switch {
	case c.Valid == nil:
		return true
	case c.Const:
		return c.Valid[0]
	}
	return c.Valid[i]
}

// compareNulls overwrites the rows of out where an operand is null with
// the result of comparing with null (see nullCompare).
func compareNulls(op string, a, b *vec.Column, out []int64) *vec.Column {
	if a.Valid == nil && b.Valid == nil {
		return boolColumn(out, nil)
	}
	var valid []bool
	for i := range out {
		av, bv := validAt(a, i), validAt(b, i)
		if av && bv {
			continue
		}
		v := nullCompare(op, !av && !bv)
		if v.Valid {
			out[i] = v.I
			continue
		}
		if valid == nil {
			valid = make([]bool, len(out))
			for j := range valid {
				valid[j] = true
			}
		}
		out[i], valid[i] = 0, false
	}
	return boolColumn(out, valid)
}

func compareFloats(op string, ok func(int) bool) Kernel {
	t := newCmpTable(op, ok)
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		a, b := args[0], args[1]
		if a.Const && b.Const {
			return nil, nil
		}
		out := make([]int64, n)
		switch {
		case b.Const:
			y := b.Floats[0]
			for i, x := range a.Floats[:n] {
				out[i] = t[floatIdx(x, y)]
			}
		case a.Const:
			x := a.Floats[0]
			for i, y := range b.Floats[:n] {
				out[i] = t[floatIdx(x, y)]
			}
		default:
			ys := b.Floats[:n]
			for i, x := range a.Floats[:n] {
				out[i] = t[floatIdx(x, ys[i])]
			}
		}
		return compareNulls(op, a, b, out), nil
	}
}

// compareMixed compares a real with an integer by converting the integer.
func compareMixed(op string, ok func(int) bool) Kernel {
	floats := compareFloats(op, ok)
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		conv := make([]*vec.Column, 2)
		for i, c := range args {
			conv[i] = c
			if c.Type.Storage() != types.StoreFloat {
				conv[i] = intsToFloats(c)
			}
		}
		return floats(ctx, conv, n)
	}
}

// intsToFloats converts an integer column to a real column.
func intsToFloats(c *vec.Column) *vec.Column {
	out := &vec.Column{Type: types.Real, N: c.N, Const: c.Const, Valid: c.Valid, Floats: make([]float64, len(c.Ints))}
	for i, x := range c.Ints {
		out.Floats[i] = float64(x)
	}
	return out
}

// compareStrings compares strings and guids by bytes. A dictionary
// column against a constant compares once per dictionary entry.
func compareStrings(op string, ok func(int) bool) Kernel {
	eq, ne := ok(0) && !ok(-1) && !ok(1), !ok(0) && ok(-1) && ok(1)
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		a, b := args[0], args[1]
		if a.Const && b.Const {
			return nil, nil
		}
		cmp := ok
		if a.Const {
			// Put the constant on the right, reversing the comparison.
			a, b = b, a
			cmp = func(c int) bool { return ok(-c) }
		}
		out := make([]int64, n)
		switch {
		case b.Const && a.Codes != nil:
			y := b.Str(0)
			hit := make([]int64, len(a.Dict))
			for i, s := range a.Dict {
				hit[i] = b2i(cmp(strings.Compare(s, y)))
			}
			for i, code := range a.Codes[:n] {
				out[i] = hit[code]
			}
		case b.Const && eq:
			y := b.Str(0)
			for i, s := range a.Strs[:n] {
				out[i] = b2i(s == y)
			}
		case b.Const && ne:
			y := b.Str(0)
			for i, s := range a.Strs[:n] {
				out[i] = b2i(s != y)
			}
		case b.Const:
			y := b.Str(0)
			for i, s := range a.Strs[:n] {
				out[i] = b2i(cmp(strings.Compare(s, y)))
			}
		default:
			for i := range out {
				out[i] = b2i(cmp(strings.Compare(a.Str(i), b.Str(i))))
			}
		}
		return compareNulls(op, nullable(a), nullable(b), out), nil
	}
}

// nullable returns c without its validity mask when its type has no
// nulls: a string is never null, a guid may be.
func nullable(c *vec.Column) *vec.Column {
	if c.Type != types.String || c.Valid == nil {
		return c
	}
	cc := *c
	cc.Valid = nil
	return &cc
}
