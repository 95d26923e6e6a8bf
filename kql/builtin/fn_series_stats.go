package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Reductions of series to numbers or bags: series_sum, series_product,
// series_dot_product, series_cosine_similarity,
// series_pearson_correlation, series_stats_dynamic and
// series_fit_line_dynamic.
func init() {
	real := types.Real
	RegisterScalar(
		Fixed("series_sum", false, Sig{Params: dyn1, Ret: real, F: seriesFold(0, func(acc, x float64) float64 { return acc + x })}),
		Fixed("series_product", false, Sig{Params: dyn1, Ret: real, F: seriesFold(1, func(acc, x float64) float64 { return acc * x })}),
		Fixed("series_dot_product", false, Sig{Params: []types.Type{types.Null, types.Null}, Ret: real, F: seriesDotProduct}),
		Fixed("series_cosine_similarity", false, Sig{Params: []types.Type{types.Null, types.Null, real, real}, Ret: real,
			Min: 2, F: seriesCosineSimilarity}),
		Fixed("series_pearson_correlation", false, Sig{Params: dyn2, Ret: real, F: seriesPearson}),
		Fixed("series_stats_dynamic", false, Sig{Params: []types.Type{types.Dynamic, types.Bool}, Ret: types.Dynamic,
			Min: 1, F: seriesStatsDynamic}),
		Fixed("series_fit_line_dynamic", false, Sig{Params: dyn1, Ret: types.Dynamic, F: seriesFitLineDynamic}),
	)
}

// seriesFold folds the numeric elements of a series, skipping others.
func seriesFold(init float64, f func(acc, x float64) float64) RowFunc {
	return func(v []types.Value) types.Value {
		a, ok := arrayOf(v[0])
		if !ok {
			return types.NullOf(types.Real)
		}
		acc := init
		for _, e := range a {
			if x, _, ok := elemNumber(e); ok {
				acc = f(acc, x)
			}
		}
		return types.NewReal(acc)
	}
}

