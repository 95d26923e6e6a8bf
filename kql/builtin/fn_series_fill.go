package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// Gap filling in series: series_fill_forward, series_fill_backward,
// series_fill_const and series_fill_linear. A missing element is a null,
// or, when a missing-value placeholder is given, an element equal to it.
// Elements that aren't missing are kept as they are.
func init() {
	any1 := types.Null
	RegisterScalar(
		Fixed("series_fill_forward", true, Sig{Params: []types.Type{types.Dynamic, any1}, Ret: types.Dynamic, Min: 1,
			F: seriesFillDirection(false)}),
		Fixed("series_fill_backward", true, Sig{Params: []types.Type{types.Dynamic, any1}, Ret: types.Dynamic, Min: 1,
			F: seriesFillDirection(true)}),
		Fixed("series_fill_const", true, Sig{Params: []types.Type{types.Dynamic, any1, any1}, Ret: types.Dynamic, Min: 2,
			F: seriesFillConst}),
		Fixed("series_fill_linear", true, Sig{Params: []types.Type{types.Dynamic, any1, types.Bool, any1}, Ret: types.Dynamic,
			Min: 1, F: seriesFillLinear}),
	)
}

// missingTest returns the test for missing elements given the optional
// placeholder argument at v[i].
func missingTest(v []types.Value, i int) func(e any) bool {
	if i >= len(v) || v[i].IsNull() {
		return func(e any) bool { return e == nil }
	}
	ph := elemKey(dynOf(v[i]))
	return func(e any) bool { return e != nil && elemKey(e) == ph }
}

// seriesFillDirection fills missing elements with the last earlier
// (forward) or first later (backward) element that isn't missing; those
// with none stay as they are.
func seriesFillDirection(backward bool) RowFunc {
	return func(v []types.Value) types.Value {
		a, ok := arrayOf(v[0])
		if !ok {
			return nullDynamic
		}
		missing := missingTest(v, 1)
		out := append([]any{}, a...)
		var last any
		have := false
		for k := range out {
			i := k
			if backward {
				i = len(out) - 1 - k
			}
			switch {
			case !missing(out[i]):
				last, have = out[i], true
			case have:
				out[i] = last
			}
		}
		return types.NewDynamic(out)
	}
}

func seriesFillConst(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	missing := missingTest(v, 2)
	fill := dynOf(v[1])
	out := make([]any, len(a))
	for i, e := range a {
		if missing(e) {
			e = fill
		}
		out[i] = e
	}
	return types.NewDynamic(out)
}

// seriesFillLinear implements series_fill_linear(series [, placeholder [,
// fill_edges [, constant]]]): interpolates missing elements between the
// nearest present ones (truncated to integers when every present element
// is an integer); missing edges take the nearest present element unless
// fill_edges is false; a series with no present element is filled with
// the constant (default 0).
func seriesFillLinear(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	missing := missingTest(v, 1)
	var present []int
	allInt := true
	for i, e := range a {
		if missing(e) {
			continue
		}
		if _, isInt, ok := elemNumber(e); ok {
			present = append(present, i)
			allInt = allInt && isInt
		}
	}
	out := append([]any{}, a...)
	if len(present) == 0 {
		fill := any(0.0)
		if len(v) > 3 {
			fill = dynOf(v[3])
		}
		for i := range out {
			out[i] = fill
		}
		return types.NewDynamic(out)
	}
	interpolateGaps(out, present, allInt)
	if dynArgBool(v, 2, true) {
		first, last := present[0], present[len(present)-1]
		for i := 0; i < first; i++ {
			out[i] = a[first]
		}
		for i := last + 1; i < len(out); i++ {
			out[i] = a[last]
		}
	}
	return types.NewDynamic(out)
}

// interpolateGaps fills the elements between consecutive present indexes.
func interpolateGaps(out []any, present []int, allInt bool) {
	for k := 1; k < len(present); k++ {
		lo, hi := present[k-1], present[k]
		x0, _, _ := elemNumber(out[lo])
		x1, _, _ := elemNumber(out[hi])
		for i := lo + 1; i < hi; i++ {
			y := x0 + (x1-x0)*float64(i-lo)/float64(hi-lo)
			if allInt {
				out[i] = int64(y)
			} else {
				out[i] = y
			}
		}
	}
}
