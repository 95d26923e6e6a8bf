package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// make_bag and make_bag_if merge the property bags of a group into one
// bag, named bag_x. Values that are not bags are ignored; when a key
// appears more than once the first value wins.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "make_bag", Prefix: "bag", Bind: bindBag("make_bag", false)},
		&Aggregate{Name: "make_bag_if", Prefix: "bag", Bind: bindBag("make_bag_if", true)},
	)
}

// bagGroup is one group's merged bag with an index of its keys.
type bagGroup struct {
	bag   types.Bag
	index map[string]struct{}
}

type bagState struct {
	groups []bagGroup
	max    int
	pred   int
}

func (s *bagState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.groups) {
		s.groups = grow(s.groups, g)
	}
	if r < 0 || s.pred >= 0 && !truthAt(args[s.pred], r) || args[0].IsNull(r) {
		return
	}
	in, ok := args[0].Value(r).D.(*types.Bag)
	if !ok {
		return
	}
	bg := &s.groups[g]
	if bg.index == nil {
		bg.index = make(map[string]struct{}, len(in.Keys))
	}
	for i, k := range in.Keys {
		if bg.bag.Len() >= s.max {
			return
		}
		if _, dup := bg.index[k]; dup {
			continue
		}
		bg.index[k] = struct{}{}
		bg.bag.Keys = append(bg.bag.Keys, k)
		bg.bag.Vals = append(bg.bag.Vals, in.Vals[i])
	}
}

func (s *bagState) Result(g int) types.Value {
	b := s.groups[g].bag
	return types.NewDynamic(&b)
}

func bindBag(fn string, cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		fixed, pred := 1, -1
		if cond {
			fixed, pred = 2, 1
		}
		if err := arity(fn, args, fixed, fixed+1); err != nil {
			return 0, nil, err
		}
		if err := wantDynamicArgs(fn, args[:1]); err != nil {
			return 0, nil, err
		}
		if cond {
			if err := wantBoolArg(fn, args, pred); err != nil {
				return 0, nil, err
			}
		}
		max, err := maxSizeArg(fn, args, fixed, maxListSize)
		if err != nil {
			return 0, nil, err
		}
		return types.Dynamic, func() AggState { return &bagState{max: max, pred: pred} }, nil
	}
}
