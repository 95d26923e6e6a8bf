package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
)

// maxFieldBytes is the longest string value the Logs Ingestion API keeps;
// longer values are truncated.
const maxFieldBytes = 64 << 10

// convert turns a JSON value (as types.ParseJSON gives it: nil, bool,
// int64, float64, string, []any, *types.Bag) into a value of a stream
// column's type. A value that does not fit gives an error that says what it
// is and what was expected; the caller adds the record and field.
func convert(v any, t types.Type) (types.Value, error) {
	if v == nil {
		return types.NullOf(t), nil
	}
	switch t {
	case types.String:
		return types.NewString(truncate(toText(v), maxFieldBytes)), nil
	case types.Dynamic:
		return types.NewDynamic(v), nil
	case types.Bool:
		switch x := v.(type) {
		case bool:
			return types.NewBool(x), nil
		case int64:
			if x == 0 || x == 1 {
				return types.NewBool(x == 1), nil
			}
		case string:
			if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
				return types.NewBool(b), nil
			}
		}
	case types.Int, types.Long:
		i, ok := toInteger(v)
		if ok && (t == types.Long || i >= math.MinInt32 && i <= math.MaxInt32) {
			if t == types.Int {
				return types.NewInt(int32(i)), nil
			}
			return types.NewLong(i), nil
		}
	case types.Real:
		switch x := v.(type) {
		case int64:
			return types.NewReal(float64(x)), nil
		case float64:
			return types.NewReal(x), nil
		case string:
			if f, ok := types.ParseReal(strings.TrimSpace(x)); ok {
				return types.NewReal(f), nil
			}
		}
	case types.Datetime:
		switch x := v.(type) {
		case string:
			if ticks, ok := types.ParseDatetime(x); ok {
				return types.NewDatetime(ticks), nil
			}
		case int64:
			// Unix seconds, as Fluent Bit sends its time key by default
			// (unverified how Azure reads a number for a datetime column).
			return types.NewDatetime(unixEpochTicks + x*types.TicksPerSecond), nil
		case float64:
			return types.NewDatetime(unixEpochTicks + int64(math.Round(x*float64(types.TicksPerSecond)))), nil
		}
	}
	return types.Value{}, fmt.Errorf("%s is not a %s", describe(v), typeName(t))
}

// unixEpochTicks is 1970-01-01 in ticks.
var unixEpochTicks = types.TicksFromTime(time.Unix(0, 0))

func toInteger(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			return int64(x), true
		}
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return i, err == nil
	}
	return 0, false
}

// typeName is a stream column type as DCRs spell it.
func typeName(t types.Type) string {
	if t == types.Bool {
		return "boolean"
	}
	return t.String()
}

// describe shows a JSON value in an error message, shortened.
func describe(v any) string {
	s := types.FormatJSON(v)
	if _, ok := v.(string); ok {
		s = strconv.Quote(v.(string))
	}
	if len(s) > 60 {
		s = truncate(s, 57) + "..."
	}
	return s
}

// toText is a JSON value as a string column holds it: strings as they are,
// other values as JSON text.
func toText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return types.FormatJSON(v)
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
