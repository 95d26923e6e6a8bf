// Package rowcodec encodes a batch of table rows as one write-ahead-log
// record: the table name, its schema and the columns, in a compact binary
// form that is cheap to write on the ingestion path and is checked in full
// when read back.
//
// # Format
//
// Integers are unsigned varints (uvarint) or zigzag varints (varint) as in
// encoding/binary; a str is a uvarint length and that many bytes.
//
//	record   version (1 byte, 1) | str table | uvarint ncols | ncols × field |
//	         uvarint nrows | ncols × column
//	field    str name | type (1 byte, types.Type)
//	column   flags (1 byte) | [valid] | values
//
// Flags: 1 constant (one stored value stands for all nrows rows), 2 nulls (a
// valid bitmap follows), 4 dictionary (string types only). A column stores m
// values: 1 if constant, else nrows. The valid bitmap has ceil(m/8) bytes,
// bit i%8 of byte i/8 set when value i is not null, unused bits zero. The
// values, by the type's storage:
//
//	int     m × varint of the difference from the previous value (the first from 0)
//	float   m × 8 bytes, IEEE 754 bits, little-endian
//	string  m × str; or, with the dictionary flag, uvarint ndict | ndict × str | m × uvarint code
//	dynamic m × value
//
// A dynamic value is a tag byte and its data:
//
//	0 null   1 false   2 true   3 long: varint   4 real: 8 bytes   5 string: str
//	6 datetime: varint ticks   7 timespan: varint ticks   8 guid: str
//	9 array: uvarint n | n × value   10 bag: uvarint n | n × (str key | value)
//
// Columns of the null type are stored as dynamic columns of nulls.
package rowcodec

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

const version = 1

// Column flags.
const (
	flagConst = 1 << iota
	flagNulls
	flagDict
	flagsKnown = flagConst | flagNulls | flagDict
)

// MaxRows is the largest row count a record may hold. It bounds what a
// corrupt record of constant columns can claim (their rows take no bytes).
const MaxRows = 1 << 24

// Encode appends the encoding of b, rows of table with the given schema, to
// dst and returns the extended slice. b's columns must follow schema and
// hold b.N rows each; dynamic values must be of the Go types kql/types
// documents (a plain int, int32 or float32 is widened). Encode panics on a
// batch of more than MaxRows rows, a dynamic value of another Go type or one
// nested deeper than 16384 levels (encoding/json stops at 10000): all are
// bugs of the caller, and a record Decode would refuse must never reach the
// log.
func Encode(dst []byte, table string, schema vec.Schema, b *vec.Batch) []byte {
	if b.N > MaxRows {
		panic(fmt.Sprintf("rowcodec: batch of %d rows exceeds %d", b.N, MaxRows))
	}
	dst = slices.Grow(dst, 64+len(schema)*(16+b.N*4))
	dst = append(dst, version)
	dst = appendStr(dst, table)
	dst = binary.AppendUvarint(dst, uint64(len(schema)))
	for _, f := range schema {
		dst = appendStr(dst, f.Name)
		dst = append(dst, byte(f.Type))
	}
	dst = binary.AppendUvarint(dst, uint64(b.N))
	for i, f := range schema {
		dst = appendColumn(dst, f.Type, b.Cols[i], b.N)
	}
	return dst
}

func appendStr(dst []byte, s string) []byte {
	return append(appendLen(dst, len(s)), s...)
}

// appendLen appends n as a uvarint, with a fast path for the common one-byte
// case.
func appendLen(dst []byte, n int) []byte {
	if n < 0x80 {
		return append(dst, byte(n))
	}
	return binary.AppendUvarint(dst, uint64(n))
}

// appendColumn appends column c of type t with n rows.
func appendColumn(dst []byte, t types.Type, c *vec.Column, n int) []byte {
	m := n
	flags := byte(0)
	if c.Const {
		m, flags = 1, flagConst
	}
	valid := c.Valid
	if valid != nil && !slices.Contains(valid[:m], false) {
		valid = nil
	}
	if valid != nil {
		flags |= flagNulls
	}
	dict := c.Codes != nil && t.Storage() == types.StoreString
	if dict {
		flags |= flagDict
	}
	dst = append(dst, flags)
	if valid != nil {
		dst = appendBitmap(dst, valid[:m])
	}
	switch {
	case t == types.Null:
		for range m {
			dst = append(dst, tagNull)
		}
	case dict:
		dst = binary.AppendUvarint(dst, uint64(len(c.Dict)))
		for _, s := range c.Dict {
			dst = appendStr(dst, s)
		}
		for _, code := range c.Codes[:m] {
			dst = binary.AppendUvarint(dst, uint64(code))
		}
	default:
		dst = appendValues(dst, t.Storage(), c, m)
	}
	return dst
}

// appendValues appends the first m stored values of a column without a
// dictionary.
func appendValues(dst []byte, st types.Storage, c *vec.Column, m int) []byte {
	switch st {
	case types.StoreInt:
		prev := int64(0)
		for _, x := range c.Ints[:m] {
			dst = binary.AppendVarint(dst, x-prev)
			prev = x
		}
	case types.StoreFloat:
		for _, x := range c.Floats[:m] {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(x))
		}
	case types.StoreString:
		for _, s := range c.Strs[:m] {
			dst = appendStr(dst, s)
		}
	default:
		for _, v := range c.Anys[:m] {
			dst = appendDynamic(dst, v, 0)
		}
	}
	return dst
}

func appendBitmap(dst []byte, valid []bool) []byte {
	for i := 0; i < len(valid); i += 8 {
		var b byte
		for j, v := range valid[i:min(i+8, len(valid))] {
			if v {
				b |= 1 << j
			}
		}
		dst = append(dst, b)
	}
	return dst
}
