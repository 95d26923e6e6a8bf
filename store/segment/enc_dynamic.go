package segment

import (
	"fmt"
	"math"

	"github.com/idlogs/idlogs/kql/types"
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
)

// maxDynDepth bounds the nesting of decoded values, so damaged input cannot
// exhaust the stack.
const maxDynDepth = 256

// appendDynamic writes v in the binary form.
func appendDynamic(w *writer, v any) error {
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
			if err := appendDynamic(w, e); err != nil {
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
			if err := appendDynamic(w, v.Vals[i]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("segment: cannot store dynamic value of Go type %T", v)
	}
	return nil
}

// readDynamic decodes one value.
func readDynamic(r *reader, depth int) any {
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
		return r.str()
	case dynDatetime:
		return types.DatetimeVal(r.varint())
	case dynTimespan:
		return types.TimespanVal(r.varint())
	case dynGuid:
		return types.GuidVal(r.str())
	case dynArray:
		n := r.count(math.MaxInt32, 1)
		a := make([]any, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			a = append(a, readDynamic(r, depth+1))
		}
		return a
	case dynBag:
		n := r.count(math.MaxInt32, 2)
		b := &types.Bag{Keys: make([]string, 0, n), Vals: make([]any, 0, n)}
		for i := 0; i < n && r.err == nil; i++ {
			b.Keys = append(b.Keys, r.str())
			b.Vals = append(b.Vals, readDynamic(r, depth+1))
		}
		return b
	default:
		if r.err == nil {
			r.fail("unknown dynamic tag %d", tag)
		}
		return nil
	}
}

// encodeDynamics writes the values of a dynamic chunk; null rows are dynNull.
func encodeDynamics(w *writer, vs []any, valid []bool) error {
	for i, v := range vs {
		if valid != nil && !valid[i] {
			v = nil
		}
		if err := appendDynamic(w, v); err != nil {
			return err
		}
	}
	return nil
}

func decodeDynamics(r *reader, n int) []any {
	if n > len(r.b) {
		r.fail("%d values in %d bytes", n, len(r.b))
		return nil
	}
	vs := make([]any, n)
	for i := range vs {
		vs[i] = readDynamic(r, 0)
		if r.err != nil {
			return nil
		}
	}
	return vs
}
