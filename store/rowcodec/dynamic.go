package rowcodec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Dynamic value tags.
const (
	tagNull byte = iota
	tagFalse
	tagTrue
	tagLong
	tagReal
	tagString
	tagDatetime
	tagTimespan
	tagGuid
	tagArray
	tagBag
)

// maxDepth bounds the nesting of arrays and bags Decode accepts, above the
// 10000 levels encoding/json parses.
const maxDepth = 1 << 14

// appendDynamic appends the tagged encoding of the dynamic value v.
func appendDynamic(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, tagNull)
	case bool:
		if x {
			return append(dst, tagTrue)
		}
		return append(dst, tagFalse)
	case int64:
		return binary.AppendVarint(append(dst, tagLong), x)
	case float64:
		return binary.LittleEndian.AppendUint64(append(dst, tagReal), math.Float64bits(x))
	case string:
		return appendStr(append(dst, tagString), x)
	case types.DatetimeVal:
		return binary.AppendVarint(append(dst, tagDatetime), int64(x))
	case types.TimespanVal:
		return binary.AppendVarint(append(dst, tagTimespan), int64(x))
	case types.GuidVal:
		return appendStr(append(dst, tagGuid), string(x))
	case []any:
		dst = binary.AppendUvarint(append(dst, tagArray), uint64(len(x)))
		for _, e := range x {
			dst = appendDynamic(dst, e)
		}
		return dst
	case *types.Bag:
		if x == nil {
			return append(dst, tagNull)
		}
		dst = binary.AppendUvarint(append(dst, tagBag), uint64(len(x.Keys)))
		for i, k := range x.Keys {
			dst = appendStr(dst, k)
			dst = appendDynamic(dst, x.Vals[i])
		}
		return dst
	case int:
		return appendDynamic(dst, int64(x))
	case int32:
		return appendDynamic(dst, int64(x))
	case float32:
		return appendDynamic(dst, float64(x))
	}
	panic(fmt.Sprintf("rowcodec: dynamic value of unsupported Go type %T", v))
}

// dynamic decodes one tagged value nested depth levels deep.
func (d *decoder) dynamic(depth int) any {
	switch tag := d.byte(); tag {
	case tagNull:
		return nil
	case tagFalse:
		return false
	case tagTrue:
		return true
	case tagLong:
		return d.varint()
	case tagReal:
		return math.Float64frombits(d.uint64())
	case tagString:
		return d.str()
	case tagDatetime:
		return types.DatetimeVal(d.varint())
	case tagTimespan:
		return types.TimespanVal(d.varint())
	case tagGuid:
		return types.GuidVal(d.str())
	case tagArray, tagBag:
		if depth >= maxDepth {
			d.fail("dynamic value nested deeper than %d levels", maxDepth)
			return nil
		}
		if tag == tagArray {
			return d.array(depth + 1)
		}
		return d.bag(depth + 1)
	default:
		d.fail("unknown dynamic value tag %d", tag)
		return nil
	}
}

func (d *decoder) array(depth int) any {
	n := d.count("array length", 1)
	a := make([]any, n)
	for i := 0; i < n && d.err == nil; i++ {
		a[i] = d.dynamic(depth)
	}
	return a
}

func (d *decoder) bag(depth int) any {
	n := d.count("property bag size", 2)
	b := &types.Bag{}
	if n > 0 {
		b.Keys, b.Vals = make([]string, n), make([]any, n)
	}
	for i := 0; i < n && d.err == nil; i++ {
		b.Keys[i] = d.str()
		b.Vals[i] = d.dynamic(depth)
	}
	return b
}
