package builtin

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Hashes and guids: hash (hash_xxhash64), hash_md5, hash_sha1,
// hash_sha256, hash_combine, hash_many, new_guid, and tohex.
//
// hash() is xxhash64 with seed 0 over the value's bytes: UTF-8 for
// strings and little-endian ticks for datetimes match Kusto's documented
// results; the encodings of the other types are this engine's choice.
// The cryptographic hashes take a datetime's round-trip text
// (2020-01-01T00:00:00.0000000Z), which matches Kusto's documented
// result, and other values' tostring() text. hash_combine's mixing is not
// documented by Kusto: this engine uses xxhash64's merge rounds, so
// combined hashes do not match Kusto's.
func init() {
	RegisterScalar(
		&Scalar{Name: "hash", Bind: bindHash("hash")},
		&Scalar{Name: "hash_xxhash64", Bind: bindHash("hash_xxhash64")},
		cryptoHash("hash_md5", md5.New),
		cryptoHash("hash_sha1", sha1.New),
		cryptoHash("hash_sha256", sha256.New),
		&Scalar{Name: "hash_combine", Bind: bindHashCombine},
		&Scalar{Name: "hash_many", Bind: bindHashMany},
		&Scalar{Name: "new_guid", Bind: bindNewGuid, Volatile: true},
		&Scalar{Name: "tohex", Bind: bindTohex},
	)
}

// xxhash64 constants.
const (
	xxPrime1 uint64 = 11400714785074694791
	xxPrime2 uint64 = 14029467366897019727
	xxPrime3 uint64 = 1609587929392839161
	xxPrime4 uint64 = 9650029242287828579
	xxPrime5 uint64 = 2870177450012600261
)

func xxRound(acc, in uint64) uint64 {
	acc += in * xxPrime2
	return bits.RotateLeft64(acc, 31) * xxPrime1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxPrime1 + xxPrime4
}

// xxhash64 is the 64-bit xxHash of b with the given seed.
func xxhash64(b []byte, seed uint64) uint64 {
	n := uint64(len(b))
	h := seed + xxPrime5
	if len(b) >= 32 {
		h, b = xxStripes(b, seed)
	}
	return xxFinish(h+n, b)
}

// xxStripes consumes the 32-byte stripes of b into the four accumulators
// and merges them; it returns the state and the rest of b.
func xxStripes(b []byte, seed uint64) (uint64, []byte) {
	v1, v2, v3, v4 := seed+xxPrime1+xxPrime2, seed+xxPrime2, seed, seed-xxPrime1
	for len(b) >= 32 {
		v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
		v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
		v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
		v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
		b = b[32:]
	}
	h := bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
	return xxMerge(xxMerge(xxMerge(xxMerge(h, v1), v2), v3), v4), b
}

// xxFinish mixes in the tail of the input (under 32 bytes) and avalanches.
func xxFinish(h uint64, p []byte) uint64 {
	for len(p) >= 8 {
		h ^= xxRound(0, binary.LittleEndian.Uint64(p))
		h = bits.RotateLeft64(h, 27)*xxPrime1 + xxPrime4
		p = p[8:]
	}
	if len(p) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(p)) * xxPrime1
		h = bits.RotateLeft64(h, 23)*xxPrime2 + xxPrime3
		p = p[4:]
	}
	for _, c := range p {
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

// hashBytes is the byte encoding hash() reads for a value; ok is false
// for null.
func hashBytes(v types.Value) ([]byte, bool) {
	if v.Type == types.Dynamic {
		if v.IsNull() {
			return nil, false
		}
		if u := types.FromDynamic(v.D); u.Type != types.Dynamic {
			v = u
		} else {
			return []byte(v.String()), true
		}
	}
	if v.IsNull() && v.Type != types.String {
		return nil, false
	}
	switch v.Type {
	case types.String:
		return []byte(v.S), true
	case types.Guid:
		return guidBytes(v.S)
	case types.Bool:
		return []byte{byte(v.I)}, true
	case types.Int:
		return binary.LittleEndian.AppendUint32(nil, uint32(v.I)), true
	case types.Real, types.Decimal:
		return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v.F)), true
	}
	return binary.LittleEndian.AppendUint64(nil, uint64(v.I)), true
}

