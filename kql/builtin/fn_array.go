package builtin

import (
	"sort"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// Array functions: array_length, array_concat, array_slice, array_reverse,
// array_rotate_*, array_shift_*, array_split, array_sum, array_strcat,
// array_index_of, array_iff and array_sort_*. Except where noted, an
// argument that should be an array and isn't gives null.
func init() {
	long, real := types.Long, types.Real
	RegisterScalar(
		Fixed("array_length", false, Sig{Params: dyn1, Ret: long, F: arrayLength}),
		Fixed("array_concat", false, Sig{Params: dyn1, Ret: types.Dynamic, Variadic: true, Min: 1, F: arrayConcat}),
		Fixed("array_slice", false, Sig{Params: []types.Type{types.Dynamic, long, long}, Ret: types.Dynamic, F: arraySlice}),
		Fixed("array_reverse", false, Sig{Params: dyn1, Ret: types.Dynamic, F: arrayReverse}),
		Fixed("array_rotate_left", false, Sig{Params: []types.Type{types.Dynamic, long}, Ret: types.Dynamic, F: arrayRotate(1)}),
		Fixed("array_rotate_right", false, Sig{Params: []types.Type{types.Dynamic, long}, Ret: types.Dynamic, F: arrayRotate(-1)}),
		arrayShift("array_shift_left", 1),
		arrayShift("array_shift_right", -1),
		Fixed("array_split", false, Sig{Params: dyn2, Ret: types.Dynamic, F: arraySplit}),
		Fixed("array_sum", false, Sig{Params: dyn1, Ret: real, F: arraySum}),
		Fixed("array_strcat", false, Sig{Params: []types.Type{types.Dynamic, types.String}, Ret: types.String, F: arrayStrcat}),
		Fixed("array_index_of", false, Sig{Params: []types.Type{types.Dynamic, types.Null, long, long, long},
			Ret: long, Min: 2, F: arrayIndexOf}),
		&Scalar{Name: "array_iff", Bind: bindArrayIff},
		&Scalar{Name: "array_iif", Bind: bindArrayIff},
		&Scalar{Name: "array_sort_asc", Bind: bindArraySort("array_sort_asc", false)},
		&Scalar{Name: "array_sort_desc", Bind: bindArraySort("array_sort_desc", true)},
	)
}

func arrayLength(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return types.NullOf(types.Long)
	}
	return types.NewLong(int64(len(a)))
}

func arrayConcat(v []types.Value) types.Value {
	out := []any{}
	for _, x := range v {
		a, ok := arrayOf(x)
		if !ok {
			return nullDynamic
		}
		out = append(out, a...)
	}
	return types.NewDynamic(out)
}

// arraySlice returns a[start..end], both inclusive; negative indexes count
// from the end and out-of-range parts are dropped.
func arraySlice(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	n := int64(len(a))
	start, end := v[1].I, v[2].I
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), min(end, n-1)
	if start > end {
		return types.NewDynamic([]any{})
	}
	return types.NewDynamic(append([]any{}, a[start:end+1]...))
}

func arrayReverse(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	out := make([]any, len(a))
	for i, e := range a {
		out[len(a)-1-i] = e
	}
	return types.NewDynamic(out)
}

// arrayRotate rotates left by the count times dir (negative rotates right).
func arrayRotate(dir int64) RowFunc {
	return func(v []types.Value) types.Value {
		a, ok := arrayOf(v[0])
		if !ok {
			return nullDynamic
		}
		n := int64(len(a))
		out := make([]any, n)
		if n == 0 {
			return types.NewDynamic(out)
		}
		k := ((v[1].I*dir)%n + n) % n
		for i := range out {
			out[i] = a[(int64(i)+k)%n]
		}
		return types.NewDynamic(out)
	}
}

