package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.SampleDistinct)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		s := n.(*plan.SampleDistinct)
		return r.blocking(s.In, func(b *vec.Batch) (*vec.Batch, error) {
			return r.sampleDistinct(s, b)
		})
	})
}

// sampleDistinct picks up to N of the distinct values of X at random.
func (r *Runner) sampleDistinct(n *plan.SampleDistinct, b *vec.Batch) (*vec.Batch, error) {
	x, err := r.eval(n.X, b)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var first []int // the first row of each distinct value
	var key []byte
	for row := 0; row < b.N; row++ {
		key = types.Key(key[:0], x.Value(row))
		if !seen[string(key)] {
			seen[string(key)] = true
			first = append(first, row)
		}
	}
	picked := reservoir(r.rand(), len(first), n.N)
	rows := make([]int, len(picked))
	for i, p := range picked {
		rows[i] = first[p]
	}
	col := convertColumn(x, n.Sch[0].Type).Gather(rows)
	return &vec.Batch{Cols: []*vec.Column{col}, N: len(rows)}, nil
}
