package builtin

import "github.com/idlogs/idlogs/kql/types"

// around(value, center, delta): whether value lies within delta of center,
// inclusive, for numbers, and for datetimes or timespans with a timespan
// delta.
func init() {
	dt, ts, real, long, b := types.Datetime, types.Timespan, types.Real, types.Long, types.Bool
	RegisterScalar(Fixed("around", false,
		Sig{Params: []types.Type{long, long, long}, Ret: b, F: aroundInt},
		Sig{Params: []types.Type{real, real, real}, Ret: b, F: aroundReal},
		Sig{Params: []types.Type{dt, dt, ts}, Ret: b, F: aroundInt},
		Sig{Params: []types.Type{ts, ts, ts}, Ret: b, F: aroundInt},
	))
}

func aroundInt(args []types.Value) types.Value {
	v, c, d := args[0].I, args[1].I, args[2].I
	return types.NewBool(v >= c-d && v <= c+d)
}

func aroundReal(args []types.Value) types.Value {
	v, c, d := args[0].F, args[1].F, args[2].F
	return types.NewBool(v >= c-d && v <= c+d)
}
