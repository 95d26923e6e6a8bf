package segment

import "math"

// Real and decimal columns: the IEEE bits of each value, little endian;
// zstd removes most of the redundancy of repeated and round values.

func encodeFloats(w *writer, xs []float64, valid []bool) {
	appendNulls(w, valid, len(xs))
	for i, x := range xs {
		if valid != nil && !valid[i] {
			x = 0
		}
		w.f64(x)
	}
}

func decodeFloats(r *reader, n int) ([]float64, []bool) {
	valid := readNulls(r, n)
	p := r.take(8 * n)
	if r.err != nil {
		return nil, nil
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Float64frombits(uint64(p[8*i]) | uint64(p[8*i+1])<<8 | uint64(p[8*i+2])<<16 |
			uint64(p[8*i+3])<<24 | uint64(p[8*i+4])<<32 | uint64(p[8*i+5])<<40 | uint64(p[8*i+6])<<48 | uint64(p[8*i+7])<<56)
	}
	return xs, valid
}
