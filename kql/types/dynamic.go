package types

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
)

// Dynamic values are Go values of these types:
//
//	nil                JSON null
//	bool, int64, float64, string
//	DatetimeVal, TimespanVal, GuidVal   typed scalars kept inside dynamic
//	[]any              array
//	*Bag               property bag
type (
	// DatetimeVal is a datetime held in a dynamic value (ticks).
	DatetimeVal int64
	// TimespanVal is a timespan held in a dynamic value (ticks).
	TimespanVal int64
	// GuidVal is a guid held in a dynamic value (canonical text).
	GuidVal string
)

// Bag is a property bag. Keys keep insertion order, as Kusto prints them.
type Bag struct {
	Keys []string
	Vals []any
}

// Get returns the value of key and whether it is present.
func (b *Bag) Get(key string) (any, bool) {
	for i, k := range b.Keys {
		if k == key {
			return b.Vals[i], true
		}
	}
	return nil, false
}

// Set sets key to v, replacing an existing value.
func (b *Bag) Set(key string, v any) {
	for i, k := range b.Keys {
		if k == key {
			b.Vals[i] = v
			return
		}
	}
	b.Keys = append(b.Keys, key)
	b.Vals = append(b.Vals, v)
}

// Len returns the number of properties.
func (b *Bag) Len() int { return len(b.Keys) }

// ParseJSON parses JSON text into a dynamic value (see ParseJSONBytes).
func ParseJSON(s string) (any, error) { return ParseJSONBytes([]byte(s)) }

// FormatJSON formats a dynamic value as compact JSON.
func FormatJSON(v any) string {
	var b bytes.Buffer
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		switch {
		case math.IsNaN(x):
			b.WriteString(`"NaN"`)
		case math.IsInf(x, 1):
			b.WriteString(`"Infinity"`)
		case math.IsInf(x, -1):
			b.WriteString(`"-Infinity"`)
		default:
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
	case string:
		writeJSONString(b, x)
	case DatetimeVal:
		writeJSONString(b, FormatDatetimeFull(int64(x)))
	case TimespanVal:
		writeJSONString(b, FormatTimespan(int64(x)))
	case GuidVal:
		writeJSONString(b, string(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case *Bag:
		b.WriteByte('{')
		for i, k := range x.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			writeJSON(b, x.Vals[i])
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	// encoding/json escapes <, > and & for HTML; Kusto does not.
	enc = bytes.ReplaceAll(enc, []byte(`\u003c`), []byte("<"))
	enc = bytes.ReplaceAll(enc, []byte(`\u003e`), []byte(">"))
	enc = bytes.ReplaceAll(enc, []byte(`\u0026`), []byte("&"))
	b.Write(enc)
}

// SortedKeys returns a bag's keys in sorted order.
func (b *Bag) SortedKeys() []string {
	keys := append([]string(nil), b.Keys...)
	sort.Strings(keys)
	return keys
}
