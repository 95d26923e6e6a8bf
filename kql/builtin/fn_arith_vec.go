package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// arithKernel returns the kernel of a binary arithmetic operator whose
// result has type t. Operands stored as ints or floats (every numeric,
// bool, datetime and timespan column) are computed a column at a time, with
// the exact results of arithValues; dynamic, string and untyped-null
// operands, constant-only calls and the timespan scalings (timespan * real)
// go through arithValues row by row.
func arithKernel(op string, t types.Type, at, bt types.Type) Kernel {
	row := RowKernel(t, func(v []types.Value) types.Value { return arithValues(op, t, v[0], v[1]) })
	plain := func(x types.Type) bool {
		s := x.Storage()
		return x != types.Dynamic && x != types.Null && (s == types.StoreInt || s == types.StoreFloat)
	}
	if !plain(at) || !plain(bt) {
		return row
	}
	switch {
	case t.Storage() == types.StoreFloat:
		return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
			a, b := args[0], args[1]
			if a.Const && b.Const {
				return row(ctx, args, n)
			}
			return floatArith(op, t, a, b, n), nil
		}
	case at.Storage() == types.StoreInt && bt.Storage() == types.StoreInt && t.Storage() == types.StoreInt:
		if t == types.Timespan && (at != types.Timespan || bt != types.Timespan) &&
			!(at == types.Datetime && bt == types.Datetime) {
			return row // a timespan scaled by a number
		}
		return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
			a, b := args[0], args[1]
			if a.Const && b.Const {
				return row(ctx, args, n)
			}
			return intArith(op, t, a, b, n), nil
		}
	}
	return row
}

// bothValid is the validity of the rows of a op b: nil when neither has
// nulls.
func bothValid(a, b *vec.Column, n int) []bool {
	if a.Valid == nil && b.Valid == nil {
		return nil
	}
	valid := make([]bool, n)
	for i := range valid {
		valid[i] = !a.IsNull(i) && !b.IsNull(i)
	}
	return valid
}

// intArith computes a op b for int-stored operands, at least one of them a
// column, with arithValues' rules: division and modulo by zero are null,
// int results wrap to 32 bits.
func intArith(op string, t types.Type, a, b *vec.Column, n int) *vec.Column {
	out := make([]int64, n)
	valid := bothValid(a, b, n)
	x := func(i int) int64 { return a.Int(i) }
	y := func(i int) int64 { return b.Int(i) }
	switch {
	case op == "__add" && !a.Const && !b.Const:
		for i, v := range a.Ints[:n] {
			out[i] = v + b.Ints[i]
		}
	case op == "__add" && b.Const:
		c := b.Ints[0]
		for i, v := range a.Ints[:n] {
			out[i] = v + c
		}
	case op == "__sub" && !a.Const && !b.Const:
		for i, v := range a.Ints[:n] {
			out[i] = v - b.Ints[i]
		}
	case op == "__sub" && b.Const:
		c := b.Ints[0]
		for i, v := range a.Ints[:n] {
			out[i] = v - c
		}
	case op == "__div" || op == "__mod":
		for i := range out {
			d := y(i)
			if d == 0 {
				if valid == nil {
					valid = make([]bool, n)
					for j := range valid {
						valid[j] = true
					}
				}
				valid[i] = false
				continue
			}
			out[i] = intOp(op, x(i), d)
		}
	default:
		for i := range out {
			out[i] = intOp(op, x(i), y(i))
		}
	}
	if valid != nil {
		for i, ok := range valid {
			if !ok {
				out[i] = 0
			}
		}
	}
	if t == types.Int {
		for i, v := range out {
			out[i] = int64(int32(v))
		}
	}
	return &vec.Column{Type: t, N: n, Ints: out, Valid: valid}
}

// floatArith computes a op b as float64 (real and decimal results), with
// int-stored operands converted as toFloat does.
func floatArith(op string, t types.Type, a, b *vec.Column, n int) *vec.Column {
	fa, fb := floatsOf(a, n), floatsOf(b, n)
	out := make([]float64, n)
	at := func(xs []float64, c bool, i int) float64 {
		if c {
			return xs[0]
		}
		return xs[i]
	}
	for i := range out {
		x, y := at(fa, a.Const, i), at(fb, b.Const, i)
		switch op {
		case "__add":
			out[i] = x + y
		case "__sub":
			out[i] = x - y
		case "__mul":
			out[i] = x * y
		case "__div":
			out[i] = x / y
		default:
			out[i] = arithValues(op, t, types.NewReal(x), types.NewReal(y)).F
		}
	}
	valid := bothValid(a, b, n)
	for i, ok := range valid {
		if !ok {
			out[i] = 0
		}
	}
	return &vec.Column{Type: t, N: n, Floats: out, Valid: valid}
}

// floatsOf is c's values as float64: c's own slice when it holds floats.
func floatsOf(c *vec.Column, n int) []float64 {
	if c.Type.Storage() == types.StoreFloat {
		return c.Floats
	}
	m := n
	if c.Const {
		m = 1
	}
	out := make([]float64, m)
	for i := range out {
		out[i] = float64(c.Ints[i])
	}
	return out
}
