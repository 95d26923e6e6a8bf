package exec

import (
	"container/heap"
	"math"
	"sort"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func (r *Runner) sort(n *plan.Sort) (Operator, error) {
	return r.blocking(n.In, func(b *vec.Batch) (*vec.Batch, error) {
		less, err := r.rowLess(n.Keys, b)
		if err != nil {
			return nil, err
		}
		idx := make([]int, b.N)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(x, y int) bool { return less(idx[x], idx[y]) })
		return b.Gather(idx), nil
	})
}

// top keeps the first N rows in key order. Each input batch is reduced to
// its own best N rows with a bounded heap as it arrives, so the whole
// input is never held; the survivors are ranked once more at the end.
func (r *Runner) top(n *plan.Top) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	sch := n.In.Schema()
	var kept []*vec.Batch
	for {
		b, err := in.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		best, err := r.topOf(n, b)
		if err != nil {
			return nil, err
		}
		kept = append(kept, best)
		if len(kept) > 16 {
			merged := vec.Concat(sch, kept)
			if best, err = r.topOf(n, merged); err != nil {
				return nil, err
			}
			kept = []*vec.Batch{best}
		}
	}
	if len(kept) == 0 {
		return &once{b: emptyBatch(sch)}, nil
	}
	best, err := r.topOf(n, vec.Concat(sch, kept))
	if err != nil {
		return nil, err
	}
	return &once{b: best}, nil
}

// topOf returns the best n.N rows of b in order.
func (r *Runner) topOf(n *plan.Top, b *vec.Batch) (*vec.Batch, error) {
	less, err := r.rowLess(n.Keys, b)
	if err != nil {
		return nil, err
	}
	if n.N <= 0 {
		return b.Gather(nil), nil
	}
	h := &rowHeap{less: func(x, y int) bool { return less(y, x) || !less(x, y) && x > y }}
	for i := 0; i < b.N; i++ {
		if int64(h.Len()) < n.N {
			heap.Push(h, i)
			continue
		}
		// h.rows[0] is the worst row kept; replace it when i is better.
		if less(i, h.rows[0]) {
			h.rows[0] = i
			heap.Fix(h, 0)
		}
	}
	idx := append([]int(nil), h.rows...)
	sort.SliceStable(idx, func(x, y int) bool {
		a, c := idx[x], idx[y]
		return less(a, c) || !less(c, a) && a < c
	})
	return b.Gather(idx), nil
}

// rowHeap is a max-heap of row indexes by the sort order: the root is the
// worst of the rows kept.
type rowHeap struct {
	rows []int
	less func(x, y int) bool
}

func (h *rowHeap) Len() int           { return len(h.rows) }
func (h *rowHeap) Less(i, j int) bool { return h.less(h.rows[i], h.rows[j]) }
func (h *rowHeap) Swap(i, j int)      { h.rows[i], h.rows[j] = h.rows[j], h.rows[i] }
func (h *rowHeap) Push(x any)         { h.rows = append(h.rows, x.(int)) }
func (h *rowHeap) Pop() any {
	x := h.rows[len(h.rows)-1]
	h.rows = h.rows[:len(h.rows)-1]
	return x
}

// rowLess evaluates the sort keys over b and returns the order on rows.
// Keys of integer, real and string type compare on their typed values;
// others compare as values.
func (r *Runner) rowLess(keys []plan.SortKey, b *vec.Batch) (func(x, y int) bool, error) {
	cmps := make([]func(x, y int) int, len(keys))
	for i, k := range keys {
		c, err := r.eval(k.X, b)
		if err != nil {
			return nil, err
		}
		cmps[i] = keyCompare(c, k)
	}
	return func(x, y int) bool {
		for _, cmp := range cmps {
			if c := cmp(x, y); c != 0 {
				return c < 0
			}
		}
		return false
	}, nil
}

// keyCompare returns a three-way comparison of rows for one sort key,
// with direction and null placement applied.
func keyCompare(c *vec.Column, k plan.SortKey) func(x, y int) int {
	dir := 1
	if k.Desc {
		dir = -1
	}
	nullOrder := 1 // nulls after
	if k.NullsFirst {
		nullOrder = -1
	}
	base := valueCompare(c)
	if c.Materialize() == c && c.Valid == nil && c.Type != types.Dynamic && c.Type != types.Null {
		base = typedCompare(c)
	}
	// Rows rank by class first: nulls, then NaN next to them, then values.
	class := func(i int) int {
		switch {
		case c.IsNull(i):
			return 0
		case c.Type.Storage() == types.StoreFloat && math.IsNaN(c.Float(i)):
			return 1
		}
		return 2
	}
	return func(x, y int) int {
		cx, cy := class(x), class(y)
		if cx != cy {
			if cx < cy {
				return nullOrder
			}
			return -nullOrder
		}
		if cx < 2 {
			return 0
		}
		return dir * base(x, y)
	}
}

func valueCompare(c *vec.Column) func(x, y int) int {
	return func(x, y int) int { return types.Compare(c.Value(x), c.Value(y)) }
}

func typedCompare(c *vec.Column) func(x, y int) int {
	switch c.Type.Storage() {
	case types.StoreInt:
		v := c.Ints
		return func(x, y int) int { return types.CompareInts(v[x], v[y]) }
	case types.StoreFloat:
		v := c.Floats
		return func(x, y int) int { return types.CompareFloats(v[x], v[y]) }
	case types.StoreString:
		v := c.Strs
		return func(x, y int) int {
			switch {
			case v[x] < v[y]:
				return -1
			case v[x] > v[y]:
				return 1
			}
			return 0
		}
	}
	return valueCompare(c)
}
