package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The distinct counts: dcount and dcountif estimate with HyperLogLog
// (exact on small inputs); count_distinct and count_distinctif are exact.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "dcount", Bind: bindDcount("dcount", false)},
		&Aggregate{Name: "dcountif", Bind: bindDcount("dcountif", true)},
		&Aggregate{Name: "count_distinct", Bind: bindCountDistinct("count_distinct", false)},
		&Aggregate{Name: "count_distinctif", Bind: bindCountDistinct("count_distinctif", true)},
	)
}

// dcountState keeps one sketch per group. With exact set, sketches never
// switch to registers.
type dcountState struct {
	lv       hllLevel
	sketches []hllSketch
	hasher   colHasher
	pred     int      // index of the predicate argument, or -1
	seen     []bool   // scratch: dictionary codes seen in a batch
	touched  []uint32 // scratch: the codes set in seen
}

func (s *dcountState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.sketches) {
		s.sketches = grow(s.sketches, g)
	}
	if r < 0 || s.pred >= 0 && !truthAt(args[s.pred], r) {
		return
	}
	if h, ok := s.hasher.hash(args[0], r); ok {
		s.sketches[g].add(h, s.lv)
	}
}

func (s *dcountState) Result(g int) types.Value { return types.NewLong(s.sketches[g].count()) }

// accuracyLevel reads the optional accuracy argument at index i.
func accuracyLevel(fn string, args []Arg, i int) (hllLevel, error) {
	acc, err := constIntArg(fn, args, i, 1, "accuracy")
	if err != nil {
		return hllLevel{}, err
	}
	if acc < 0 || acc >= int64(len(hllLevels)) {
		return hllLevel{}, ArgError(fn, "the accuracy must be between 0 and 4, not %d", acc)
	}
	return hllLevels[acc], nil
}

func bindDcount(fn string, cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		fixed, pred := 1, -1
		if cond {
			fixed, pred = 2, 1
		}
		if err := arity(fn, args, fixed, fixed+1); err != nil {
			return 0, nil, err
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
		return types.Long, func() AggState { return &dcountState{lv: lv, pred: pred} }, nil
	}
}

// exactLevel never leaves the exact set. Distinct values are told apart by
// their 64-bit hash, so two values would only be confused by a collision.
var exactLevel = hllLevel{p: 18, exact: int(^uint(0) >> 1)}

func bindCountDistinct(fn string, cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		n, pred := 1, -1
		if cond {
			n, pred = 2, 1
		}
		if err := arity(fn, args, n, n); err != nil {
			return 0, nil, err
		}
		if args[0].Type == types.Dynamic {
			return 0, nil, ArgError(fn, "cannot count distinct dynamic values")
		}
		if cond {
			if err := wantBoolArg(fn, args, pred); err != nil {
				return 0, nil, err
			}
		}
		return types.Long, func() AggState { return &dcountState{lv: exactLevel, pred: pred} }, nil
	}
}
