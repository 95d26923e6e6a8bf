package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// Set functions over dynamic arrays: set_union, set_intersect,
// set_difference, set_has_element and jaccard_index. Results hold distinct
// values in the order of their first appearance; numbers compare by value
// (1 and 1.0 are the same element).
func init() {
	RegisterScalar(
		Fixed("set_union", false, Sig{Params: dyn1, Ret: types.Dynamic, Variadic: true, Min: 2, F: setUnion}),
		Fixed("set_intersect", false, Sig{Params: dyn1, Ret: types.Dynamic, Variadic: true, Min: 2, F: setIntersect}),
		Fixed("set_difference", false, Sig{Params: dyn1, Ret: types.Dynamic, Variadic: true, Min: 2, F: setDifference}),
		Fixed("set_has_element", false, Sig{Params: []types.Type{types.Dynamic, types.Null}, Ret: types.Bool, F: setHasElement}),
		Fixed("jaccard_index", false, Sig{Params: dyn2, Ret: types.Real, F: jaccardIndex}),
	)
}

// elemSet is a set of dynamic elements keyed by elemKey, remembering
// the order in which elements were added.
type elemSet struct {
	has   map[string]bool
	elems []any
}

func newElemSet() *elemSet { return &elemSet{has: map[string]bool{}, elems: []any{}} }

func (s *elemSet) add(e any) {
	k := elemKey(e)
	if !s.has[k] {
		s.has[k] = true
		s.elems = append(s.elems, e)
	}
}

func (s *elemSet) contains(e any) bool { return s.has[elemKey(e)] }

// setsOf returns the arguments as arrays, or false if one isn't an array.
func setsOf(v []types.Value) ([][]any, bool) {
	out := make([][]any, len(v))
	for i, x := range v {
		a, ok := arrayOf(x)
		if !ok {
			return nil, false
		}
		out[i] = a
	}
	return out, true
}

func setUnion(v []types.Value) types.Value {
	arrs, ok := setsOf(v)
	if !ok {
		return nullDynamic
	}
	s := newElemSet()
	for _, a := range arrs {
		for _, e := range a {
			s.add(e)
		}
	}
	return types.NewDynamic(s.elems)
}

// setIntersect keeps the distinct elements of the first array found in
// every other array.
func setIntersect(v []types.Value) types.Value {
	return filterFirst(v, func(in []*elemSet, e any) bool {
		for _, s := range in {
			if !s.contains(e) {
				return false
			}
		}
		return true
	})
}

// setDifference keeps the distinct elements of the first array found in
// none of the other arrays.
func setDifference(v []types.Value) types.Value {
	return filterFirst(v, func(in []*elemSet, e any) bool {
		for _, s := range in {
			if s.contains(e) {
				return false
			}
		}
		return true
	})
}

func filterFirst(v []types.Value, keep func(others []*elemSet, e any) bool) types.Value {
	arrs, ok := setsOf(v)
	if !ok {
		return nullDynamic
	}
	others := make([]*elemSet, len(arrs)-1)
	for i, a := range arrs[1:] {
		others[i] = newElemSet()
		for _, e := range a {
			others[i].add(e)
		}
	}
	out := newElemSet()
	for _, e := range arrs[0] {
		if keep(others, e) {
			out.add(e)
		}
	}
	return types.NewDynamic(out.elems)
}

func setHasElement(v []types.Value) types.Value {
	a, ok := arrayOf(v[0])
	if !ok {
		return types.NullOf(types.Bool)
	}
	key := elemKey(dynOf(v[1]))
	for _, e := range a {
		if elemKey(e) == key {
			return types.NewBool(true)
		}
	}
	return types.NewBool(false)
}

// jaccardIndex is |a ∩ b| / |a ∪ b| over the distinct elements.
func jaccardIndex(v []types.Value) types.Value {
	arrs, ok := setsOf(v)
	if !ok {
		return types.NullOf(types.Real)
	}
	a, union := newElemSet(), newElemSet()
	for _, e := range arrs[0] {
		a.add(e)
		union.add(e)
	}
	b := newElemSet()
	for _, e := range arrs[1] {
		b.add(e)
		union.add(e)
	}
	inter := 0
	for _, e := range b.elems {
		if a.contains(e) {
			inter++
		}
	}
	return types.NewReal(float64(inter) / float64(len(union.elems)))
}
