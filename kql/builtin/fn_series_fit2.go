package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// series_fit_2lines(y) and series_fit_2lines_dynamic(y): the two-segment
// linear regression of y against x = 1, 2, ...: the split that leaves the
// smallest squared residual, with each side's line and the whole fit.
func init() {
	dyn, real, long := types.Dynamic, types.Real, types.Long
	RegisterScalar(
		Fixed("series_fit_2lines", false, Sig{Params: []types.Type{dyn}, Ret: dyn, F: seriesFit2Lines}),
		Fixed("series_fit_2lines_dynamic", false, Sig{Params: []types.Type{dyn}, Ret: dyn, F: seriesFit2Lines}),
	)
	outs := []Output{{"rsquare", real}, {"split_idx", long}, {"variance", real}, {"rvariance", real}, {"line_fit", dyn}}
	for _, side := range []string{"right", "left"} {
		for _, k := range []string{"rsquare", "slope", "interception", "variance", "rvariance"} {
			outs = append(outs, Output{side + "_" + k, real})
		}
	}
	RegisterMultiOutput("series_fit_2lines", outs...)
}

// segmentFit is the line through y[lo:hi] at x = lo+1, ...
type segmentFit struct {
	slope, icept, sst, ssr float64
	n                      int
}

func fitSegment(y []float64, lo, hi int) segmentFit {
	s := segmentFit{n: hi - lo}
	slope, icept := lineFit(y[lo:hi])
	// lineFit counts x from 0 at lo; shift to the series' x = index+1.
	s.slope, s.icept = slope, icept-slope*float64(lo+1)
	mean := seriesMean(y[lo:hi])
	for i := lo; i < hi; i++ {
		f := s.icept + s.slope*float64(i+1)
		s.sst += (y[i] - mean) * (y[i] - mean)
		s.ssr += (y[i] - f) * (y[i] - f)
	}
	return s
}

func (s segmentFit) rsquare() float64 {
	if s.sst == 0 {
		return 1
	}
	return 1 - s.ssr/s.sst
}

func sampleDiv(n int) float64 { return math.Max(float64(n-1), 1) }

func seriesFit2Lines(args []types.Value) types.Value {
	y, ok := seriesArg(args[0])
	if !ok || len(y) < 2 {
		return types.NullOf(types.Dynamic)
	}
	for _, v := range y {
		if math.IsNaN(v) {
			return types.NullOf(types.Dynamic)
		}
	}
	best := 1
	var left, right segmentFit
	for split := 1; split < len(y); split++ {
		l, r := fitSegment(y, 0, split), fitSegment(y, split, len(y))
		if split == 1 || l.ssr+r.ssr < left.ssr+right.ssr {
			best, left, right = split, l, r
		}
	}
	all := fitSegment(y, 0, len(y))
	fit := make([]any, len(y))
	ssr := 0.0
	for i := range y {
		seg := left
		if i >= best {
			seg = right
		}
		f := seg.icept + seg.slope*float64(i+1)
		fit[i] = f
		ssr += (y[i] - f) * (y[i] - f)
	}
	rsq := 1.0
	if all.sst > 0 {
		rsq = 1 - ssr/all.sst
	}
	b := &types.Bag{}
	b.Set("rsquare", rsq)
	b.Set("split_idx", int64(best))
	b.Set("variance", all.sst/sampleDiv(len(y)))
	b.Set("rvariance", ssr/sampleDiv(len(y)))
	b.Set("line_fit", fit)
	for _, side := range []struct {
		name string
		s    segmentFit
	}{{"right", right}, {"left", left}} {
		b.Set(side.name+"_rsquare", side.s.rsquare())
		b.Set(side.name+"_slope", side.s.slope)
		b.Set(side.name+"_interception", side.s.icept)
		b.Set(side.name+"_variance", side.s.sst/sampleDiv(side.s.n))
		b.Set(side.name+"_rvariance", side.s.ssr/sampleDiv(side.s.n))
	}
	return types.NewDynamic(b)
}
