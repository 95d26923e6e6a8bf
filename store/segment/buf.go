package segment

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// errCorrupt is wrapped by every decoding error.
var errCorrupt = errors.New("segment: corrupt data")

func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errCorrupt}, args...)...)
}

// writer appends the primitive encodings used by every part of the format.
type writer struct{ b []byte }

func (w *writer) byte(x byte)      { w.b = append(w.b, x) }
func (w *writer) uvarint(x uint64) { w.b = binary.AppendUvarint(w.b, x) }
func (w *writer) varint(x int64)   { w.b = binary.AppendVarint(w.b, x) }
func (w *writer) u32(x uint32)     { w.b = binary.LittleEndian.AppendUint32(w.b, x) }
func (w *writer) u64(x uint64)     { w.b = binary.LittleEndian.AppendUint64(w.b, x) }
func (w *writer) f64(x float64)    { w.u64(math.Float64bits(x)) }
func (w *writer) bytes(p []byte)   { w.uvarint(uint64(len(p))); w.b = append(w.b, p...) }
func (w *writer) str(s string)     { w.uvarint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *writer) bool(x bool)      { w.byte(b2i(x)) }
func (w *writer) raw(p []byte)     { w.b = append(w.b, p...) }
func (w *writer) rawStr(s string)  { w.b = append(w.b, s...) }

func b2i(x bool) byte {
	if x {
		return 1
	}
	return 0
}

// reader decodes what writer wrote. The first error sticks: every later
// read returns zero values, so callers check err once at the end of a
// section. No read allocates more than the bytes that remain.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = corruptf(format, args...)
	}
	r.b = nil
}

func (r *reader) byte() byte {
	if len(r.b) < 1 {
		r.fail("unexpected end of data")
		return 0
	}
	x := r.b[0]
	r.b = r.b[1:]
	return x
}

func (r *reader) uvarint() uint64 {
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *reader) varint() int64 {
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return x
}

// count reads a length that must not exceed limit nor, with each element
// taking at least minSize bytes, what remains of the input.
func (r *reader) count(limit int, minSize int) int {
	x := r.uvarint()
	if r.err != nil {
		return 0
	}
	if x > uint64(limit) || minSize > 0 && x > uint64(len(r.b)/minSize) {
		r.fail("length %d out of range", x)
		return 0
	}
	return int(x)
}

func (r *reader) u32() uint32 {
	if len(r.b) < 4 {
		r.fail("unexpected end of data")
		return 0
	}
	x := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return x
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail("unexpected end of data")
		return 0
	}
	x := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return x
}

func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }

func (r *reader) bool() bool {
	switch r.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail("bad boolean")
	return false
}

func (r *reader) take(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.fail("length %d exceeds the %d bytes left", n, len(r.b))
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) bytes() []byte { return r.take(r.count(math.MaxInt32, 1)) }

func (r *reader) str() string { return string(r.bytes()) }

// done reports the sticky error, or an error when bytes are left over.
func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = corruptf("%d trailing bytes", len(r.b))
	}
	return r.err
}
