package rowcodec

import (
	"encoding/binary"
	"fmt"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Decode decodes a record written by Encode. Every length and count is
// checked against the bytes that remain, so corrupt input gives an error,
// never a panic or an allocation much larger than data. Dictionary columns
// come back dictionary-encoded, constant columns constant, and Valid is nil
// for a column without nulls.
//
// All decoded strings share one copy of data: data may be reused once
// Decode returns, and the batch keeps that copy alive.
func Decode(data []byte) (table string, schema vec.Schema, b *vec.Batch, err error) {
	d := &decoder{data: data, s: string(data)}
	if v := d.byte(); d.err == nil && v != version {
		return "", nil, nil, fmt.Errorf("rowcodec: unknown record version %d", v)
	}
	table = d.str()
	schema = make(vec.Schema, d.count("column count", 2))
	for i := 0; i < len(schema) && d.err == nil; i++ {
		schema[i].Name = d.str()
		schema[i].Type = types.Type(d.byte())
		if schema[i].Type > types.Dynamic {
			d.fail("column %q has unknown type %d", schema[i].Name, schema[i].Type)
		}
	}
	n := d.uvarint()
	if n > MaxRows {
		d.fail("row count %d exceeds %d", n, MaxRows)
	}
	b = &vec.Batch{N: int(n), Cols: make([]*vec.Column, len(schema))}
	for i := 0; i < len(schema) && d.err == nil; i++ {
		b.Cols[i] = d.column(schema[i].Type, int(n))
	}
	if d.err == nil && d.p != len(data) {
		d.fail("%d bytes after the last column", len(data)-d.p)
	}
	if d.err != nil {
		return "", nil, nil, d.err
	}
	return table, schema, b, nil
}

// decoder reads a record; the first failure sticks in err, after which
// every read returns a zero value.
type decoder struct {
	data []byte
	s    string // data as a string, so strings are substrings without copies
	p    int
	err  error

	anySlab []any
	strSlab []string
	bagSlab []types.Bag
	boxes   map[string]any
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("rowcodec: byte %d: %s", d.p, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) left() int { return len(d.data) - d.p }

func (d *decoder) byte() byte {
	if d.err != nil || d.left() < 1 {
		d.fail("unexpected end of record")
		return 0
	}
	d.p++
	return d.data[d.p-1]
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	if d.p < len(d.data) && d.data[d.p] < 0x80 {
		d.p++
		return uint64(d.data[d.p-1])
	}
	v, n := binary.Uvarint(d.data[d.p:])
	if n <= 0 {
		d.fail("bad or truncated varint")
		return 0
	}
	d.p += n
	return v
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *decoder) uint64() uint64 {
	if d.err != nil || d.left() < 8 {
		d.fail("unexpected end of record")
		return 0
	}
	d.p += 8
	return binary.LittleEndian.Uint64(d.data[d.p-8:])
}

// count reads a uvarint count of items that take at least unit bytes each
// and checks that they can fit in what remains.
func (d *decoder) count(what string, unit int) int {
	v := d.uvarint()
	if v > uint64(d.left()/unit) {
		d.fail("%s %d exceeds the %d bytes left", what, v, d.left())
		return 0
	}
	return int(v)
}

func (d *decoder) str() string {
	n := d.count("string length", 1)
	d.p += n
	return d.s[d.p-n : d.p]
}

// bitmap reads a valid bitmap of m bits.
func (d *decoder) bitmap(m int) []bool {
	nb := (m + 7) / 8
	if d.err != nil || d.left() < nb {
		d.fail("unexpected end of record in a valid bitmap of %d rows", m)
		return nil
	}
	valid := make([]bool, m)
	for i := range valid {
		valid[i] = d.data[d.p+i/8]&(1<<(i%8)) != 0
	}
	if m%8 != 0 && d.data[d.p+nb-1]>>(m%8) != 0 {
		d.fail("valid bitmap has bits set past row %d", m)
	}
	d.p += nb
	return valid
}
