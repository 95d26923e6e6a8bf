package builtin

import (
	"encoding/binary"
	"math"
	"math/bits"
	"unsafe"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Value hashing for distinct counts (dcount, hll, count_distinct). Values
// that group together (types.Key) hash alike: int 1, long 1 and real 1.0
// share a hash; a datetime and a long with the same ticks do not.

// Seeds keep the hash spaces of different kinds of value apart.
const (
	sketchSeedInt      = 0x9e3779b97f4a7c15
	sketchSeedReal     = 0xc2b2ae3d27d4eb4f
	sketchSeedDatetime = 0x165667b19e3779f9
	sketchSeedTimespan = 0x27d4eb2f165667c5
	sketchSeedString   = 0x85ebca77c2b2ae63
	sketchSeedJSON     = 0xff51afd7ed558ccd
)

// sketchMix is the murmur3 64-bit finalizer: every input bit affects every
// output bit, which HyperLogLog's register index and rank rely on.
func sketchMix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// xxhash64 primes.
const (
	sketchPrime1 uint64 = 11400714785074694791
	sketchPrime2 uint64 = 14029467366897019727
	sketchPrime3 uint64 = 1609587929392839161
	sketchPrime4 uint64 = 9650029242287828579
	sketchPrime5 uint64 = 2870177450012600261
)

func sketchXXRound(acc, in uint64) uint64 {
	acc += in * sketchPrime2
	acc = bits.RotateLeft64(acc, 31)
	return acc * sketchPrime1
}

func sketchXXMerge(acc, v uint64) uint64 {
	acc ^= sketchXXRound(0, v)
	return acc*sketchPrime1 + sketchPrime4
}

// sketchHashString is xxhash64 of s with the given seed. It reads the string's
// bytes in place, without copying.
func sketchHashString(s string, seed uint64) uint64 {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	n := len(b)
	var h uint64
	if n >= 32 {
		v1 := seed + sketchPrime1 + sketchPrime2
		v2 := seed + sketchPrime2
		v3 := seed
		v4 := seed - sketchPrime1
		for len(b) >= 32 {
			v1 = sketchXXRound(v1, binary.LittleEndian.Uint64(b[0:8]))
			v2 = sketchXXRound(v2, binary.LittleEndian.Uint64(b[8:16]))
			v3 = sketchXXRound(v3, binary.LittleEndian.Uint64(b[16:24]))
			v4 = sketchXXRound(v4, binary.LittleEndian.Uint64(b[24:32]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = sketchXXMerge(h, v1)
		h = sketchXXMerge(h, v2)
		h = sketchXXMerge(h, v3)
		h = sketchXXMerge(h, v4)
	} else {
		h = seed + sketchPrime5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= sketchXXRound(0, binary.LittleEndian.Uint64(b[:8]))
		h = bits.RotateLeft64(h, 27)*sketchPrime1 + sketchPrime4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b[:4])) * sketchPrime1
		h = bits.RotateLeft64(h, 23)*sketchPrime2 + sketchPrime3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * sketchPrime5
		h = bits.RotateLeft64(h, 11) * sketchPrime1
	}
	h ^= h >> 33
	h *= sketchPrime2
	h ^= h >> 29
	h *= sketchPrime3
	h ^= h >> 32
	return h
}

func sketchHashInt(i int64, seed uint64) uint64 { return sketchMix(uint64(i) ^ seed) }

// sketchHashReal hashes a real so that integral values match sketchHashInt(x, sketchSeedInt)
// and every NaN hashes alike.
func sketchHashReal(f float64) uint64 {
	if f == math.Trunc(f) && math.Abs(f) < 1e18 {
		return sketchHashInt(int64(f), sketchSeedInt)
	}
	if f != f {
		f = math.NaN()
	}
	return sketchMix(math.Float64bits(f) ^ sketchSeedReal)
}

// sketchHashValue hashes a non-null value.
func sketchHashValue(v types.Value) uint64 {
	switch v.Type {
	case types.Bool, types.Int, types.Long:
		return sketchHashInt(v.I, sketchSeedInt)
	case types.Datetime:
		return sketchHashInt(v.I, sketchSeedDatetime)
	case types.Timespan:
		return sketchHashInt(v.I, sketchSeedTimespan)
	case types.Real, types.Decimal:
		return sketchHashReal(v.F)
	case types.String, types.Guid:
		return sketchHashString(v.S, sketchSeedString)
	case types.Dynamic:
		if s := types.FromDynamic(v.D); s.Type != types.Dynamic {
			return sketchHashValue(s)
		}
		return sketchHashString(types.FormatJSON(v.D), sketchSeedJSON)
	}
	return 0
}

// colHasher hashes the rows of one argument column, caching the hashes of
// a dictionary-encoded column's distinct strings.
type colHasher struct {
	dict   []string
	hashes []uint64
	known  []bool // hashes[i] is computed
}

// hash returns the hash of row r of c and false when the row is null.
// Strings are never null: the empty string is a value.
func (h *colHasher) hash(c *vec.Column, r int) (uint64, bool) {
	if c.Valid != nil && c.IsNull(r) {
		return 0, false
	}
	switch c.Type {
	case types.Bool, types.Int, types.Long:
		return sketchHashInt(c.Int(r), sketchSeedInt), true
	case types.Datetime:
		return sketchHashInt(c.Int(r), sketchSeedDatetime), true
	case types.Timespan:
		return sketchHashInt(c.Int(r), sketchSeedTimespan), true
	case types.Real, types.Decimal:
		return sketchHashReal(c.Float(r)), true
	case types.String, types.Guid:
		if c.Codes != nil && !c.Const {
			return h.dictHash(c, r), true
		}
		return sketchHashString(c.Str(r), sketchSeedString), true
	case types.Null:
		return 0, false
	}
	v := c.Value(r)
	if v.IsNull() {
		return 0, false
	}
	return sketchHashValue(v), true
}

func (h *colHasher) dictHash(c *vec.Column, r int) uint64 {
	h.useDict(c.Dict)
	return h.codeHash(c.Codes[r])
}

// useDict makes dict the dictionary codeHash hashes from.
func (h *colHasher) useDict(dict []string) {
	if !sameSlice(h.dict, dict) {
		h.dict = dict
		h.hashes = growTo(h.hashes[:0], len(dict))
		h.known = growTo(h.known[:0], len(dict))
		clear(h.known)
	}
}

// codeHash returns the hash of dictionary entry code, hashing each entry
// the first time it is asked for: a filtered batch may use few of them.
func (h *colHasher) codeHash(code uint32) uint64 {
	if !h.known[code] {
		h.hashes[code] = sketchHashString(h.dict[code], sketchSeedString)
		h.known[code] = true
	}
	return h.hashes[code]
}

// sameSlice reports whether a and b are the same slice (not merely
// equal contents).
func sameSlice(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
