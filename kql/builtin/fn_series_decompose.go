package builtin

import (
	"math"
	"sort"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// Series decomposition and anomaly detection: series_seasonal,
// series_periods_detect, series_periods_validate, series_outliers,
// series_decompose, series_decompose_anomalies and
// series_decompose_forecast. A series is split into a seasonal component
// (the median of the points in the same phase of the period), a trend of
// what remains (its average or a fitted line) and the residual; anomalies
// are residuals outside Tukey's fences.
func init() {
	dyn, str, long, real := types.Dynamic, types.String, types.Long, types.Real
	RegisterScalar(
		Fixed("series_seasonal", false, Sig{Params: []types.Type{dyn, long}, Ret: dyn, Min: 1, F: seriesSeasonalFn}),
		Fixed("series_outliers", true, Sig{Params: []types.Type{dyn, str, real, real, real}, Ret: dyn, Min: 1, F: seriesOutliersFn}),
		Fixed("series_periods_detect", false, Sig{Params: []types.Type{dyn, real, real, long}, Ret: dyn, F: seriesPeriodsDetectFn}),
		Fixed("series_periods_validate", false, Sig{Params: []types.Type{dyn, real}, Ret: dyn, Variadic: true, F: seriesPeriodsValidateFn}),
		Fixed("series_decompose", true, Sig{Params: []types.Type{dyn, long, str, long, real}, Ret: dyn, Min: 1, F: seriesDecomposeFn}),
		Fixed("series_decompose_anomalies", true, Sig{Params: []types.Type{dyn, real, long, str, long, str, real},
			Ret: dyn, Min: 1, F: seriesDecomposeAnomaliesFn}),
		Fixed("series_decompose_forecast", true, Sig{Params: []types.Type{dyn, long, long, str, real},
			Ret: dyn, Min: 2, F: seriesDecomposeForecastFn}),
	)
	RegisterMultiOutput("series_decompose", dynOutputs("baseline", "seasonal", "trend", "residual")...)
	RegisterMultiOutput("series_decompose_anomalies", dynOutputs("ad_flag", "ad_score", "baseline")...)
	RegisterMultiOutput("series_periods_detect", dynOutputs("periods", "periods_scores")...)
	RegisterMultiOutput("series_periods_validate", dynOutputs("periods", "scores")...)
}

// decomposition holds the components of a decomposed series.
type decomposition struct {
	baseline, seasonal, trend, residual []float64
}

// decomposeOpts are series_decompose's optional arguments.
type decomposeOpts struct {
	period     int64   // -1 detects it, 0 means none
	trend      string  // avg, linefit or none
	testPoints int64   // trailing points left out of the fit
	seasThresh float64 // score needed to accept a detected period
}

func optInt(args []types.Value, i int, def int64) int64 {
	if i < len(args) && args[i].Valid {
		return args[i].I
	}
	return def
}

func optReal(args []types.Value, i int, def float64) float64 {
	if i < len(args) && args[i].Valid {
		return args[i].F
	}
	return def
}

func optStr(args []types.Value, i int, def string) string {
	if i < len(args) && args[i].Valid && args[i].S != "" {
		return strings.ToLower(args[i].S)
	}
	return def
}

// seriesArg reads the series argument; false when it isn't an array.
func seriesArg(v types.Value) ([]float64, bool) {
	a, ok := arrayOf(v)
	if !ok {
		return nil, false
	}
	return seriesFloats(a), true
}

func outputsBag(keys []string, vals ...any) types.Value {
	b := &types.Bag{}
	for i, k := range keys {
		b.Set(k, vals[i])
	}
	return dynValue(b)
}

// phaseMedians returns the median of the non-missing points of each phase
// of period among the first n points of x.
func phaseMedians(x []float64, n, period int) []float64 {
	med := make([]float64, period)
	for ph := range med {
		var vals []float64
		for i := ph; i < n; i += period {
			if !math.IsNaN(x[i]) {
				vals = append(vals, x[i])
			}
		}
		med[ph] = median(vals)
	}
	return med
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// seasonalOf returns the seasonal component of the first n points of x,
// extended over all of x; zeros when there is no period.
func seasonalOf(x []float64, n int, period int64, thresh float64) []float64 {
	out := make([]float64, len(x))
	if period < 0 {
		period = detectPeriod(x[:n], thresh)
	}
	if period <= 0 || int(period) > n {
		return out
	}
	med := phaseMedians(x, n, int(period))
	for i := range out {
		out[i] = med[i%int(period)]
	}
	return out
}

func seriesSeasonalFn(args []types.Value) types.Value {
	x, ok := seriesArg(args[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	return dynValue(realsOrNull(seasonalOf(x, len(x), optInt(args, 1, -1), 0.6)))
}

// decompose splits x into seasonal, trend and residual components, fitted
// on all but the last testPoints points.
func decompose(x []float64, o decomposeOpts) decomposition {
	n := len(x) - int(o.testPoints)
	if n < 0 {
		n = 0
	}
	// With a fitted line the phase medians are taken about a first line
	// fit, or each phase's median would carry the trend's level at that
	// phase's middle cycle and leave a staircase in the residual.
	src := x
	if o.trend == "linefit" {
		src = append(detrend(x[:n]), x[n:]...)
	}
	d := decomposition{seasonal: seasonalOf(src, n, o.period, o.seasThresh)}
	rest := make([]float64, n)
	for i := range rest {
		rest[i] = x[i] - d.seasonal[i]
	}
	d.trend = trendOf(rest, len(x), o.trend)
	d.baseline = make([]float64, len(x))
	d.residual = make([]float64, len(x))
	for i := range x {
		d.baseline[i] = d.seasonal[i] + d.trend[i]
		d.residual[i] = x[i] - d.baseline[i]
	}
	return d
}

// trendOf fits the trend of rest and extends it to n points.
func trendOf(rest []float64, n int, kind string) []float64 {
	out := make([]float64, n)
	switch kind {
	case "none":
	case "linefit":
		slope, icept := lineFit(rest)
		for i := range out {
			out[i] = icept + slope*float64(i)
		}
	default:
		var sum float64
		k := 0
		for _, v := range rest {
			if !math.IsNaN(v) {
				sum += v
				k++
			}
		}
		for i := range out {
			out[i] = sum / float64(k)
		}
	}
	return out
}

// lineFit is the least-squares line through the non-missing points of y
// at x = 0, 1, ...
func lineFit(y []float64) (slope, icept float64) {
	var sx, sy, sxx, sxy, k float64
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		x := float64(i)
		sx, sy, sxx, sxy, k = sx+x, sy+v, sxx+x*x, sxy+x*v, k+1
	}
	if k == 0 {
		return 0, math.NaN()
	}
	den := k*sxx - sx*sx
	if den == 0 {
		return 0, sy / k
	}
	slope = (k*sxy - sx*sy) / den
	return slope, (sy - slope*sx) / k
}

func decomposeArgs(args []types.Value, at int, defTrend string) decomposeOpts {
	return decomposeOpts{
		period:     optInt(args, at, -1),
		trend:      optStr(args, at+1, defTrend),
		testPoints: max(optInt(args, at+2, 0), 0),
		seasThresh: optReal(args, at+3, 0.6),
	}
}

func seriesDecomposeFn(args []types.Value) types.Value {
	x, ok := seriesArg(args[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	d := decompose(x, decomposeArgs(args, 1, "avg"))
	return outputsBag([]string{"baseline", "seasonal", "trend", "residual"},
		realsOrNull(d.baseline), realsOrNull(d.seasonal), realsOrNull(d.trend), realsOrNull(d.residual))
}

func seriesDecomposeForecastFn(args []types.Value) types.Value {
	x, ok := seriesArg(args[0])
	if !ok || !args[1].Valid {
		return types.NullOf(types.Dynamic)
	}
	o := decomposeArgs(args, 2, "linefit")
	o.testPoints = min(max(args[1].I, 0), int64(len(x)))
	o.seasThresh = optReal(args, 4, 0.6)
	return dynValue(realsOrNull(decompose(x, o).baseline))
}

func seriesDecomposeAnomaliesFn(args []types.Value) types.Value {
	x, ok := seriesArg(args[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	k := optReal(args, 1, 1.5)
	o := decomposeOpts{period: optInt(args, 2, -1), trend: optStr(args, 3, "avg"),
		testPoints: max(optInt(args, 4, 0), 0), seasThresh: optReal(args, 6, 0.6)}
	d := decompose(x, o)
	lo, hi := 10.0, 90.0
	if optStr(args, 5, "ctukey") == "tukey" {
		lo, hi = 25, 75
	}
	fitted := d.residual[:len(x)-min(int(o.testPoints), len(x))]
	scores := outlierScores(d.residual, fitted, lo, hi)
	flags := make([]any, len(x))
	for i, s := range scores {
		switch {
		case math.IsNaN(s):
			flags[i] = int64(0)
		case s > k:
			flags[i] = int64(1)
		case s < -k:
			flags[i] = int64(-1)
		default:
			flags[i] = int64(0)
		}
	}
	return outputsBag([]string{"ad_flag", "ad_score", "baseline"}, flags, realsOrNull(scores), realsOrNull(d.baseline))
}

// outlierScores scores each point of x by how far it lies outside the
// [lo, hi] percentile range of ref, in units of that range's width: the
// k of Tukey's fences (0 inside the range).
func outlierScores(x, ref []float64, lo, hi float64) []float64 {
	var vals []float64
	for _, v := range ref {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	sort.Float64s(vals)
	out := make([]float64, len(x))
	if len(vals) == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	q1, q3 := percentileSorted(vals, lo), percentileSorted(vals, hi)
	iqr := q3 - q1
	for i, v := range x {
		switch {
		case math.IsNaN(v):
			out[i] = math.NaN()
		case v > q3 && iqr > 0:
			out[i] = (v - q3) / iqr
		case v < q1 && iqr > 0:
			out[i] = (v - q1) / iqr
		}
	}
	return out
}

// percentileSorted interpolates the p-th percentile of sorted values.
func percentileSorted(s []float64, p float64) float64 {
	pos := p / 100 * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

func seriesOutliersFn(args []types.Value) types.Value {
	x, ok := seriesArg(args[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	lo, hi := 10.0, 90.0
	if optStr(args, 1, "ctukey") == "tukey" {
		lo, hi = 25, 75
	}
	if len(args) > 2 && args[2].Valid {
		for i, v := range x {
			if v == args[2].F {
				x[i] = math.NaN()
			}
		}
	}
	lo, hi = optReal(args, 3, lo), optReal(args, 4, hi)
	return dynValue(realsOrNull(outlierScores(x, x, lo, hi)))
}
