package builtin

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/bits"
)

// hllSketch estimates the number of distinct 64-bit hashes. It counts
// exactly while few hashes have been seen (an open-addressing set), as
// Kusto's dcount is exact on small inputs, and switches to 2^p one-byte
// HyperLogLog registers past the accuracy level's threshold.
//
// The zero value is an empty exact sketch.
type hllSketch struct {
	set  []uint64 // open addressing, 0 = empty slot; nil until first add
	n    int      // hashes in set
	regs []uint8  // dense registers; non-nil once dense
}

// hllLevel is one of Kusto's dcount accuracy levels.
type hllLevel struct {
	p     uint8 // log2 of the register count
	exact int   // distinct hashes counted exactly before switching
}

// hllLevels are accuracy levels 0-4: about 1.6%, 0.8%, 0.4%, 0.28% and 0.2%
// error with 2^12 ... 2^18 registers; levels 1 and 2 are exact up to 1000
// and 8000 values as documented.
var hllLevels = [...]hllLevel{{12, 250}, {14, 1000}, {16, 8000}, {17, 16000}, {18, 32000}}

// add folds hash h into the sketch.
func (s *hllSketch) add(h uint64, lv hllLevel) {
	if s.regs != nil {
		s.addDense(h, s.p())
		return
	}
	if h == 0 {
		h = 1 // 0 marks empty slots
	}
	if s.insert(h) && s.n > lv.exact {
		s.densify(lv.p)
	}
}

// insert adds h to the exact set and reports whether it was new.
func (s *hllSketch) insert(h uint64) bool {
	if len(s.set) == 0 {
		s.set = make([]uint64, 8)
	}
	mask := uint64(len(s.set) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.set[i] {
		case h:
			return false
		case 0:
			s.set[i] = h
			s.n++
			if s.n*2 > len(s.set) {
				s.rehash()
			}
			return true
		}
	}
}

func (s *hllSketch) rehash() {
	old := s.set
	s.set = make([]uint64, len(old)*2)
	s.n = 0
	for _, h := range old {
		if h != 0 {
			s.insert(h)
		}
	}
}

func (s *hllSketch) densify(p uint8) {
	s.regs = make([]uint8, 1<<p)
	for _, h := range s.set {
		if h != 0 {
			s.addDense(h, p)
		}
	}
	s.set, s.n = nil, 0
}

func (s *hllSketch) addDense(h uint64, p uint8) {
	idx := h >> (64 - p)
	w := h<<p | 1<<(p-1) // the guard bit bounds the rank at 64-p+1
	rank := uint8(bits.LeadingZeros64(w)) + 1
	if rank > s.regs[idx] {
		s.regs[idx] = rank
	}
}

// p returns the register precision of a dense sketch.
func (s *hllSketch) p() uint8 { return uint8(bits.TrailingZeros(uint(len(s.regs)))) }

// count returns the estimated number of distinct hashes.
func (s *hllSketch) count() int64 {
	if s.regs == nil {
		return int64(s.n)
	}
	return int64(math.Round(hllEstimate(s.regs, s.p())))
}

// hllEstimate is Ertl's improved raw estimator ("New cardinality
// estimation algorithms for HyperLogLog sketches", 2017), unbiased over
// the whole range without empirical correction tables.
func hllEstimate(regs []uint8, p uint8) float64 {
	q := 64 - int(p)
	hist := make([]float64, q+2)
	for _, r := range regs {
		hist[r]++
	}
	m := float64(len(regs))
	z := m * hllTau(1-hist[q+1]/m)
	for k := q; k >= 1; k-- {
		z = 0.5 * (z + hist[k])
	}
	z += m * hllSigma(hist[0]/m)
	return m * m / (2 * math.Ln2) / z
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		next := z + x*y
		y += y
		if next == z {
			return z
		}
		z = next
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		next := z - (1-x)*(1-x)*y
		y *= 0.5
		if next == z {
			return z / 3
		}
		z = next
	}
}

// merge folds o into s. Sketches of different precision meet at the lower
// one, as HyperLogLog registers can be folded but not split.
func (s *hllSketch) merge(o *hllSketch, lv hllLevel) {
	switch {
	case o.regs == nil:
		for _, h := range o.set {
			if h != 0 {
				s.add(h, lv)
			}
		}
	case s.regs == nil:
		cp := hllSketch{regs: append([]uint8(nil), o.regs...)}
		for _, h := range s.set {
			if h != 0 {
				cp.addDense(h, cp.p())
			}
		}
		*s = cp
	default:
		a, b := s.regs, o.regs
		if len(b) < len(a) {
			a = foldRegisters(a, o.p())
		} else if len(a) < len(b) {
			b = foldRegisters(b, s.p())
		}
		for i, r := range b {
			if r > a[i] {
				a[i] = r
			}
		}
		s.regs = a
	}
}

// foldRegisters reduces registers to precision p: the dropped index bits
// become the leading bits of the remaining hash.
func foldRegisters(regs []uint8, p uint8) []uint8 {
	from := uint8(bits.TrailingZeros(uint(len(regs))))
	d := from - p
	out := make([]uint8, 1<<p)
	for i, r := range regs {
		if r == 0 {
			continue
		}
		low := uint64(i) & (1<<d - 1)
		rank := r + d
		if low != 0 {
			rank = uint8(bits.LeadingZeros64(low<<(64-d))) + 1
		}
		if j := i >> d; rank > out[j] {
			out[j] = rank
		}
	}
	return out
}

// The dynamic form of a sketch (what hll() returns and hll_merge() and
// dcount_hll() read) is an array [format, precision, payload] where the
// payload is base64 of the exact hashes (8 bytes each, little endian) or
// of the registers.
const (
	hllFormatExact = 1
	hllFormatDense = 2
)

// toDynamic encodes the sketch; p is the precision it would use when dense.
func (s *hllSketch) toDynamic(p uint8) any {
	if s.regs != nil {
		return []any{int64(hllFormatDense), int64(s.p()), base64.StdEncoding.EncodeToString(s.regs)}
	}
	buf := make([]byte, 0, 8*s.n)
	for _, h := range s.set {
		if h != 0 {
			buf = binary.LittleEndian.AppendUint64(buf, h)
		}
	}
	return []any{int64(hllFormatExact), int64(p), base64.StdEncoding.EncodeToString(buf)}
}

// hllFromDynamic decodes a sketch made by toDynamic and returns its
// accuracy level.
func hllFromDynamic(d any) (*hllSketch, hllLevel, bool) {
	arr, ok := d.([]any)
	if !ok || len(arr) != 3 {
		return nil, hllLevel{}, false
	}
	format, ok1 := arr[0].(int64)
	p, ok2 := arr[1].(int64)
	payload, ok3 := arr[2].(string)
	lv, ok4 := levelOfPrecision(p)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, hllLevel{}, false
	}
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, hllLevel{}, false
	}
	s := &hllSketch{}
	switch {
	case format == hllFormatDense && len(raw) == 1<<p:
		s.regs = raw
	case format == hllFormatExact && len(raw)%8 == 0:
		for i := 0; i < len(raw); i += 8 {
			s.insert(binary.LittleEndian.Uint64(raw[i:]))
		}
	default:
		return nil, hllLevel{}, false
	}
	return s, lv, true
}

func levelOfPrecision(p int64) (hllLevel, bool) {
	for _, lv := range hllLevels {
		if int64(lv.p) == p {
			return lv, true
		}
	}
	return hllLevel{}, false
}
