package exec

import (
	"encoding/binary"
	"math/bits"
	"sync"
	"unsafe"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func (r *Runner) filter(n *plan.Filter) (Operator, error) {
	if plan.UsesSerial(n.Pred) {
		// Window functions see the whole input at once.
		return r.blocking(n.In, func(b *vec.Batch) (*vec.Batch, error) {
			pred, err := r.eval(n.Pred, b)
			if err != nil {
				return nil, err
			}
			return b.Gather(truth(pred, b.N)), nil
		})
	}
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	// A batch whose rows all fail the predicate maps to nil, which
	// parallelMap skips.
	if allTrue(n.Unread) && len(n.Unread) == len(n.In.Schema()) {
		// Only the number of rows is read (count): no row is copied.
		return r.parallelMap(in, func(b *vec.Batch) (*vec.Batch, error) {
			mask := getMask(b.N)
			defer putMask(mask)
			if err := r.predMask(n.Pred, b, mask); err != nil {
				return nil, err
			}
			if k := countTrue(mask); k > 0 {
				return nullBatch(n.In.Schema(), k), nil
			}
			return nil, nil
		}), nil
	}
	return r.parallelMap(in, func(b *vec.Batch) (*vec.Batch, error) {
		idx, err := r.selectRows(n.Pred, b)
		if err != nil {
			return nil, err
		}
		switch len(idx) {
		case b.N:
			return b, nil
		case 0:
			return nil, nil
		}
		return gatherRead(b, idx, n.Unread), nil
	}), nil
}

// gatherRead gathers the rows idx of b's columns, the unread ones as
// constant nulls.
func gatherRead(b *vec.Batch, idx []int, unread []bool) *vec.Batch {
	if unread == nil {
		return b.Gather(idx)
	}
	out := &vec.Batch{N: len(idx), Cols: make([]*vec.Column, len(b.Cols))}
	for j, c := range b.Cols {
		if j < len(unread) && unread[j] {
			out.Cols[j] = vec.NewConst(types.NullOf(c.Type), len(idx))
		} else {
			out.Cols[j] = c.Gather(idx)
		}
	}
	return out
}

// nullBatch is n rows of constant nulls in the columns of sch.
func nullBatch(sch vec.Schema, n int) *vec.Batch {
	out := &vec.Batch{N: n, Cols: make([]*vec.Column, len(sch))}
	for j, f := range sch {
		out.Cols[j] = vec.NewConst(types.NullOf(f.Type), n)
	}
	return out
}

// allTrue reports whether every entry of bs is true (false for none).
func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return len(bs) > 0
}

// countTrue counts the true entries of mask, eight at a time.
func countTrue(mask []bool) int {
	bs := maskBytes(mask)
	n8 := len(bs) &^ 7
	count := 0
	for i := 0; i < n8; i += 8 {
		count += bits.OnesCount64(binary.LittleEndian.Uint64(bs[i:]))
	}
	for _, m := range bs[n8:] {
		count += int(m)
	}
	return count
}

// selectRows returns the indexes of the rows of b where pred is true.
func (r *Runner) selectRows(pred plan.Expr, b *vec.Batch) ([]int, error) {
	mask := getMask(b.N)
	defer putMask(mask)
	if err := r.predMask(pred, b, mask); err != nil {
		return nil, err
	}
	return maskIndexes(mask), nil
}

// masks holds the row masks of filters: a batch of a scan has up to 64 Ki
// rows, and a fresh mask for each is a large allocation.
var masks sync.Pool

// getMask returns a mask of n false entries.
func getMask(n int) []bool {
	if p, ok := masks.Get().(*[]bool); ok && cap(*p) >= n {
		m := (*p)[:n]
		clear(m)
		return m
	}
	return make([]bool, n)
}

// putMask gives back a mask that nothing references any more.
func putMask(m []bool) {
	masks.Put(&m)
}

// maskBytes views a mask as bytes, 1 for true and 0 for false.
func maskBytes(mask []bool) []byte {
	if len(mask) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&mask[0])), len(mask))
}

// maskIndexes returns the indexes of the true entries of mask. Eight
// entries are tested at a time, so that runs of false ones, common in
// selective filters, cost little.
func maskIndexes(mask []bool) []int {
	bs := maskBytes(mask)
	n8 := len(bs) &^ 7
	count := 0
	for i := 0; i < n8; i += 8 {
		count += bits.OnesCount64(binary.LittleEndian.Uint64(bs[i:]))
	}
	for _, m := range bs[n8:] {
		count += int(m)
	}
	idx := make([]int, 0, count)
	for i := 0; i < n8; i += 8 {
		if binary.LittleEndian.Uint64(bs[i:]) == 0 {
			continue
		}
		for j, m := range bs[i : i+8] {
			if m != 0 {
				idx = append(idx, i+j)
			}
		}
	}
	for j, m := range bs[n8:] {
		if m != 0 {
			idx = append(idx, n8+j)
		}
	}
	return idx
}

