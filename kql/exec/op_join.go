package exec

import (
	"encoding/binary"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// join is a hash join: the right side is built into a table keyed by the
// join keys, the left side probes it. Null keys never match.
func (r *Runner) join(n *plan.Join) (Operator, error) {
	if streamsLeft(n) {
		return r.joinStream(n)
	}
	left, err := r.Run(n.Left)
	if err != nil {
		return nil, err
	}
	right, err := r.Run(n.Right)
	if err != nil {
		return nil, err
	}
	lkeys, err := r.keys(n.LeftKeys, left)
	if err != nil {
		return nil, err
	}
	rkeys, err := r.keys(n.RightKeys, right)
	if err != nil {
		return nil, err
	}
	if n.Kind == "innerunique" {
		lkeys = firstPerKey(lkeys)
	}
	build := map[string][]int{}
	for i, k := range rkeys {
		if k != "" {
			build[k] = append(build[k], i)
		}
	}
	var li, ri []int
	rightUsed := make([]bool, right.N)
	for i, k := range lkeys {
		if k == "\x00skip" {
			continue
		}
		matches := build[k]
		if k == "" {
			matches = nil
		}
		switch n.Kind {
		case "leftsemi":
			if len(matches) > 0 {
				li, ri = append(li, i), append(ri, -1)
			}
			continue
		case "leftanti":
			if len(matches) == 0 {
				li, ri = append(li, i), append(ri, -1)
			}
			continue
		}
		for _, m := range matches {
			li, ri = append(li, i), append(ri, m)
			rightUsed[m] = true
		}
		if len(matches) == 0 && (n.Kind == "leftouter" || n.Kind == "fullouter") {
			li, ri = append(li, i), append(ri, -1)
		}
	}
	switch n.Kind {
	case "rightsemi", "rightanti":
		li, ri = nil, nil
		for i := range rkeys {
			if rightUsed[i] == (n.Kind == "rightsemi") {
				li, ri = append(li, -1), append(ri, i)
			}
		}
	case "rightouter", "fullouter":
		if n.Kind == "rightouter" {
			li2, ri2 := li[:0:0], ri[:0:0]
			for j := range li {
				if ri[j] >= 0 {
					li2, ri2 = append(li2, li[j]), append(ri2, ri[j])
				}
			}
			li, ri = li2, ri2
		}
		for i := range rkeys {
			if !rightUsed[i] {
				li, ri = append(li, -1), append(ri, i)
			}
		}
	}
	return &once{b: joinOutput(n, left, right, li, ri)}, nil
}

// keys encodes each row's join key; "" marks a row with a null key.
func (r *Runner) keys(exprs []plan.Expr, b *vec.Batch) ([]string, error) {
	cols, err := r.keyCols(exprs, b)
	if err != nil {
		return nil, err
	}
	out := make([]string, b.N)
	var buf []byte
	for row := 0; row < b.N; row++ {
		var ok bool
		if buf, ok = appendKey(buf[:0], cols, row); ok {
			out[row] = string(buf)
		}
	}
	return out, nil
}

// keyCols evaluates the key expressions over b.
func (r *Runner) keyCols(exprs []plan.Expr, b *vec.Batch) ([]*vec.Column, error) {
	cols := make([]*vec.Column, len(exprs))
	for i, e := range exprs {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return cols, nil
}

// appendKey appends the key of row to dst, the encoding types.Key gives
// the row's values (dynamic ones unwrapped), and reports false when a
// key value is null. Strings and int-stored values are encoded straight
// from the column.
func appendKey(dst []byte, cols []*vec.Column, row int) ([]byte, bool) {
	for _, c := range cols {
		if c.Type != types.Dynamic && c.IsNull(row) {
			return dst, false
		}
		switch c.Type {
		case types.String, types.Guid:
			s := c.Str(row)
			dst = append(dst, 's')
			dst = binary.BigEndian.AppendUint64(dst, uint64(len(s)))
			dst = append(dst, s...)
			continue
		case types.Bool, types.Int, types.Long:
			dst = binary.BigEndian.AppendUint64(append(dst, 'i'), uint64(c.Int(row)))
			continue
		case types.Datetime:
			dst = binary.BigEndian.AppendUint64(append(dst, 'd'), uint64(c.Int(row)))
			continue
		case types.Timespan:
			dst = binary.BigEndian.AppendUint64(append(dst, 't'), uint64(c.Int(row)))
			continue
		}
		v := c.Value(row)
		if v.Type == types.Dynamic {
			v = types.FromDynamic(v.D)
		}
		if v.IsNull() {
			return dst, false
		}
		dst = types.Key(dst, v)
	}
	return dst, true
}

// firstPerKey keeps the first row of each key for innerunique joins and
// marks later duplicates to be skipped.
func firstPerKey(keys []string) []string {
	seen := map[string]bool{}
	out := make([]string, len(keys))
	for i, k := range keys {
		switch {
		case k == "":
			out[i] = ""
		case seen[k]:
			out[i] = "\x00skip"
		default:
			seen[k] = true
			out[i] = k
		}
	}
	return out
}

// streamsLeft reports whether the left side of n can be joined batch by
// batch: each left row's output depends only on the right side, which
// holds for the kinds that neither deduplicate the left side nor report
// unmatched right rows, and when no key is a window function.
func streamsLeft(n *plan.Join) bool {
	switch n.Kind {
	case "inner", "leftouter", "leftsemi", "leftanti":
	default:
		return false
	}
	for _, e := range n.LeftKeys {
		if plan.UsesSerial(e) {
			return false
		}
	}
	return true
}

// joinStream builds the right side into a table once, then probes it with
// the left side's batches in parallel, yielding output in left row order.
func (r *Runner) joinStream(n *plan.Join) (Operator, error) {
	right, err := r.Run(n.Right)
	if err != nil {
		return nil, err
	}
	rkeys, err := r.keys(n.RightKeys, right)
	if err != nil {
		return nil, err
	}
	build := make(map[string][]int, len(rkeys))
	for i, k := range rkeys {
		if k != "" {
			build[k] = append(build[k], i)
		}
	}
	in, err := r.open(n.Left)
	if err != nil {
		return nil, err
	}
	// A left batch without output maps to nil, which parallelMap skips.
	return r.parallelMap(in, func(b *vec.Batch) (*vec.Batch, error) {
		cols, err := r.keyCols(n.LeftKeys, b)
		if err != nil {
			return nil, err
		}
		var li, ri []int
		var buf []byte
		for i := 0; i < b.N; i++ {
			var matches []int
			var ok bool
			if buf, ok = appendKey(buf[:0], cols, i); ok && len(build) > 0 {
				matches = build[string(buf)]
			}
			switch n.Kind {
			case "leftsemi":
				if len(matches) > 0 {
					li, ri = append(li, i), append(ri, -1)
				}
				continue
			case "leftanti":
				if len(matches) == 0 {
					li, ri = append(li, i), append(ri, -1)
				}
				continue
			}
			for _, m := range matches {
				li, ri = append(li, i), append(ri, m)
			}
			if len(matches) == 0 && n.Kind == "leftouter" {
				li, ri = append(li, i), append(ri, -1)
			}
		}
		if len(li) == 0 {
			return nil, nil
		}
		return joinOutput(n, b, right, li, ri), nil
	}), nil
}

// joinOutput gathers the output columns of the row pairs li, ri (-1 for
// no row of that side).
func joinOutput(n *plan.Join, left, right *vec.Batch, li, ri []int) *vec.Batch {
	out := &vec.Batch{N: len(li)}
	for j := range n.Sch {
		if c := n.LeftCols[j]; c >= 0 {
			out.Cols = append(out.Cols, left.Cols[c].Gather(li))
		} else {
			out.Cols = append(out.Cols, right.Cols[n.RightCols[j]].Gather(ri))
		}
	}
	return out
}
