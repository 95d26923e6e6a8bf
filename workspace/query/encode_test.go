package query

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func TestAppendValue(t *testing.T) {
	bag := &types.Bag{}
	bag.Set("a", int64(123))
	bag.Set("b", "hello")
	bag.Set("c", []any{int64(1), int64(2), int64(3)})
	bag.Set("d", &types.Bag{})
	dt, _ := types.ParseDatetime("2015-12-31T23:59:59.9Z")
	for _, tc := range []struct {
		v    types.Value
		want string
	}{
		{types.NewBool(false), `false`},
		{types.NewBool(true), `true`},
		{types.NewInt(-7), `-7`},
		{types.NewLong(12345), `12345`},
		{types.NewReal(12345.6789), `12345.6789`},
		{types.NewReal(1e20), `1E+20`},
		{types.NewReal(math.NaN()), `"NaN"`},
		{types.NewReal(math.Inf(-1)), `"-Infinity"`},
		{types.NewDecimal(0.10101), `"0.10101"`},
		{types.NewString("string value"), `"string value"`},
		{types.NewString("a<b>&\"c\"\n\x01"), `"a<b>&\"c\"\n\u0001"`},
		{types.NewString("bad \xff utf8"), `"bad \ufffd utf8"`},
		{types.NewGuid("74BE27DE-1E4E-49D9-B579-FE0B331D3642"), `"74be27de-1e4e-49d9-b579-fe0b331d3642"`},
		{types.NewDatetime(dt), `"2015-12-31T23:59:59.9Z"`},
		{types.NewDatetime(dt - 9*types.TicksPerSecond/10), `"2015-12-31T23:59:59Z"`},
		{types.NewDatetime(dt + 1), `"2015-12-31T23:59:59.9000001Z"`},
		{types.NewTimespan(10 * types.TicksPerSecond), `"00:00:10"`},
		{types.NewTimespan(types.TicksPerDay + 2*types.TicksPerHour + 5), `"1.02:00:00.0000005"`},
		{types.NewDynamic(bag), `"{\"a\":123,\"b\":\"hello\",\"c\":[1,2,3],\"d\":{}}"`},
		{types.NewDynamic([]any{"x", nil}), `"[\"x\",null]"`},
		{types.NewDynamic("text"), `"text"`},
		{types.NullOf(types.Long), `null`},
		{types.NullOf(types.Datetime), `null`},
		{types.NullOf(types.Dynamic), `null`},
		{types.NullOf(types.Null), `null`},
	} {
		b := vec.NewBuilder(tc.v.Type, 1)
		b.Append(tc.v)
		got := string(AppendValue(nil, b.Build(), 0))
		if got != tc.want {
			t.Errorf("%s %v: got %s, want %s", tc.v.Type, tc.v, got, tc.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("%s: %s is not JSON", tc.v.Type, got)
		}
	}
}

func TestColumnType(t *testing.T) {
	want := map[types.Type]string{types.Bool: "bool", types.Int: "int", types.Long: "long", types.Real: "real",
		types.Decimal: "decimal", types.Datetime: "datetime", types.Timespan: "timespan", types.Guid: "guid",
		types.String: "string", types.Dynamic: "dynamic"}
	for ty, name := range want {
		if got := ColumnType(ty); got != name {
			t.Errorf("ColumnType(%s) = %s, want %s", ty, got, name)
		}
	}
	if got, ok := types.Lookup("double"); !ok || ColumnType(got) != "real" {
		t.Errorf("double is reported as %s", ColumnType(got))
	}
}
