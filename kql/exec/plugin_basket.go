package exec

import (
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() { registerPluginFunc("basket", basket) }

// basketItem is one (column, value) that a pattern can require.
type basketItem struct {
	col int // index into the dimension columns
	key string
	v   types.Value
}

// basketSet is a frequent pattern: item ids in increasing order (so in
// column order) and the weight of the rows that hold all of them.
type basketSet struct {
	items []int
	w     float64
}

// basket finds the frequent patterns with Apriori: the frequent single
// items first, then patterns one item larger built from two frequent ones
// that share all but their last item, each counted over all rows, up to
// MaxDimensions items. Only closed patterns are returned: a pattern is
// left out when a pattern with one more item covers the same weight,
// since it says nothing more. The counting is exact, without sampling.
// Segments are ordered by weight, then size, then item order.
func basket(in *pluginInput) (*vec.Batch, error) {
	threshold, maxDims := in.scalars[0].F, int(in.scalars[1].I)
	dims, n := in.cols, in.rows.N
	weight := func(int) float64 { return 1 }
	if len(in.exprs) > 0 {
		w := in.exprs[0]
		weight = func(r int) float64 {
			if w.IsNull(r) {
				return 0
			}
			return w.Value(r).F
		}
	}
	// Items, numbered in column order, and each row's item per column.
	var items []basketItem
	ids := map[basketItem]int{}
	rowItems := make([][]int, n)
	for r := range n {
		for ci, c := range dims {
			if c.Type == types.Dynamic || c.IsNull(r) {
				continue
			}
			v := c.Value(r)
			if v.Type == types.String && v.S == "" {
				continue
			}
			it := basketItem{col: ci, key: valueKey(v)}
			id, ok := ids[it]
			if !ok {
				id = len(items)
				ids[it] = id
				it.v = v
				items = append(items, it)
			}
			rowItems[r] = append(rowItems[r], id)
		}
	}
	order := make([]int, len(items)) // rank of an item id in column order
	byCol := make([]int, len(items))
	for i := range byCol {
		byCol[i] = i
	}
	sort.SliceStable(byCol, func(i, j int) bool { return items[byCol[i]].col < items[byCol[j]].col })
	for rank, id := range byCol {
		order[id] = rank
	}
	total := 0.0
	for r := range n {
		total += weight(r)
	}
	if total <= 0 {
		return newTableBuilder(in.n.Sch).build(), nil
	}
	minW := threshold * total
	// count returns the weight of the rows holding every item of each
	// candidate.
	count := func(cands [][]int) []float64 {
		ws := make([]float64, len(cands))
		has := make([]bool, len(items))
		for r := range n {
			for _, id := range rowItems[r] {
				has[id] = true
			}
			for i, cand := range cands {
				all := true
				for _, id := range cand {
					if !has[id] {
						all = false
						break
					}
				}
				if all {
					ws[i] += weight(r)
				}
			}
			for _, id := range rowItems[r] {
				has[id] = false
			}
		}
		return ws
	}
	var level []basketSet
	singles := make([][]int, len(items))
	for i := range items {
		singles[i] = []int{byCol[i]}
	}
	for i, w := range count(singles) {
		if w >= minW {
			level = append(level, basketSet{items: singles[i], w: w})
		}
	}
	var all [][]basketSet
	for size := 1; len(level) > 0; size++ {
		all = append(all, level)
		if size == maxDims {
			break
		}
		frequent := map[string]bool{}
		for _, s := range level {
			frequent[basketKey(s.items)] = true
		}
		var cands [][]int
		for i := range level {
			for j := i + 1; j < len(level); j++ {
				a, b := level[i].items, level[j].items
				if !samePrefix(a, b) {
					continue
				}
				x, y := a[len(a)-1], b[len(b)-1]
				if items[x].col == items[y].col {
					continue
				}
				if order[y] < order[x] {
					x, y = y, x
				}
				cand := append(append(append([]int(nil), a[:len(a)-1]...), x), y)
				if allSubsetsFrequent(cand, frequent) {
					cands = append(cands, cand)
				}
			}
		}
		level = nil
		for i, w := range count(cands) {
			if w >= minW {
				level = append(level, basketSet{items: cands[i], w: w})
			}
		}
	}
	// Keep the closed patterns.
	var out []basketSet
	for size, sets := range all {
		for _, s := range sets {
			closed := true
			if size+1 < len(all) {
				for _, sup := range all[size+1] {
					if sup.w == s.w && subset(s.items, sup.items) {
						closed = false
						break
					}
				}
			}
			if closed {
				out = append(out, s)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.w != b.w {
			return a.w > b.w
		}
		if len(a.items) != len(b.items) {
			return len(a.items) < len(b.items)
		}
		for k := range a.items {
			if a.items[k] != b.items[k] {
				return order[a.items[k]] < order[b.items[k]]
			}
		}
		return false
	})
	wild := basketWildcards(dims, in.scalars[2:])
	tb := newTableBuilder(in.n.Sch)
	for seg, s := range out {
		row := []types.Value{types.NewInt(int32(seg)), types.NewLong(int64(s.w + 0.5)), types.NewReal(100 * s.w / total)}
		vals := append([]types.Value(nil), wild...)
		for _, id := range s.items {
			vals[items[id].col] = items[id].v
		}
		tb.add(append(row, vals...)...)
	}
	return tb.build(), nil
}

// basketWildcards returns the value a dimension column shows where a
// pattern does not constrain it: a custom wildcard of the column's type,
// or else "" for strings and null for the others.
func basketWildcards(dims []*vec.Column, custom []types.Value) []types.Value {
	out := make([]types.Value, len(dims))
	for i, c := range dims {
		out[i] = types.NullOf(c.Type)
		if c.Type == types.String {
			out[i] = types.NewString("")
		}
		for _, w := range custom {
			if w.Type == c.Type || w.Type.IsNumeric() && c.Type.IsNumeric() && w.Type.Storage() == c.Type.Storage() {
				out[i] = types.Convert(w, c.Type)
				break
			}
		}
	}
	return out
}

func basketKey(ids []int) string {
	b := make([]byte, 0, 4*len(ids))
	for _, id := range ids {
		b = append(b, byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
	}
	return string(b)
}

func samePrefix(a, b []int) bool {
	for k := 0; k < len(a)-1; k++ {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// allSubsetsFrequent reports whether every subset of cand one item smaller
// is frequent (the Apriori pruning).
func allSubsetsFrequent(cand []int, frequent map[string]bool) bool {
	sub := make([]int, 0, len(cand)-1)
	for skip := range cand {
		sub = sub[:0]
		for k, id := range cand {
			if k != skip {
				sub = append(sub, id)
			}
		}
		if !frequent[basketKey(sub)] {
			return false
		}
	}
	return true
}

// subset reports whether every item of a is in b.
func subset(a, b []int) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
