package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.Consume)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		in, err := r.open(n.(*plan.Consume).In)
		if err != nil {
			return nil, err
		}
		return funcOp(func() (*vec.Batch, error) {
			for {
				if err := r.ctx.Err(); err != nil {
					return nil, err
				}
				b, err := in.Next()
				if b == nil || err != nil {
					return nil, err
				}
			}
		}), nil
	})
}