// predMask sets mask[i] to whether pred is true at row i of b. A filter
// only asks whether a row's predicate is true, so `and` and `or` combine
// the masks of their operands (a null operand, like false, is not true),
// and a predicate evaluated once per dictionary entry maps codes to its
// per-entry answers without building a bool column.
func (r *Runner) predMask(pred plan.Expr, b *vec.Batch, mask []bool) error {
	call, ok := pred.(*plan.Call)
	if !ok || call.T != types.Bool {
		c, err := r.eval(pred, b)
		if err != nil {
			return err
		}
		truthMask(c, mask)
		return nil
	}
	if (call.Name == "__and" || call.Name == "__or") && len(call.Args) == 2 && boolArgs(call) {
		if err := r.predMask(call.Args[0], b, mask); err != nil {
			return err
		}
		// A side that decides every row spares the other: over data in
		// time order, a time range is all true or all false in most
		// batches.
		switch n := countTrue(mask); {
		case call.Name == "__and" && n == 0, call.Name == "__or" && n == len(mask):
			return nil
		case call.Name == "__and" && n == len(mask), call.Name == "__or" && n == 0:
			return r.predMask(call.Args[1], b, mask)
		}
		other := getMask(len(mask))
		defer putMask(other)
		if err := r.predMask(call.Args[1], b, other); err != nil {
			return err
		}
		dst, src := maskBytes(mask), maskBytes(other)
		if call.Name == "__and" {
			for i, m := range src {
				dst[i] &= m
			}
		} else {
			for i, m := range src {
				dst[i] |= m
			}
		}
		return nil
	}
	args, err := r.evalArgs(call, b)
	if err != nil {
		return err
	}
	if len(args) == 2 && call.Fn != nil && builtin.IsComparison(call.Fn) && builtin.CompareMask(call.Name, args[0], args[1], mask) {
		return nil
	}
	entries, codes, err := builtin.CallEntries(call.Fn, call.Kernel, r.bctx, args, b.N)
	if err != nil {
		return err
	}
	if entries == nil || entries.Type != types.Bool && entries.Type != types.Null {
		c, err := r.finishCall(call, args, b)
		if err != nil {
			return err
		}
		truthMask(c, mask)
		return nil
	}
	hit := make([]bool, entries.N)
	for i := range hit {
		hit[i] = !entries.IsNull(i) && entries.Int(i) != 0
	}
	for i, code := range codes {
		mask[i] = hit[code]
	}
	return nil
}

// boolArgs reports whether every argument of call is a bool: `and` and
// `or` over dynamic operands convert them first, which the masks do not.
func boolArgs(call *plan.Call) bool {
	for _, a := range call.Args {
		if a.Type() != types.Bool {
			return false
		}
	}
	return true
}

// truthMask sets mask[i] to whether row i of the bool column c is true.
func truthMask(c *vec.Column, mask []bool) {
	switch {
	case c.Type != types.Bool:
		for i := range mask {
			mask[i] = !c.IsNull(i) && c.Int(i) != 0
		}
	case c.Const:
		t := !c.IsNull(0) && c.Int(0) != 0
		for i := range mask {
			mask[i] = t
		}
	case c.Valid == nil:
		for i, x := range c.Ints[:len(mask)] {
			mask[i] = x != 0
		}
	default:
		for i, x := range c.Ints[:len(mask)] {
			mask[i] = x != 0 && c.Valid[i]
		}
	}
}

func (r *Runner) project(n *plan.Project) (Operator, error) {
	if n.Serial {
		return r.blocking(n.In, func(b *vec.Batch) (*vec.Batch, error) { return r.projectBatch(n, b) })
	}
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	return r.parallelMap(in, func(b *vec.Batch) (*vec.Batch, error) { return r.projectBatch(n, b) }), nil
}

func (r *Runner) projectBatch(n *plan.Project, b *vec.Batch) (*vec.Batch, error) {
	out := &vec.Batch{N: b.N, Cols: make([]*vec.Column, len(n.Exprs))}
	for i, e := range n.Exprs {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		if c.Type != n.Sch[i].Type {
			c = convertColumn(c, n.Sch[i].Type)
		}
		out.Cols[i] = c
	}
	return out, nil
}

func (r *Runner) limit(n *plan.Limit) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	left := n.N
	return funcOp(func() (*vec.Batch, error) {
		if left <= 0 {
			return nil, nil
		}
		b, err := in.Next()
		if b == nil || err != nil {
			return nil, err
		}
		if int64(b.N) > left {
			cols := make([]*vec.Column, len(b.Cols))
			for i, c := range b.Cols {
				cols[i] = c.Slice(0, int(left))
			}
			b = &vec.Batch{Cols: cols, N: int(left)}
		}
		left -= int64(b.N)
		return b, nil
	}), nil
}
