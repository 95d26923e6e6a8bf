package segment

// Integer-like columns (bool, int, long, datetime, timespan) and the null
// bitmap that precedes the values of every chunk.

// Encodings of an integer chunk.
const (
	intVarint byte = iota // zigzag varint of each value
	intDelta              // zigzag varint of the first value, then of each difference
	intBits               // one bit a value (bool)
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
	// Null rows repeat the previous value so they cost one byte in either form.
	vals := make([]int64, n)
	var prev int64
	for i, x := range xs {
		if valid != nil && !valid[i] {
			x = prev
		}
		vals[i], prev = x, x
	}
	plain, delta := 0, 0
	prev = 0
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

func varintLen(x int64) int {
	u := uint64(x<<1) ^ uint64(x>>63)
	n := 1
	for u >= 0x80 {
		u >>= 7
		n++
	}
	return n
}

// decodeInts reads n values written by encodeInts; null rows read as 0.
func decodeInts(r *reader, n int) ([]int64, []bool) {
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
