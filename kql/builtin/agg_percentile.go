package builtin

import (
	"math"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The percentile family: percentile, percentiles, percentilew and
// percentilesw give a column per percentile (percentile_x_50, ...);
// percentiles_array and percentilesw_array give one dynamic array. Values
// are nearest-rank percentiles over a t-digest, exact on small groups.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "percentile", Prefix: "percentile", Outputs: percentileOutputs(1), Bind: bindPercentile(pctOpts{name: "percentile", one: true})},
		&Aggregate{Name: "percentiles", Prefix: "percentile", Outputs: percentileOutputs(1), Bind: bindPercentile(pctOpts{name: "percentiles"})},
		&Aggregate{Name: "percentilew", Prefix: "percentile", Outputs: percentileOutputs(2), Bind: bindPercentile(pctOpts{name: "percentilew", weighted: true, one: true})},
		&Aggregate{Name: "percentilesw", Prefix: "percentile", Outputs: percentileOutputs(2), Bind: bindPercentile(pctOpts{name: "percentilesw", weighted: true})},
		&Aggregate{Name: "percentiles_array", Prefix: "percentiles", Bind: bindPercentile(pctOpts{name: "percentiles_array", array: true})},
		// The docs name percentilesw_array's column percentile_x.
		&Aggregate{Name: "percentilesw_array", Prefix: "percentile", Bind: bindPercentile(pctOpts{name: "percentilesw_array", weighted: true, array: true})},
	)
}

// percentileOutputs names a column per percentile argument after the
// first skip arguments: percentiles(x, 50, 99.9) gives _50 and _99_9.
func percentileOutputs(skip int) func(args []Arg) []string {
	return func(args []Arg) []string {
		var out []string
		for _, a := range args[min(skip, len(args)):] {
			if a.Const == nil {
				out = append(out, "_")
				continue
			}
			out = append(out, "_"+columnFragment(types.Convert(*a.Const, types.String).S))
		}
		return out
	}
}

// columnFragment replaces the characters of s that cannot appear in a
// column name with underscores.
func columnFragment(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

type pctOpts struct {
	name     string
	weighted bool // a weight argument follows the expression
	array    bool // one dynamic array instead of a column per percentile
	one      bool // exactly one percentile
}

// digestKind tells how a value type is held in a digest.
type digestKind struct {
	in   types.Type // the argument type
	out  types.Type // the percentile's type
	ints bool       // int-stored: kept as offsets from a base value
}

// digestKindOf returns how values of type t are digested.
func digestKindOf(t types.Type) (digestKind, bool) {
	switch t {
	case types.Int, types.Long:
		return digestKind{in: t, out: types.Long, ints: true}, true
	case types.Datetime, types.Timespan:
		return digestKind{in: t, out: t, ints: true}, true
	case types.Real, types.Decimal, types.Dynamic, types.Null:
		return digestKind{in: t, out: types.Real}, true
	}
	return digestKind{}, false
}

// addTo adds row r of c with weight w to d; nulls are skipped.
func (k digestKind) addTo(d *tDigest, c *vec.Column, r int, w float64) {
	switch {
	case c.IsNull(r):
	case k.ints:
		d.addInt(c.Int(r), w)
	case c.Type.Storage() == types.StoreFloat:
		d.add(c.Float(r), w)
	default:
		if v := types.Convert(c.Value(r), types.Real); v.Valid {
			d.add(v.F, w)
		}
	}
}

// value converts a digest value (offset from base for int kinds) to a
// value of the output type.
func (k digestKind) value(d *tDigest, x float64) types.Value {
	if k.ints {
		return types.Value{Type: k.out, Valid: true, I: d.base + int64(math.Round(x))}
	}
	return types.NewReal(x)
}

type percentileState struct {
	kind    digestKind
	digests []tDigest
	pcts    []float64
	weight  int // index of the weight argument, or -1
	array   bool
}

func (s *percentileState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.digests) {
		s.digests = grow(s.digests, g)
	}
	if r < 0 {
		return
	}
	w := 1.0
	if s.weight >= 0 {
		wc := args[s.weight]
		if wc.IsNull(r) {
			return
		}
		w = toFloat(unwrap(wc.Value(r)))
	}
	s.kind.addTo(&s.digests[g], args[0], r, w)
}

func (s *percentileState) Results(g int) []types.Value {
	d := &s.digests[g]
	out := make([]types.Value, len(s.pcts))
	for i, p := range s.pcts {
		if d.total == 0 {
			out[i] = types.NullOf(s.kind.out)
			continue
		}
		out[i] = s.kind.value(d, d.quantile(p))
	}
	return out
}

func (s *percentileState) Result(g int) types.Value {
	vals := s.Results(g)
	if !s.array {
		return vals[0]
	}
	if s.digests[g].total == 0 {
		return types.NullOf(types.Dynamic)
	}
	arr := make([]any, len(vals))
	for i, v := range vals {
		arr[i] = types.ToDynamic(v)
	}
	return types.NewDynamic(arr)
}

func bindPercentile(o pctOpts) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		fixed, weight := 1, -1
		if o.weighted {
			fixed, weight = 2, 1
		}
		if len(args) <= fixed || o.one && len(args) != fixed+1 {
			return 0, nil, ArgError(o.name, "expects the expression%s and %s", map[bool]string{true: ", the weight"}[o.weighted],
				map[bool]string{true: "one percentile", false: "percentiles"}[o.one])
		}
		kind, ok := digestKindOf(args[0].Type)
		if !ok {
			return 0, nil, ArgError(o.name, "cannot compute percentiles of %s values", args[0].Type)
		}
		if o.weighted && !args[weight].Type.IsInteger() && args[weight].Type != types.Dynamic {
			return 0, nil, ArgError(o.name, "the weight must be an integer, not %s", args[weight].Type)
		}
		pcts, err := percentileArgs(o.name, args[fixed:], o.array)
		if err != nil {
			return 0, nil, err
		}
		t := kind.out
		if o.array {
			t = types.Dynamic
		}
		return t, func() AggState {
			return &percentileState{kind: kind, pcts: pcts, weight: weight, array: o.array}
		}, nil
	}
}

// percentileArgs reads constant percentiles, or with array one constant
// dynamic array of them.
func percentileArgs(fn string, args []Arg, array bool) ([]float64, error) {
	if array && len(args) == 1 && args[0].Type == types.Dynamic {
		return percentileArray(fn, args[0])
	}
	out := make([]float64, len(args))
	for i, a := range args {
		if a.Const == nil || !a.Type.IsNumeric() {
			return nil, ArgError(fn, "the percentiles must be constant numbers")
		}
		p := toFloat(*a.Const)
		if p < 0 || p > 100 || math.IsNaN(p) {
			return nil, ArgError(fn, "a percentile must be between 0 and 100, not %v", p)
		}
		out[i] = p
	}
	return out, nil
}

func percentileArray(fn string, a Arg) ([]float64, error) {
	var arr []any
	if a.Const != nil {
		arr, _ = a.Const.D.([]any)
	}
	if arr == nil {
		return nil, ArgError(fn, "the percentiles must be a constant array of numbers")
	}
	args := make([]Arg, len(arr))
	for i, e := range arr {
		v := types.FromDynamic(e)
		args[i] = Arg{Type: v.Type, Const: &v}
	}
	return percentileArgs(fn, args, false)
}
