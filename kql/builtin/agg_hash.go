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
	seedInt      = 0x9e3779b97f4a7c15
	seedReal     = 0xc2b2ae3d27d4eb4f
	seedDatetime = 0x165667b19e3779f9
	seedTimespan = 0x27d4eb2f165667c5
	seedString   = 0x85ebca77c2b2ae63
	seedJSON     = 0xff51afd7ed558ccd
)

// mix64 is the murmur3 64-bit finalizer: every input bit affects every
// output bit, which HyperLogLog's register index and rank rely on.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// xxhash64 primes.
const (
	xxPrime1 uint64 = 11400714785074694791
	xxPrime2 uint64 = 14029467366897019727
	xxPrime3 uint64 = 1609587929392839161
	xxPrime4 uint64 = 9650029242287828579
	xxPrime5 uint64 = 2870177450012600261
)

func xxRound(acc, in uint64) uint64 {
	acc += in * xxPrime2
	acc = bits.RotateLeft64(acc, 31)
	return acc * xxPrime1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxPrime1 + xxPrime4
}

// hashString is xxhash64 of s with the given seed. It reads the string's
// bytes in place, without copying.
func hashString(s string, seed uint64) uint64 {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	n := len(b)
	var h uint64
	if n >= 32 {
		v1 := seed + xxPrime1 + xxPrime2
		v2 := seed + xxPrime2
		v3 := seed
		v4 := seed - xxPrime1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:8]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:16]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:24]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:32]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = seed + xxPrime5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b[:8]))
		h = bits.RotateLeft64(h, 27)*xxPrime1 + xxPrime4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b[:4])) * xxPrime1
		h = bits.RotateLeft64(h, 23)*xxPrime2 + xxPrime3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxPrime5
		h = bits.RotateLeft64(h, 11) * xxPrime1
	}
	h ^= h >> 33
	h *= xxPrime2
	h ^= h >> 29
	h *= xxPrime3
	h ^= h >> 32
	return h
}

func hashInt(i int64, seed uint64) uint64 { return mix64(uint64(i) ^ seed) }

// hashReal hashes a real so that integral values match hashInt(x, seedInt)
// and every NaN hashes alike.
func hashReal(f float64) uint64 {
	if f == math.Trunc(f) && math.Abs(f) < 1e18 {
		return hashInt(int64(f), seedInt)
	}
	if f != f {
		f = math.NaN()
	}
	return mix64(math.Float64bits(f) ^ seedReal)
}

// hashValue hashes a non-null value.
func hashValue(v types.Value) uint64 {
	switch v.Type {
	case types.Bool, types.Int, types.Long:
		return hashInt(v.I, seedInt)
	case types.Datetime:
		return hashInt(v.I, seedDatetime)
	case types.Timespan:
		return hashInt(v.I, seedTimespan)
	case types.Real, types.Decimal:
		return hashReal(v.F)
	case types.String, types.Guid:
		return hashString(v.S, seedString)
	case types.Dynamic:
		if s := types.FromDynamic(v.D); s.Type != types.Dynamic {
			return hashValue(s)
		}
		return hashString(types.FormatJSON(v.D), seedJSON)
	}
	return 0
}

// colHasher hashes the rows of one argument column, caching the hashes of
// a dictionary-encoded column's distinct strings.
type colHasher struct {
	dict   []string
	hashes []uint64
}

// hash returns the hash of row r of c and false when the row is null.
// Strings are never null: the empty string is a value.
func (h *colHasher) hash(c *vec.Column, r int) (uint64, bool) {
	if c.Valid != nil && c.IsNull(r) {
		return 0, false
	}
	switch c.Type {
	case types.Bool, types.Int, types.Long:
		return hashInt(c.Int(r), seedInt), true
	case types.Datetime:
		return hashInt(c.Int(r), seedDatetime), true
	case types.Timespan:
		return hashInt(c.Int(r), seedTimespan), true
	case types.Real, types.Decimal:
		return hashReal(c.Float(r)), true
	case types.String, types.Guid:
		if c.Codes != nil && !c.Const {
			return h.dictHash(c, r), true
		}
		return hashString(c.Str(r), seedString), true
	case types.Null:
		return 0, false
	}
	v := c.Value(r)
	if v.IsNull() {
		return 0, false
	}
	return hashValue(v), true
}

func (h *colHasher) dictHash(c *vec.Column, r int) uint64 {
	if !sameStrings(h.dict, c.Dict) {
		h.dict = c.Dict
		h.hashes = make([]uint64, len(c.Dict))
		for i, s := range c.Dict {
			h.hashes[i] = hashString(s, seedString)
		}
	}
	return h.hashes[c.Codes[r]]
}

// sameStrings reports whether a and b are the same slice (not merely
// equal contents).
func sameStrings(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
