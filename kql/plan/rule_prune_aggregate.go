package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// pruneAggregate drops the aggregates whose columns nobody reads and
// narrows row pickers (arg_max(x, *)) to the columns read: an unread
// argument becomes a constant null, which the picker copies for nothing.
// Grouping is kept as it is, so the number of rows does not change; a
// summarize without keys keeps one aggregate (it returns one row even
// over no input, which an aggregate keeps well defined).
//
// When aggregates are dropped, a Project above the narrower Aggregate
// puts constant nulls at their positions, so the schema stays the same.
func (p *pruner) pruneAggregate(n *Aggregate, need []bool) Node {
	nk := len(n.Keys)
	keep := make([]bool, len(n.Aggs))
	kept := 0
	for i, from := 0, nk; i < len(n.Aggs); i++ {
		for j := from; j < from+aggWidth(n.Aggs[i]); j++ {
			keep[i] = keep[i] || j >= len(need) || need[j]
		}
		if keep[i] {
			kept++
		}
		from += aggWidth(n.Aggs[i])
	}
	if nk == 0 && kept == 0 && len(n.Aggs) > 0 {
		keep[cheapestAgg(n.Aggs, n.In.Schema())] = true
	}
	c := *n
	c.Aggs = nil
	c.Sch = append(c.Sch[:0:0], n.Sch[:nk]...)
	pos := make([]int, len(n.Sch)) // output column -> column of c, or -1
	for j := range nk {
		pos[j] = j
	}
	for i, from := 0, nk; i < len(n.Aggs); i++ {
		a, w := n.Aggs[i], aggWidth(n.Aggs[i])
		for j := range w {
			pos[from+j] = -1
			if keep[i] {
				pos[from+j] = len(c.Sch) + j
			}
		}
		if keep[i] {
			c.Aggs = append(c.Aggs, p.narrowPicker(a, need[min(from, len(need)):min(from+w, len(need))]))
			c.Sch = append(c.Sch, n.Sch[from:from+w]...)
		}
		from += w
	}
	in := p.reads(none(n.In), append(append([]Expr(nil), n.Keys...), aggExprs(c.Aggs)...)...)
	c.In = p.prune(n.In, in)
	if len(c.Aggs) == len(n.Aggs) {
		return &c
	}
	p.fired = true
	exprs := make([]Expr, len(n.Sch))
	for j, f := range n.Sch {
		if pos[j] < 0 {
			exprs[j] = &Const{V: types.NullOf(f.Type)}
		} else {
			exprs[j] = &ColRef{Index: pos[j], Name: f.Name, T: f.Type}
		}
	}
	return &Project{In: &c, Exprs: exprs, Sch: n.Sch}
}

// aggWidth is the number of columns a produces (an aggregate without Out
// produces one).
func aggWidth(a *AggCall) int { return max(1, len(a.Out)) }

// cheapestAgg returns the index of the aggregate that reads the least
// (a dynamic column costs more than others to read): the one a summarize
// without keys keeps when none of its columns is read.
func cheapestAgg(aggs []*AggCall, in vec.Schema) int {
	best, bestCost := -1, 0
	for i, a := range aggs {
		set := map[int]bool{}
		known := true
		for _, e := range a.Exprs {
			known = known && columnsOf(e, set)
		}
		cost := 0
		for c := range set {
			cost++
			if c < len(in) && in[c].Type == types.Dynamic {
				cost += 10
			}
		}
		if !known {
			cost = 1 << 30
		}
		if best < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	return best
}

// pickers are the aggregates that return their arguments' values at one
// row, a column each, by the index of the first argument that does not
// choose the row: arg_max(x, ...) chooses by x; take_any(a, b, ...) with
// several arguments takes the first row of the group whatever its values.
var pickers = map[string]int{"arg_max": 1, "arg_min": 1, "argmax": 1, "argmin": 1, "take_any": 0, "any": 0}

// narrowPicker returns a with the returned arguments whose columns are
// not in need replaced by constant nulls.
func (p *pruner) narrowPicker(a *AggCall, need []bool) *AggCall {
	first, ok := pickers[a.Name]
	if !ok || len(a.Exprs) != len(a.Out) || len(a.Exprs) < 2 {
		return a
	}
	var exprs []Expr
	for i, e := range a.Exprs {
		if i < first || i >= len(need) || need[i] {
			continue
		}
		if _, isConst := e.(*Const); isConst {
			continue
		}
		if exprs == nil {
			exprs = append([]Expr(nil), a.Exprs...)
		}
		exprs[i] = &Const{V: types.NullOf(e.Type())}
	}
	if exprs == nil {
		return a
	}
	p.fired = true
	c := *a
	c.Exprs = exprs
	return &c
}
