package builtin

import (
	"encoding/binary"
	"strings"
	"unsafe"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// foldTable maps ASCII upper-case letters to lower case and every other
// byte to itself.
var foldTable = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

// folder lowers ASCII strings into a reused buffer. A folder belongs to
// one kernel call.
type folder struct{ buf []byte }

// lower returns s in lower case and true when s is ASCII; otherwise it
// returns false and the caller lowers s with strings.ToLower, whose
// Unicode case mapping may change lengths.
func (f *folder) lower(s string) (string, bool) {
	if cap(f.buf) < len(s) {
		f.buf = make([]byte, len(s)*2)
	}
	b := f.buf[:len(s)]
	var or byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		or |= c
		b[i] = foldTable[c]
	}
	if or >= 0x80 {
		return "", false
	}
	// The string aliases the buffer; it is used before the next call.
	return unsafeString(b), true
}

// equalFoldASCII reports whether a equals the lower-case ASCII string
// lower ignoring ASCII case; a must be ASCII.
func equalFoldASCII(a, lower string) bool {
	if len(a) != len(lower) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if foldTable[a[i]] != lower[i] {
			return false
		}
	}
	return true
}

// caseInsensitive returns a matcher of strings s for the case-insensitive
// operator name against the constant t, giving the answer of
// f(strings.ToLower(s), strings.ToLower(t)) without lowering ASCII
// strings through Unicode tables, or nil.
func caseInsensitive(name string, f func(s, t string) bool, t string) func(s string) bool {
	tl := strings.ToLower(t)
	slow := func(s string) bool { return f(strings.ToLower(s), tl) }
	switch name {
	case "startswith":
		return func(s string) bool {
			if len(s) >= len(tl) && isASCII(s[:len(tl)]) {
				return equalFoldASCII(s[:len(tl)], tl)
			}
			if len(s) < len(tl) && asciiOnly(s) {
				// Lowering ASCII keeps the length: too short to match.
				return false
			}
			return slow(s)
		}
	case "endswith":
		return func(s string) bool {
			if len(s) >= len(tl) && isASCII(s[len(s)-len(tl):]) {
				return equalFoldASCII(s[len(s)-len(tl):], tl)
			}
			if len(s) < len(tl) && asciiOnly(s) {
				return false
			}
			return slow(s)
		}
	case "has", "hasprefix", "hassuffix", "contains":
		if tl != "" && isASCII(tl) {
			before, after := name == "has" || name == "hasprefix", name == "has" || name == "hassuffix"
			if name == "contains" {
				before, after = false, false
			}
			return func(s string) bool {
				if asciiOnly(s) {
					return findTermFold(s, tl, before, after)
				}
				return slow(s)
			}
		}
		var fo folder
		return func(s string) bool {
			if ls, ok := fo.lower(s); ok {
				return f(ls, tl)
			}
			return slow(s)
		}
	}
	return nil
}

// stringPredKernel evaluates a binary string predicate; operands convert
// to string. With a constant right side, a dictionary-encoded left side
// is evaluated once per dictionary entry and a plain one in a loop over
// its strings with the matcher that match builds for the constant.
func stringPredKernel(f func(s, t string) bool, match func(t string) func(s string) bool, negate bool) Kernel {
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		l, r := args[0], args[1]
		if r.Const && l.Type == types.String && !l.Const {
			t := asString(r.Value(0))
			m := match(t)
			if m == nil {
				m = func(s string) bool { return f(s, t) }
			}
			out := make([]int64, n)
			if l.Codes != nil {
				hit := make([]int64, len(l.Dict))
				for i, s := range l.Dict {
					hit[i] = b2i(m(s) != negate)
				}
				for i, code := range l.Codes[:n] {
					out[i] = hit[code]
				}
				return boolColumn(out, nil), nil
			}
			for i, s := range l.Strs[:n] {
				out[i] = b2i(m(s) != negate)
			}
			return boolColumn(out, nil), nil
		}
		return RowKernel(types.Bool, func(v []types.Value) types.Value {
			return types.NewBool(f(asString(v[0]), asString(v[1])) != negate)
		})(ctx, args, n)
	}
}

// unsafeString returns the bytes of b as a string without copying; b must
// not change while the string is in use.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// noMatcher leaves a predicate to its row function.
func noMatcher(string) func(string) bool { return nil }

// asciiOnly reports whether s has no byte of 0x80 or above, reading eight
// bytes at a time.
func asciiOnly(s string) bool {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}

// findTermFold is findTerm ignoring ASCII case: s is ASCII and tl a
// non-empty lower-case ASCII string. Candidates are found by searching for
// both cases of tl's first byte.
func findTermFold(s, tl string, before, after bool) bool {
	c0 := tl[0]
	c1 := c0
	if c0 >= 'a' && c0 <= 'z' {
		c1 = c0 - 'a' + 'A'
	}
	end := len(s) - len(tl) + 1 // candidates start before end
	if end <= 0 {
		return false
	}
	next0, next1 := -2, -2 // next position of c0 and c1 at or after from; -2: unknown
	for from := 0; from < end; {
		if next0 != -1 && next0 < from {
			next0 = indexByteFrom(s[:end], c0, from)
		}
		if c1 == c0 {
			next1 = -1
		} else if next1 != -1 && next1 < from {
			next1 = indexByteFrom(s[:end], c1, from)
		}
		i := next0
		if i < 0 || next1 >= 0 && next1 < i {
			i = next1
		}
		if i < 0 {
			return false
		}
		if equalFoldASCII(s[i:i+len(tl)], tl) &&
			(!before || termBoundaryBefore(s, i)) && (!after || termBoundaryAfter(s, i+len(tl))) {
			return true
		}
		from = i + 1
	}
	return false
}

// indexByteFrom returns the index of the first c in s at or after from, or
// -1.
func indexByteFrom(s string, c byte, from int) int {
	i := strings.IndexByte(s[from:], c)
	if i < 0 {
		return -1
	}
	return from + i
}
