package segment

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/builtin"
)

// A term filter is a Bloom filter per block and string column holding the
// block's terms (for has, has_any, has_cs, ==) and its trigrams (for
// contains, startswith, hasprefix, =~). Each string is indexed twice:
// lowercased with strings.ToLower, as the case-insensitive operators
// compare, and with only ASCII letters folded, which a case-sensitive
// match implies. For ASCII text the two are the same.
//
// Layout: one byte k (hash functions), then the bit array.

// hashItem hashes a term (kind 't') or trigram (kind 'g').
func hashItem(kind byte, s string) uint64 {
	// FNV-1a, 64 bit: stable across processes, unlike maphash.
	h := uint64(14695981039346656037)
	h = (h ^ uint64(kind)) * 1099511628211
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h ^ h>>29
}

type bloom struct {
	k    int
	bits []byte
}

// has reports whether h may have been added (k probes by double hashing).
func (f *bloom) has(h uint64) bool {
	m := uint64(len(f.bits)) * 8
	h1, h2 := h, bits.RotateLeft64(h, 32)|1
	for i := 0; i < f.k; i++ {
		p := (h1 + uint64(i)*h2) % m
		if f.bits[p>>3]&(1<<(p&7)) == 0 {
			return false
		}
	}
	return true
}

func (f *bloom) add(h uint64) {
	m := uint64(len(f.bits)) * 8
	h1, h2 := h, bits.RotateLeft64(h, 32)|1
	for i := 0; i < f.k; i++ {
		p := (h1 + uint64(i)*h2) % m
		f.bits[p>>3] |= 1 << (p & 7)
	}
}

// A filter takes at most maxFilterBytesPerRow bytes a row, or
// minFilterCap bytes for small blocks; a block with more distinct items
// gets a sparser filter, or none when it would not prune anything.
const (
	maxFilterBytesPerRow = 1
	minFilterCap         = 8 << 10
)

// buildFilter returns the encoded filter of ss, or nil when the block has
// too many distinct items for a useful filter of bounded size.
func buildFilter(ss []string) []byte {
	capBits := max(len(ss)*maxFilterBytesPerRow, minFilterCap) * 8
	items := make(map[uint64]struct{})
	for _, s := range ss {
		for _, v := range foldings(s) {
			eachTerm(v, func(t string) { items[hashItem('t', t)] = struct{}{} })
			eachTrigram(v, func(g string) { items[hashItem('g', g)] = struct{}{} })
		}
		if len(items)*4 > capBits {
			return nil // too many distinct items to filter
		}
	}
	n := max(len(items), 1)
	nbits := min(n*10, capBits)
	nbits = (nbits + 7) &^ 7
	k := max(1, min(8, int(float64(nbits)/float64(n)*0.69+0.5)))
	f := bloom{k: k, bits: make([]byte, nbits/8)}
	for h := range items {
		f.add(h)
	}
	return append([]byte{byte(k)}, f.bits...)
}

func parseFilter(p []byte) (*bloom, error) {
	if len(p) < 2 || p[0] < 1 || p[0] > 8 {
		return nil, corruptf("bad term filter")
	}
	return &bloom{k: int(p[0]), bits: p[1:]}, nil
}

// foldings returns the forms of s the filter indexes.
func foldings(s string) []string {
	lower := strings.ToLower(s)
	ascii := foldASCII(s)
	if lower == ascii {
		return []string{lower}
	}
	return []string{lower, ascii}
}

// foldASCII lowercases ASCII letters only, keeping every byte offset.
func foldASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// eachTerm calls f with every maximal run of term characters of s.
func eachTerm(s string, f func(string)) {
	start := -1
	for i, r := range s {
		switch {
		case builtin.IsTermChar(r) && start < 0:
			start = i
		case !builtin.IsTermChar(r) && start >= 0:
			f(s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		f(s[start:])
	}
}

// eachTrigram calls f with every 3-byte substring of s.
func eachTrigram(s string, f func(string)) {
	for i := 0; i+3 <= len(s); i++ {
		f(s[i : i+3])
	}
}

// mayHaveTerms reports whether every term of the has-pattern t (already in
// the folding the operator uses) may be in the block. A has match puts each
// maximal run of term characters of t as a whole term in the value, except
// that with prefixOnly the last run may be the start of a longer term.
func (f *bloom) mayHaveTerms(t string, prefixOnly bool) bool {
	var runs []string
	eachTerm(t, func(r string) { runs = append(runs, r) })
	if prefixOnly && len(runs) > 0 && strings.HasSuffix(t, runs[len(runs)-1]) {
		last := runs[len(runs)-1]
		runs = runs[:len(runs)-1]
		if !f.mayContain(last) {
			return false
		}
	}
	for _, r := range runs {
		if !f.has(hashItem('t', r)) {
			return false
		}
	}
	return true
}

// mayContain reports whether t (already folded) may be a substring of a
// value of the block: all its trigrams are present.
func (f *bloom) mayContain(t string) bool {
	ok := true
	eachTrigram(t, func(g string) {
		if ok && !f.has(hashItem('g', g)) {
			ok = false
		}
	})
	return ok
}
