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
		return compareInts(op)
	case sa == types.StoreFloat && sb == types.StoreFloat:
		return compareFloats(op)
	case sa == types.StoreFloat && intLike(tb), intLike(ta) && sb == types.StoreFloat:
		return compareMixed(op)
	case sa == types.StoreString && sb == types.StoreString:
		return compareStrings(op, ok)
	}
	return nil
}

func boolColumn(out []int64, valid []bool) *vec.Column {
	return &vec.Column{Type: types.Bool, N: len(out), Ints: out, Valid: valid}
}

// number is the storage of the types compared as numbers.
type number interface{ int64 | float64 }

// compareNumbers returns the kernel comparing two int-stored or two
// float-stored columns with Go's operators, which give Kusto's answers
// for NaN too: only != holds.
func compareNumbers[T number](op string, vals func(*vec.Column) []T) Kernel {
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		a, b := args[0], args[1]
		if a.Const && b.Const {
			return nil, nil
		}
		out := make([]int64, n)
		switch {
		case b.Const:
			cmpConst(op, vals(a)[:n], vals(b)[0], out)
		case a.Const:
			cmpConst(mirrorOp[op], vals(b)[:n], vals(a)[0], out)
		default:
			cmpColumns(op, vals(a)[:n], vals(b)[:n], out)
		}
		return compareNulls(op, a, b, out), nil
	}
}

func compareInts(op string) Kernel {
	return compareNumbers(op, func(c *vec.Column) []int64 { return c.Ints })
}

func compareFloats(op string) Kernel {
	return compareNumbers(op, func(c *vec.Column) []float64 { return c.Floats })
}

// cmpConst sets out[i] to whether xs[i] op y holds.
func cmpConst[T number](op string, xs []T, y T, out []int64) {
	switch op {
	case "==":
		for i, x := range xs {
			out[i] = b2i(x == y)
		}
	case "!=":
		for i, x := range xs {
			out[i] = b2i(x != y)
		}
	case "<":
		for i, x := range xs {
			out[i] = b2i(x < y)
		}
	case "<=":
		for i, x := range xs {
			out[i] = b2i(x <= y)
		}
	case ">":
		for i, x := range xs {
			out[i] = b2i(x > y)
		}
	case ">=":
		for i, x := range xs {
			out[i] = b2i(x >= y)
		}
	}
}

// cmpColumns sets out[i] to whether xs[i] op ys[i] holds.
func cmpColumns[T number](op string, xs, ys []T, out []int64) {
	ys = ys[:len(xs)]
	switch op {
	case "==":
		for i, x := range xs {
			out[i] = b2i(x == ys[i])
		}
	case "!=":
		for i, x := range xs {
			out[i] = b2i(x != ys[i])
		}
	case "<":
		for i, x := range xs {
			out[i] = b2i(x < ys[i])
		}
	case "<=":
		for i, x := range xs {
			out[i] = b2i(x <= ys[i])
		}
	case ">":
		for i, x := range xs {
			out[i] = b2i(x > ys[i])
		}
	case ">=":
		for i, x := range xs {
			out[i] = b2i(x >= ys[i])
		}
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
	one := nullCompare(op, false) // one operand null
	var valid []bool
	if !one.Valid { // ordering comparisons: null with one null operand
		valid = make([]bool, len(out))
	}
	av, bv := validMask(a, len(out)), validMask(b, len(out))
	for i := range out {
		x, y := av == nil || av[i], bv == nil || bv[i]
		switch {
		case x && y:
			if valid != nil {
				valid[i] = true
			}
		case x || y:
			out[i] = one.I
			if !one.Valid {
				out[i], valid[i] = 0, false
			}
		default: // both null: null
			if valid == nil {
				valid = make([]bool, len(out))
				for j := 0; j < i; j++ {
					valid[j] = true
				}
				for j := i + 1; j < len(out); j++ {
					valid[j] = true
				}
			}
			out[i], valid[i] = 0, false
		}
	}
	return boolColumn(out, valid)
}

// validMask returns the validity of n rows of c, nil when all are valid.
func validMask(c *vec.Column, n int) []bool {
	switch {
	case c.Valid == nil:
		return nil
	case !c.Const:
		return c.Valid[:n]
	case c.Valid[0]:
		return nil
	}
	return make([]bool, n)
}

// compareMixed compares a real with an integer by converting the integer.
func compareMixed(op string) Kernel {
	floats := compareFloats(op)
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
