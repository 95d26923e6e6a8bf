package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The t-digest family: tdigest builds the intermediate result of
// percentiles, tdigest_merge (alias merge_tdigest) merges digests, and the
// scalars percentile_tdigest, percentiles_array_tdigest, rank_tdigest and
// percentrank_tdigest read them; the scalars tdigest_merge and
// merge_tdigests merge their arguments.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "tdigest", Bind: bindTdigest},
		&Aggregate{Name: "tdigest_merge", Prefix: "merge_tdigests", Bind: bindTdigestMergeAgg("tdigest_merge")},
		&Aggregate{Name: "merge_tdigest", Prefix: "merge_tdigests", Bind: bindTdigestMergeAgg("merge_tdigest")},
	)
	RegisterScalar(
		&Scalar{Name: "tdigest_merge", Bind: bindTdigestMerge("tdigest_merge")},
		&Scalar{Name: "merge_tdigests", Bind: bindTdigestMerge("merge_tdigests")},
		&Scalar{Name: "percentile_tdigest", Bind: bindPercentileTdigest},
		&Scalar{Name: "percentiles_array_tdigest", Bind: bindPercentilesArrayTdigest},
		&Scalar{Name: "rank_tdigest", Bind: bindRankTdigest("rank_tdigest", false)},
		&Scalar{Name: "percentrank_tdigest", Bind: bindRankTdigest("percentrank_tdigest", true)},
	)
}

// typedDigest is a digest with the kind of values it holds.
type typedDigest struct {
	kind digestKind
	d    tDigest
}

// toDynamic encodes a digest as [[type], [values...], [weights...]], the
// type being the code of the percentiles' type.
func (t *typedDigest) toDynamic() any {
	t.d.flush()
	means := make([]any, len(t.d.means))
	weights := make([]any, len(t.d.weights))
	for i, m := range t.d.means {
		means[i] = types.ToDynamic(t.kind.value(&t.d, m))
		weights[i] = int64(math.Round(t.d.weights[i]))
	}
	return []any{[]any{int64(t.kind.out)}, means, weights}
}

// tdigestFromDynamic decodes a digest made by toDynamic.
func tdigestFromDynamic(v any) (*typedDigest, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) != 3 {
		return nil, false
	}
	head, ok1 := arr[0].([]any)
	means, ok2 := arr[1].([]any)
	weights, ok3 := arr[2].([]any)
	if !ok1 || !ok2 || !ok3 || len(head) != 1 || len(means) != len(weights) {
		return nil, false
	}
	code, ok := head[0].(int64)
	if !ok || code < 0 || code > int64(types.Dynamic) {
		return nil, false
	}
	kind, ok := digestKindOf(types.Type(code))
	if !ok || kind.out != types.Type(code) {
		return nil, false
	}
	t := &typedDigest{kind: kind}
	for i, m := range means {
		v := types.Convert(types.FromDynamic(m), kind.out)
		w := types.Convert(types.FromDynamic(weights[i]), types.Real)
		if !v.Valid || !w.Valid {
			return nil, false
		}
		if kind.ints {
			t.d.addInt(v.I, w.F)
		} else {
			t.d.add(v.F, w.F)
		}
	}
	return t, true
}

// digestState is tdigest: one digest per group, null for groups without
// values.
type digestState struct {
	kind    digestKind
	digests []typedDigest
	weight  int // index of the weight argument, or -1
}

func (s *digestState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.digests) {
		s.digests = grow(s.digests, g)
	}
	if r < 0 {
		return
	}
	w := 1.0
	if s.weight >= 0 {
		if args[s.weight].IsNull(r) {
			return
		}
		w = toFloat(unwrap(args[s.weight].Value(r)))
	}
	s.kind.addTo(&s.digests[g].d, args[0], r, w)
}

func (s *digestState) Result(g int) types.Value {
	t := &s.digests[g]
	if t.d.total == 0 {
		return types.NullOf(types.Dynamic)
	}
	t.kind = s.kind
	return types.NewDynamic(t.toDynamic())
}

func bindTdigest(args []Arg) (types.Type, func() AggState, error) {
	if err := arity("tdigest", args, 1, 2); err != nil {
		return 0, nil, err
	}
	kind, ok := digestKindOf(args[0].Type)
	if !ok {
		return 0, nil, ArgError("tdigest", "cannot tDigest %s values", args[0].Type)
	}
	weight := -1
	if len(args) == 2 {
		if !args[1].Type.IsInteger() && args[1].Type != types.Dynamic {
			return 0, nil, ArgError("tdigest", "the weight must be an integer, not %s", args[1].Type)
		}
		weight = 1
	}
	return types.Dynamic, func() AggState { return &digestState{kind: kind, weight: weight} }, nil
}

// digestMerger merges digests; values that are not digests are ignored.
type digestMerger struct {
	t *typedDigest
}

func (m *digestMerger) add(v any) {
	o, ok := tdigestFromDynamic(v)
	switch {
	case !ok:
	case m.t == nil:
		m.t = o
	default:
		m.t.d.merge(&o.d)
	}
}

func (m *digestMerger) result() types.Value {
	if m.t == nil || m.t.d.total == 0 {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(m.t.toDynamic())
}

type digestMergeState struct{ groups []digestMerger }

func (s *digestMergeState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.groups) {
		s.groups = grow(s.groups, g)
	}
	if r >= 0 && !args[0].IsNull(r) {
		s.groups[g].add(args[0].Value(r).D)
	}
}

func (s *digestMergeState) Result(g int) types.Value { return s.groups[g].result() }

