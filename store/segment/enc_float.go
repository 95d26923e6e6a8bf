package segment

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Real and decimal columns. A block with few distinct values (coordinates
// of a handful of places, durations in round seconds) stores each distinct
// value once and a bit-packed code a row; other blocks store the IEEE bits
// of each value, little endian, and leave the rest to zstd.
const (
	floatRaw  byte = iota // 8 bytes a value
	floatDict             // count, 8 bytes a distinct value, code width, codes
)

func encodeFloats(w *writer, xs []float64, valid []bool) {
	appendNulls(w, valid, len(xs))
	bitsOf := func(i int) uint64 {
		if valid != nil && !valid[i] {
			return 0
		}
		return math.Float64bits(xs[i])
	}
	if dict, codes, ok := floatDictionary(len(xs), bitsOf); ok {
		w.byte(floatDict)
		w.uvarint(uint64(len(dict)))
		for _, d := range dict {
			w.u64(d)
		}
		w.byte(byte(bits.Len(uint(len(dict) - 1))))
		w.raw(packCodes(codes, len(dict)))
		return
	}
	w.byte(floatRaw)
	for i := range xs {
		w.u64(bitsOf(i))
	}
}

// floatDictionary returns the distinct bit patterns and each row's code
// when there are at most a quarter as many distinct values as rows.
func floatDictionary(n int, bitsOf func(int) uint64) ([]uint64, []uint32, bool) {
	if n < 8 {
		return nil, nil, false
	}
	index := map[uint64]uint32{}
	var dict []uint64
	codes := make([]uint32, n)
	for i := range codes {
		b := bitsOf(i)
		c, seen := index[b]
		if !seen {
			if len(dict)*4 >= n {
				return nil, nil, false
			}
			c = uint32(len(dict))
			index[b] = c
			dict = append(dict, b)
		}
		codes[i] = c
	}
	return dict, codes, true
}

func decodeFloats(r *reader, n int) ([]float64, []bool) {
	valid := readNulls(r, n)
	xs := make([]float64, 0, min(n, len(r.b)))
	switch form := r.byte(); form {
	case floatRaw:
		p := r.take(8 * n)
		if r.err != nil {
			return nil, nil
		}
		for i := 0; i < n; i++ {
			xs = append(xs, math.Float64frombits(binary.LittleEndian.Uint64(p[8*i:])))
		}
	case floatDict:
		dict := make([]float64, r.count(n, 8))
		for i := range dict {
			dict[i] = math.Float64frombits(r.u64())
		}
		codes := unpackCodes(r, n, len(dict))
		if r.err != nil {
			return nil, nil
		}
		for _, c := range codes {
			xs = append(xs, dict[c])
		}
	default:
		r.fail("unknown real encoding %d", form)
		return nil, nil
	}
	for i := range valid {
		if !valid[i] {
			xs[i] = 0
		}
	}
	return xs, valid
}
