package builtin

import (
	"math"
	"sort"

	"github.com/idlogs/idlogs/kql/types"
)

// Period detection for series_periods_detect, series_periods_validate and
// the automatic seasonality of the decomposition functions. A period's
// score is the series' autocorrelation at that lag when the
// autocorrelation peaks there (0 to 1); a period needs at least three whole
// cycles in the series, and multiples of a better period are dropped.

// autocorr is the normalized autocorrelation of x at lag k, over the
// non-missing pairs, scaled for the number of pairs.
func autocorr(x []float64, mean, variance float64, k int) float64 {
	if k <= 0 {
		return 1
	}
	var s float64
	pairs := 0
	for i := 0; i+k < len(x); i++ {
		if math.IsNaN(x[i]) || math.IsNaN(x[i+k]) {
			continue
		}
		s += (x[i] - mean) * (x[i+k] - mean)
		pairs++
	}
	if pairs == 0 || variance == 0 {
		return 0
	}
	return s / float64(pairs) / variance
}

// periodScorer scores periods of one series.
type periodScorer struct {
	x              []float64
	mean, variance float64
}

func newPeriodScorer(x []float64) periodScorer {
	var sum, sq float64
	k := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			sum += v
			k++
		}
	}
	p := periodScorer{x: x}
	if k == 0 {
		return p
	}
	p.mean = sum / float64(k)
	for _, v := range x {
		if !math.IsNaN(v) {
			sq += (v - p.mean) * (v - p.mean)
		}
	}
	p.variance = sq / float64(k)
	return p
}

// score is the autocorrelation at lag k when it peaks there, 0 when k is
// no peak or has fewer than three cycles.
func (p periodScorer) score(k int) float64 {
	if k < minPeriod || 3*k > len(p.x) {
		return 0
	}
	c := autocorr(p.x, p.mean, p.variance, k)
	l, r := autocorr(p.x, p.mean, p.variance, k-1), autocorr(p.x, p.mean, p.variance, k+1)
	if c < l || c < r {
		return 0
	}
	return math.Max(0, math.Min(1, c))
}

// detectPeriods returns up to num periods in [lo, hi] with a positive
// score, best first.
func detectPeriods(x []float64, lo, hi float64, num int) (periods, scores []float64) {
	p := newPeriodScorer(x)
	type cand struct {
		k int
		s float64
	}
	var cands []cand
	for k := max(minPeriod, int(math.Ceil(lo))); float64(k) <= hi && 3*k <= len(x); k++ {
		if s := p.score(k); s > 0 {
			cands = append(cands, cand{k, s})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].s > cands[j].s })
	for _, c := range cands {
		if len(periods) >= num {
			break
		}
		harmonic := false
		for _, q := range periods {
			harmonic = harmonic || c.k%int(q) == 0
		}
		if !harmonic {
			periods, scores = append(periods, float64(c.k)), append(scores, c.s)
		}
	}
	return periods, scores
}

// minPeriod is the shortest period detected, as documented for
// series_periods_detect: shorter lags mostly echo noise and drift.
const minPeriod = 4

// detectPeriod is the best period of x scoring at least thresh, or 0.
// The series is detrended first, as a trend correlates every lag and
// favours the shorter ones.
func detectPeriod(x []float64, thresh float64) int64 {
	periods, scores := detectPeriods(detrend(x), minPeriod, float64(len(x)), 1)
	if len(periods) == 0 || scores[0] < thresh {
		return 0
	}
	return int64(periods[0])
}

func realsAny(v []float64) []any {
	out := make([]any, len(v))
	for i, f := range v {
		out[i] = f
	}
	return out
}

func seriesPeriodsDetectFn(args []types.Value) types.Value {
	x, ok := seriesArg(args[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	num := int(max(args[3].I, 0))
	periods, scores := detectPeriods(x, args[1].F, args[2].F, num)
	for len(periods) < num {
		periods, scores = append(periods, 0), append(scores, 0)
	}
	return outputsBag([]string{"periods", "periods_scores"}, realsAny(periods), realsAny(scores))
}

func seriesPeriodsValidateFn(args []types.Value) types.Value {
	x, ok := seriesArg(args[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	p := newPeriodScorer(x)
	periods, scores := make([]float64, len(args)-1), make([]float64, len(args)-1)
	for i, a := range args[1:] {
		periods[i] = a.F
		scores[i] = p.score(int(math.Round(a.F)))
	}
	return outputsBag([]string{"periods", "scores"}, realsAny(periods), realsAny(scores))
}

// detrend subtracts the least-squares line from x.
func detrend(x []float64) []float64 {
	slope, icept := lineFit(x)
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v - icept - slope*float64(i)
	}
	return out
}
