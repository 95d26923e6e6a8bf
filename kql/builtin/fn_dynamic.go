package builtin

import (
	"math"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// Functions that build dynamic values: pack_array, zip, treepath and the
// scalar range(). The helpers at the top are shared by the array, bag, set
// and series families.
//
// Dynamic values reaching a kernel may be shared with other rows and
// columns: every function here builds new arrays and bags and never
// modifies its inputs.
func init() {
	RegisterScalar(
		&Scalar{Name: "pack_array", Bind: bindPackArray},
		&Scalar{Name: "zip", Bind: bindZip},
		Fixed("treepath", false, Sig{Params: []types.Type{types.Dynamic}, Ret: types.Dynamic, F: treepath}),
		&Scalar{Name: "range", Bind: bindRange},
	)
}

// dyn1 and dyn2 are the usual parameter lists of dynamic functions.
var (
	dyn1 = []types.Type{types.Dynamic}
	dyn2 = []types.Type{types.Dynamic, types.Dynamic}
)

// dynOf returns the Go value a value holds as dynamic: the payload of a
// dynamic value, or the dynamic form of a scalar.
func dynOf(v types.Value) any {
	if v.Type == types.Dynamic {
		if !v.Valid {
			return nil
		}
		return v.D
	}
	return types.ToDynamic(v)
}

// arrayOf returns the array held by v, if v is a dynamic array.
func arrayOf(v types.Value) ([]any, bool) {
	if v.Type != types.Dynamic || !v.Valid {
		return nil, false
	}
	a, ok := v.D.([]any)
	return a, ok
}

// bagOf returns the property bag held by v, if v is a dynamic bag.
func bagOf(v types.Value) (*types.Bag, bool) {
	if v.Type != types.Dynamic || !v.Valid {
		return nil, false
	}
	b, ok := v.D.(*types.Bag)
	return b, ok && b != nil
}

var nullDynamic = types.NullOf(types.Dynamic)

// elemKey returns a key under which equal dynamic elements (long 1 and
// real 1.0, say) collide, for set operations and lookups.
func elemKey(e any) string {
	return string(types.Key(nil, types.FromDynamic(e)))
}

// elemNumber returns a numeric element as float64 and whether it is an
// integer; ok is false for anything but numbers.
func elemNumber(e any) (f float64, isInt, ok bool) {
	switch x := e.(type) {
	case int64:
		return float64(x), true, true
	case float64:
		return x, false, true
	}
	return 0, false, false
}

// bagCopy returns a shallow copy of b.
func bagCopy(b *types.Bag) *types.Bag {
	return &types.Bag{Keys: append([]string(nil), b.Keys...), Vals: append([]any(nil), b.Vals...)}
}

// dynArgInt returns an optional integer argument, or def when it is absent
// or null; ok is false when it is present but null.
func dynArgInt(args []types.Value, i int, def int64) (int64, bool) {
	if i >= len(args) {
		return def, true
	}
	v := types.Convert(args[i], types.Long)
	if !v.Valid {
		return 0, false
	}
	return v.I, true
}

// dynArgBool returns an optional bool argument, def when absent or null.
func dynArgBool(args []types.Value, i int, def bool) bool {
	if i >= len(args) {
		return def
	}
	v := types.Convert(args[i], types.Bool)
	if !v.Valid {
		return def
	}
	return v.I != 0
}

// dynArgCount returns a bind error unless min <= len(args) <= max
// (max < 0 means unbounded).
func dynArgCount(name string, args []Arg, min, max int) error {
	switch {
	case len(args) < min && min == max:
		return ArgError(name, "expects %d arguments, got %d", min, len(args))
	case len(args) < min:
		return ArgError(name, "expects at least %d arguments, got %d", min, len(args))
	case max >= 0 && len(args) > max:
		return ArgError(name, "expects at most %d arguments, got %d", max, len(args))
	}
	return nil
}

// dynCheckArgs returns a bind error unless the arguments at idx are
// dynamic (or of unknown type).
func dynCheckArgs(name string, args []Arg, idx ...int) error {
	for _, i := range idx {
		if i < len(args) && args[i].Type != types.Dynamic && args[i].Type != types.Null {
			return ArgError(name, "argument %d must be dynamic, got %s", i+1, args[i].Type)
		}
	}
	return nil
}

// bindPackArray binds pack_array(v1, v2, ...): an array of the arguments,
// nulls included.
func bindPackArray(args []Arg) (types.Type, Kernel, error) {
	if err := dynArgCount("pack_array", args, 1, -1); err != nil {
		return 0, nil, err
	}
	return types.Dynamic, RowKernel(types.Dynamic, func(v []types.Value) types.Value {
		arr := make([]any, len(v))
		for i, x := range v {
			arr[i] = dynOf(x)
		}
		return types.NewDynamic(arr)
	}), nil
}

// bindZip binds zip(a1, a2, ...): an array whose i-th element holds the
// i-th elements of the inputs, as long as the longest input, with nulls
// for missing elements. A non-array input gives null.
func bindZip(args []Arg) (types.Type, Kernel, error) {
	if err := dynArgCount("zip", args, 2, 16); err != nil {
		return 0, nil, err
	}
	if err := dynCheckArgs("zip", args, dynIndexes(len(args))...); err != nil {
		return 0, nil, err
	}
	return types.Dynamic, RowKernel(types.Dynamic, func(v []types.Value) types.Value {
		arrs := make([][]any, len(v))
		n := 0
		for i, x := range v {
			a, ok := arrayOf(x)
			if !ok {
				return nullDynamic
			}
			arrs[i] = a
			n = max(n, len(a))
		}
		out := make([]any, n)
		for j := range out {
			row := make([]any, len(arrs))
			for i, a := range arrs {
				if j < len(a) {
					row[i] = a[j]
				}
			}
			out[j] = row
		}
		return types.NewDynamic(out)
	}), nil
}

func dynIndexes(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// treepath lists the paths of every node below the root of a dynamic
// value, in bracket notation. Arrays stand for all their elements with
// the single index [0].
func treepath(v []types.Value) types.Value {
	var paths []string
	seen := map[string]bool{}
	var walk func(prefix string, d any)
	add := func(p string, d any) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
		walk(p, d)
	}
	walk = func(prefix string, d any) {
		switch x := d.(type) {
		case *types.Bag:
			for i, k := range x.Keys {
				add(prefix+"['"+k+"']", x.Vals[i])
			}
		case []any:
			for _, e := range x {
				add(prefix+"[0]", e)
			}
		}
	}
	walk("", dynOf(v[0]))
	out := make([]any, len(paths))
	for i, p := range paths {
		out[i] = p
	}
	return types.NewDynamic(out)
}

// maxRange is the largest number of elements range() returns.
const maxRange = 1 << 20

// bindRange binds range(start, stop [, step]) over numbers, datetimes and
// timespans. The step defaults to 1 for numbers and 1h otherwise.
func bindRange(args []Arg) (types.Type, Kernel, error) {
	if err := dynArgCount("range", args, 2, 3); err != nil {
		return 0, nil, err
	}
	kind := rangeKind(args[0].Type, args[1].Type)
	if kind == types.Null {
		return 0, nil, ArgError("range", "expects numbers, datetimes or timespans, got (%s)", typeList(args))
	}
	if len(args) == 3 {
		st := args[2].Type
		ok := st == types.Null || st == types.Dynamic
		if kind.IsTicks() {
			ok = ok || st == types.Timespan
		} else {
			ok = ok || st.IsNumeric()
		}
		if !ok {
			return 0, nil, ArgError("range", "the step must be a %s, got %s", rangeStepType(kind), st)
		}
		if st == types.Real || st == types.Decimal {
			kind = types.Real
		}
	}
	return types.Dynamic, RowKernel(types.Dynamic, func(v []types.Value) types.Value {
		return rangeArray(kind, v)
	}), nil
}

// rangeKind returns the element type of range(a, b, ...): long, real,
// datetime or timespan, or Null when the types don't fit.
func rangeKind(a, b types.Type) types.Type {
	if a == types.Dynamic || a == types.Null {
		a = b
	}
	if b == types.Dynamic || b == types.Null {
		b = a
	}
	switch {
	case a.IsNumeric() && b.IsNumeric():
		if a == types.Real || a == types.Decimal || b == types.Real || b == types.Decimal {
			return types.Real
		}
		return types.Long
	case a == b && a.IsTicks():
		return a
	case a == types.Dynamic || a == types.Null:
		return types.Real
	}
	return types.Null
}

func rangeStepType(kind types.Type) string {
	if kind.IsTicks() {
		return "timespan"
	}
	return "number"
}

func rangeArray(kind types.Type, v []types.Value) types.Value {
	step := types.NewLong(1)
	if kind.IsTicks() {
		step = types.NewTimespan(types.TicksPerHour)
	}
	if len(v) == 3 {
		step = v[2]
	}
	start, stop := unwrap(v[0]), unwrap(v[1])
	step = unwrap(step)
	if start.IsNull() || stop.IsNull() || step.IsNull() {
		return nullDynamic
	}
	if kind == types.Real {
		return rangeReal(toFloat(start), toFloat(stop), toFloat(step))
	}
	return rangeInt(kind, toInt(start), toInt(stop), toInt(step))
}

func rangeInt(kind types.Type, start, stop, step int64) types.Value {
	if step == 0 {
		return nullDynamic
	}
	out := []any{}
	for x := start; (step > 0 && x <= stop || step < 0 && x >= stop) && len(out) < maxRange; x += step {
		switch kind {
		case types.Datetime:
			out = append(out, types.DatetimeVal(x))
		case types.Timespan:
			out = append(out, types.TimespanVal(x))
		default:
			out = append(out, x)
		}
		if step > 0 && x > math.MaxInt64-step || step < 0 && x < math.MinInt64-step {
			break
		}
	}
	return types.NewDynamic(out)
}

func rangeReal(start, stop, step float64) types.Value {
	if step == 0 || math.IsNaN(step) || math.IsNaN(start) || math.IsNaN(stop) {
		return nullDynamic
	}
	out := []any{}
	for i := 0; i < maxRange; i++ {
		x := start + float64(i)*step
		if step > 0 && x > stop || step < 0 && x < stop {
			break
		}
		out = append(out, x)
	}
	return types.NewDynamic(out)
}

// jsonPath is a parsed property path: a plain key, or a JSONPath of
// member names ($.a.b, $['a']['b']). Array indexes are not supported.
type jsonPath []string

// parseKeyPath parses a key argument of the bag_* functions. A key that
// doesn't start with '$' names a top-level property as it is.
func parseKeyPath(s string) (jsonPath, bool) {
	if !strings.HasPrefix(s, "$") {
		return jsonPath{s}, true
	}
	var p jsonPath
	rest := s[1:]
	for rest != "" {
		var name string
		var ok bool
		switch rest[0] {
		case '.':
			name, rest, ok = dotMember(rest[1:])
		case '[':
			name, rest, ok = bracketMember(rest)
		}
		if !ok {
			return nil, false
		}
		p = append(p, name)
	}
	return p, len(p) > 0
}

func dotMember(s string) (name, rest string, ok bool) {
	i := strings.IndexAny(s, ".[")
	if i < 0 {
		i = len(s)
	}
	return s[:i], s[i:], i > 0
}

func bracketMember(s string) (name, rest string, ok bool) {
	if len(s) < 4 || s[1] != '\'' && s[1] != '"' {
		return "", "", false
	}
	q := s[1]
	end := strings.IndexByte(s[2:], q)
	if end < 0 || 2+end+1 >= len(s) || s[2+end+1] != ']' {
		return "", "", false
	}
	return s[2 : 2+end], s[2+end+2:], true
}
