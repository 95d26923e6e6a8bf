package exec

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// convertColumn converts a column to type t value by value (for example a
// column of untyped nulls to the declared type).
func convertColumn(c *vec.Column, t types.Type) *vec.Column {
	if c.Type.Storage() == t.Storage() && c.Type != types.Null {
		cp := *c
		cp.Type = t
		return &cp
	}
	if c.Const {
		return vec.NewConst(types.Convert(c.Value(0), t), c.N)
	}
	b := vec.NewBuilder(t, c.N)
	for i := 0; i < c.N; i++ {
		b.Append(types.Convert(c.Value(i), t))
	}
	return b.Build()
}
