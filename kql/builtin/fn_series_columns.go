package builtin

import "github.com/idlogs/idlogs/kql/types"

// series_fit_line(y) and series_stats(y [, ignore_nonfinite]): the column
// forms of series_fit_line_dynamic and series_stats_dynamic, one output
// column per property.
func init() {
	dyn, real, long := types.Dynamic, types.Real, types.Long
	RegisterScalar(
		Fixed("series_fit_line", false, Sig{Params: []types.Type{dyn}, Ret: dyn, F: seriesFitLineDynamic}),
		Fixed("series_stats", false, Sig{Params: []types.Type{dyn, types.Bool}, Ret: dyn, Min: 1, F: seriesStatsDynamic}),
	)
	RegisterMultiOutput("series_fit_line", Output{"rsquare", real}, Output{"slope", real}, Output{"variance", real},
		Output{"rvariance", real}, Output{"interception", real}, Output{"line_fit", dyn})
	RegisterMultiOutput("series_stats", Output{"min", real}, Output{"min_idx", long}, Output{"max", real},
		Output{"max_idx", long}, Output{"avg", real}, Output{"stdev", real}, Output{"variance", real})
}
