package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// join is a hash join: the right side is built into a table keyed by the
// join keys, the left side probes it. Null keys never match.
func (r *Runner) join(n *plan.Join) (Operator, error) {
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
	out := &vec.Batch{N: len(li)}
	for j := range n.Sch {
		if c := n.LeftCols[j]; c >= 0 {
			out.Cols = append(out.Cols, left.Cols[c].Gather(li))
		} else {
			out.Cols = append(out.Cols, right.Cols[n.RightCols[j]].Gather(ri))
		}
	}
	return &once{b: out}, nil
}

// keys encodes each row's join key; "" marks a row with a null key.
func (r *Runner) keys(exprs []plan.Expr, b *vec.Batch) ([]string, error) {
	cols := make([]*vec.Column, len(exprs))
	for i, e := range exprs {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	out := make([]string, b.N)
	var buf []byte
	for row := 0; row < b.N; row++ {
		buf = buf[:0]
		null := false
		for _, c := range cols {
			v := c.Value(row)
			if v.Type == types.Dynamic {
				v = types.FromDynamic(v.D)
			}
			if v.IsNull() {
				null = true
				break
			}
			buf = types.Key(buf, v)
		}
		if !null {
			out[row] = string(buf)
		}
	}
	return out, nil
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
