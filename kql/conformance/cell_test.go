package conformance

import (
	"math"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
)

func dt(s string) types.Value {
	t, ok := types.ParseDatetime(s)
	if !ok {
		panic("bad datetime " + s)
	}
	return types.NewDatetime(t)
}

func ts(s string) types.Value {
	t, ok := types.ParseTimespan(s)
	if !ok {
		panic("bad timespan " + s)
	}
	return types.NewTimespan(t)
}

func dyn(s string) types.Value {
	d, err := types.ParseJSON(s)
	if err != nil {
		panic(err)
	}
	return types.NewDynamic(d)
}

func TestMatchCell(t *testing.T) {
	tests := []struct {
		want string
		got  types.Value
		ok   bool
	}{
		// Null and empty.
		{"", types.NullOf(types.Long), true},
		{"", types.NewString(""), true},
		{"null", types.NullOf(types.Int), true},
		{"null", types.NewString(""), false},
		{"", types.NewLong(0), false},
		{"0", types.NullOf(types.Long), false},
		{"", types.NewDynamic(nil), true},
		// Bool.
		{"true", types.NewBool(true), true},
		{"True", types.NewBool(true), true},
		{"1", types.NewBool(true), true},
		{"0", types.NewBool(false), true},
		{"false", types.NewBool(true), false},
		// Integers.
		{"42", types.NewLong(42), true},
		{"-7", types.NewInt(-7), true},
		{"1,048,576", types.NewLong(1048576), true},
		{"42.0", types.NewLong(42), true},
		{"43", types.NewLong(42), false},
		// Reals: tolerance and the docs' rounding.
		{"0.5", types.NewReal(0.5), true},
		{"0.33", types.NewReal(1.0 / 3), true},
		{"0.34", types.NewReal(1.0 / 3), false},
		{"3", types.NewReal(3.0000000001), true},
		{"3", types.NewReal(3.4), false},
		{"1E-05", types.NewReal(0.00001), true},
		{"1.5E-05", types.NewReal(0.0000151), true},
		{"NaN", types.NewReal(math.NaN()), true},
		{"∞", types.NewReal(math.Inf(1)), true},
		{"-∞", types.NewReal(math.Inf(-1)), true},
		{"∞", types.NewReal(math.Inf(-1)), false},
		{"0", types.NewReal(1e-17), true},
		// Datetimes in the docs' styles.
		{"2017-01-01T00:00:00Z", dt("2017-01-01"), true},
		{"2017-01-01 00:00:00.0000000", dt("2017-01-01"), true},
		{"2017-01-01T00:00:00.0000000Z", dt("2017-01-01"), true},
		{"2017-01-01T10:00:00.123Z", dt("2017-01-01T10:00:00.1234567Z"), true},
		{"2017-01-01T10:00:00.124Z", dt("2017-01-01T10:00:00.1234567Z"), false},
		{"2017-01-02", dt("2017-01-01"), false},
		// Timespans.
		{"1.00:00:00", ts("1d"), true},
		{"00:10:00", ts("10m"), true},
		{"-00:10:00", ts("-10m"), true},
		{"00:10:00", ts("11m"), false},
		// Guids and strings.
		{"7A1B0000-0000-0000-0000-000000000000", types.NewGuid("7a1b0000-0000-0000-0000-000000000000"), true},
		{"abc", types.NewString("abc"), true},
		{"abc", types.NewString("abc "), true},
		{"abc", types.NewString("Abc"), false},
		{"a b c", types.NewString("a\n  b\n c"), true},
		{"a b c", types.NewString("a  b c"), false},
		// Dynamic.
		{`{"b": 2, "a": [1, "x"]}`, dyn(`{"a":[1,"x"],"b":2}`), true},
		{`{"a": 1}`, dyn(`{"a":1,"b":2}`), false},
		{`[1, 2]`, dyn(`[2, 1]`), false},
		{`["01:00:00"]`, types.NewDynamic([]any{types.TimespanVal(types.TicksPerHour)}), true},
		{`["2007-01-01T00:00:00.0000000Z"]`, types.NewDynamic([]any{types.DatetimeVal(dt("2007-01-01").I)}), true},
		{"hello", types.NewDynamic("hello"), true},
		{"12", types.NewDynamic("12"), true},
		{"1.5", types.NewDynamic(1.5), true},
		{"null", types.NewDynamic(nil), true},
		// Ellipses.
		{`{"type": "Polygon", "coordinates": [ ... ]}`, dyn(`{"type":"Polygon","coordinates":[[1,2],[3,4]]}`), true},
		{`{"type": "Point", "coordinates": [ ... ]}`, dyn(`{"type":"Polygon","coordinates":[[1,2]]}`), false},
		{"https://a.b/c?sv=2012...", types.NewString("https://a.b/c?sv=2012-02-12&x=1"), true},
	}
	for _, tt := range tests {
		if got := matchCell(tt.want, tt.got); got != tt.ok {
			t.Errorf("matchCell(%q, %s %q) = %v, want %v", tt.want, tt.got.Type, tt.got.String(), got, tt.ok)
		}
	}
}

func TestShownHalfUnit(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"3", 0}, {"0.33", 0.005}, {"1.5E-05", 0.5e-6}, {"12.0", 0.05}, {"1e3", 0},
	}
	for _, tt := range tests {
		if got := shownHalfUnit(tt.in); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("shownHalfUnit(%q) = %g, want %g", tt.in, got, tt.want)
		}
	}
}
