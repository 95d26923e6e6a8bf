package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// union concatenates its inputs in order, mapping columns by name.
func (r *Runner) union(n *plan.Union) (Operator, error) {
	i := 0
	var cur Operator
	return funcOp(func() (*vec.Batch, error) {
		for i < len(n.Ins) {
			if cur == nil {
				op, err := r.open(n.Ins[i])
				if err != nil {
					return nil, err
				}
				cur = op
			}
			b, err := cur.Next()
			if err != nil {
				return nil, err
			}
			if b == nil {
				cur = nil
				i++
				continue
			}
			return r.unionBatch(n, i, b), nil
		}
		return nil, nil
	}), nil
}

func (r *Runner) unionBatch(n *plan.Union, in int, b *vec.Batch) *vec.Batch {
	out := &vec.Batch{N: b.N, Cols: make([]*vec.Column, len(n.Sch))}
	for j, f := range n.Sch {
		switch src := n.Maps[in][j]; {
		case j == n.SourceColumn:
			out.Cols[j] = vec.NewConst(types.NewString(n.SourceNames[in]), b.N)
		case src >= 0:
			out.Cols[j] = b.Cols[src]
		default:
			out.Cols[j] = vec.NewConst(types.NullOf(f.Type), b.N)
		}
	}
	return out
}
