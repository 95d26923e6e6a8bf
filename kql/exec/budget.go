package exec

import (
	"fmt"
	"sync/atomic"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// DefaultMemoryLimit is the memory a query may hold in materialized rows
// unless the runner is told otherwise.
const DefaultMemoryLimit = 4 << 30

// memBudget bounds the bytes of rows a query materializes. Charges only
// grow during a query: the limit is a safety net against a runaway query,
// not an allocator.
type memBudget struct {
	limit int64
	used  atomic.Int64
}

// SetMemoryLimit sets the budget of the query this runner executes, in
// bytes; 0 or less means DefaultMemoryLimit.
func (r *Runner) SetMemoryLimit(limit int64) {
	if limit <= 0 {
		limit = DefaultMemoryLimit
	}
	r.budget = &memBudget{limit: limit}
}

// charge adds b's size to the budget and fails when the query goes over.
func (m *memBudget) charge(b *vec.Batch) error {
	if m == nil {
		return nil
	}
	if used := m.used.Add(batchBytes(b)); used > m.limit {
		return fmt.Errorf("the query needs more than its memory limit of %d MiB for intermediate rows; "+
			"narrow it with where, project or take before sort, join or summarize", m.limit>>20)
	}
	return nil
}

// batchBytes estimates the memory a batch holds.
func batchBytes(b *vec.Batch) int64 {
	var n int64
	for _, c := range b.Cols {
		n += columnBytes(c)
	}
	return n
}

func columnBytes(c *vec.Column) int64 {
	if c.Const {
		return 32
	}
	n := int64(len(c.Valid))
	switch {
	case c.Codes != nil:
		return n + 4*int64(len(c.Codes))
	case c.Type.Storage() == types.StoreInt:
		n += 8 * int64(len(c.Ints))
	case c.Type.Storage() == types.StoreFloat:
		n += 8 * int64(len(c.Floats))
	case c.Type.Storage() == types.StoreString:
		n += 16 * int64(len(c.Strs))
		for _, s := range c.Strs {
			n += int64(len(s))
		}
	default:
		// A dynamic value: an interface plus a small allocation on average.
		n += 48 * int64(len(c.Anys))
	}
	return n
}
