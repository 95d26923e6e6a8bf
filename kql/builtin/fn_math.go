package builtin

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Number functions: abs, ceiling, round (half away from zero, to a number
// of digits), min_of and max_of, rand, and the bitwise binary_* functions.
// floor is bin's alias (fn_bin.go); the elementary functions are in
// fn_math_elem.go.
func init() {
	RegisterScalar(
		&Scalar{Name: "abs", Bind: bindAbs},
		&Scalar{Name: "ceiling", Bind: bindCeiling},
		&Scalar{Name: "round", Bind: bindRound},
		&Scalar{Name: "min_of", Bind: bindExtremeOf("min_of", -1)},
		&Scalar{Name: "max_of", Bind: bindExtremeOf("max_of", 1)},
		&Scalar{Name: "rand", Bind: bindRand, Volatile: true},
		bitFn("binary_and", 2, func(x []int64) (int64, bool) { return x[0] & x[1], true }),
		bitFn("binary_or", 2, func(x []int64) (int64, bool) { return x[0] | x[1], true }),
		bitFn("binary_xor", 2, func(x []int64) (int64, bool) { return x[0] ^ x[1], true }),
		bitFn("binary_not", 1, func(x []int64) (int64, bool) { return ^x[0], true }),
		bitFn("binary_shift_left", 2, shiftBy(func(x int64, s uint) int64 { return x << s })),
		bitFn("binary_shift_right", 2, shiftBy(func(x int64, s uint) int64 { return x >> s })),
		bitFn("bitset_count_ones", 1, func(x []int64) (int64, bool) { return int64(bits.OnesCount64(uint64(x[0]))), true }),
	)
}

// numberParam returns the type a number argument of type t keeps in
// functions whose result has their argument's type (ceiling, round).
func numberParam(t types.Type) types.Type {
	switch t {
	case types.Dynamic, types.Null:
		return types.Real
	case types.Bool:
		return types.Long
	}
	return t
}

// bindAbs: integers give long, reals and decimals keep their type, and
// timespans stay timespans.
func bindAbs(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 1 || !(isNumberArg(args[0].Type) || args[0].Type == types.Timespan) {
		return 0, nil, ArgError("abs", "expects a number or a timespan, got (%s)", typeList(args))
	}
	t := numberParam(args[0].Type)
	if t == types.Int {
		t = types.Long
	}
	if t.Storage() == types.StoreFloat {
		return t, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return floatMap(t, asType(a[0], t), n, realAll(math.Abs)), nil
		}, nil
	}
	return t, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
		return intMap(t, asType(a[0], t), n, func(x int64) (int64, bool) {
			if x < 0 {
				return -x, true
			}
			return x, true
		}), nil
	}, nil
}

// bindCeiling: the smallest integer not below the number, of the number's
// type.
func bindCeiling(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 1 || !isNumberArg(args[0].Type) {
		return 0, nil, ArgError("ceiling", "expects a number, got (%s)", typeList(args))
	}
	t := numberParam(args[0].Type)
	return t, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
		x := asType(a[0], t)
		if t.Storage() == types.StoreFloat {
			return floatMap(t, x, n, realAll(math.Ceil)), nil
		}
		return x, nil
	}, nil
}

// bindRound: round(number [, precision]) rounds half away from zero to
// precision decimal digits (negative: to tens, hundreds, ...), keeping the
// number's type.
func bindRound(args []Arg) (types.Type, Kernel, error) {
	if len(args) < 1 || len(args) > 2 || !isNumberArg(args[0].Type) || len(args) == 2 && !isNumberArg(args[1].Type) {
		return 0, nil, ArgError("round", "expects a number and an optional precision, got (%s)", typeList(args))
	}
	t := numberParam(args[0].Type)
	return t, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
		x := asType(a[0], t)
		prec := vec.NewConst(types.NewLong(0), n)
		if len(a) == 2 {
			prec = asType(a[1], types.Long)
		}
		if p, ok := constArg(prec); ok {
			if p.IsNull() {
				return constNull(t, n), nil
			}
			if t.Storage() == types.StoreFloat {
				return floatMap(t, x, n, func(v float64) (float64, bool) { return roundFloat(v, p.I), true }), nil
			}
			return intMap(t, x, n, func(v int64) (int64, bool) { return roundInt(v, p.I), true }), nil
		}
		if t.Storage() == types.StoreFloat {
			return floatRows(t, []*vec.Column{x, asType(prec, types.Real)}, n, func(v []float64) (float64, bool) {
				return roundFloat(v[0], int64(v[1])), true
			}), nil
		}
		return intRows(t, []*vec.Column{x, prec}, n, func(v []int64) (int64, bool) { return roundInt(v[0], v[1]), true }), nil
	}, nil
}

// roundFloat rounds x half away from zero to p decimal digits. Scaling by
// a power of ten first, as .NET's Math.Round does, makes round(2.15, 1)
// 2.2 although 2.15 is stored as 2.1499999...
func roundFloat(x float64, p int64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	if p >= 0 {
		s := math.Pow10(int(min(p, 400)))
		y := x * s
		if math.IsInf(y, 0) || math.Abs(y) >= 1<<52 {
			return x // no digits left to round at this precision
		}
		return math.Round(y) / s
	}
	s := math.Pow10(int(min(-p, 400)))
	return math.Round(x/s) * s
}