// arrayShift shifts left by the count times dir, filling vacated places
// with the default value: the third argument, or null ("" for an array of
// strings).
func arrayShift(name string, dir int64) *Scalar {
	return Fixed(name, true, Sig{Params: []types.Type{types.Dynamic, types.Long, types.Null}, Ret: types.Dynamic, Min: 2,
		F: func(v []types.Value) types.Value {
			a, ok := arrayOf(v[0])
			if !ok || v[1].IsNull() {
				return nullDynamic
			}
			fill := shiftDefault(a)
			if len(v) > 2 {
				fill = dynOf(v[2])
			}
			n, k := int64(len(a)), v[1].I*dir
			out := make([]any, n)
			for i := range out {
				j := int64(i) + k
				if j >= 0 && j < n {
					out[i] = a[j]
				} else {
					out[i] = fill
				}
			}
			return types.NewDynamic(out)
		}})
}

// shiftDefault is the fill value of array_shift_*: "" when the array holds
// only strings, null otherwise.
func shiftDefault(a []any) any {
	if len(a) == 0 {
		return nil
	}
	for _, e := range a {
		if _, ok := e.(string); !ok {
			return nil
		}
	}
	return ""
}

// arraySplit splits an array at one index or an array of indexes into
// the parts [0..i1), [i1..i2), ..., [iN..len).
func arraySplit(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	var idx []any
	if arr, ok := arrayOf(v[1]); ok {
		idx = arr
	} else {
		idx = []any{dynOf(v[1])}
	}
	n := int64(len(a))
	out := make([]any, 0, len(idx)+1)
	prev := int64(0)
	for _, e := range idx {
		i := types.Convert(types.FromDynamic(e), types.Long)
		if !i.Valid {
			return nullDynamic
		}
		at := i.I
		if at < 0 {
			at += n
		}
		at = min(max(at, prev), n)
		out = append(out, append([]any{}, a[prev:at]...))
		prev = at
	}
	out = append(out, append([]any{}, a[prev:]...))
	return types.NewDynamic(out)
}

// arraySum sums a numeric array; any other element makes the sum null.
func arraySum(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return types.NullOf(types.Real)
	}
	sum := 0.0
	for _, e := range a {
		f, _, ok := elemNumber(e)
		if !ok {
			return types.NullOf(types.Real)
		}
		sum += f
	}
	return types.NewReal(sum)
}

// arrayStrcat joins the elements' text forms with a delimiter; nulls
// become empty strings. A non-array gives the empty string.
func arrayStrcat(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return types.NewString("")
	}
	parts := make([]string, len(a))
	for i, e := range a {
		parts[i] = types.FromDynamic(e).String()
	}
	return types.NewString(strings.Join(parts, v[1].S))
}

// arrayIndexOf implements array_index_of(array, value [, start [, length
// [, occurrence]]]): the index of the occurrence-th match at or after
// start among length elements (-1: to the end), or -1.
func arrayIndexOf(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	start, ok1 := dynArgInt(v, 2, 0)
	length, ok2 := dynArgInt(v, 3, -1)
	occ, ok3 := dynArgInt(v, 4, 1)
	if !ok || !ok1 || !ok2 || !ok3 || length < -1 || occ < 0 {
		return types.NullOf(types.Long)
	}
	n := int64(len(a))
	if start < 0 {
		start = max(start+n, 0)
	}
	end := n
	if length >= 0 {
		end = min(n, start+length)
	}
	key := elemKey(dynOf(v[1]))
	occ = max(occ, 1)
	for i := start; i < end; i++ {
		if elemKey(a[i]) == key {
			occ--
			if occ == 0 {
				return types.NewLong(i)
			}
		}
	}
	return types.NewLong(-1)
}

// bindArrayIff binds array_iff(conditions, when_true, when_false). The
// branches are arrays (indexed alongside the conditions, null past their
// end) or scalars. A condition that is neither bool nor number gives null.
func bindArrayIff(args []Arg) (types.Type, Kernel, error) {
	if err := dynArgCount("array_iff", args, 3, 3); err != nil {
		return 0, nil, err
	}
	if err := dynCheckArgs("array_iff", args, 0); err != nil {
		return 0, nil, err
	}
	return types.Dynamic, RowKernel(types.Dynamic, func(v []types.Value) types.Value {
		cond, ok := arrayOf(v[0])
		if !ok {
			return nullDynamic
		}
		out := make([]any, len(cond))
		for i, c := range cond {
			switch elemTruth(c) {
			case 1:
				out[i] = branchElem(v[1], i)
			case 0:
				out[i] = branchElem(v[2], i)
			}
		}
		return types.NewDynamic(out)
	}), nil
}

