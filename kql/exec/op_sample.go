package exec

import (
	"math/rand/v2"
	"sort"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.Sample)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		s := n.(*plan.Sample)
		return r.blocking(s.In, func(b *vec.Batch) (*vec.Batch, error) {
			return b.Gather(reservoir(r.rand(), b.N, s.N)), nil
		})
	})
}

// rand returns the query's random source; queries run without one get a
// fixed seed.
func (r *Runner) rand() *rand.Rand {
	if r.bctx != nil && r.bctx.Rand != nil {
		return r.bctx.Rand
	}
	return rand.New(rand.NewPCG(1, 2))
}

// reservoir picks min(k, n) of the indexes 0..n-1 uniformly at random and
// returns them in increasing order.
func reservoir(rng *rand.Rand, n int, k int64) []int {
	if int64(n) <= k {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	for i := int(k); i < n; i++ {
		if j := rng.IntN(i + 1); int64(j) < k {
			idx[j] = i
		}
	}
	sort.Ints(idx)
	return idx
}
