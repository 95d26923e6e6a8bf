package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// bin and its alias floor round a number, timespan or datetime down to a
// multiple of a bin size; datetimes are binned from 0001-01-01. bin_at
// aligns the bins to a fixed point instead. These run in every
// `summarize ... by bin(Timestamp, 1h)`, so the common case of a column and
// a constant size is a direct loop over the column.
func init() {
	RegisterScalar(
		&Scalar{Name: "bin", Bind: bindBin("bin")},
		&Scalar{Name: "floor", Bind: bindBin("floor")},
		&Scalar{Name: "bin_at", Bind: bindBinAt},
	)
}

// binTypes returns the result type and the bin size type for a value of
// type v binned by a size of type s.
func binTypes(name string, v, s types.Type) (types.Type, types.Type, error) {
	switch {
	case v == types.Datetime && isArgOf(s, types.Timespan):
		return types.Datetime, types.Timespan, nil
	case v == types.Timespan && isArgOf(s, types.Timespan):
		return types.Timespan, types.Timespan, nil
	case (v == types.Null || v == types.Dynamic) && s == types.Timespan:
		return types.Datetime, types.Timespan, nil
	case isNumberArg(v) && isNumberArg(s):
		t := widerNumeric(numberOrReal(v), numberOrReal(s))
		return t, t, nil
	case v == types.Datetime || v == types.Timespan:
		return 0, 0, ArgError(name, "the bin size of a %s must be a timespan, got %s", v, s)
	}
	return 0, 0, ArgError(name, "expects a number, timespan or datetime and a bin size, got (%s, %s)", v, s)
}

// numberOrReal maps dynamic and untyped null to real, as Kusto converts
// them when a number is expected.
func numberOrReal(t types.Type) types.Type {
	if t == types.Dynamic || t == types.Null {
		return types.Real
	}
	return t
}

func bindBin(name string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 {
			return 0, nil, ArgError(name, "expects 2 arguments: a value and a bin size")
		}
		t, st, err := binTypes(name, args[0].Type, args[1].Type)
		if err != nil {
			return 0, nil, err
		}
		if t.Storage() == types.StoreFloat {
			return t, binFloatKernel(t), nil
		}
		return t, binIntKernel(t, st), nil
	}
}

func binIntKernel(t, st types.Type) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		v, s := asType(args[0], t), asType(args[1], st)
		if size, ok := constArg(s); ok {
			if size.IsNull() || size.I <= 0 {
				return constNull(t, n), nil
			}
			return floorInts(t, v, size.I, n), nil
		}
		return intRows(t, []*vec.Column{v, s}, n, func(x []int64) (int64, bool) {
			if x[1] <= 0 {
				return 0, false
			}
			return fitInt(t, floorDiv(x[0], x[1])*x[1]), true
		}), nil
	}
}

// fitInt wraps r to 32 bits for int results.
func fitInt(t types.Type, r int64) int64 {
	if t == types.Int {
		return int64(int32(r))
	}
	return r
}

// floorInts rounds every value of an int-stored column down to a multiple
// of size > 0. Nulls keep their places: the input's mask is shared.
func floorInts(t types.Type, c *vec.Column, size int64, n int) *vec.Column {
	if c.Const {
		if c.IsNull(0) {
			return constNull(t, n)
		}
		r := fitInt(t, floorDiv(c.Ints[0], size)*size)
		return vec.NewConst(types.Value{Type: t, Valid: true, I: r}, n)
	}
	out := make([]int64, n)
	lo, hi := int64(1), int64(0) // the last bin, [lo, hi); empty at first
	for i, x := range c.Ints[:n] {
		if x >= lo && x < hi { // time-ordered rows mostly stay in one bin
			out[i] = lo
			continue
		}
		q := x / size
		if x%size < 0 {
			q--
		}
		lo = q * size
		if hi = lo + size; hi < lo {
			hi = math.MaxInt64
		}
		out[i] = lo
	}
	if t == types.Int {
		for i, x := range out {
			out[i] = int64(int32(x))
		}
	}
	return &vec.Column{Type: t, N: n, Ints: out, Valid: c.Valid}
}

