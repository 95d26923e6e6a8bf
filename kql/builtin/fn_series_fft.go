package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// series_fft(real [, imag]) and series_ifft(real [, imag]): the discrete
// Fourier transform of a complex series and its inverse (scaled by 1/n),
// as the real and imag output columns.
func init() {
	dyn := types.Dynamic
	for _, inv := range []bool{false, true} {
		name := "series_fft"
		if inv {
			name = "series_ifft"
		}
		RegisterScalar(Fixed(name, false, Sig{Params: []types.Type{dyn, dyn}, Ret: dyn, Min: 1, F: seriesFFTFn(inv)}))
		RegisterMultiOutput(name, dynOutputs("real", "imag")...)
	}
}

func seriesFFTFn(inverse bool) RowFunc {
	return func(args []types.Value) types.Value {
		re, ok := seriesArg(args[0])
		if !ok {
			return types.NullOf(types.Dynamic)
		}
		im := make([]float64, len(re))
		if len(args) > 1 && args[1].Valid {
			if v, ok := seriesArg(args[1]); ok && len(v) == len(re) {
				im = v
			}
		}
		for i := range re {
			if math.IsNaN(re[i]) {
				re[i] = 0
			}
			if math.IsNaN(im[i]) {
				im[i] = 0
			}
		}
		outRe, outIm := dft(re, im, inverse)
		return outputsBag([]string{"real", "imag"}, realsAny(outRe), realsAny(outIm))
	}
}

// dft is the discrete Fourier transform, O(n²) with exact twiddles.
func dft(re, im []float64, inverse bool) ([]float64, []float64) {
	n := len(re)
	outRe, outIm := make([]float64, n), make([]float64, n)
	sign := -1.0
	if inverse {
		sign = 1
	}
	cos, sin := make([]float64, n), make([]float64, n)
	for k := range cos {
		cos[k], sin[k] = math.Cos(2*math.Pi*float64(k)/float64(n)), sign*math.Sin(2*math.Pi*float64(k)/float64(n))
	}
	for k := 0; k < n; k++ {
		var sr, si float64
		for t := 0; t < n; t++ {
			j := (k * t) % n
			sr += re[t]*cos[j] - im[t]*sin[j]
			si += re[t]*sin[j] + im[t]*cos[j]
		}
		if inverse {
			sr, si = sr/float64(n), si/float64(n)
		}
		outRe[k], outIm[k] = sr, si
	}
	return outRe, outIm
}
