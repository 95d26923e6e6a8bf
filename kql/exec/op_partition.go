package exec

import (
	"fmt"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.Partition)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		p := n.(*plan.Partition)
		return r.blocking(p.In, func(b *vec.Batch) (*vec.Batch, error) { return r.partition(p, b) })
	})
	registerNode((*plan.PartitionInput)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		b, ok := r.inputs[n.(*plan.PartitionInput)]
		if !ok {
			return nil, fmt.Errorf("a partition's rows were read outside the partition operator")
		}
		return &once{b: b}, nil
	})
}

// partition runs the subquery over each partition's rows, partitions in
// order of their key's first appearance, and concatenates the results.
func (r *Runner) partition(n *plan.Partition, b *vec.Batch) (*vec.Batch, error) {
	index := map[string]int{}
	var parts [][]int
	var key []byte
	for row := 0; row < b.N; row++ {
		key = types.Key(key[:0], b.Cols[n.Key].Value(row))
		p, ok := index[string(key)]
		if !ok {
			p = len(parts)
			index[string(key)] = p
			parts = append(parts, nil)
		}
		parts[p] = append(parts[p], row)
	}
	if n.Limit > 0 && len(parts) > n.Limit {
		return nil, fmt.Errorf("partition: the legacy strategy allows at most %d partitions, and column %s has %d values; use hint.strategy=native",
			n.Limit, n.In.Schema()[n.Key].Name, len(parts))
	}
	var outs []*vec.Batch
	for _, rows := range parts {
		child := r.child()
		child.inputs[n.Input] = b.Gather(rows)
		out, err := child.Run(n.Sub)
		if err != nil {
			return nil, err
		}
		outs = append(outs, out)
	}
	if len(outs) == 0 {
		return emptyBatch(n.Schema()), nil
	}
	return vec.Concat(n.Schema(), outs), nil
}

// child returns a runner for one partition: it sees the rows of the
// enclosing partitions and the subplans already shared, but evaluates
// subqueries afresh, since they may read the partition's rows.
func (r *Runner) child() *Runner {
	c := NewRunner(r.ctx, r.bctx)
	c.budget = r.budget
	r.mu.Lock()
	for k, v := range r.shared {
		c.shared[k] = v
	}
	r.mu.Unlock()
	c.inputs = map[*plan.PartitionInput]*vec.Batch{}
	for k, v := range r.inputs {
		c.inputs[k] = v
	}
	return c
}
