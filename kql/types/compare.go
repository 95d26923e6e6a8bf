package types

import (
	"cmp"
	"math"
	"strings"
)

// Compare orders two values for sorting: numbers by value across int, long,
// real and decimal (NaN after every number); strings ordinally; datetimes
// and timespans by ticks; false before true; dynamic values by their JSON
// text. Nulls compare before everything; the caller decides where nulls go.
func Compare(a, b Value) int {
	an, bn := a.IsNull(), b.IsNull()
	switch {
	case an && bn:
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	if a.Type == Dynamic || b.Type == Dynamic {
		a, b = unwrapDynamic(a), unwrapDynamic(b)
		if a.Type == Dynamic || b.Type == Dynamic {
			return strings.Compare(a.String(), b.String())
		}
	}
	switch {
	case a.Type.IsNumeric() && b.Type.IsNumeric():
		if a.Type.IsInteger() && b.Type.IsInteger() {
			return CompareInts(a.I, b.I)
		}
		return CompareFloats(num(a), num(b))
	case a.Type.Storage() == StoreInt && b.Type.Storage() == StoreInt:
		return CompareInts(a.I, b.I)
	case a.Type.Storage() == StoreString && b.Type.Storage() == StoreString:
		return strings.Compare(a.S, b.S)
	}
	return strings.Compare(a.String(), b.String())
}

func unwrapDynamic(v Value) Value {
	if v.Type == Dynamic {
		return FromDynamic(v.D)
	}
	return v
}

func num(v Value) float64 {
	if v.Type.Storage() == StoreFloat {
		return v.F
	}
	return float64(v.I)
}

// CompareInts is the three-way comparison of two integers.
func CompareInts(a, b int64) int { return cmp.Compare(a, b) }

// CompareFloats is the three-way comparison of two reals, with NaN after
// every number (as Kusto sorts them).
func CompareFloats(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Key appends a canonical encoding of v to dst for hashing and equality
// in grouping and joins: equal values (long 1 and int 1, say) encode the
// same way, nulls of any type encode the same way.
func Key(dst []byte, v Value) []byte {
	if v.IsNull() {
		return append(dst, 0)
	}
	switch v.Type {
	case Bool, Int, Long:
		dst = append(dst, 'i')
		return appendInt(dst, v.I)
	case Real, Decimal:
		if v.F == math.Trunc(v.F) && math.Abs(v.F) < 1e18 {
			dst = append(dst, 'i')
			return appendInt(dst, int64(v.F))
		}
		dst = append(dst, 'f')
		return appendInt(dst, int64(math.Float64bits(v.F)))
	case Datetime:
		dst = append(dst, 'd')
		return appendInt(dst, v.I)
	case Timespan:
		dst = append(dst, 't')
		return appendInt(dst, v.I)
	case String, Guid:
		dst = append(dst, 's')
		dst = appendInt(dst, int64(len(v.S)))
		return append(dst, v.S...)
	}
	s := v.String()
	dst = append(dst, 'j')
	dst = appendInt(dst, int64(len(s)))
	return append(dst, s...)
}

func appendInt(dst []byte, i int64) []byte {
	u := uint64(i)
	return append(dst, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}
