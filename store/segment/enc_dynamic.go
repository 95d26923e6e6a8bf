package segment

import (
	"fmt"
	"math"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Dynamic values are stored in a binary form, one value after the other:
// a tag byte, then
//
//	dynNull, dynFalse, dynTrue    nothing
//	dynInt, dynDatetime, dynTimespan   zigzag varint
//	dynReal                        8 bytes, IEEE little endian
//	dynString, dynGuid             uvarint length, bytes
//	dynArray                       uvarint count, the elements
//	dynBag                         uvarint count, then key (uvarint length,
//	                               bytes) and value of each property, in
//	                               the bag's key order
//	dynShredded                    nothing: the value is that of the row
//	                               in the sub-column of this path
const (
	dynNull byte = iota
	dynFalse
	dynTrue
	dynInt
	dynReal
	dynString
	dynDatetime
	dynTimespan
	dynGuid
	dynArray
	dynBag
	dynShredded
)

// maxDynDepth bounds the nesting of decoded values, so damaged input cannot
// exhaust the stack.
const maxDynDepth = 256

// appendDynamic writes v in the binary form. node is the shredding trie
// node of v's path (nil when no path below is shredded): a property whose
// value is stored in a sub-column is written as dynShredded.
func appendDynamic(w *writer, v any, node *shredNode) error {
	switch v := v.(type) {
	case nil:
		w.byte(dynNull)
	case bool:
		w.byte(dynFalse + b2i(v))
	case int64:
		w.byte(dynInt)
		w.varint(v)
	case float64:
		w.byte(dynReal)
		w.f64(v)
	case string:
		w.byte(dynString)
		w.str(v)
	case types.DatetimeVal:
		w.byte(dynDatetime)
		w.varint(int64(v))
	case types.TimespanVal:
		w.byte(dynTimespan)
		w.varint(int64(v))
	case types.GuidVal:
		w.byte(dynGuid)
		w.str(string(v))
	case []any:
		w.byte(dynArray)
		w.uvarint(uint64(len(v)))
		for _, e := range v {
			if err := appendDynamic(w, e, nil); err != nil {
				return err
			}
		}
	case *types.Bag:
		if v == nil {
			w.byte(dynNull)
			return nil
		}
		w.byte(dynBag)
		w.uvarint(uint64(len(v.Keys)))
		for i, k := range v.Keys {
			w.str(k)
			child := node.child(k)
			if child != nil && child.slot >= 0 && child.holds(v.Vals[i]) && firstKey(v.Keys, i) {
				w.byte(dynShredded)
				continue
			}
			if err := appendDynamic(w, v.Vals[i], child); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("segment: cannot store dynamic value of Go type %T", v)
	}
	return nil
}

// firstKey reports whether Keys[i] is the first property of its name, the
// one a path lookup finds.
func firstKey(keys []string, i int) bool {
	for _, k := range keys[:i] {
		if k == keys[i] {
			return false
		}
	}
	return true
}

// dynDecoder decodes the dynamic values of a chunk; sub holds the
// shredded sub-columns that dynShredded values come from.
//
// Strings are substrings of one copy of the chunk, and the keys and
// values of bags are carved from shared slabs, so decoding a value
// allocates little more than its bags.
type dynDecoder struct {
	r    *reader
	row  int
	sub  []*vec.Column
	text string // the chunk as a string
	keys []string
	vals []any
}

// str reads a length-prefixed string as a substring of d.text.
func (d *dynDecoder) str() string {
	p := d.r.bytes()
	if d.r.err != nil {
		return ""
	}
	end := len(d.text) - len(d.r.b)
	return d.text[end-len(p) : end]
}

// slabs returns n keys and values from the slabs.
func (d *dynDecoder) slabs(n int) ([]string, []any) {
	if len(d.keys) < n {
		size := max(n, 1024)
		d.keys, d.vals = make([]string, size), make([]any, size)
	}
	k, v := d.keys[:0:n], d.vals[:0:n]
	d.keys, d.vals = d.keys[n:], d.vals[n:]
	return k, v
}

// readDynamic decodes one value at the path of node.
func (d *dynDecoder) readDynamic(depth int, node *shredNode) any {
	r := d.r
	if depth > maxDynDepth {
		r.fail("dynamic value nested deeper than %d", maxDynDepth)
		return nil
	}
	switch tag := r.byte(); tag {
	case dynNull:
		return nil
	case dynFalse, dynTrue:
		return tag == dynTrue
	case dynInt:
		return r.varint()
	case dynReal:
		return r.f64()
	case dynString:
		return d.str()
	case dynDatetime:
		return types.DatetimeVal(r.varint())
	case dynTimespan:
		return types.TimespanVal(r.varint())
	case dynGuid:
		return types.GuidVal(d.str())
	case dynArray:
		n := r.count(math.MaxInt32, 1)
		a := make([]any, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			a = append(a, d.readDynamic(depth+1, nil))
		}
		return a
	case dynBag:
		n := r.count(math.MaxInt32, 2)
		b := &types.Bag{}
		b.Keys, b.Vals = d.slabs(n)
		for i := 0; i < n && r.err == nil; i++ {
			k := d.str()
			b.Keys = append(b.Keys, k)
			b.Vals = append(b.Vals, d.readDynamic(depth+1, node.child(k)))
		}
		return b
	case dynShredded:
		return d.shredded(node)
	default:
		if r.err == nil {
			r.fail("unknown dynamic tag %d", tag)
		}
		return nil
	}
}

// shredded returns the value of the current row in the sub-column of node.
func (d *dynDecoder) shredded(node *shredNode) any {
	if node == nil || node.slot < 0 || node.slot >= len(d.sub) {
		d.r.fail("shredded value at a path that is not shredded")
		return nil
	}
	c := d.sub[node.slot]
	if d.row >= c.N || c.IsNull(d.row) {
		d.r.fail("shredded value missing from its sub-column")
		return nil
	}
	switch c.Type {
	case types.String:
		return c.Str(d.row)
	case types.Long:
		return c.Int(d.row)
	case types.Real:
		return c.Float(d.row)
	case types.Bool:
		return c.Int(d.row) != 0
	case types.Datetime:
		return types.DatetimeVal(c.Int(d.row))
	case types.Timespan:
		return types.TimespanVal(c.Int(d.row))
	}
	return c.Any(d.row)
}

// encodeDynamics writes the values of a dynamic chunk; null rows are dynNull.
func encodeDynamics(w *writer, vs []any, valid []bool, root *shredNode) error {
	start := len(w.b)
	for i, v := range vs {
		if i == 256 && len(vs) > 512 {
			// Reserve what the rows will take at the size of the first
			// ones, rather than growing (and copying) the chunk often.
			w.b = slices.Grow(w.b, (len(w.b)-start)*(len(vs)-i)/i*9/8)
		}
		if valid != nil && !valid[i] {
			v = nil
		}
		if err := appendDynamic(w, v, root); err != nil {
			return err
		}
	}
	return nil
}

func decodeDynamics(r *reader, n int, root *shredNode, sub []*vec.Column) []any {
	if n > len(r.b) {
		r.fail("%d values in %d bytes", n, len(r.b))
		return nil
	}
	vs := make([]any, n)
	d := &dynDecoder{r: r, sub: sub, text: string(r.b)}
	for i := range vs {
		d.row = i
		vs[i] = d.readDynamic(0, root)
		if r.err != nil {
			return nil
		}
	}
	return vs
}
