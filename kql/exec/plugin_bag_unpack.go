package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.BagUnpack)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		return r.bagUnpack(n.(*plan.BagUnpack))
	})
}

// bagUnpack streams: each batch's bags are spread into the output columns.
func (r *Runner) bagUnpack(n *plan.BagUnpack) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	return funcOp(func() (*vec.Batch, error) {
		b, err := in.Next()
		if b == nil || err != nil {
			return nil, err
		}
		return bagUnpackBatch(n, b), nil
	}), nil
}

func bagUnpackBatch(n *plan.BagUnpack, b *vec.Batch) *vec.Batch {
	out := &vec.Batch{N: b.N, Cols: make([]*vec.Column, len(n.Sch))}
	bags := b.Cols[n.Col]
	for j, f := range n.Sch {
		if src := n.Src[j]; src >= 0 {
			out.Cols[j] = retype(b.Cols[src], f.Type)
			continue
		}
		col := vec.NewBuilder(f.Type, b.N)
		for i := 0; i < b.N; i++ {
			bag, _ := bags.Value(i).D.(*types.Bag)
			var d any
			if bag != nil {
				d, _ = bag.Get(n.Keys[j])
			}
			col.Append(fromDynamic(d, f.Type))
		}
		out.Cols[j] = col.Build()
	}
	return out
}

// fromDynamic converts a dynamic value to a value of type t, with Kusto's
// to*() rules (a value that does not convert is null).
func fromDynamic(d any, t types.Type) types.Value {
	if t == types.Dynamic {
		if d == nil {
			return types.NullOf(types.Dynamic)
		}
		return types.NewDynamic(d)
	}
	v := types.FromDynamic(d)
	if v.Type == t {
		return v
	}
	return types.Convert(v, t)
}

// retype converts column c to type t value by value when the types differ.
func retype(c *vec.Column, t types.Type) *vec.Column {
	if c.Type == t {
		return c
	}
	b := vec.NewBuilder(t, c.N)
	for i := 0; i < c.N; i++ {
		b.Append(types.Convert(c.Value(i), t))
	}
	return b.Build()
}
