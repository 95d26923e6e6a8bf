package types

import (
	"math"
	"strconv"
	"strings"
)

// Convert converts v to type t following Kusto's to*() functions: a value
// that does not convert becomes null of t.
func Convert(v Value, t Type) Value {
	if v.Type == t {
		return v
	}
	if v.IsNull() {
		return NullOf(t)
	}
	if v.Type == Dynamic {
		v = FromDynamic(v.D)
		if v.Type == t || v.IsNull() {
			if v.IsNull() {
				return NullOf(t)
			}
			return v
		}
	}
	switch t {
	case Bool:
		return toBool(v)
	case Int:
		r := toLong(v)
		if r.Valid {
			r.Type = Int
			r.I = int64(int32(r.I))
		}
		return r
	case Long:
		return toLong(v)
	case Real, Decimal:
		r := toReal(v)
		r.Type = t
		return r
	case Datetime:
		return toDatetime(v)
	case Timespan:
		return toTimespan(v)
	case Guid:
		if v.Type == String {
			if g, ok := ParseGuid(v.S); ok {
				return NewGuid(g)
			}
		}
		return NullOf(Guid)
	case String:
		return NewString(v.String())
	case Dynamic:
		return NewDynamic(ToDynamic(v))
	}
	return NullOf(t)
}

func toBool(v Value) Value {
	switch v.Type {
	case Int, Long:
		return NewBool(v.I != 0)
	case Real, Decimal:
		return NewBool(v.F != 0)
	case String:
		switch strings.ToLower(strings.TrimSpace(v.S)) {
		case "true", "1":
			return NewBool(true)
		case "false", "0":
			return NewBool(false)
		}
	}
	return NullOf(Bool)
}

func toLong(v Value) Value {
	switch v.Type {
	case Bool, Int, Long:
		return NewLong(v.I)
	case Datetime, Timespan:
		return NewLong(v.I)
	case Real, Decimal:
		if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
			return NullOf(Long)
		}
		return NewLong(int64(v.F))
	case String:
		s := strings.TrimSpace(v.S)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return NewLong(i)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return NewLong(int64(f))
		}
	}
	return NullOf(Long)
}

func toReal(v Value) Value {
	switch v.Type {
	case Bool, Int, Long, Datetime, Timespan:
		return NewReal(float64(v.I))
	case Real, Decimal:
		return NewReal(v.F)
	case String:
		if f, ok := ParseReal(v.S); ok {
			return NewReal(f)
		}
	}
	return NullOf(Real)
}

// ParseReal parses a real as Kusto's toreal() does, accepting NaN and
// (+/-)inf spellings.
func ParseReal(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), true
	case "inf", "+inf", "infinity", "+infinity":
		return math.Inf(1), true
	case "-inf", "-infinity":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func toDatetime(v Value) Value {
	switch v.Type {
	case String:
		if t, ok := ParseDatetime(v.S); ok {
			return NewDatetime(t)
		}
	case Long, Int:
		return NewDatetime(v.I)
	}
	return NullOf(Datetime)
}

func toTimespan(v Value) Value {
	switch v.Type {
	case String:
		if t, ok := ParseTimespan(v.S); ok {
			return NewTimespan(t)
		}
	case Long, Int:
		return NewTimespan(v.I)
	case Real, Decimal:
		return NewTimespan(int64(v.F))
	}
	return NullOf(Timespan)
}

// ParseGuid parses a guid in its usual text forms and returns the
// canonical lower-case form.
func ParseGuid(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimSuffix(s, "}"), "{")
	h := strings.ReplaceAll(s, "-", "")
	if len(h) != 32 {
		return "", false
	}
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return "", false
		}
	}
	h = strings.ToLower(h)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// ToDynamic converts a scalar value to its dynamic representation.
func ToDynamic(v Value) any {
	if v.IsNull() {
		return nil
	}
	switch v.Type {
	case Bool:
		return v.I != 0
	case Int, Long:
		return v.I
	case Real, Decimal:
		return v.F
	case Datetime:
		return DatetimeVal(v.I)
	case Timespan:
		return TimespanVal(v.I)
	case Guid:
		return GuidVal(v.S)
	case String:
		return v.S
	case Dynamic:
		return v.D
	}
	return nil
}

// FromDynamic returns the scalar held by a dynamic value, or the dynamic
// value itself for arrays and bags.
func FromDynamic(d any) Value {
	switch x := d.(type) {
	case nil:
		return NullOf(Dynamic)
	case bool:
		return NewBool(x)
	case int64:
		return NewLong(x)
	case float64:
		return NewReal(x)
	case string:
		return NewString(x)
	case DatetimeVal:
		return NewDatetime(int64(x))
	case TimespanVal:
		return NewTimespan(int64(x))
	case GuidVal:
		return NewGuid(string(x))
	}
	return NewDynamic(d)
}
