package builtin

import (
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// TestIndexColumnMatchesRowByRow: member and element access over a
// dynamic column gives what it gives one row at a time, nulls included.
func TestIndexColumnMatchesRowByRow(t *testing.T) {
	col := mixedDynamicColumn(t)
	keys := []types.Value{types.NewString("key"), types.NewString("value"), types.NewLong(1), types.NewLong(-1),
		types.NewReal(0), types.NewDynamic("key"), types.NullOf(types.String)}
	for _, k := range keys {
		checkColumnAtATime(t, "__index", col, vec.NewConst(k, col.N))
	}
}

// TestToStringDynamicMatchesRowByRow: tostring() over a dynamic column
// gives what it gives one row at a time.
func TestToStringDynamicMatchesRowByRow(t *testing.T) {
	checkColumnAtATime(t, "tostring", mixedDynamicColumn(t))
}

// mixedDynamicColumn is a dynamic column of bags, arrays, scalars of each
// kind, JSON null and a null row.
func mixedDynamicColumn(t *testing.T) *vec.Column {
	t.Helper()
	texts := []string{`{"key":"a","value":"1"}`, `{"value":2}`, `[10,20,30]`, `"key"`, `""`, `null`, `{"key":null}`,
		`{"key":{"x":[1]}}`, `[]`, `{"Key":"b"}`, `1.5`, `7`, `true`}
	vals := make([]types.Value, 0, len(texts)+1)
	for _, s := range texts {
		d, err := types.ParseJSON(s)
		if err != nil {
			t.Fatal(err)
		}
		vals = append(vals, types.NewDynamic(d))
	}
	vals = append(vals, types.NullOf(types.Dynamic), types.NewDynamic(types.GuidVal("01234567-89ab-cdef-0123-456789abcdef")))
	return vec.FromValues(types.Dynamic, vals)
}
