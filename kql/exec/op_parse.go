package exec

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.Parse)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		return r.parseOp(n.(*plan.Parse))
	})
}

// parseOp runs parse and parse-where batch by batch.
func (r *Runner) parseOp(n *plan.Parse) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	return funcOp(func() (*vec.Batch, error) {
		for {
			b, err := in.Next()
			if b == nil || err != nil {
				return nil, err
			}
			out, err := r.parseBatch(n, b)
			if err != nil {
				return nil, err
			}
			if out.N > 0 {
				return out, nil
			}
		}
	}), nil
}

func (r *Runner) parseBatch(n *plan.Parse, b *vec.Batch) (*vec.Batch, error) {
	x, err := r.eval(n.X, b)
	if err != nil {
		return nil, err
	}
	builders := make([]*vec.Builder, len(n.Targets))
	for i, t := range n.Types {
		builders[i] = vec.NewBuilder(t, b.N)
	}
	keep := make([]int, 0, b.N)
	vals := make([]types.Value, len(n.Targets))
	for row := 0; row < b.N; row++ {
		if !parseText(n, textOf(x, row), vals) {
			if n.Where {
				continue
			}
			for i := range vals {
				vals[i] = types.NullOf(n.Types[i])
			}
		}
		keep = append(keep, row)
		for i, v := range vals {
			builders[i].Append(v)
		}
	}
	if len(keep) < b.N {
		b = b.Gather(keep)
	}
	out := &vec.Batch{N: b.N, Cols: make([]*vec.Column, len(n.Sch))}
	copy(out.Cols, b.Cols)
	for i, target := range n.Targets {
		out.Cols[target] = builders[i].Build()
	}
	return out, nil
}

// textOf returns row i of c as text, as tostring() does.
func textOf(c *vec.Column, i int) string {
	if c.Type == types.String {
		return c.Str(i)
	}
	return types.Convert(c.Value(i), types.String).S
}

// parseText matches s and fills vals with the extracted columns. It
// reports false when the pattern does not match or, unless relaxed, when
// an extracted text does not convert to its column's type.
func parseText(n *plan.Parse, s string, vals []types.Value) bool {
	m := n.Pattern.FindStringSubmatchIndex(s)
	if m == nil {
		return false
	}
	for i, g := range n.Groups {
		text := ""
		if m[2*g] >= 0 {
			text = s[m[2*g]:m[2*g+1]]
		}
		v, ok := convertText(text, n.Types[i])
		if !ok && !n.Relaxed {
			return false
		}
		vals[i] = v
	}
	return true
}

// convertText converts extracted text to type t; ok is false when the
// text is not a value of t.
func convertText(s string, t types.Type) (types.Value, bool) {
	switch t {
	case types.String:
		return types.NewString(s), true
	case types.Dynamic:
		if d, err := types.ParseJSON(s); err == nil {
			return types.NewDynamic(d), true
		}
		return types.NewDynamic(s), true
	case types.Int:
		v := types.Convert(types.NewString(s), types.Long)
		if v.IsNull() || int64(int32(v.I)) != v.I {
			return types.NullOf(t), false
		}
		return types.NewInt(int32(v.I)), true
	}
	v := types.Convert(types.NewString(s), t)
	return v, !v.IsNull()
}
