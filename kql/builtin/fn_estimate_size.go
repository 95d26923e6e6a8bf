package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// estimate_data_size(col, ...): an estimate of the bytes the given
// values (often `*`, all columns) take: 1 for a bool, 4 for an int, 16
// for a guid, 8 for the other fixed-size types, the UTF-8 length of a
// string and of a dynamic value's JSON text. Nulls take nothing.
func init() {
	RegisterScalar(&Scalar{Name: "estimate_data_size", Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) == 0 {
			return 0, nil, ArgError("estimate_data_size", "expects at least one argument")
		}
		return types.Long, RowKernel(types.Long, estimateDataSize), nil
	}})
}

func estimateDataSize(args []types.Value) types.Value {
	var n int64
	for _, v := range args {
		n += valueSize(v)
	}
	return types.NewLong(n)
}

func valueSize(v types.Value) int64 {
	if v.Type != types.String && !v.Valid {
		return 0
	}
	switch v.Type {
	case types.Bool:
		return 1
	case types.Int:
		return 4
	case types.Guid:
		return 16
	case types.String:
		return int64(len(v.S))
	case types.Dynamic:
		if v.D == nil {
			return 0
		}
		return int64(len(types.FormatJSON(v.D)))
	case types.Null:
		return 0
	}
	return 8
}
