package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// logic binds `and` (op "__and") and `or` ("__or") with Kusto's
// three-valued logic: false and anything is false, true or anything is
// true, otherwise a null operand gives null.
func logic(op string) *Scalar {
	return &Scalar{Name: op, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 {
			return 0, nil, ArgError(op[2:], "expects 2 operands")
		}
		for _, a := range args {
			if a.Type != types.Bool && a.Type != types.Dynamic && a.Type != types.Null {
				return 0, nil, ArgError(op[2:], "expects bool operands, got %s", a.Type)
			}
		}
		and := op == "__and"
		slow := RowKernel(types.Bool, func(v []types.Value) types.Value {
			return logicValue(and, types.Convert(v[0], types.Bool), types.Convert(v[1], types.Bool))
		})
		return types.Bool, func(ctx *Context, cols []*vec.Column, n int) (*vec.Column, error) {
			a, b := cols[0], cols[1]
			if a.Type != types.Bool || b.Type != types.Bool {
				return slow(ctx, cols, n)
			}
			return logicColumns(and, a, b, n), nil
		}, nil
	}}
}

// logicValue is the three-valued and (or or) of two bool values.
func logicValue(and bool, a, b types.Value) types.Value {
	// For and, false dominates; for or, true does.
	dom := int64(0)
	if !and {
		dom = 1
	}
	is := func(v types.Value) bool { return v.Valid && (v.I != 0) == (dom != 0) }
	switch {
	case is(a) || is(b):
		return types.NewBool(dom != 0)
	case a.Valid && b.Valid:
		return types.NewBool(dom == 0)
	}
	return types.NullOf(types.Bool)
}

// logicColumns combines two bool columns row by row.
func logicColumns(and bool, a, b *vec.Column, n int) *vec.Column {
	if a.Const && !b.Const {
		a, b = b, a
	}
	if b.Const {
		v := b.Value(0)
		switch {
		case a.Const:
			return vec.NewConst(logicValue(and, a.Value(0), v), n)
		case v.Valid && (v.I != 0) != and:
			// false and x, true or x: the dominant value.
			return vec.NewConst(v, n)
		case v.Valid:
			// true and x, false or x: x itself.
			return normBool(a, n)
		}
	}
	out := make([]int64, n)
	x, y := a.Ints[:n], b.Ints
	switch {
	case b.Const:
		y = nil
	default:
		y = y[:n]
	}
	if y != nil {
		if and {
			for i := range out {
				out[i] = b2i(x[i] != 0 && y[i] != 0)
			}
		} else {
			for i := range out {
				out[i] = b2i(x[i] != 0 || y[i] != 0)
			}
		}
	}
	if y != nil && a.Valid == nil && b.Valid == nil {
		return boolColumn(out, nil)
	}
	return logicNulls(and, a, b, out, n)
}

// logicNulls fixes the rows of out where an operand is null: the result
// is the dominant value when the other operand holds it, null otherwise.
func logicNulls(and bool, a, b *vec.Column, out []int64, n int) *vec.Column {
	dom := b2i(!and)
	valid := make([]bool, n)
	for i := range valid {
		av, bv := validAt(a, i), validAt(b, i)
		x, y := b2i(a.Int(i) != 0), b2i(b.Int(i) != 0)
		switch {
		case av && bv:
			valid[i], out[i] = true, logicPair(and, x, y)
		case av && x == dom, bv && y == dom:
			valid[i], out[i] = true, dom
		default:
			out[i] = 0
		}
	}
	return boolColumn(out, valid)
}

func logicPair(and bool, x, y int64) int64 {
	if and {
		return b2i(x != 0 && y != 0)
	}
	return b2i(x != 0 || y != 0)
}

// normBool returns c as a bool column of 0/1 values with n rows.
func normBool(c *vec.Column, n int) *vec.Column {
	out := make([]int64, n)
	for i, x := range c.Ints[:n] {
		out[i] = b2i(x != 0)
	}
	return boolColumn(out, c.Valid)
}

// bindNot binds not(): the negation of a bool, null for null.
func bindNot(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 1 || !Converts(args[0].Type, types.Bool) {
		return 0, nil, ArgError("not", "no overload takes (%s)", typeList(args))
	}
	slow := RowKernel(types.Bool, func(v []types.Value) types.Value {
		x := v[0]
		if x.Type != types.Bool {
			x = types.Convert(x, types.Bool)
		}
		if x.IsNull() {
			return types.NullOf(types.Bool)
		}
		return types.NewBool(x.I == 0)
	})
	return types.Bool, func(ctx *Context, cols []*vec.Column, n int) (*vec.Column, error) {
		a := cols[0]
		if a.Type != types.Bool || a.Const {
			return slow(ctx, cols, n)
		}
		out := make([]int64, n)
		for i, x := range a.Ints[:n] {
			out[i] = b2i(x == 0)
		}
		return boolColumn(out, a.Valid), nil
	}, nil
}
