package segment

import (
	"math/bits"
	"slices"
)

// Integer-like columns (bool, int, long, datetime, timespan) and the null
// bitmap that precedes the values of every chunk.

// Encodings of an integer chunk.
const (
	intVarint byte = iota // zigzag varint of each value
	intDelta              // zigzag varint of the first value, then of each difference
	intBits               // one bit a value (bool)
	intPacked             // frame of reference: see encodeIntsPacked
	intRef                // differences to the block's time column: see encodeIntsRef
)

// appendNulls writes the null bitmap: 0, or 1 and one bit a row (set = null).
func appendNulls(w *writer, valid []bool, n int) {
	if valid == nil || allTrue(valid[:n]) {
		w.byte(0)
		return
	}
	w.byte(1)
	w.raw(packBits(n, func(i int) bool { return !valid[i] }))
}

func allTrue(v []bool) bool {
	for _, x := range v {
		if !x {
			return false
		}
	}
	return true
}

func packBits(n int, bit func(int) bool) []byte {
	p := make([]byte, (n+7)/8)
	for i := 0; i < n; i++ {
		if bit(i) {
			p[i>>3] |= 1 << (i & 7)
		}
	}
	return p
}

// readNulls returns the validity mask of n rows, nil when none is null.
func readNulls(r *reader, n int) []bool {
	switch r.byte() {
	case 0:
		return nil
	case 1:
	default:
		r.fail("bad null bitmap flag")
		return nil
	}
	p := r.take((n + 7) / 8)
	if r.err != nil {
		return nil
	}
	valid := make([]bool, n)
	for i := range valid {
		valid[i] = p[i>>3]&(1<<(i&7)) == 0
	}
	return valid
}

// encodeInts writes n values, choosing delta encoding when it is smaller
// (sorted or slowly changing values such as timestamps).
func encodeInts(w *writer, xs []int64, valid []bool, isBool bool) {
	n := len(xs)
	appendNulls(w, valid, n)
	if isBool {
		w.byte(intBits)
		w.raw(packBits(n, func(i int) bool { return xs[i] != 0 }))
		return
	}
	vals := fillNulls(xs, valid)
	plain, delta := 0, 0
	var prev int64
	for _, x := range vals {
		plain += varintLen(x)
		delta += varintLen(x - prev)
		prev = x
	}
	if delta < plain {
		w.byte(intDelta)
		prev = 0
		for _, x := range vals {
			w.varint(x - prev)
			prev = x
		}
		return
	}
	w.byte(intVarint)
	for _, x := range vals {
		w.varint(x)
	}
}

// fillNulls returns xs with each null row repeating the previous value, so
// nulls cost little in every encoding.
func fillNulls(xs []int64, valid []bool) []int64 {
	vals := make([]int64, len(xs))
	var prev int64
	for i, x := range xs {
		if valid != nil && !valid[i] {
			x = prev
		}
		vals[i], prev = x, x
	}
	return vals
}

// Flags of a packed integer chunk.
const (
	packDelta  = 1 // the values are the first value, then the differences
	packScaled = 2 // a scale s follows: each packed value is multiplied by s
)

// encodeIntsPacked writes n values as a frame of reference: flags
// (packDelta, packScaled), the first value when delta, the scale when
// scaled, the minimum m, a bit width b, then each (value - m) / scale in b
// bits. Random values in a narrow range (durations, timestamp steps) take
// fewer bytes than as varints, which zstd cannot shrink; timestamps of
// whole milliseconds or seconds shrink by their common divisor.
func encodeIntsPacked(w *writer, xs []int64, valid []bool) {
	appendNulls(w, valid, len(xs))
	w.byte(intPacked)
	vals := fillNulls(xs, valid)
	deltas := make([]int64, 0, len(vals))
	for i := 1; i < len(vals); i++ {
		deltas = append(deltas, vals[i]-vals[i-1])
	}
	useDelta := len(vals) > 1 && scaledWidth(deltas) < scaledWidth(vals)
	var base int64
	first := vals
	if useDelta {
		vals = deltas
	}
	if len(vals) > 0 {
		base = slices.Min(vals)
	}
	scale := commonDivisor(vals, base)
	var flags byte
	if useDelta {
		flags |= packDelta
	}
	if scale > 1 {
		flags |= packScaled
	}
	w.byte(flags)
	if useDelta {
		w.varint(first[0])
	}
	if scale > 1 {
		w.uvarint(scale)
	}
	width := 0
	if len(vals) > 0 {
		width = bits.Len64(uint64(slices.Max(vals)-base) / scale)
	}
	w.varint(base)
	w.byte(byte(width))
	p := make([]byte, (len(vals)*width+7)/8)
	pos := 0
	for _, x := range vals {
		u := uint64(x-base) / scale
		for b := 0; b < width; b++ {
			p[pos>>3] |= byte(u>>b&1) << (pos & 7)
			pos++
		}
	}
	w.raw(p)
}

