package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.MvApply)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		m := n.(*plan.MvApply)
		return r.blocking(m.In, func(b *vec.Batch) (*vec.Batch, error) { return r.mvApply(m, b) })
	})
}

// mvApply runs the subquery on each row's subtable. The subtable is the
// value of the subquery's source node while it runs.
func (r *Runner) mvApply(n *plan.MvApply, b *vec.Batch) (*vec.Batch, error) {
	vals := make([]*vec.Column, len(n.Exprs))
	for i, e := range n.Exprs {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		vals[i] = c
	}
	var results []*vec.Batch
	var from []int // the input row of each result row
	defer r.setShared(n.Source, nil)
	for row := 0; row < b.N; row++ {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		r.setShared(n.Source, subtable(n, b, vals, row))
		res, err := r.Run(n.Sub)
		if err != nil {
			return nil, err
		}
		if res.N > 0 {
			results = append(results, res)
		}
		for i := 0; i < res.N; i++ {
			from = append(from, row)
		}
	}
	subSch := n.Sub.Schema()
	all := emptyBatch(subSch)
	if len(results) > 0 {
		all = vec.Concat(subSch, results)
	}
	out := &vec.Batch{N: all.N}
	for _, i := range n.Keep {
		out.Cols = append(out.Cols, b.Cols[i].Gather(from))
	}
	out.Cols = append(out.Cols, all.Cols...)
	return out, nil
}

// subtable expands one input row: element k of every expanded value makes
// row k (null where a value has fewer elements).
func subtable(n *plan.MvApply, b *vec.Batch, vals []*vec.Column, row int) *vec.Batch {
	lists := make([][]any, len(vals))
	longest := 0
	for i, c := range vals {
		lists[i] = expandValue(c.Value(row), false)
		longest = max(longest, len(lists[i]))
	}
	if n.Limit >= 0 && int64(longest) > n.Limit {
		longest = int(n.Limit)
	}
	sch := n.Source.Schema()
	rows := make([]int, longest)
	for k := range rows {
		rows[k] = row
	}
	out := &vec.Batch{N: longest, Cols: make([]*vec.Column, len(sch))}
	for j := range b.Cols {
		out.Cols[j] = b.Cols[j].Gather(rows)
	}
	for i, target := range n.Targets {
		bl := vec.NewBuilder(n.ToTypes[i], longest)
		for k := 0; k < longest; k++ {
			var v any
			if k < len(lists[i]) {
				v = lists[i][k]
			}
			bl.Append(types.Convert(types.NewDynamic(v), n.ToTypes[i]))
		}
		out.Cols[target] = bl.Build()
	}
	if n.IndexName != "" {
		bl := vec.NewBuilder(types.Long, longest)
		for k := 0; k < longest; k++ {
			bl.AppendInt(int64(k))
		}
		out.Cols[len(sch)-1] = bl.Build()
	}
	return out
}