func binFloatKernel(t types.Type) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		v, s := asType(args[0], t), asType(args[1], t)
		if size, ok := constArg(s); ok {
			if size.IsNull() || !(size.F > 0) {
				return constNull(t, n), nil
			}
			return floatMap(t, v, n, func(x float64) (float64, bool) { return math.Floor(x/size.F) * size.F, true }), nil
		}
		return floatRows(t, []*vec.Column{v, s}, n, func(x []float64) (float64, bool) {
			if !(x[1] > 0) {
				return 0, false
			}
			return math.Floor(x[0]/x[1]) * x[1], true
		}), nil
	}
}

// binAtTypes returns the result type and the types the three arguments
// are converted to.
func binAtTypes(v, s, f types.Type) (types.Type, [3]types.Type, error) {
	switch {
	case v == types.Datetime && isArgOf(s, types.Timespan) && isArgOf(f, types.Datetime):
		return types.Datetime, [3]types.Type{types.Datetime, types.Timespan, types.Datetime}, nil
	case v == types.Timespan && isArgOf(s, types.Timespan) && isArgOf(f, types.Timespan):
		return types.Timespan, [3]types.Type{types.Timespan, types.Timespan, types.Timespan}, nil
	case isNumberArg(v) && isNumberArg(s) && isNumberArg(f):
		t := widerNumeric(widerNumeric(numberOrReal(v), numberOrReal(s)), numberOrReal(f))
		return t, [3]types.Type{t, t, t}, nil
	case v == types.Datetime || v == types.Timespan:
		return 0, [3]types.Type{}, ArgError("bin_at", "a %s value needs a timespan bin size and a %s fixed point, got (%s, %s, %s)", v, v, v, s, f)
	}
	return 0, [3]types.Type{}, ArgError("bin_at", "expects a value, a bin size and a fixed point of matching types, got (%s, %s, %s)", v, s, f)
}

func bindBinAt(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 3 {
		return 0, nil, ArgError("bin_at", "expects 3 arguments: a value, a bin size and a fixed point")
	}
	t, conv, err := binAtTypes(args[0].Type, args[1].Type, args[2].Type)
	if err != nil {
		return 0, nil, err
	}
	if t.Storage() == types.StoreFloat {
		return t, binAtFloatKernel(t), nil
	}
	return t, binAtIntKernel(t, conv), nil
}

func binAtIntKernel(t types.Type, conv [3]types.Type) Kernel {
	at := func(x, size, fixed int64) (int64, bool) {
		if size <= 0 {
			return 0, false
		}
		r := fitInt(t, fixed+floorDiv(x-fixed, size)*size)
		return r, t != types.Datetime || validDatetime(r)
	}
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		v, s, f := asType(args[0], conv[0]), asType(args[1], conv[1]), asType(args[2], conv[2])
		if s.Const && f.Const {
			if s.IsNull(0) || f.IsNull(0) {
				return constNull(t, n), nil
			}
			size, fixed := s.Ints[0], f.Ints[0]
			return intMap(t, v, n, func(x int64) (int64, bool) { return at(x, size, fixed) }), nil
		}
		return intRows(t, []*vec.Column{v, s, f}, n, func(x []int64) (int64, bool) { return at(x[0], x[1], x[2]) }), nil
	}
}

func binAtFloatKernel(t types.Type) Kernel {
	at := func(x, size, fixed float64) (float64, bool) {
		if !(size > 0) {
			return 0, false
		}
		return fixed + math.Floor((x-fixed)/size)*size, true
	}
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		v, s, f := asType(args[0], t), asType(args[1], t), asType(args[2], t)
		if s.Const && f.Const {
			if s.IsNull(0) || f.IsNull(0) {
				return constNull(t, n), nil
			}
			size, fixed := s.Floats[0], f.Floats[0]
			return floatMap(t, v, n, func(x float64) (float64, bool) { return at(x, size, fixed) }), nil
		}
		return floatRows(t, []*vec.Column{v, s, f}, n, func(x []float64) (float64, bool) { return at(x[0], x[1], x[2]) }), nil
	}
}
