package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.Narrow)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		return r.narrow(n.(*plan.Narrow))
	})
}

// narrow streams: each input batch becomes rows × columns output rows.
func (r *Runner) narrow(n *plan.Narrow) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	names := n.In.Schema()
	row := int64(0)
	return funcOp(func() (*vec.Batch, error) {
		b, err := in.Next()
		if b == nil || err != nil {
			return nil, err
		}
		rows := vec.NewBuilder(types.Long, b.N*len(names))
		cols := vec.NewBuilder(types.String, b.N*len(names))
		vals := vec.NewBuilder(types.String, b.N*len(names))
		for i := 0; i < b.N; i, row = i+1, row+1 {
			for j, f := range names {
				rows.AppendInt(row)
				cols.AppendString(f.Name)
				vals.AppendString(b.Cols[j].Value(i).String())
			}
		}
		return &vec.Batch{Cols: []*vec.Column{rows.Build(), cols.Build(), vals.Build()}, N: b.N * len(names)}, nil
	}), nil
}
