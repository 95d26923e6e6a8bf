package segment

import (
	"cmp"
	"math"
	"slices"
)

// Keyed dictionaries. The device of a sign-in is one of the few devices of
// its user, its address mostly the user's home address: given the user's
// code, the row's device code is one of a short list, and the index in
// that list (most often 0) takes a bit or two where the device code takes
// sixteen. findKeys keys such a column on the coded column that predicts
// it; it is stored as a mapped column whose blocks hold list indexes.

// Only dictionaries this large are keyed or keyed on: smaller codes cost
// too little to win back the work.
const minKeyedDict = 64

// findKeys turns coded columns into keyed ones where that pays. coded
// lists the coded columns by decreasing dictionary size. A keyed column's
// source stays coded, and a column others are keyed on is not keyed
// itself, so chains stay short.
func findKeys(ds []*segDict, coded []int) {
	keyedOn := make([]bool, len(ds))
	for _, b := range coded {
		d := ds[b]
		if keyedOn[b] || d.src >= 0 || d.valid != nil || len(d.values) < minKeyedDict {
			continue
		}
		plain := entropyBits(d.codes, len(d.values))
		for _, a := range coded {
			src := ds[a]
			if a == b || src.src >= 0 || src.valid != nil || len(src.values) < minKeyedDict {
				continue
			}
			if m, index, bits := keyBy(src, d); m != nil && bits < 0.75*plain {
				d.src, d.mapping, d.index = a, m, index
				keyedOn[a] = true
				break
			}
		}
	}
}

// entropyBits is the entropy of codes below n, in bits for all rows: about
// what zstd gets down to at best.
func entropyBits(codes []uint32, n int) float64 {
	counts := make([]uint32, n)
	for _, k := range codes {
		counts[k]++
	}
	return entropy(counts, len(codes))
}

func entropy(counts []uint32, total int) float64 {
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(total)
			h -= float64(c) * math.Log2(p)
		}
	}
	return h
}

// keyBy returns the lists of b's codes that go with each code of a (most
// frequent first), each row's index in its list and an estimate of the
// bits that takes; nil when the lists hold more than a quarter as many
// codes as there are rows.
func keyBy(a, b *segDict) (*mapping, []uint32, float64) {
	n := len(a.codes)
	// Order the rows by a's code (counting sort).
	start := make([]uint32, len(a.values)+1)
	for _, k := range a.codes {
		start[k+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	rows := make([]uint32, n)
	fill := slices.Clone(start[:len(a.values)])
	for i, k := range a.codes {
		rows[fill[k]] = uint32(i)
		fill[k]++
	}
	type entry struct{ code, count uint32 }
	m := &mapping{offs: make([]uint32, 1, len(a.values)+1), codes: make([]uint32, 0, len(a.values)+n/16)}
	index := make([]uint32, n)
	var rankCounts []uint32
	slot := make([]int32, len(b.values)) // position of a code in the current list
	var list []entry
	for k := range a.values {
		list = list[:0]
		for _, r := range rows[start[k]:start[k+1]] {
			c := b.codes[r]
			if s := slot[c]; s > 0 && int(s) <= len(list) && list[s-1].code == c {
				list[s-1].count++
				continue
			}
			list = append(list, entry{c, 1})
			slot[c] = int32(len(list))
		}
		slices.SortStableFunc(list, func(x, y entry) int { return cmp.Compare(y.count, x.count) })
		for i, e := range list {
			slot[e.code] = int32(i + 1)
			m.codes = append(m.codes, e.code)
			if i == len(rankCounts) {
				rankCounts = append(rankCounts, 0)
			}
			rankCounts[i] += e.count
		}
		if len(m.codes) > n/4 {
			return nil, nil, 0
		}
		for _, r := range rows[start[k]:start[k+1]] {
			index[r] = uint32(slot[b.codes[r]] - 1)
		}
		m.offs = append(m.offs, uint32(len(m.codes)))
		m.maxLen = max(m.maxLen, len(list))
	}
	bits := float64(len(m.codes)*bitsLen(len(b.values))) + entropy(rankCounts, n)
	return m, index, bits
}
