package exec

import (
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// aggregate groups rows by key and folds each group into aggregate states.
// Without keys there is exactly one group, even over no rows (count() of
// an empty table is 0).
func (r *Runner) aggregate(n *plan.Aggregate) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	if aggregateUsesSerial(n) {
		// Window functions in keys or arguments see the whole input at once.
		all, err := r.drain(n.In.Schema(), in)
		if err != nil {
			return nil, err
		}
		in = &once{b: all}
	}
	states := make([]builtin.AggState, len(n.Aggs))
	for i, a := range n.Aggs {
		states[i] = a.New()
	}
	noKeyRows := false
	keyTypes := make([]types.Type, len(n.Keys))
	for i, k := range n.Keys {
		keyTypes[i] = k.Type()
	}
	grp := newGrouper(keyTypes)
	var gids []int
	for {
		b, err := in.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		keyCols := make([]*vec.Column, len(n.Keys))
		for i, k := range n.Keys {
			if keyCols[i], err = r.eval(k, b); err != nil {
				return nil, err
			}
		}
		argCols := make([][]*vec.Column, len(n.Aggs))
		for i, a := range n.Aggs {
			argCols[i] = make([]*vec.Column, len(a.Exprs))
			for j, e := range a.Exprs {
				if argCols[i][j], err = r.eval(e, b); err != nil {
					return nil, err
				}
			}
		}
		if cap(gids) < b.N {
			gids = make([]int, b.N)
		}
		gids = gids[:b.N]
		if len(keyCols) == 0 {
			clear(gids)
		} else {
			grp.assign(keyCols, b.N, gids)
		}
		for i, s := range states {
			args := argCols[i]
			for row, g := range gids {
				s.Add(g, args, row)
			}
		}
		if len(keyCols) == 0 && b.N > 0 {
			noKeyRows = true
		}
	}
	keyRows := grp.keyRows()
	if len(n.Keys) == 0 {
		keyRows = nil
		if noKeyRows {
			keyRows = [][]types.Value{nil}
		}
	}
	if len(n.Keys) == 0 && len(keyRows) == 0 {
		keyRows = append(keyRows, nil)
		for _, s := range states {
			s.Add(0, nil, -1) // r < 0: create the group without a row
		}
	}
	return &once{b: aggregateOutput(n, states, keyRows)}, nil
}

func aggregateUsesSerial(n *plan.Aggregate) bool {
	for _, k := range n.Keys {
		if plan.UsesSerial(k) {
			return true
		}
	}
	for _, a := range n.Aggs {
		for _, e := range a.Exprs {
			if plan.UsesSerial(e) {
				return true
			}
		}
	}
	return false
}

func aggregateOutput(n *plan.Aggregate, states []builtin.AggState, keyRows [][]types.Value) *vec.Batch {
	builders := make([]*vec.Builder, len(n.Sch))
	for i, f := range n.Sch {
		builders[i] = vec.NewBuilder(f.Type, len(keyRows))
	}
	for g, keys := range keyRows {
		col := 0
		for _, v := range keys {
			builders[col].Append(fit(v, n.Sch[col].Type))
			col++
		}
		for i, a := range n.Aggs {
			if len(a.Out) > 1 {
				for _, v := range states[i].(builtin.MultiAggState).Results(g) {
					builders[col].Append(fit(v, n.Sch[col].Type))
					col++
				}
				continue
			}
			builders[col].Append(fit(states[i].Result(g), n.Sch[col].Type))
			col++
		}
	}
	out := &vec.Batch{N: len(keyRows)}
	for _, b := range builders {
		out.Cols = append(out.Cols, b.Build())
	}
	return out
}

// fit converts v to t when their representations differ.
func fit(v types.Value, t types.Type) types.Value {
	if v.Type == t {
		return v
	}
	if v.Type.Storage() == t.Storage() && v.Type != types.Null {
		v.Type = t
		return v
	}
	return types.Convert(v, t)
}
