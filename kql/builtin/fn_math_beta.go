package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The beta distribution: beta_pdf(x, alpha, beta), beta_cdf(x, alpha,
// beta) and its inverse beta_inv(p, alpha, beta). Arguments outside the
// domain (x or p outside [0, 1], alpha or beta not positive) give NaN,
// except a probability outside [0, 1] in beta_inv, which gives null.
func init() {
	RegisterScalar(realFn3("beta_pdf", betaPDF), realFn3("beta_cdf", betaCDF), realFn3("beta_inv", betaInv))
}

// realFn3 builds a function of three numbers giving a real.
func realFn3(name string, f func(x, a, b float64) (float64, bool)) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		ok := len(args) == 3
		for _, a := range args {
			ok = ok && isNumberArg(a.Type)
		}
		if !ok {
			return 0, nil, ArgError(name, "expects 3 numbers, got (%s)", typeList(args))
		}
		return types.Real, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			cols := []*vec.Column{asType(a[0], types.Real), asType(a[1], types.Real), asType(a[2], types.Real)}
			return floatRows(types.Real, cols, n, func(x []float64) (float64, bool) { return f(x[0], x[1], x[2]) }), nil
		}, nil
	}}
}

func betaDomain(x, a, b float64) bool { return x >= 0 && x <= 1 && a > 0 && b > 0 }

// lnBeta is the logarithm of the beta function B(a, b).
func lnBeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// powerRatio returns x^p (1-x)^q / B(a, b), directly where the gamma
// function neither overflows nor the powers underflow (more accurate),
// through logarithms otherwise.
func powerRatio(x, p, q, a, b float64) float64 {
	if a+b < 170 {
		num := math.Pow(x, p) * math.Pow(1-x, q)
		beta := math.Gamma(a) * math.Gamma(b) / math.Gamma(a+b)
		if num > 1e-300 && beta > 1e-300 && !math.IsInf(num, 0) {
			return num / beta
		}
	}
	return math.Exp(p*math.Log(x) + q*math.Log1p(-x) - lnBeta(a, b))
}

func betaPDF(x, a, b float64) (float64, bool) {
	if !betaDomain(x, a, b) {
		return math.NaN(), true
	}
	return powerRatio(x, a-1, b-1, a, b), true
}

func betaCDF(x, a, b float64) (float64, bool) {
	if !betaDomain(x, a, b) {
		return math.NaN(), true
	}
	return regIncBeta(x, a, b), true
}

// regIncBeta is the regularized incomplete beta function I_x(a, b),
// evaluated with its continued fraction on the side where it converges
// fast.
func regIncBeta(x, a, b float64) float64 {
	if x == 0 || x == 1 {
		return x
	}
	front := powerRatio(x, a, b, a, b)
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(x, a, b) / a
	}
	return 1 - front*betaFraction(1-x, b, a)/b
}

// betaFraction evaluates the continued fraction of the incomplete beta
// function by the modified Lentz method.
func betaFraction(x, a, b float64) float64 {
	const tiny = 1e-300
	clamp := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c, d := 1.0, 1/clamp(1-(a+b)*x/(a+1))
	h := d
	for m := 1.0; m <= 500; m++ {
		num := m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		d = 1 / clamp(1+num*d)
		c = clamp(1 + num/c)
		h *= d * c
		num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		d = 1 / clamp(1+num*d)
		c = clamp(1 + num/c)
		step := d * c
		h *= step
		if math.Abs(step-1) < 1e-16 {
			break
		}
	}
	return h
}

// betaInv finds x with I_x(a, b) = p by bisection, which the monotone
// distribution function makes safe.
func betaInv(p, a, b float64) (float64, bool) {
	if !(p >= 0 && p <= 1) {
		return 0, false
	}
	if !(a > 0 && b > 0) {
		return math.NaN(), true
	}
	lo, hi := 0.0, 1.0
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if regIncBeta(mid, a, b) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2, true
}
