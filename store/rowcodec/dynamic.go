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

// appendDynamic appends the tagged encoding of the dynamic value v, nested
// depth levels deep.
func appendDynamic(dst []byte, v any, depth int) []byte {
	switch x := v.(type) {
	case string:
		return appendStr(append(dst, tagString), x)
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
	case types.DatetimeVal:
		return binary.AppendVarint(append(dst, tagDatetime), int64(x))
	case types.TimespanVal:
		return binary.AppendVarint(append(dst, tagTimespan), int64(x))
	case types.GuidVal:
		return appendStr(append(dst, tagGuid), string(x))
	case []any:
		checkDepth(depth)
		dst = appendLen(append(dst, tagArray), len(x))
		for _, e := range x {
			dst = appendDynamic(dst, e, depth+1)
		}
		return dst
	case *types.Bag:
		if x == nil {
			return append(dst, tagNull)
		}
		checkDepth(depth)
		dst = appendLen(append(dst, tagBag), len(x.Keys))
		for i, k := range x.Keys {
			dst = appendStr(dst, k)
			dst = appendDynamic(dst, x.Vals[i], depth+1)
		}
		return dst
	case int:
		return appendDynamic(dst, int64(x), depth)
	case int32:
		return appendDynamic(dst, int64(x), depth)
	case float32:
		return appendDynamic(dst, float64(x), depth)
	}
	panic(fmt.Sprintf("rowcodec: dynamic value of unsupported Go type %T", v))
}

// checkDepth panics before Encode writes a value Decode would refuse.
func checkDepth(depth int) {
	if depth >= maxDepth {
		panic(fmt.Sprintf("rowcodec: dynamic value nested deeper than %d levels", maxDepth))
	}
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
		return d.boxStr(d.str())
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
	a := d.anys(d.count("array length", 1))
	for i := 0; i < len(a) && d.err == nil; i++ {
		a[i] = d.dynamic(depth)
	}
	return a
}

func (d *decoder) bag(depth int) any {
	n := d.count("property bag size", 2)
	b := d.newBag()
	if n > 0 {
		b.Keys, b.Vals = d.strs(n), d.anys(n)
	}
	for i := 0; i < n && d.err == nil; i++ {
		b.Keys[i] = d.str()
		b.Vals[i] = d.dynamic(depth)
	}
	return b
}

// boxStr returns s as a dynamic value. Short strings repeat (enum-like
// property values), so their boxes are shared: a boxed string is immutable.
func (d *decoder) boxStr(s string) any {
	if len(s) > maxBoxedLen {
		return s
	}
	if v, ok := d.boxes[s]; ok {
		return v
	}
	var v any = s
	if len(d.boxes) < maxBoxes {
		if d.boxes == nil {
			d.boxes = make(map[string]any)
		}
		d.boxes[s] = v
	}
	return v
}

const (
	maxBoxedLen = 32
	maxBoxes    = 4096
)

// Dynamic values are many small objects; the decoder carves them out of
// larger blocks to save allocations. The values of one record share blocks.
const slabSize = 1024

// anys returns a slice of n values, its capacity capped so that appending
// to it cannot overwrite a neighbour.
func (d *decoder) anys(n int) []any {
	if n == 0 {
		return []any{} // an empty array is not nil
	}
	if n > len(d.anySlab) {
		d.anySlab = make([]any, max(n, slabSize))
	}
	a := d.anySlab[:n:n]
	d.anySlab = d.anySlab[n:]
	return a
}

func (d *decoder) strs(n int) []string {
	if n > len(d.strSlab) {
		d.strSlab = make([]string, max(n, slabSize))
	}
	a := d.strSlab[:n:n]
	d.strSlab = d.strSlab[n:]
	return a
}

func (d *decoder) newBag() *types.Bag {
	if len(d.bagSlab) == 0 {
		d.bagSlab = make([]types.Bag, slabSize/4)
	}
	b := &d.bagSlab[0]
	d.bagSlab = d.bagSlab[1:]
	return b
}
