package builtin

import "github.com/idlogs/idlogs/kql/types"

// Output is one column of a function that returns several columns, such
// as series_decompose: Suffix names it (`series_decompose_y_baseline`) and
// is its key in the property bag the function's kernel returns.
type Output struct {
	Suffix string
	Type   types.Type
}

var multiOutputs = map[string][]Output{}

// RegisterMultiOutput declares that the scalar function name returns the
// given columns. Its kernel returns one property bag per row, keyed by
// the outputs' suffixes; the checker splits it into columns when the call
// is a whole column expression of extend or project.
func RegisterMultiOutput(name string, outs ...Output) {
	multiOutputs[name] = outs
}

// MultiOutput returns the columns of a function that returns several.
func MultiOutput(name string) ([]Output, bool) {
	outs, ok := multiOutputs[name]
	return outs, ok
}

// dynOutputs lists outputs that are all dynamic.
func dynOutputs(suffixes ...string) []Output {
	outs := make([]Output, len(suffixes))
	for i, s := range suffixes {
		outs[i] = Output{s, types.Dynamic}
	}
	return outs
}
