package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// matchBatch lays out the matches as rows of n.MatchSch.
func (r *Runner) matchBatch(g *graph, n *plan.GraphMatch, ms []*match) (*vec.Batch, error) {
	b := &vec.Batch{N: len(ms)}
	for v, gv := range n.Vars {
		switch gv.Kind {
		case plan.GraphNodeVar:
			b.Cols = append(b.Cols, g.elem.Gather(pick(ms, func(m *match) int { return m.nodes[v] })).Cols...)
		case plan.GraphEdgeVar:
			b.Cols = append(b.Cols, g.edges.Gather(pick(ms, func(m *match) int { return m.edges[v][0] })).Cols...)
		default:
			b.Cols = append(b.Cols, pathColumn(g, n.In.EdgeSchema(), ms, v))
		}
	}
	for _, f := range n.Folds {
		c, err := r.fold(g, f, ms)
		if err != nil {
			return nil, err
		}
		b.Cols = append(b.Cols, c)
	}
	return b, nil
}

func pick(ms []*match, f func(*match) int) []int {
	idx := make([]int, len(ms))
	for i, m := range ms {
		idx[i] = f(m)
	}
	return idx
}

// pathColumn returns the edges of path variable v as arrays of bags.
func pathColumn(g *graph, sch vec.Schema, ms []*match, v int) *vec.Column {
	b := vec.NewBuilder(types.Dynamic, len(ms))
	for _, m := range ms {
		arr := make([]any, 0, len(m.edges[v]))
		for _, e := range m.edges[v] {
			bag := &types.Bag{}
			for j, f := range sch {
				bag.Set(f.Name, types.ToDynamic(g.edges.Cols[j].Value(e)))
			}
			arr = append(arr, bag)
		}
		b.AppendAny(arr)
	}
	return b.Build()
}

// elements returns, for each match, the edges or inner nodes of the
// fold's path as indexes into one gathered batch, with the bounds of
// each match's run.
func foldElements(f plan.GraphFold, ms []*match) (idx []int, bounds []int) {
	bounds = append(bounds, 0)
	for _, m := range ms {
		if f.Inner {
			if w := m.walks[f.Var]; len(w) > 2 {
				idx = append(idx, w[1:len(w)-1]...)
			}
		} else {
			idx = append(idx, m.edges[f.Var]...)
		}
		bounds = append(bounds, len(idx))
	}
	return idx, bounds
}

// fold computes all(), any() or map() of each match's path.
func (r *Runner) fold(g *graph, f plan.GraphFold, ms []*match) (*vec.Column, error) {
	idx, bounds := foldElements(f, ms)
	src := g.edges
	if f.Inner {
		src = g.elem
	}
	vals, err := r.eval(f.Expr, src.Gather(idx))
	if err != nil {
		return nil, err
	}
	t := types.Bool
	if f.Func == "map" {
		t = types.Dynamic
	}
	b := vec.NewBuilder(t, len(ms))
	for i := range ms {
		b.Append(foldRun(f.Func, vals, bounds[i], bounds[i+1]))
	}
	return b.Build(), nil
}

func foldRun(fn string, vals *vec.Column, lo, hi int) types.Value {
	switch fn {
	case "map":
		arr := make([]any, 0, hi-lo)
		for i := lo; i < hi; i++ {
			arr = append(arr, types.ToDynamic(vals.Value(i)))
		}
		return types.NewDynamic(arr)
	case "all":
		for i := lo; i < hi; i++ {
			if v := vals.Value(i); !v.Valid || v.I == 0 {
				return types.NewBool(false)
			}
		}
		return types.NewBool(true)
	}
	for i := lo; i < hi; i++ {
		if v := vals.Value(i); v.Valid && v.I != 0 {
			return types.NewBool(true)
		}
	}
	return types.NewBool(false)
}
