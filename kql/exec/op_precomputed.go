package exec

import "github.com/idlogs/idlogs/kql/plan"

func init() {
	registerNode((*plan.Precomputed)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		return &once{b: n.(*plan.Precomputed).Rows}, nil
	})
}
