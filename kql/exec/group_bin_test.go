package exec

import (
	"testing"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
)

func TestMatchBinKey(t *testing.T) {
	col := func(t types.Type) plan.Expr { return &plan.ColRef{Index: 2, T: t} }
	size := func(t types.Type, i int64) plan.Expr { return &plan.Const{V: types.Value{Type: t, Valid: true, I: i}} }
	bin := func(name string, t types.Type, args ...plan.Expr) plan.Expr {
		return &plan.Call{Name: name, T: t, Args: args}
	}
	tests := []struct {
		name string
		e    plan.Expr
		want bool
	}{
		{"datetime by timespan", bin("bin", types.Datetime, col(types.Datetime), size(types.Timespan, types.TicksPerDay)), true},
		{"long", bin("bin", types.Long, col(types.Long), size(types.Long, 7)), true},
		{"floor of timespan", bin("floor", types.Timespan, col(types.Timespan), size(types.Timespan, 10)), true},
		{"zero size", bin("bin", types.Long, col(types.Long), size(types.Long, 0)), false},
		{"null size", bin("bin", types.Long, col(types.Long), &plan.Const{V: types.NullOf(types.Long)}), false},
		{"real", bin("bin", types.Real, col(types.Real), &plan.Const{V: types.Value{Type: types.Real, Valid: true, F: 2}}), false},
		{"int result wraps", bin("bin", types.Int, col(types.Int), size(types.Int, 7)), false},
		{"converted argument", bin("bin", types.Long, col(types.Int), size(types.Long, 7)), false},
		{"expression argument", bin("bin", types.Long, bin("bin", types.Long, col(types.Long), size(types.Long, 7)), size(types.Long, 7)), false},
		{"bin_at", bin("bin_at", types.Long, col(types.Long), size(types.Long, 7)), false},
	}
	for _, tt := range tests {
		if _, got := matchBinKey(tt.e); got != tt.want {
			t.Errorf("%s: matched %v, want %v", tt.name, got, tt.want)
		}
	}
}
