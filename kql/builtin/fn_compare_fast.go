package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// fastCompare returns a column-at-a-time kernel for comparisons whose
// operand types allow one (integers and tick types of the same kind, reals,
// strings), or nil. Null operands give false, as the row kernel does.
func fastCompare(op string, ok func(int) bool, ta, tb types.Type) Kernel {
	intLike := func(t types.Type) bool { return t == types.Int || t == types.Long }
	switch {
	case intLike(ta) && intLike(tb), ta == tb && ta.IsTicks():
		return compareInts(op, ok)
	case ta == types.Real && tb == types.Real:
		return compareFloats(op, ok)
	case ta == types.Real && intLike(tb), intLike(ta) && tb == types.Real:
		return compareMixed(op, ok)
	case ta == types.String && tb == types.String:
		return compareStrings(ok)
	}
	return nil
}

func boolColumn(out []int64, valid []bool) *vec.Column {
	return &vec.Column{Type: types.Bool, N: len(out), Ints: out, Valid: valid}
}

func compareInts(op string, ok func(int) bool) Kernel {
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		a, b := args[0], args[1]
		if a.Codes != nil || b.Codes != nil {
			return nil, nil
		}
		var table [3]int64 // result for cmp -1, 0, 1
		for i, c := range []int{-1, 0, 1} {
			if ok(c) {
				table[i] = 1
			}
		}
		out := make([]int64, n)
		nulls := a.Valid != nil || b.Valid != nil
		switch {
		case b.Const && !nulls:
			y := b.Ints[0]
			for i, x := range a.Ints[:n] {
				out[i] = table[cmp3(x, y)]
			}
		case !a.Const && !b.Const && !nulls:
			for i, x := range a.Ints[:n] {
				out[i] = table[cmp3(x, b.Ints[i])]
			}
		default:
			var valid []bool
			for i := 0; i < n; i++ {
				if an, bn := a.IsNull(i), b.IsNull(i); an || bn {
					valid = setNullCompare(op, an && bn, out, valid, i, n)
					continue
				}
				out[i] = table[cmp3(a.Int(i), b.Int(i))]
			}
			return boolColumn(out, valid), nil
		}
		return boolColumn(out, nil), nil
	}
}

// setNullCompare writes the result of comparing with null at row i (see
// nullCompare), allocating the validity mask on the first null result.
func setNullCompare(op string, both bool, out []int64, valid []bool, i, n int) []bool {
	v := nullCompare(op, both)
	if v.Valid {
		out[i] = v.I
		return valid
	}
	if valid == nil {
		valid = make([]bool, n)
		for j := range valid {
			valid[j] = true
		}
	}
	valid[i] = false
	return valid
}

// cmp3 returns 0, 1 or 2 for less, equal, greater.
func cmp3(x, y int64) int {
	switch {
	case x < y:
		return 0
	case x > y:
		return 2
	}
	return 1
}

func compareFloats(op string, ok func(int) bool) Kernel {
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		a, b := args[0], args[1]
		var table [3]int64
		for i, c := range []int{-1, 0, 1} {
			if ok(c) {
				table[i] = 1
			}
		}
		var unord int64 // comparisons with NaN: only != holds
		if op == "!=" {
			unord = 1
		}
		out := make([]int64, n)
		if b.Const && a.Valid == nil && b.Valid == nil && !a.Const {
			y := b.Floats[0]
			for i, x := range a.Floats[:n] {
				out[i] = cmpFloatOp(x, y, &table, unord)
			}
			return boolColumn(out, nil), nil
		}
		var valid []bool
		for i := 0; i < n; i++ {
			if an, bn := a.IsNull(i), b.IsNull(i); an || bn {
				valid = setNullCompare(op, an && bn, out, valid, i, n)
				continue
			}
			out[i] = cmpFloatOp(a.Float(i), b.Float(i), &table, unord)
		}
		return boolColumn(out, valid), nil
	}
}

// compareMixed compares a real with an integer by converting the integer.
func compareMixed(op string, ok func(int) bool) Kernel {
	floats := compareFloats(op, ok)
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		conv := make([]*vec.Column, 2)
		for i, c := range args {
			conv[i] = c
			if c.Type != types.Real {
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

// cmpFloatOp applies a comparison table to two reals; NaN gives unord.
func cmpFloatOp(x, y float64, table *[3]int64, unord int64) int64 {
	switch {
	case x < y:
		return table[0]
	case x > y:
		return table[2]
	case x == y:
		return table[1]
	}
	return unord
}

func compareStrings(ok func(int) bool) Kernel {
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		a, b := args[0], args[1]
		out := make([]int64, n)
		if a.Codes != nil && b.Const {
			t := b.Str(0)
			hit := make([]int64, len(a.Dict))
			for i, s := range a.Dict {
				if ok(compareStr(s, t)) {
					hit[i] = 1
				}
			}
			for i, code := range a.Codes[:n] {
				out[i] = hit[code]
			}
			return boolColumn(out, nil), nil
		}
		for i := 0; i < n; i++ {
			if ok(compareStr(a.Str(i), b.Str(i))) {
				out[i] = 1
			}
		}
		return boolColumn(out, nil), nil
	}
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