// elemTruth returns 1 or 0 for a true or false condition element, -1 for one
// that is neither bool nor number.
func elemTruth(c any) int {
	switch x := c.(type) {
	case bool:
		if x {
			return 1
		}
		return 0
	case int64, float64:
		if f, _, _ := elemNumber(x); f != 0 {
			return 1
		}
		return 0
	}
	return -1
}

func branchElem(b types.Value, i int) any {
	if a, ok := arrayOf(b); ok {
		if i < len(a) {
			return a[i]
		}
		return nil
	}
	return dynOf(b)
}

// bindArraySort binds array_sort_asc/desc(a1 [, a2, ...] [, nulls_last]).
// The first array is sorted and the others are reordered alike; arrays of
// another length than the first become null. With one array the result
// is the sorted array; with several it is an array of the arrays, which
// the checker splits into a column per array as Kusto returns them.
func bindArraySort(name string, desc bool) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := dynArgCount(name, args, 1, -1); err != nil {
			return 0, nil, err
		}
		nArrays := len(args)
		if nArrays > 1 && args[nArrays-1].Type == types.Bool {
			nArrays--
		}
		if err := dynCheckArgs(name, args, dynIndexes(nArrays)...); err != nil {
			return 0, nil, err
		}
		return types.Dynamic, RowKernel(types.Dynamic, func(v []types.Value) types.Value {
			return sortArrays(v[:nArrays], desc, dynArgBool(v[nArrays:], 0, true))
		}), nil
	}
}

func sortArrays(v []types.Value, desc, nullsLast bool) types.Value {
	first, ok := arrayOf(v[0])
	if !ok {
		return nullDynamic
	}
	perm := make([]int, len(first))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(i, j int) bool {
		return lessElem(first[perm[i]], first[perm[j]], desc, nullsLast)
	})
	out := make([]any, len(v))
	for k, x := range v {
		a, ok := arrayOf(x)
		if !ok || len(a) != len(first) {
			continue
		}
		sorted := make([]any, len(a))
		for i, p := range perm {
			sorted[i] = a[p]
		}
		out[k] = sorted
	}
	if len(v) == 1 {
		return types.NewDynamic(out[0])
	}
	return types.NewDynamic(out)
}

// lessElem orders array elements for array_sort_*: numbers, datetimes
// and timespans, then strings, then guids, then everything else; nulls
// first or last regardless of direction.
func lessElem(a, b any, desc, nullsLast bool) bool {
	if a == nil || b == nil {
		if a == nil && b == nil {
			return false
		}
		return (a == nil) != nullsLast
	}
	c := compareElems(a, b)
	if desc {
		return c > 0
	}
	return c < 0
}

func compareElems(a, b any) int {
	ra, rb := elemRank(a), elemRank(b)
	if ra != rb {
		return types.CompareInts(int64(ra), int64(rb))
	}
	va, vb := types.FromDynamic(a), types.FromDynamic(b)
	if ra == 0 && va.Type.IsTicks() != vb.Type.IsTicks() {
		return dynCmpFloat(tickOrNumber(va), tickOrNumber(vb))
	}
	return types.Compare(va, vb)
}

func elemRank(e any) int {
	switch e.(type) {
	case int64, float64, types.DatetimeVal, types.TimespanVal:
		return 0
	case string:
		return 1
	case types.GuidVal:
		return 2
	}
	return 3
}

func tickOrNumber(v types.Value) float64 {
	if v.Type.IsTicks() {
		return float64(v.I)
	}
	return toFloat(v)
}

func dynCmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
