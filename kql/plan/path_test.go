package plan_test

import (
	"testing"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func TestExtractPath(t *testing.T) {
	rows := []types.Value{
		dyn(`{"os":"iOS","trust":{"type":"joined","level":3}}`),
		dyn(`{"os":17,"trust":"none"}`),
		dyn(`{"os":{"name":"Linux"},"trust":{"level":"2"}}`),
		dyn(`{"os":null}`),
		dyn(`[{"os":"in an array"}]`),
		dyn(`"a string"`),
		types.NullOf(types.Dynamic),
	}
	col := vec.FromValues(types.Dynamic, rows)
	for _, tc := range []struct {
		p    plan.PathColumn
		want []string // Value.String of each row; "<null>" for null
	}{
		{plan.PathColumn{Column: 0, Path: []string{"os"}, As: types.Dynamic},
			[]string{"iOS", "17", `{"name":"Linux"}`, "<null>", "<null>", "<null>", "<null>"}},
		{plan.PathColumn{Column: 0, Path: []string{"os"}, As: types.String},
			[]string{"iOS", "17", `{"name":"Linux"}`, "", "", "", ""}},
		{plan.PathColumn{Column: 0, Path: []string{"trust", "type"}, As: types.String},
			[]string{"joined", "", "", "", "", "", ""}},
		{plan.PathColumn{Column: 0, Path: []string{"trust", "level"}, As: types.Long},
			[]string{"3", "<null>", "2", "<null>", "<null>", "<null>", "<null>"}},
		{plan.PathColumn{Column: 0, Path: []string{"trust", "level"}, As: types.Int},
			[]string{"3", "<null>", "2", "<null>", "<null>", "<null>", "<null>"}},
	} {
		t.Run(tc.p.String(), func(t *testing.T) {
			got, err := plan.ExtractPath(col, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Type != tc.p.As || got.N != len(rows) {
				t.Fatalf("column of %s with %d rows, want %s with %d", got.Type, got.N, tc.p.As, len(rows))
			}
			for i, w := range tc.want {
				v := got.Value(i)
				s := v.String()
				if v.IsNull() {
					s = "<null>"
				}
				if s != w {
					t.Errorf("row %d = %s, want %s", i, s, w)
				}
			}
		})
	}
	if _, err := plan.ExtractPath(col, plan.PathColumn{Path: []string{"os"}, As: types.Datetime}); err == nil {
		t.Error("a path as datetime: no error")
	}
	if _, err := plan.ExtractPath(col, plan.PathColumn{As: types.String}); err == nil {
		t.Error("an empty path: no error")
	}
}
