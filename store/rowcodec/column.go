package rowcodec

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// column decodes a column of type t with n rows.
func (d *decoder) column(t types.Type, n int) *vec.Column {
	flags := d.byte()
	if flags&^flagsKnown != 0 {
		d.fail("unknown column flags %#x", flags)
	}
	c := &vec.Column{Type: t, N: n, Const: flags&flagConst != 0}
	m := n
	if c.Const {
		m = 1
	}
	if flags&flagNulls != 0 {
		c.Valid = d.bitmap(m)
	}
	if flags&flagDict != 0 {
		if t.Storage() != types.StoreString {
			d.fail("dictionary flag on a %s column", t)
			return c
		}
		d.dict(c, m)
		return c
	}
	switch {
	case t == types.Null:
		c.Anys = make([]any, d.items(m, 1))
		for range c.Anys {
			if tag := d.byte(); tag != tagNull {
				d.fail("value of tag %d in a column of type null", tag)
			}
		}
	case t.Storage() == types.StoreInt:
		c.Ints = d.ints(t, m)
	case t.Storage() == types.StoreFloat:
		c.Floats = make([]float64, d.items(m, 8))
		for i := range c.Floats {
			c.Floats[i] = math.Float64frombits(d.uint64())
		}
	case t.Storage() == types.StoreString:
		c.Strs = make([]string, d.items(m, 1))
		for i := range c.Strs {
			c.Strs[i] = d.str()
		}
	default:
		c.Anys = make([]any, d.items(m, 1))
		for i := 0; i < len(c.Anys) && d.err == nil; i++ {
			c.Anys[i] = d.dynamic(0)
		}
	}
	return c
}

// items checks that m items of at least unit bytes each fit in what
// remains and returns m, or 0 after a failure.
func (d *decoder) items(m, unit int) int {
	if d.err != nil {
		return 0
	}
	if m > d.left()/unit {
		d.fail("%d values do not fit in the %d bytes left", m, d.left())
		return 0
	}
	return m
}

// ints decodes m delta-encoded values of an int-stored type and checks
// that they are in the type's range.
func (d *decoder) ints(t types.Type, m int) []int64 {
	xs := make([]int64, d.items(m, 1))
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch t {
	case types.Bool:
		lo, hi = 0, 1
	case types.Int:
		lo, hi = math.MinInt32, math.MaxInt32
	}
	prev := int64(0)
	for i := range xs {
		prev += d.varint()
		if prev < lo || prev > hi {
			d.fail("value %d out of range for %s", prev, t)
			return xs
		}
		xs[i] = prev
	}
	return xs
}

// dict decodes the dictionary and m codes of a string column into c.
func (d *decoder) dict(c *vec.Column, m int) {
	c.Dict = make([]string, d.count("dictionary size", 1))
	for i := range c.Dict {
		c.Dict[i] = d.str()
	}
	c.Codes = make([]uint32, d.items(m, 1))
	for i := range c.Codes {
		code := d.uvarint()
		if code >= uint64(len(c.Dict)) {
			d.fail("dictionary code %d of %d entries", code, len(c.Dict))
			return
		}
		c.Codes[i] = uint32(code)
	}
}
