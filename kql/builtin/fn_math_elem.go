package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Elementary functions of reals: powers, logarithms, trigonometry, gamma,
// erf, and the NaN and infinity tests. Arguments of any numeric type are
// converted to real; results are real (bool for the tests). An argument
// outside a function's domain gives null where Kusto documents it (sqrt
// and log of a negative number, asin and acos beyond [-1, 1]).
func init() {
	RegisterScalar(
		realFn("sqrt", realNonNegative(math.Sqrt)),
		realFn("log", realNonNegative(math.Log)),
		realFn("log2", realNonNegative(math.Log2)),
		realFn("log10", realNonNegative(math.Log10)),
		realFn("exp", realAll(math.Exp)),
		realFn("exp2", realAll(math.Exp2)),
		realFn("exp10", realAll(func(x float64) float64 { return math.Pow(10, x) })),
		realFn("sin", realAll(math.Sin)),
		realFn("cos", realAll(math.Cos)),
		realFn("tan", realAll(math.Tan)),
		realFn("cot", realAll(func(x float64) float64 { return 1 / math.Tan(x) })),
		realFn("asin", realUnitInterval(math.Asin)),
		realFn("acos", realUnitInterval(math.Acos)),
		realFn("atan", realAll(math.Atan)),
		realFn("degrees", realAll(func(x float64) float64 { return x * 180 / math.Pi })),
		realFn("radians", realAll(func(x float64) float64 { return x * math.Pi / 180 })),
		realFn("gamma", realAll(math.Gamma)),
		realFn("loggamma", realAll(func(x float64) float64 { r, _ := math.Lgamma(x); return r })),
		realFn("erf", realAll(math.Erf)),
		realFn("erfc", realAll(math.Erfc)),
		realFn("sign", realAll(signOf)),
		realFn2("pow", math.Pow),
		realFn2("atan2", math.Atan2),
		&Scalar{Name: "pi", Bind: func(args []Arg) (types.Type, Kernel, error) {
			if len(args) != 0 {
				return 0, nil, ArgError("pi", "takes no arguments")
			}
			return types.Real, func(_ *Context, _ []*vec.Column, n int) (*vec.Column, error) {
				return vec.NewConst(types.NewReal(math.Pi), n), nil
			}, nil
		}},
		realTest("isnan", math.IsNaN),
		realTest("isinf", func(x float64) bool { return math.IsInf(x, 0) }),
		realTest("isfinite", func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }),
	)
}

// realFunc computes a real from a real; false gives null.
type realFunc func(float64) (float64, bool)

func realAll(f func(float64) float64) realFunc {
	return func(x float64) (float64, bool) { return f(x), true }
}

func realNonNegative(f func(float64) float64) realFunc {
	return func(x float64) (float64, bool) { return f(x), !(x < 0) }
}

func realUnitInterval(f func(float64) float64) realFunc {
	return func(x float64) (float64, bool) { return f(x), !(x < -1 || x > 1) }
}

func signOf(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0 or NaN
}

// realFn builds a function of one number giving a real.
func realFn(name string, f realFunc) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 1 || !isNumberArg(args[0].Type) {
			return 0, nil, ArgError(name, "expects a number, got (%s)", typeList(args))
		}
		return types.Real, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return floatMap(types.Real, asType(a[0], types.Real), n, f), nil
		}, nil
	}}
}

// realFn2 builds a function of two numbers giving a real.
func realFn2(name string, f func(x, y float64) float64) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 || !isNumberArg(args[0].Type) || !isNumberArg(args[1].Type) {
			return 0, nil, ArgError(name, "expects 2 numbers, got (%s)", typeList(args))
		}
		return types.Real, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			x, y := asType(a[0], types.Real), asType(a[1], types.Real)
			if yv, ok := constArg(y); ok && yv.Valid {
				return floatMap(types.Real, x, n, func(v float64) (float64, bool) { return f(v, yv.F), true }), nil
			}
			return floatRows(types.Real, []*vec.Column{x, y}, n, func(v []float64) (float64, bool) { return f(v[0], v[1]), true }), nil
		}, nil
	}}
}

// realTest builds a predicate on one number.
func realTest(name string, f func(float64) bool) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 1 || !isNumberArg(args[0].Type) {
			return 0, nil, ArgError(name, "expects a number, got (%s)", typeList(args))
		}
		return types.Bool, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return floatToIntMap(types.Bool, asType(a[0], types.Real), n, func(x float64) (int64, bool) {
				if f(x) {
					return 1, true
				}
				return 0, true
			}), nil
		}, nil
	}}
}
