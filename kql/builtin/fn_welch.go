package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// welch_test(mean1, variance1, count1, mean2, variance2, count2): the
// two-sided p-value of Welch's t-test that two populations, known by
// their sample means, variances and sizes, have the same mean.
func init() {
	r := types.Real
	RegisterScalar(Fixed("welch_test", false, Sig{Params: []types.Type{r, r, r, r, r, r}, Ret: r, F: welchTest}))
}

func welchTest(args []types.Value) types.Value {
	m1, v1, n1, m2, v2, n2 := args[0].F, args[1].F, args[2].F, args[3].F, args[4].F, args[5].F
	if n1 < 2 || n2 < 2 || v1 < 0 || v2 < 0 {
		return types.NullOf(types.Real)
	}
	s1, s2 := v1/n1, v2/n2
	se := s1 + s2
	if se == 0 {
		return types.NullOf(types.Real)
	}
	t := (m1 - m2) / math.Sqrt(se)
	df := se * se / (s1*s1/(n1-1) + s2*s2/(n2-1))
	return types.NewReal(regIncBeta(df/(df+t*t), df/2, 0.5))
}
