package exec

import (
	"fmt"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// values evaluates the rows of datatable and print.
func (r *Runner) values(n *plan.Values) (Operator, error) {
	one := &vec.Batch{N: 1}
	cols := make([]*vec.Builder, len(n.Sch))
	for i, f := range n.Sch {
		cols[i] = vec.NewBuilder(f.Type, len(n.Rows))
	}
	for _, row := range n.Rows {
		for i, e := range row {
			c, err := r.eval(e, one)
			if err != nil {
				return nil, err
			}
			v := c.Value(0)
			if v.Type != n.Sch[i].Type {
				v = types.Convert(v, n.Sch[i].Type)
			}
			cols[i].Append(v)
		}
	}
	out := &vec.Batch{N: len(n.Rows)}
	for _, b := range cols {
		c := b.Build()
		if r.dictStrings {
			c = dictionaryEncode(c)
		}
		out.Cols = append(out.Cols, c)
	}
	return &once{b: out}, nil
}

// dictionaryEncode returns a string column without nulls as a dictionary
// column, with one unused entry as a dictionary shared between batches
// has; other columns are returned as they are.
func dictionaryEncode(c *vec.Column) *vec.Column {
	if c.Type.Storage() != types.StoreString || c.Valid != nil || c.Const || c.Codes != nil {
		return c
	}
	out := &vec.Column{Type: c.Type, N: c.N, Codes: make([]uint32, c.N)}
	seen := map[string]uint32{}
	for i, s := range c.Strs[:c.N] {
		code, ok := seen[s]
		if !ok {
			code = uint32(len(out.Dict))
			seen[s] = code
			out.Dict = append(out.Dict, s)
		}
		out.Codes[i] = code
	}
	out.Dict = append(out.Dict, "\x00unused")
	return out
}

// maxRangeRows bounds range so that a typo cannot exhaust memory.
const maxRangeRows = 100_000_000

func (r *Runner) rangeOp(n *plan.Range) (Operator, error) {
	one := &vec.Batch{N: 1}
	var bounds [3]types.Value
	for i, e := range []plan.Expr{n.From, n.To, n.Step} {
		c, err := r.eval(e, one)
		if err != nil {
			return nil, err
		}
		bounds[i] = c.Value(0)
		if bounds[i].IsNull() {
			return &once{b: emptyBatch(n.Sch)}, nil
		}
	}
	t := n.Sch[0].Type
	b := vec.NewBuilder(t, 0)
	if t == types.Real {
		from, to, step := bounds[0].F, bounds[1].F, bounds[2].F
		if step == 0 {
			return nil, fmt.Errorf("range: step must not be zero")
		}
		for i := 0; i < maxRangeRows; i++ {
			x := from + float64(i)*step
			if step > 0 && x > to || step < 0 && x < to {
				break
			}
			b.AppendFloat(x)
		}
	} else {
		from, to, step := bounds[0].I, bounds[1].I, bounds[2].I
		if step == 0 {
			return nil, fmt.Errorf("range: step must not be zero")
		}
		for x, i := from, 0; (step > 0 && x <= to || step < 0 && x >= to) && i < maxRangeRows; x, i = x+step, i+1 {
			b.AppendInt(x)
		}
	}
	col := b.Build()
	return &once{b: &vec.Batch{Cols: []*vec.Column{col}, N: col.N}}, nil
}

// widen puts a pruned scan's columns back at their schema positions and
// fills the columns nobody reads with constant nulls.
func (r *Runner) widen(n *plan.Widen) (Operator, error) {
	in, err := r.scan(n.In)
	if err != nil {
		return nil, err
	}
	return funcOp(func() (*vec.Batch, error) {
		b, err := in.Next()
		if b == nil || err != nil {
			return nil, err
		}
		out := &vec.Batch{N: b.N, Cols: make([]*vec.Column, len(n.Sch))}
		for j, i := range n.In.Req.Columns {
			out.Cols[i] = b.Cols[j]
		}
		for k, i := range n.Paths {
			out.Cols[i] = b.Cols[len(n.In.Req.Columns)+k]
		}
		for i, c := range out.Cols {
			if c == nil {
				out.Cols[i] = vec.NewConst(n.NullOf(i), b.N)
			}
		}
		return out, nil
	}), nil
}

func (r *Runner) scan(n *plan.Scan) (Operator, error) {
	it, err := n.Table.Scan(&n.Req)
	if err != nil {
		return nil, err
	}
	done := false
	return funcOp(func() (*vec.Batch, error) {
		if done {
			return nil, nil
		}
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := it.Next()
		if b == nil || err != nil {
			done = true
			it.Close()
		}
		return b, err
	}), nil
}