// seriesPairs returns the numeric element pairs of two operands (a series or a
// number broadcast to the other's length), over the shorter series and
// skipping pairs with a non-numeric element.
func seriesPairs(v0, v1 types.Value) (xs, ys []float64, ok bool) {
	a, oka := operandOf(v0)
	b, okb := operandOf(v1)
	if !oka || !okb || !a.isArr && !b.isArr {
		return nil, nil, false
	}
	n := len(a.elems)
	switch {
	case !a.isArr:
		n = len(b.elems)
	case b.isArr:
		n = min(n, len(b.elems))
	}
	for i := 0; i < n; i++ {
		x, _, okx := elemNumber(a.at(i))
		y, _, oky := elemNumber(b.at(i))
		if okx && oky {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	return xs, ys, n > 0
}

func seriesDot(xs, ys []float64) float64 {
	s := 0.0
	for i, x := range xs {
		s += x * ys[i]
	}
	return s
}

func seriesDotProduct(v []types.Value) types.Value {
	xs, ys, ok := seriesPairs(v[0], v[1])
	if !ok {
		return types.NullOf(types.Real)
	}
	return types.NewReal(seriesDot(xs, ys))
}

// seriesCosineSimilarity is seriesDot(a, b) / (|a| |b|); the magnitudes may be
// given as the third and fourth arguments.
func seriesCosineSimilarity(v []types.Value) types.Value {
	xs, ys, ok := seriesPairs(v[0], v[1])
	if !ok {
		return types.NullOf(types.Real)
	}
	ma, mb := math.Sqrt(seriesDot(xs, xs)), math.Sqrt(seriesDot(ys, ys))
	if len(v) > 2 {
		ma = v[2].F
	}
	if len(v) > 3 {
		mb = v[3].F
	}
	return types.NewReal(seriesDot(xs, ys) / (ma * mb))
}

// seriesPearson is the Pearson correlation coefficient of two series of
// equal length; any non-numeric element gives null.
func seriesPearson(v []types.Value) types.Value {
	a, oka := arrayOf(v[0])
	b, okb := arrayOf(v[1])
	if !oka || !okb || len(a) != len(b) || len(a) == 0 {
		return types.NullOf(types.Real)
	}
	xs, ys := seriesFloats(a), seriesFloats(b)
	mx, my := seriesMean(xs), seriesMean(ys)
	if math.IsNaN(mx) || math.IsNaN(my) {
		return types.NullOf(types.Real)
	}
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return types.NewReal(sxy / math.Sqrt(sxx*syy))
}

func seriesMean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// seriesStatsDynamic returns {min, min_idx, max, max_idx, avg, stdev,
// variance, sum, len}; variance and stdev are of the sample. Non-finite
// elements (nulls, NaN, infinities) make every statistic null unless the
// second argument asks to skip them.
func seriesStatsDynamic(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	ignore := dynArgBool(v, 1, false)
	var xs []float64
	var idx []int
	finite := true
	for i, x := range seriesFloats(a) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			finite = false
			continue
		}
		xs, idx = append(xs, x), append(idx, i)
	}
	bag := &types.Bag{}
	if !finite && !ignore || len(xs) == 0 {
		for _, k := range []string{"min", "min_idx", "max", "max_idx", "avg", "stdev", "variance", "sum"} {
			bag.Set(k, nil)
		}
		bag.Set("len", int64(len(xs)))
		return types.NewDynamic(bag)
	}
	minI, maxI, sum := 0, 0, 0.0
	for i, x := range xs {
		if x < xs[minI] {
			minI = i
		}
		if x > xs[maxI] {
			maxI = i
		}
		sum += x
	}
	avg := sum / float64(len(xs))
	variance := sampleVariance(xs, avg)
	bag.Set("min", xs[minI])
	bag.Set("min_idx", int64(idx[minI]))
	bag.Set("max", xs[maxI])
	bag.Set("max_idx", int64(idx[maxI]))
	bag.Set("avg", avg)
	bag.Set("stdev", math.Sqrt(variance))
	bag.Set("variance", variance)
	bag.Set("sum", sum)
	bag.Set("len", int64(len(xs)))
	return types.NewDynamic(bag)
}

// sampleVariance is the sum of squared deviations over n-1 (0 for one
// value).
func sampleVariance(xs []float64, avg float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - avg) * (x - avg)
	}
	return ss / float64(len(xs)-1)
}

// seriesFitLineDynamic fits y = slope*x + interception by least squares,
// with x = 1, 2, ..., n, and returns {rsquare, slope, variance, rvariance,
// interception, line_fit}. variance is the sample variance of the series
// and rvariance that of the residuals.
func seriesFitLineDynamic(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok || len(a) == 0 {
		return nullDynamic
	}
	y := seriesFloats(a)
	n := float64(len(y))
	mx, my := (n+1)/2, seriesMean(y)
	if math.IsNaN(my) {
		return nullDynamic
	}
	var sxy, sxx, sst float64
	for i, yi := range y {
		dx := float64(i+1) - mx
		sxy += dx * (yi - my)
		sxx += dx * dx
		sst += (yi - my) * (yi - my)
	}
	slope := 0.0
	if sxx > 0 {
		slope = sxy / sxx
	}
	icept := my - slope*mx
	fit := make([]any, len(y))
	ssr := 0.0
	for i, yi := range y {
		f := icept + slope*float64(i+1)
		fit[i] = f
		ssr += (yi - f) * (yi - f)
	}
	rsq := 1.0
	if sst > 0 {
		rsq = 1 - ssr/sst
	}
	denom := math.Max(n-1, 1)
	bag := &types.Bag{}
	bag.Set("rsquare", rsq)
	bag.Set("slope", slope)
	bag.Set("variance", sst/denom)
	bag.Set("rvariance", ssr/denom)
	bag.Set("interception", icept)
	bag.Set("line_fit", fit)
	return types.NewDynamic(bag)
}
