package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Series functions over dynamic numeric arrays: element-wise arithmetic,
// comparisons and math, gap filling, FIR and IIR filters, and reductions
// (sum, product, dot product, cosine similarity, Pearson correlation,
// statistics, line fit). Elements that aren't numbers are missing: they
// give null elements in element-wise results.
func init() {
	RegisterScalar(
		seriesBinary("series_add", arithElem(func(a, b int64) int64 { return a + b }, func(a, b float64) float64 { return a + b })),
		seriesBinary("series_subtract", arithElem(func(a, b int64) int64 { return a - b }, func(a, b float64) float64 { return a - b })),
		seriesBinary("series_multiply", arithElem(func(a, b int64) int64 { return a * b }, func(a, b float64) float64 { return a * b })),
		seriesBinary("series_divide", arithElem(nil, func(a, b float64) float64 { return a / b })),
		seriesBinary("series_pow", arithElem(nil, math.Pow)),
		seriesBinary("series_greater", compareElem(func(c int) bool { return c > 0 })),
		seriesBinary("series_greater_equals", compareElem(func(c int) bool { return c >= 0 })),
		seriesBinary("series_less", compareElem(func(c int) bool { return c < 0 })),
		seriesBinary("series_less_equals", compareElem(func(c int) bool { return c <= 0 })),
		seriesBinary("series_equals", compareElem(func(c int) bool { return c == 0 })),
		seriesBinary("series_not_equals", compareElem(func(c int) bool { return c != 0 })),
	)
	for name, f := range map[string]func(float64) float64{
		"series_acos": math.Acos, "series_asin": math.Asin, "series_atan": math.Atan, "series_cos": math.Cos,
		"series_sin": math.Sin, "series_tan": math.Tan, "series_exp": math.Exp, "series_log": math.Log,
		"series_sqrt": math.Sqrt,
	} {
		RegisterScalar(seriesUnary(name, nil, f))
	}
	RegisterScalar(
		seriesUnary("series_abs", seriesAbsInt, math.Abs),
		seriesUnary("series_sign", seriesSignInt, seriesSignFloat),
		seriesUnary("series_ceiling", seriesKeepInt, math.Ceil),
		seriesUnary("series_floor", seriesKeepInt, math.Floor),
	)
}

// seriesOperand is one operand of an element-wise function: an array, or
// a number applied to every element.
type seriesOperand struct {
	elems  []any
	scalar any
	isArr  bool
}

func operandOf(v types.Value) (seriesOperand, bool) {
	if a, ok := arrayOf(v); ok {
		return seriesOperand{elems: a, isArr: true}, true
	}
	d := dynOf(v)
	if _, _, ok := elemNumber(d); ok {
		return seriesOperand{scalar: d}, true
	}
	return seriesOperand{}, false
}

func (o seriesOperand) at(i int) any {
	if !o.isArr {
		return o.scalar
	}
	if i < len(o.elems) {
		return o.elems[i]
	}
	return nil
}

// seriesBinary builds an element-wise function of two series (or a series
// and a number). The result is as long as the longer array; missing or
// non-numeric elements give null elements.
func seriesBinary(name string, f func(a, b any) any) *Scalar {
	return Fixed(name, false, Sig{Params: []types.Type{types.Null, types.Null}, Ret: types.Dynamic,
		F: func(v []types.Value) types.Value {
			a, oka := operandOf(v[0])
			b, okb := operandOf(v[1])
			if !oka || !okb || !a.isArr && !b.isArr {
				return nullDynamic
			}
			n := max(len(a.elems), len(b.elems))
			out := make([]any, n)
			for i := range out {
				out[i] = f(a.at(i), b.at(i))
			}
			return types.NewDynamic(out)
		}})
}

// arithElem applies an arithmetic operator to two elements: integers stay
// integers when fi is given, anything else numeric becomes real.
func arithElem(fi func(a, b int64) int64, ff func(a, b float64) float64) func(a, b any) any {
	return func(a, b any) any {
		x, xi, okx := elemNumber(a)
		y, yi, oky := elemNumber(b)
		switch {
		case !okx || !oky:
			return nil
		case fi != nil && xi && yi:
			return fi(a.(int64), b.(int64))
		}
		return ff(x, y)
	}
}

func compareElem(ok func(int) bool) func(a, b any) any {
	return func(a, b any) any {
		x, xi, okx := elemNumber(a)
		y, yi, oky := elemNumber(b)
		switch {
		case !okx || !oky:
			return nil
		case xi && yi:
			return ok(types.CompareInts(a.(int64), b.(int64)))
		}
		return ok(dynCmpFloat(x, y))
	}
}

// seriesUnary builds an element-wise math function. fi, when given, keeps
// integer elements integers; otherwise results are real.
func seriesUnary(name string, fi func(int64) int64, ff func(float64) float64) *Scalar {
	return Fixed(name, false, Sig{Params: dyn1, Ret: types.Dynamic, F: func(v []types.Value) types.Value {
		a, ok := arrayOf(v[0])
		if !ok {
			return nullDynamic
		}
		out := make([]any, len(a))
		for i, e := range a {
			x, isInt, ok := elemNumber(e)
			switch {
			case !ok:
			case isInt && fi != nil:
				out[i] = fi(e.(int64))
			default:
				out[i] = ff(x)
			}
		}
		return types.NewDynamic(out)
	}})
}

func seriesAbsInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func seriesSignInt(x int64) int64 { return int64(types.CompareInts(x, 0)) }

func seriesSignFloat(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}

func seriesKeepInt(x int64) int64 { return x }