// commonDivisor returns the greatest common divisor of the differences of
// xs to base, 1 when they are all 0.
func commonDivisor(xs []int64, base int64) uint64 {
	var g uint64
	for _, x := range xs {
		u := uint64(x - base)
		for u != 0 {
			g, u = u, g%u
		}
		if g == 1 {
			return 1
		}
	}
	return max(g, 1)
}

// scaledWidth is the bits each value takes relative to the minimum, divided
// by the values' common divisor.
func scaledWidth(xs []int64) int {
	if len(xs) == 0 {
		return 0
	}
	base := slices.Min(xs)
	return bits.Len64(uint64(slices.Max(xs)-base) / commonDivisor(xs, base))
}

// encodeIntsRef writes the null bitmap, intRef, then the differences of xs
// to ref (the block's time column, 0 at its nulls) as a packed chunk of
// their own, without nulls. CreatedDateTime equals or follows
// TimeGenerated closely: its differences take a few bits.
func encodeIntsRef(w *writer, xs []int64, valid []bool, ref []int64) {
	appendNulls(w, valid, len(xs))
	w.byte(intRef)
	diffs := make([]int64, len(xs))
	for i, x := range xs {
		if valid == nil || valid[i] {
			diffs[i] = x - ref[i]
		}
	}
	encodeIntsPacked(w, diffs, nil)
}

func decodePacked(r *reader, n int) []int64 {
	flags := r.byte()
	if flags > packDelta|packScaled {
		r.fail("bad packed integer flags %#x", flags)
	}
	useDelta := flags&packDelta != 0
	var first int64
	m := n
	if useDelta {
		first = r.varint()
		m = max(n-1, 0)
	}
	scale := uint64(1)
	if flags&packScaled != 0 {
		scale = r.uvarint()
	}
	base := r.varint()
	width := int(r.byte())
	if width > 64 {
		r.fail("values of %d bits", width)
	}
	p := r.take((m*width + 7) / 8)
	if r.err != nil {
		return nil
	}
	xs := make([]int64, 0, n)
	if useDelta && n > 0 {
		xs = append(xs, first)
	}
	pos := 0
	for i := 0; i < m; i++ {
		var u uint64
		for b := 0; b < width; b++ {
			u |= uint64(p[pos>>3]>>(pos&7)&1) << b
			pos++
		}
		x := base + int64(u*scale)
		if useDelta {
			x += xs[len(xs)-1]
		}
		xs = append(xs, x)
	}
	return xs
}

func varintLen(x int64) int {
	u := uint64(x<<1) ^ uint64(x>>63)
	n := 1
	for u >= 0x80 {
		u >>= 7
		n++
	}
	return n
}

// decodeInts reads n values written by encodeInts or encodeIntsPacked;
// null rows read as 0.
func decodeInts(r *reader, n int) ([]int64, []bool) { return decodeIntsRef(r, n, nil) }

// decodeIntsRef is decodeInts that also reads encodeIntsRef chunks; ref
// returns the reference values (it is nil where none may be used, and it
// fails r when they cannot be read).
func decodeIntsRef(r *reader, n int, ref func(r *reader) []int64) ([]int64, []bool) {
	valid := readNulls(r, n)
	enc := r.byte()
	if r.err != nil {
		return nil, nil
	}
	xs := make([]int64, n)
	switch enc {
	case intBits:
		p := r.take((n + 7) / 8)
		if r.err != nil {
			return nil, nil
		}
		for i := range xs {
			xs[i] = int64(p[i>>3] >> (i & 7) & 1)
		}
	case intPacked:
		if xs = decodePacked(r, n); r.err != nil {
			return nil, nil
		}
	case intRef:
		if ref == nil {
			r.fail("differences to a time column where there is none")
			return nil, nil
		}
		diffs, dvalid := decodeInts(r, n)
		if dvalid != nil {
			r.fail("null differences")
		}
		base := ref(r)
		if r.err != nil {
			return nil, nil
		}
		if len(base) != n {
			r.fail("%d reference values for %d rows", len(base), n)
			return nil, nil
		}
		for i := range xs {
			xs[i] = diffs[i] + base[i]
		}
	case intVarint, intDelta:
		if n > len(r.b) {
			r.fail("%d values in %d bytes", n, len(r.b))
			return nil, nil
		}
		var prev int64
		for i := range xs {
			x := r.varint()
			if enc == intDelta {
				x += prev
			}
			xs[i], prev = x, x
		}
	default:
		r.fail("unknown integer encoding %d", enc)
		return nil, nil
	}
	for i := range valid {
		if !valid[i] {
			xs[i] = 0
		}
	}
	return xs, valid
}