func bindTdigestMergeAgg(fn string) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		if err := arity(fn, args, 1, 1); err != nil {
			return 0, nil, err
		}
		if err := wantDynamicArgs(fn, args); err != nil {
			return 0, nil, err
		}
		return types.Dynamic, func() AggState { return &digestMergeState{} }, nil
	}
}

func bindTdigestMerge(fn string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := arity(fn, args, 1, 64); err != nil {
			return 0, nil, err
		}
		if err := wantDynamicArgs(fn, args); err != nil {
			return 0, nil, err
		}
		return types.Dynamic, RowKernel(types.Dynamic, func(vals []types.Value) types.Value {
			var m digestMerger
			for _, v := range vals {
				if !v.IsNull() {
					m.add(v.D)
				}
			}
			return m.result()
		}), nil
	}
}

// resultTypeArg reads an optional result type argument: the checker binds
// typeof(T) as a null constant of type T; the constant name of a type
// ("long") is accepted too.
func resultTypeArg(fn string, args []Arg, i int) (types.Type, bool, error) {
	if i >= len(args) {
		return 0, false, nil
	}
	a := args[i]
	if a.Const != nil && !a.Const.Valid && a.Type != types.Null {
		return a.Type, true, nil
	}
	if a.Const != nil && a.Type == types.String {
		if t, ok := types.Lookup(a.Const.S); ok {
			return t, true, nil
		}
	}
	return 0, false, ArgError(fn, "the last argument must be a type, such as typeof(long)")
}

// digestValue converts a digest value to type t, or to dynamic when not
// typed.
func digestValue(v types.Value, t types.Type, typed bool) types.Value {
	if typed {
		return types.Convert(v, t)
	}
	return types.NewDynamic(types.ToDynamic(v))
}

func bindPercentileTdigest(args []Arg) (types.Type, Kernel, error) {
	const fn = "percentile_tdigest"
	if err := arity(fn, args, 2, 3); err != nil {
		return 0, nil, err
	}
	if !args[1].Type.IsNumeric() && args[1].Type != types.Dynamic {
		return 0, nil, ArgError(fn, "the percentile must be a number")
	}
	t, typed, err := resultTypeArg(fn, args, 2)
	if err != nil {
		return 0, nil, err
	}
	ret := types.Dynamic
	if typed {
		ret = t
	}
	return ret, RowKernel(ret, func(vals []types.Value) types.Value {
		td, ok := digestAt(vals[0])
		p := types.Convert(vals[1], types.Real)
		if !ok || !p.Valid || p.F < 0 || p.F > 100 {
			return types.NullOf(ret)
		}
		return digestValue(td.kind.value(&td.d, td.d.quantile(p.F)), t, typed)
	}), nil
}

// digestAt decodes a non-empty digest value.
func digestAt(v types.Value) (*typedDigest, bool) {
	if v.IsNull() {
		return nil, false
	}
	td, ok := tdigestFromDynamic(v.D)
	return td, ok && td.d.total > 0
}

func bindPercentilesArrayTdigest(args []Arg) (types.Type, Kernel, error) {
	const fn = "percentiles_array_tdigest"
	if err := arity(fn, args, 2, 66); err != nil {
		return 0, nil, err
	}
	pargs := args[1:]
	t, typed, err := resultTypeArg(fn, args, len(args)-1)
	if err == nil && typed {
		pargs = args[1 : len(args)-1]
	}
	if len(pargs) == 0 {
		return 0, nil, ArgError(fn, "expects percentiles")
	}
	return types.Dynamic, RowKernel(types.Dynamic, func(vals []types.Value) types.Value {
		td, ok := digestAt(vals[0])
		if !ok {
			return types.NullOf(types.Dynamic)
		}
		out := []any{}
		for _, p := range percentileValues(vals[1 : 1+len(pargs)]) {
			if p < 0 || p > 100 || math.IsNaN(p) {
				out = append(out, nil)
				continue
			}
			v := digestValue(td.kind.value(&td.d, td.d.quantile(p)), t, typed)
			out = append(out, types.ToDynamic(v))
		}
		return types.NewDynamic(out)
	}), nil
}

// percentileValues flattens percentile arguments, which may be numbers or
// dynamic arrays of numbers.
func percentileValues(vals []types.Value) []float64 {
	var out []float64
	for _, v := range vals {
		if arr, ok := v.D.([]any); ok && v.Type == types.Dynamic {
			for _, e := range arr {
				out = append(out, types.Convert(types.FromDynamic(e), types.Real).F)
			}
			continue
		}
		p := types.Convert(v, types.Real)
		if !p.Valid {
			p.F = math.NaN()
		}
		out = append(out, p.F)
	}
	return out
}

func bindRankTdigest(fn string, percent bool) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := arity(fn, args, 2, 2); err != nil {
			return 0, nil, err
		}
		return types.Real, RowKernel(types.Real, func(vals []types.Value) types.Value {
			td, ok := digestAt(vals[0])
			if !ok || vals[1].IsNull() {
				return types.NullOf(types.Real)
			}
			x, ok := td.offset(vals[1])
			if !ok {
				return types.NullOf(types.Real)
			}
			r := td.d.rank(x)
			if percent {
				return types.NewReal(r / td.d.total * 100)
			}
			return types.NewReal(r)
		}), nil
	}
}

// offset converts a value to the digest's internal scale.
func (t *typedDigest) offset(v types.Value) (float64, bool) {
	if t.kind.ints {
		c := types.Convert(v, t.kind.out)
		return float64(c.I - t.d.base), c.Valid
	}
	c := types.Convert(v, types.Real)
	return c.F, c.Valid
}
