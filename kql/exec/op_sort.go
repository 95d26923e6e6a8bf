package exec

import (
	"sort"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func (r *Runner) sort(n *plan.Sort) (Operator, error) {
	return r.blocking(n.In, func(b *vec.Batch) (*vec.Batch, error) {
		idx, err := r.order(n.Keys, b)
		if err != nil {
			return nil, err
		}
		return b.Gather(idx), nil
	})
}

func (r *Runner) top(n *plan.Top) (Operator, error) {
	return r.blocking(n.In, func(b *vec.Batch) (*vec.Batch, error) {
		idx, err := r.order(n.Keys, b)
		if err != nil {
			return nil, err
		}
		if int64(len(idx)) > n.N {
			idx = idx[:n.N]
		}
		return b.Gather(idx), nil
	})
}

// order returns b's row indexes sorted by keys (a stable sort).
func (r *Runner) order(keys []plan.SortKey, b *vec.Batch) ([]int, error) {
	cols := make([]*vec.Column, len(keys))
	for i, k := range keys {
		c, err := r.eval(k.X, b)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	idx := make([]int, b.N)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, bb := idx[x], idx[y]
		for i, k := range keys {
			va, vb := cols[i].Value(a), cols[i].Value(bb)
			an, bn := va.IsNull(), vb.IsNull()
			if an || bn {
				if an && bn {
					continue
				}
				return an == k.NullsFirst
			}
			c := types.Compare(va, vb)
			if c == 0 {
				continue
			}
			return (c < 0) != k.Desc
		}
		return false
	})
	return idx, nil
}
