package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The HyperLogLog family: hll and hll_if build the intermediate sketch of
// dcount, hll_merge merges sketches (as an aggregate, or as a scalar over
// its arguments) and dcount_hll reads the estimate from a sketch.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "hll", Bind: bindHll("hll", false)},
		&Aggregate{Name: "hll_if", Bind: bindHll("hll_if", true)},
		&Aggregate{Name: "hll_merge", Bind: bindHllMergeAgg},
	)
	RegisterScalar(
		&Scalar{Name: "hll_merge", Bind: bindHllMerge},
		&Scalar{Name: "dcount_hll", Bind: bindDcountHll},
	)
}

// hllState is dcountState whose result is the sketch itself; groups that
// saw no value give null.
type hllState struct {
	dc   dcountState
	seen []bool
}

func (s *hllState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.seen) {
		s.seen = grow(s.seen, g)
	}
	s.dc.Add(g, args, r)
	if r >= 0 && !s.seen[g] {
		s.seen[g] = s.dc.sketches[g].n > 0 || s.dc.sketches[g].regs != nil
	}
}

func (s *hllState) Result(g int) types.Value {
	if !s.seen[g] {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(s.dc.sketches[g].toDynamic(s.dc.lv.p))
}

func bindHll(fn string, cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		fixed, pred := 1, -1
		if cond {
			fixed, pred = 2, 1
		}
		if err := arity(fn, args, fixed, fixed+1); err != nil {
			return 0, nil, err
		}
		switch args[0].Type {
		case types.Real, types.Bool:
			return 0, nil, ArgError(fn, "cannot build a sketch of %s values", args[0].Type)
		}
		if cond {
			if err := wantBoolArg(fn, args, pred); err != nil {
				return 0, nil, err
			}
		}
		lv, err := accuracyLevel(fn, args, fixed)
		if err != nil {
			return 0, nil, err
		}
		return types.Dynamic, func() AggState { return &hllState{dc: dcountState{lv: lv, pred: pred}} }, nil
	}
}

// hllMerger merges sketches into one; the zero value holds nothing.
type hllMerger struct {
	s  *hllSketch
	lv hllLevel
}

// add merges the sketch d; values that are not sketches are ignored.
func (m *hllMerger) add(d any) {
	o, lv, ok := hllFromDynamic(d)
	if !ok {
		return
	}
	if m.s == nil {
		m.s, m.lv = o, lv
		return
	}
	if lv.p < m.lv.p {
		m.lv = lv
	}
	m.s.merge(o, m.lv)
}

func (m *hllMerger) result() types.Value {
	if m.s == nil {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(m.s.toDynamic(m.lv.p))
}

type hllMergeState struct{ groups []hllMerger }

func (s *hllMergeState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.groups) {
		s.groups = grow(s.groups, g)
	}
	if r < 0 || args[0].IsNull(r) {
		return
	}
	s.groups[g].add(args[0].Value(r).D)
}

func (s *hllMergeState) Result(g int) types.Value { return s.groups[g].result() }

func bindHllMergeAgg(args []Arg) (types.Type, func() AggState, error) {
	if err := arity("hll_merge", args, 1, 1); err != nil {
		return 0, nil, err
	}
	if err := wantDynamicArgs("hll_merge", args); err != nil {
		return 0, nil, err
	}
	return types.Dynamic, func() AggState { return &hllMergeState{} }, nil
}

// wantDynamicArgs checks that every argument of fn is dynamic (or null).
func wantDynamicArgs(fn string, args []Arg) error {
	for _, a := range args {
		if a.Type != types.Dynamic && a.Type != types.Null {
			return ArgError(fn, "expects dynamic arguments, not %s", a.Type)
		}
	}
	return nil
}

func bindHllMerge(args []Arg) (types.Type, Kernel, error) {
	if err := arity("hll_merge", args, 2, 16); err != nil {
		return 0, nil, err
	}
	if err := wantDynamicArgs("hll_merge", args); err != nil {
		return 0, nil, err
	}
	return types.Dynamic, RowKernel(types.Dynamic, func(vals []types.Value) types.Value {
		var m hllMerger
		for _, v := range vals {
			if !v.IsNull() {
				m.add(v.D)
			}
		}
		return m.result()
	}), nil
}

func bindDcountHll(args []Arg) (types.Type, Kernel, error) {
	if err := arity("dcount_hll", args, 1, 1); err != nil {
		return 0, nil, err
	}
	if err := wantDynamicArgs("dcount_hll", args); err != nil {
		return 0, nil, err
	}
	return types.Long, RowKernel(types.Long, func(vals []types.Value) types.Value {
		if vals[0].IsNull() {
			return types.NewLong(0)
		}
		s, _, ok := hllFromDynamic(vals[0].D)
		if !ok {
			return types.NullOf(types.Long)
		}
		return types.NewLong(s.count())
	}), nil
}
