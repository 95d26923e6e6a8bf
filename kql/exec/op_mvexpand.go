package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// mvExpand turns each element of the expanded arrays (or each property of
// bags) into its own row. Several expressions expand in parallel: row k
// takes element k of each, nulls where an array is shorter.
// Each input row expands on its own, so batches expand independently and
// in parallel, keeping the dictionaries their columns come with (which
// lets parse_json and the like run once per distinct value); only
// expressions with window functions see the whole input at once.
func (r *Runner) mvExpand(n *plan.MvExpand) (Operator, error) {
	for _, e := range n.Exprs {
		if plan.UsesSerial(e) {
			return r.blocking(n.In, func(b *vec.Batch) (*vec.Batch, error) { return r.mvExpandBatch(n, b) })
		}
	}
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	// A batch that expands to no rows maps to nil, which parallelMap skips.
	return r.parallelMap(in, func(b *vec.Batch) (*vec.Batch, error) {
		out, err := r.mvExpandBatch(n, b)
		if out != nil && out.N == 0 {
			return nil, err
		}
		return out, err
	}), nil
}

// mvExpandBatch expands the rows of one batch.
func (r *Runner) mvExpandBatch(n *plan.MvExpand, b *vec.Batch) (*vec.Batch, error) {
	vals := make([]*vec.Column, len(n.Exprs))
	for i, e := range n.Exprs {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		vals[i] = c
	}
	var rows []int
	expanded := make([][]any, len(n.Exprs))
	var index []int64
	for row := 0; row < b.N; row++ {
		lists := make([][]any, len(n.Exprs))
		longest := 0
		for i, c := range vals {
			lists[i] = expandValue(c.Value(row), n.BagArray)
			if len(lists[i]) > longest {
				longest = len(lists[i])
			}
		}
		if n.Limit >= 0 && int64(longest) > n.Limit {
			longest = int(n.Limit)
		}
		for k := 0; k < longest; k++ {
			rows = append(rows, row)
			index = append(index, int64(k))
			for i := range lists {
				var v any
				if k < len(lists[i]) {
					v = lists[i][k]
				}
				expanded[i] = append(expanded[i], v)
			}
		}
	}
	out := &vec.Batch{N: len(rows), Cols: make([]*vec.Column, len(n.Sch))}
	for j := range b.Cols {
		out.Cols[j] = b.Cols[j].Gather(rows)
	}
	for i, target := range n.Targets {
		if n.ToTypes[i] == types.Dynamic {
			out.Cols[target] = dynamicColumn(expanded[i])
			continue
		}
		bl := vec.NewBuilder(n.ToTypes[i], len(rows))
		for _, v := range expanded[i] {
			bl.Append(types.Convert(types.NewDynamic(v), n.ToTypes[i]))
		}
		out.Cols[target] = bl.Build()
	}
	if n.IndexName != "" {
		bl := vec.NewBuilder(types.Long, len(index))
		for _, x := range index {
			bl.AppendInt(x)
		}
		out.Cols[len(n.Sch)-1] = bl.Build()
	}
	return out, nil
}

// dynamicColumn wraps expanded values as a dynamic column; nil elements
// are JSON null.
func dynamicColumn(vals []any) *vec.Column {
	return &vec.Column{Type: types.Dynamic, N: len(vals), Anys: vals}
}

// expandValue lists what one value expands to: array elements, bag
// properties as one-property bags (or [key, value] arrays), or the value
// itself for a scalar.
func expandValue(v types.Value, bagArray bool) []any {
	if v.IsNull() {
		return []any{nil}
	}
	d := types.ToDynamic(v)
	switch x := d.(type) {
	case []any:
		return x
	case *types.Bag:
		out := make([]any, len(x.Keys))
		for i, k := range x.Keys {
			if bagArray {
				out[i] = []any{k, x.Vals[i]}
			} else {
				out[i] = &types.Bag{Keys: []string{k}, Vals: []any{x.Vals[i]}}
			}
		}
		return out
	}
	return []any{d}
}
