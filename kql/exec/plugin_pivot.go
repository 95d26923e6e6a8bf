package exec

import (
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.Pivot)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		p := n.(*plan.Pivot)
		return r.blocking(p.In, func(b *vec.Batch) (*vec.Batch, error) { return r.pivot(p, b) })
	})
}

// pivotCells numbers the (group, pivot value) cells densely as they are
// first seen, as aggregate states want.
type pivotCells struct {
	ids   map[[2]int]int
	state builtin.AggState
}

func (pc *pivotCells) cell(g, v int) int {
	id, ok := pc.ids[[2]int{g, v}]
	if !ok {
		id = len(pc.ids)
		pc.ids[[2]int{g, v}] = id
		pc.state.Add(id, nil, -1)
	}
	return id
}

func (r *Runner) pivot(n *plan.Pivot, b *vec.Batch) (*vec.Batch, error) {
	args := make([]*vec.Column, len(n.Agg.Exprs))
	for i, e := range n.Agg.Exprs {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	values := map[string]int{}
	for _, o := range n.Out {
		if o.Key < 0 {
			values[o.Value] = len(values)
		}
	}
	cells := &pivotCells{ids: map[[2]int]int{}, state: n.Agg.New()}
	groups := map[string]int{}
	var firstRow []int
	var key []byte
	for row := 0; row < b.N; row++ {
		key = key[:0]
		for _, k := range n.Keys {
			key = types.Key(key, b.Cols[k].Value(row))
		}
		g, ok := groups[string(key)]
		if !ok {
			g = len(firstRow)
			groups[string(key)] = g
			firstRow = append(firstRow, row)
		}
		if v, ok := values[plan.PivotValueText(b.Cols[n.Col].Value(row))]; ok {
			cells.state.Add(cells.cell(g, v), args, row)
		}
	}
	return pivotOutput(n, b, firstRow, values, cells), nil
}

func pivotOutput(n *plan.Pivot, b *vec.Batch, firstRow []int, values map[string]int, cells *pivotCells) *vec.Batch {
	out := &vec.Batch{N: len(firstRow)}
	for j, f := range n.Sch {
		col := vec.NewBuilder(f.Type, len(firstRow))
		for g, row := range firstRow {
			o := n.Out[j]
			var v types.Value
			if o.Key >= 0 {
				v = b.Cols[n.Keys[o.Key]].Value(row)
			} else {
				v = pivotEmpty(n.Agg, cells.state.Result(cells.cell(g, values[o.Value])))
			}
			col.Append(fit(v, f.Type))
		}
		out.Cols = append(out.Cols, col.Build())
	}
	return out
}

// pivotEmpty makes the empty cells of counting and summing aggregations
// 0, as Kusto shows them.
func pivotEmpty(agg *plan.AggCall, v types.Value) types.Value {
	if !v.IsNull() {
		return v
	}
	switch agg.Name {
	case "count", "countif", "sum", "sumif", "dcount", "dcountif":
		return types.Convert(types.NewLong(0), v.Type)
	}
	return v
}
