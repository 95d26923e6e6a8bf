package tablemap

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// setRaw fills row w of c from a JSON value (not null), converted to the
// column's type, and reports whether it did: a value that does not convert
// leaves the cell null, as Azure Monitor leaves a value that does not fit
// its column.
func setRaw(c *vec.Column, w int, v jval, d *decoder) bool {
	raw := v.raw
	switch c.Type {
	case types.String:
		c.Strs[w] = v.jsonText()
		return true
	case types.Dynamic:
		c.Anys[w], c.Valid[w] = dynamicFromRaw(v, d), true
		return true
	}
	if raw[0] == '"' {
		return setText(c, w, v.str())
	}
	switch c.Type.Storage() {
	case types.StoreString: // guid
		return false
	case types.StoreAny:
		return false
	}
	switch raw[0] {
	case 't', 'f':
		if c.Type == types.Bool {
			c.Ints[w], c.Valid[w] = b2i(raw[0] == 't'), true
			return true
		}
		return false
	case '{', '[':
		return false
	}
	switch x := number(v.text).(type) {
	case int64:
		return setInt(c, w, x)
	case float64:
		return setFloat(c, w, x)
	}
	return false
}

// dynamicFromRaw is a JSON value as a dynamic column holds it. A string
// that holds a JSON object or array (as Graph gives riskDetection's
// additionalInfo) is decoded, as Kusto does when it ingests such a string
// into a dynamic column.
func dynamicFromRaw(v jval, d *decoder) any {
	if v.raw[0] != '"' {
		return d.decode(v.text)
	}
	s := v.str()
	if t := strings.TrimSpace(s); len(t) > 1 && (t[0] == '{' || t[0] == '[') {
		sc := scanner{s: []byte(t)}
		var spaced bool
		if sc.skipValue(0, &spaced) == nil && sc.i == len(sc.s) {
			return d.decode(t)
		}
	}
	return s
}

// setText fills row w of c from text, converted to the column's type.
// Empty text leaves the cell null.
func setText(c *vec.Column, w int, s string) bool {
	if s == "" {
		return false
	}
	switch c.Type {
	case types.String:
		c.Strs[w] = s
	case types.Guid:
		c.Strs[w], c.Valid[w] = s, true
	case types.Dynamic:
		c.Anys[w], c.Valid[w] = s, true
	case types.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		c.Ints[w], c.Valid[w] = b2i(b), true
	case types.Int, types.Long:
		i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if ferr != nil {
				return false
			}
			return setFloat(c, w, f)
		}
		return setInt(c, w, i)
	case types.Real, types.Decimal:
		f, ok := types.ParseReal(strings.TrimSpace(s))
		if !ok {
			return false
		}
		c.Floats[w], c.Valid[w] = f, true
	case types.Datetime:
		ticks, ok := parseTime(s)
		if !ok {
			return false
		}
		c.Ints[w], c.Valid[w] = ticks, true
	case types.Timespan:
		ticks, ok := types.ParseTimespan(s)
		if !ok {
			return false
		}
		c.Ints[w], c.Valid[w] = ticks, true
	default:
		return false
	}
	return true
}

// setInt fills row w of c from an integer.
func setInt(c *vec.Column, w int, i int64) bool {
	switch c.Type {
	case types.String:
		c.Strs[w] = strconv.FormatInt(i, 10)
	case types.Dynamic:
		c.Anys[w], c.Valid[w] = i, true
	case types.Int:
		if i < math.MinInt32 || i > math.MaxInt32 {
			return false
		}
		c.Ints[w], c.Valid[w] = i, true
	case types.Long:
		c.Ints[w], c.Valid[w] = i, true
	case types.Real, types.Decimal:
		c.Floats[w], c.Valid[w] = float64(i), true
	case types.Bool:
		if i != 0 && i != 1 {
			return false
		}
		c.Ints[w], c.Valid[w] = i, true
	default:
		return false
	}
	return true
}

// setFloat fills row w of c from a number with a fraction or exponent.
func setFloat(c *vec.Column, w int, f float64) bool {
	switch c.Type {
	case types.Real, types.Decimal:
		c.Floats[w], c.Valid[w] = f, true
		return true
	case types.String:
		c.Strs[w] = types.FormatReal(f)
		return true
	case types.Dynamic:
		c.Anys[w], c.Valid[w] = f, true
		return true
	case types.Int, types.Long:
		if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
			return setInt(c, w, int64(f))
		}
	}
	return false
}

// parseTime parses an ISO 8601 datetime (Entra writes UTC with seven
// fractional digits) into ticks, falling back to KQL's datetime forms.
func parseTime(s string) (int64, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return types.TicksFromTime(t), true
	}
	return types.ParseDatetime(s)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
