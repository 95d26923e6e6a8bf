package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Signal filters over series: series_fir (finite impulse response) and
// series_iir (infinite impulse response). Inputs before the start of the
// series count as zero; a missing (non-numeric) element makes the outputs
// that depend on it null.
func init() {
	RegisterScalar(
		Fixed("series_fir", false, Sig{Params: []types.Type{types.Dynamic, types.Dynamic, types.Bool, types.Bool},
			Ret: types.Dynamic, Min: 2, F: seriesFir}),
		Fixed("series_iir", false, Sig{Params: []types.Type{types.Dynamic, types.Dynamic, types.Dynamic},
			Ret: types.Dynamic, F: seriesIir}),
	)
}

// seriesFloats returns the elements of a series as float64, NaN for elements
// that aren't numbers.
func seriesFloats(a []any) []float64 {
	out := make([]float64, len(a))
	for i, e := range a {
		f, _, ok := elemNumber(e)
		if !ok {
			f = math.NaN()
		}
		out[i] = f
	}
	return out
}

// filterCoefficients returns a numeric array of filter coefficients; false if
// v isn't a non-empty array of numbers.
func filterCoefficients(v types.Value) ([]float64, bool) {
	a, ok := arrayOf(v)
	if !ok || len(a) == 0 {
		return nil, false
	}
	c := seriesFloats(a)
	for _, x := range c {
		if math.IsNaN(x) {
			return nil, false
		}
	}
	return c, true
}

// realsOrNull turns float64 results into dynamic elements, NaN as null.
func realsOrNull(y []float64) []any {
	out := make([]any, len(y))
	for i, f := range y {
		if !math.IsNaN(f) {
			out[i] = f
		}
	}
	return out
}

// seriesFir implements series_fir(series, filter [, normalize [, center]]).
// normalize divides the filter by its sum; it defaults to true unless the
// filter has a negative coefficient, and asking for it then gives null.
// center aligns the filter window on the current point instead of ending
// it there.
func seriesFir(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	f, okf := filterCoefficients(v[1])
	if !ok || !okf {
		return nullDynamic
	}
	hasNeg := false
	sum := 0.0
	for _, c := range f {
		hasNeg = hasNeg || c < 0
		sum += c
	}
	normalize := dynArgBool(v, 2, !hasNeg)
	if normalize && hasNeg {
		return nullDynamic
	}
	if normalize {
		for i := range f {
			f[i] /= sum
		}
	}
	shift := 0
	if dynArgBool(v, 3, false) {
		shift = (len(f) - 1) / 2
	}
	x := seriesFloats(a)
	y := make([]float64, len(x))
	for i := range y {
		acc := 0.0
		for j, c := range f {
			if k := i + shift - j; k >= 0 && k < len(x) {
				acc += c * x[k]
			}
		}
		y[i] = acc
	}
	return types.NewDynamic(realsOrNull(y))
}

// seriesIir implements series_iir(series, numerators b, denominators a):
// y[i] = (sum b[j]*x[i-j] - sum_{j>0} a[j]*y[i-j]) / a[0].
func seriesIir(v []types.Value) types.Value {
	arr, ok := arrayOf(v[0])
	b, okb := filterCoefficients(v[1])
	a, oka := filterCoefficients(v[2])
	if !ok || !okb || !oka || a[0] == 0 {
		return nullDynamic
	}
	x := seriesFloats(arr)
	y := make([]float64, len(x))
	for i := range y {
		acc := 0.0
		for j, c := range b {
			if i-j >= 0 {
				acc += c * x[i-j]
			}
		}
		for j := 1; j < len(a); j++ {
			if i-j >= 0 {
				acc -= a[j] * y[i-j]
			}
		}
		y[i] = acc / a[0]
	}
	return types.NewDynamic(realsOrNull(y))
}