// roundInt rounds x half away from zero to p decimal digits; only a
// negative p changes an integer.
func roundInt(x, p int64) int64 {
	if p >= 0 {
		return x
	}
	if p < -18 {
		return 0
	}
	s := int64(1)
	for range -p {
		s *= 10
	}
	q, r := x/s, x%s
	if r >= 0 && 2*r >= s {
		q++
	} else if r < 0 && -2*r >= s {
		q--
	}
	return q * s
}

// extremeType returns the common type of min_of and max_of arguments:
// their type, the widest numeric type for numbers, dynamic when all are
// dynamic.
func extremeType(name string, args []Arg) (types.Type, error) {
	t := types.Null
	for _, a := range args {
		at := a.Type
		switch {
		case at == types.Null || at == types.Dynamic || at == t:
		case t == types.Null:
			t = at
		case isNumberArg(at) && isNumberArg(t):
			t = widerNumeric(t, at)
		default:
			return 0, ArgError(name, "arguments must all be of one type, got (%s)", typeList(args))
		}
	}
	if t == types.Null {
		t = types.Dynamic
		for _, a := range args {
			if a.Type == types.Null {
				t = types.Real
			}
		}
	}
	if t == types.Bool {
		t = types.Long
	}
	return t, nil
}

// bindExtremeOf builds min_of (dir -1) or max_of (dir 1): the least or
// greatest of 2 to 64 values, ignoring nulls.
func bindExtremeOf(name string, dir int) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if len(args) < 2 || len(args) > 64 {
			return 0, nil, ArgError(name, "expects 2 to 64 arguments, got %d", len(args))
		}
		t, err := extremeType(name, args)
		if err != nil {
			return 0, nil, err
		}
		return t, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			cols := make([]*vec.Column, len(a))
			for i, c := range a {
				cols[i] = asType(c, t)
			}
			rows := n
			if allConstCols(cols) {
				rows = 1
			}
			b := vec.NewBuilder(t, rows)
			for r := 0; r < rows; r++ {
				b.Append(extremeRow(cols, r, dir))
			}
			if rows == 1 && n != 1 {
				return constResult(b.Build(), n), nil
			}
			return b.Build(), nil
		}, nil
	}
}

func extremeRow(cols []*vec.Column, r, dir int) types.Value {
	best, found := types.NullOf(cols[0].Type), false
	for _, c := range cols {
		v := c.Value(r)
		if v.IsNull() || v.Type == types.Real && math.IsNaN(v.F) {
			continue
		}
		if !found || types.Compare(unwrap(v), unwrap(best))*dir > 0 {
			best, found = v, true
		}
	}
	return best
}

// bindRand: rand() is a real in [0, 1); rand(N) a whole real in [0, N).
func bindRand(args []Arg) (types.Type, Kernel, error) {
	if len(args) > 1 || len(args) == 1 && !isNumberArg(args[0].Type) {
		return 0, nil, ArgError("rand", "expects no argument or an integer bound, got (%s)", typeList(args))
	}
	return types.Real, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
		float, intN := rand.Float64, rand.Int64N
		if ctx.Rand != nil {
			float, intN = ctx.Rand.Float64, ctx.Rand.Int64N
		}
		if len(a) == 0 {
			out := make([]float64, n)
			for i := range out {
				out[i] = float()
			}
			return &vec.Column{Type: types.Real, N: n, Floats: out}, nil
		}
		bound := asType(a[0], types.Long)
		return floatRows(types.Real, []*vec.Column{asType(bound, types.Real)}, n, func(x []float64) (float64, bool) {
			if x[0] < 1 {
				return 0, false
			}
			return float64(intN(int64(x[0]))), true
		}), nil
	}, nil
}

// shiftBy makes a shift function: the count is taken modulo 64 and a
// negative count gives null.
func shiftBy(f func(x int64, s uint) int64) func(x []int64) (int64, bool) {
	return func(x []int64) (int64, bool) {
		if x[1] < 0 {
			return 0, false
		}
		return f(x[0], uint(x[1]%64)), true
	}
}

// bitFn builds a bitwise function of arity integer arguments giving a
// long.
func bitFn(name string, arity int, f func(x []int64) (int64, bool)) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		ok := len(args) == arity
		for _, a := range args {
			ok = ok && (a.Type.IsInteger() || a.Type == types.Dynamic || a.Type == types.Null)
		}
		if !ok {
			return 0, nil, ArgError(name, "expects %d integer arguments, got (%s)", arity, typeList(args))
		}
		return types.Long, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			cols := make([]*vec.Column, len(a))
			for i, c := range a {
				cols[i] = asType(c, types.Long)
			}
			if arity == 1 {
				return intMap(types.Long, cols[0], n, func(x int64) (int64, bool) { return f([]int64{x}) }), nil
			}
			return intRows(types.Long, cols, n, f), nil
		}, nil
	}}
}
