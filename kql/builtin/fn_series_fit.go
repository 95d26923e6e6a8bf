package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// series_fit_poly(y [, x [, degree]]): the least-squares polynomial of the
// given degree (default 1) through the points (x, y), x defaulting to 1,
// 2, ... Outputs rsquare, coefficients (highest power first), variance
// (of y), rvariance (of the residuals) and poly_fit (the fitted series).
func init() {
	dyn := types.Dynamic
	RegisterScalar(Fixed("series_fit_poly", true, Sig{Params: []types.Type{dyn, dyn, types.Long}, Ret: dyn, Min: 1, F: seriesFitPolyFn}))
	RegisterMultiOutput("series_fit_poly",
		Output{"rsquare", types.Real}, Output{"coefficients", dyn}, Output{"variance", types.Real},
		Output{"rvariance", types.Real}, Output{"poly_fit", dyn})
}

func seriesFitPolyFn(args []types.Value) types.Value {
	y, ok := seriesArg(args[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	x := make([]float64, len(y))
	for i := range x {
		x[i] = float64(i + 1)
	}
	if len(args) > 1 && args[1].Valid {
		if xs, ok := seriesArg(args[1]); ok && len(xs) == len(y) {
			x = xs
		}
	}
	degree := int(optInt(args, 2, 1))
	if degree < 1 || degree > 6 {
		return types.NullOf(types.Dynamic)
	}
	coef, ok := polyFit(x, y, degree)
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	fit := make([]float64, len(y))
	var ys, rs []float64
	for i := range y {
		fit[i] = polyEval(coef, x[i])
		if !math.IsNaN(y[i]) && !math.IsNaN(x[i]) {
			ys, rs = append(ys, y[i]), append(rs, y[i]-fit[i])
		}
	}
	v, rv := popVariance(ys), popVariance(rs)
	rsq := 1.0
	if v > 0 {
		rsq = 1 - rv/v
	}
	high := make([]any, len(coef))
	for i, c := range coef {
		high[len(coef)-1-i] = c
	}
	return outputsBag([]string{"rsquare", "coefficients", "variance", "rvariance", "poly_fit"},
		rsq, high, v, rv, realsOrNull(fit))
}

func popVariance(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	var s, sq float64
	for _, f := range v {
		s += f
	}
	m := s / float64(len(v))
	for _, f := range v {
		sq += (f - m) * (f - m)
	}
	return sq / float64(len(v))
}

// polyFit solves the normal equations for the coefficients, lowest power
// first, over the points where both x and y are numbers.
func polyFit(x, y []float64, degree int) ([]float64, bool) {
	m := degree + 1
	a := make([][]float64, m)
	for i := range a {
		a[i] = make([]float64, m+1)
	}
	points := 0
	for k := range y {
		if math.IsNaN(x[k]) || math.IsNaN(y[k]) {
			continue
		}
		points++
		for i := 0; i < m; i++ {
			xi := math.Pow(x[k], float64(i))
			for j := 0; j < m; j++ {
				a[i][j] += xi * math.Pow(x[k], float64(j))
			}
			a[i][m] += xi * y[k]
		}
	}
	if points < m {
		return nil, false
	}
	return solveLinear(a)
}

// solveLinear solves the augmented system a by Gaussian elimination with
// partial pivoting.
func solveLinear(a [][]float64) ([]float64, bool) {
	m := len(a)
	for col := 0; col < m; col++ {
		piv := col
		for r := col + 1; r < m; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		if a[piv][col] == 0 {
			return nil, false
		}
		a[col], a[piv] = a[piv], a[col]
		for r := 0; r < m; r++ {
			if r == col {
				continue
			}
			f := a[r][col] / a[col][col]
			for c := col; c <= m; c++ {
				a[r][c] -= f * a[col][c]
			}
		}
	}
	out := make([]float64, m)
	for i := range out {
		out[i] = a[i][m] / a[i][i]
	}
	return out, true
}

func polyEval(coef []float64, x float64) float64 {
	var s float64
	for i := len(coef) - 1; i >= 0; i-- {
		s = s*x + coef[i]
	}
	return s
}
