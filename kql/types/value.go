package types

import (
	"math"
	"strconv"
	"strings"
)

// Value is one scalar value. For every type but string a value may be
// null; a string is never null (the empty string stands for it).
//
// I holds bool (0 or 1), int, long, and datetime and timespan ticks; F holds
// real and decimal; S holds string and guid (canonical lower-case text);
// D holds a dynamic value (see Dyn).
type Value struct {
	Type  Type
	Valid bool // false for null
	I     int64
	F     float64
	S     string
	D     any
}

// NullOf returns the null value of type t.
func NullOf(t Type) Value {
	if t == String {
		return Value{Type: String, Valid: true}
	}
	return Value{Type: t}
}

// NewBool returns a bool value.
func NewBool(b bool) Value {
	v := Value{Type: Bool, Valid: true}
	if b {
		v.I = 1
	}
	return v
}

// NewInt returns an int value.
func NewInt(i int32) Value { return Value{Type: Int, Valid: true, I: int64(i)} }

// NewLong returns a long value.
func NewLong(i int64) Value { return Value{Type: Long, Valid: true, I: i} }

// NewReal returns a real value.
func NewReal(f float64) Value { return Value{Type: Real, Valid: true, F: f} }

// NewDecimal returns a decimal value (held as float64; see docs).
func NewDecimal(f float64) Value { return Value{Type: Decimal, Valid: true, F: f} }

// NewString returns a string value.
func NewString(s string) Value { return Value{Type: String, Valid: true, S: s} }

// NewDatetime returns a datetime value from ticks since 0001-01-01.
func NewDatetime(ticks int64) Value { return Value{Type: Datetime, Valid: true, I: ticks} }

// NewTimespan returns a timespan value from ticks.
func NewTimespan(ticks int64) Value { return Value{Type: Timespan, Valid: true, I: ticks} }

// NewGuid returns a guid value from its canonical text.
func NewGuid(s string) Value { return Value{Type: Guid, Valid: true, S: s} }

// NewDynamic returns a dynamic value; d must be a Dyn value (see dynamic.go).
func NewDynamic(d any) Value { return Value{Type: Dynamic, Valid: true, D: d} }

// IsNull reports whether v is null. Dynamic values holding JSON null count
// as null, as Kusto's isnull() does.
func (v Value) IsNull() bool {
	if !v.Valid {
		return true
	}
	return v.Type == Dynamic && v.D == nil
}

// Bool returns v as a Go bool (false for null).
func (v Value) Bool() bool { return v.Valid && v.I != 0 }

// String formats v the way Kusto shows it in a result grid: datetimes as
// 2017-01-01T00:00:00Z, timespans as [-][d.]hh:mm:ss[.fffffff], dynamic as
// compact JSON, null (including a dynamic JSON null) as the empty string.
func (v Value) String() string {
	if v.IsNull() {
		return ""
	}
	switch v.Type {
	case Bool:
		if v.I != 0 {
			return "true"
		}
		return "false"
	case Int, Long:
		return strconv.FormatInt(v.I, 10)
	case Real, Decimal:
		return FormatReal(v.F)
	case Datetime:
		return FormatDatetime(v.I)
	case Timespan:
		return FormatTimespan(v.I)
	case String, Guid:
		return v.S
	case Dynamic:
		// A dynamic string shows as its text, other values as JSON.
		if s, ok := v.D.(string); ok {
			return s
		}
		return FormatJSON(v.D)
	}
	return ""
}

// FormatReal formats a real as Kusto does: shortest round-trip text,
// NaN, Infinity and -Infinity.
func FormatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	// Like .NET's round-trip format: plain digits for exponents from -4 to
	// 14, otherwise 1E-05, 1.5E+20.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp >= -4 && exp < 15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	mant, expPart, _ := strings.Cut(e, "e")
	sign := expPart[:1]
	digits := strings.TrimLeft(expPart[1:], "0")
	if len(digits) < 2 {
		digits = strings.Repeat("0", 2-len(digits)) + digits
	}
	return mant + "E" + sign + digits
}