func bindHash(name string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 1, p("source", kAny), p("mod", kInt)); err != nil {
			return 0, nil, err
		}
		if m, ok := constInt(args[len(args)-1]); len(args) == 2 && ok && m <= 0 {
			return 0, nil, ArgError(name, "mod must be greater than 0, got %d", m)
		}
		if m, ok := constInt(args[len(args)-1]); args[0].Type == types.String && (len(args) == 1 || ok) {
			mod := uint64(max(m, 0))
			f := strToInt(types.Long, func(s string) int64 {
				h := xxhash64([]byte(s), 0)
				if len(args) == 2 {
					h %= mod
				}
				return int64(h)
			})
			return types.Long, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
				return f(ctx, a[:1], n)
			}, nil
		}
		return types.Long, RowKernel(types.Long, func(v []types.Value) types.Value {
			b, ok := hashBytes(v[0])
			if !ok {
				return types.NullOf(types.Long)
			}
			h := xxhash64(b, 0)
			if len(v) == 2 {
				m, ok := valueInt(v[1])
				if !ok || m <= 0 {
					return types.NullOf(types.Long)
				}
				return types.NewLong(int64(h % uint64(m)))
			}
			return types.NewLong(int64(h))
		}), nil
	}
}

// cryptoText is the text the cryptographic hashes read for a value.
func cryptoText(v types.Value) string {
	if v.Type == types.Datetime && v.Valid {
		t := types.TimeFromTicks(v.I)
		return t.Format("2006-01-02T15:04:05") + "." + strconv.FormatInt(v.I%types.TicksPerSecond+types.TicksPerSecond, 10)[1:] + "Z"
	}
	return asString(v)
}

func cryptoHash(name string, newHash func() hash.Hash) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 1, p("source", kAny)); err != nil {
			return 0, nil, err
		}
		sum := func(s string) string {
			h := newHash()
			h.Write([]byte(s))
			return hex.EncodeToString(h.Sum(nil))
		}
		return types.String, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			if a[0].Type == types.String {
				return strToStr(sum)(nil, a, n)
			}
			return RowKernel(types.String, func(v []types.Value) types.Value {
				if v[0].IsNull() {
					return types.NewString("")
				}
				return types.NewString(sum(cryptoText(v[0])))
			})(nil, a, n)
		}, nil
	}}
}

// combineHashes mixes hash values into one, with xxhash64's rounds.
func combineHashes(hs []uint64) uint64 {
	h := xxPrime5 + uint64(8*len(hs))
	for _, x := range hs {
		h ^= xxRound(0, x)
		h = bits.RotateLeft64(h, 27)*xxPrime1 + xxPrime4
	}
	return xxFinish(h, nil)
}

func bindHashCombine(args []Arg) (types.Type, Kernel, error) {
	if err := checkVariadic("hash_combine", args, 2, 64, nil, p("h", kInt)); err != nil {
		return 0, nil, err
	}
	return types.Long, RowKernel(types.Long, func(v []types.Value) types.Value {
		hs := make([]uint64, len(v))
		for i, x := range v {
			h, ok := valueInt(x)
			if !ok {
				return types.NullOf(types.Long)
			}
			hs[i] = uint64(h)
		}
		return types.NewLong(int64(combineHashes(hs)))
	}), nil
}

func bindHashMany(args []Arg) (types.Type, Kernel, error) {
	if err := checkVariadic("hash_many", args, 1, 64, nil, p("s", kAny)); err != nil {
		return 0, nil, err
	}
	return types.Long, RowKernel(types.Long, func(v []types.Value) types.Value {
		hs := make([]uint64, len(v))
		for i, x := range v {
			if b, ok := hashBytes(x); ok {
				hs[i] = xxhash64(b, 0)
			}
		}
		return types.NewLong(int64(combineHashes(hs)))
	}), nil
}

func bindNewGuid(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("new_guid", args, 0); err != nil {
		return 0, nil, err
	}
	return types.Guid, func(ctx *Context, _ []*vec.Column, n int) (*vec.Column, error) {
		r := guidSource(ctx)
		out := make([]string, n)
		for i := range out {
			out[i] = randomGuid(r)
		}
		return &vec.Column{Type: types.Guid, N: n, Strs: out}, nil
	}, nil
}

// guidSource is the query's random source, or a fresh one.
func guidSource(ctx *Context) *rand.Rand {
	if ctx != nil && ctx.Rand != nil {
		return ctx.Rand
	}
	now := uint64(time.Now().UnixNano())
	return rand.New(rand.NewPCG(now, now>>1))
}

// randomGuid returns a version 4 (random) guid.
func randomGuid(r *rand.Rand) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], r.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b[:])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

func bindTohex(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("tohex", args, 1, p("value", kInt), p("minLength", kInt)); err != nil {
		return 0, nil, err
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		x, ok := valueInt(v[0])
		if !ok {
			return types.NewString("")
		}
		var s string
		if v[0].Type == types.Int {
			s = strconv.FormatUint(uint64(uint32(x)), 16)
		} else {
			s = strconv.FormatUint(uint64(x), 16)
		}
		if len(v) == 2 {
			if w, ok := valueInt(v[1]); ok && int(min(w, 16)) > len(s) {
				s = strings.Repeat("0", int(min(w, 16))-len(s)) + s
			}
		}
		return types.NewString(s)
	}), nil
}
