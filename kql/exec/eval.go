package exec

import (
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// eval evaluates e over batch b and returns a column of b.N rows.
func (r *Runner) eval(e plan.Expr, b *vec.Batch) (*vec.Column, error) {
	switch e := e.(type) {
	case *plan.ColRef:
		return b.Cols[e.Index], nil
	case *plan.Const:
		return vec.NewConst(e.V, b.N), nil
	case *plan.Call:
		args, err := r.evalArgs(e, b)
		if err != nil {
			return nil, err
		}
		return r.finishCall(e, args, b)
	case *plan.Subquery:
		v, err := r.scalarSubquery(e)
		if err != nil {
			return nil, err
		}
		return vec.NewConst(v, b.N), nil
	case *plan.RowSet:
		return r.rowSet(e, b)
	}
	return nil, fmt.Errorf("cannot evaluate %T", e)
}

// evalArgs evaluates the arguments of a call over b.
func (r *Runner) evalArgs(e *plan.Call, b *vec.Batch) ([]*vec.Column, error) {
	args := make([]*vec.Column, len(e.Args))
	for i, a := range e.Args {
		c, err := r.eval(a, b)
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	return args, nil
}

// finishCall applies a call's function to its evaluated arguments.
func (r *Runner) finishCall(e *plan.Call, args []*vec.Column, b *vec.Batch) (*vec.Column, error) {
	out, err := builtin.Call(e.Fn, e.Kernel, r.bctx, args, b.N)
	if err != nil {
		return nil, err
	}
	if out.Type != e.T && out.Type.Storage() == e.T.Storage() {
		cp := *out
		cp.Type = e.T
		out = &cp
	}
	return out, nil
}

// scalarSubquery returns the first column of the first row of e's plan.
func (r *Runner) scalarSubquery(e *plan.Subquery) (types.Value, error) {
	r.mu.Lock()
	res, ok := r.subs[e]
	r.mu.Unlock()
	if !ok {
		var err error
		if res, err = r.Run(e.Plan); err != nil {
			return types.Value{}, err
		}
		r.mu.Lock()
		r.subs[e] = res
		r.mu.Unlock()
	}
	if res.N == 0 || len(res.Cols) == 0 {
		return types.NullOf(e.T), nil
	}
	return res.Cols[0].Value(0), nil
}

func (r *Runner) rowSet(e *plan.RowSet, b *vec.Batch) (*vec.Column, error) {
	r.mu.Lock()
	set, ok := r.sets[e]
	r.mu.Unlock()
	if !ok {
		res, err := r.Run(e.Set.Plan)
		if err != nil {
			return nil, err
		}
		set = map[string]bool{}
		if len(res.Cols) > 0 {
			for i := 0; i < res.N; i++ {
				set[setKey(res.Cols[0].Value(i), e.IgnoreCase)] = true
			}
		}
		r.mu.Lock()
		r.sets[e] = set
		r.mu.Unlock()
	}
	x, err := r.eval(e.X, b)
	if err != nil {
		return nil, err
	}
	out := vec.NewBuilder(types.Bool, b.N)
	for i := 0; i < b.N; i++ {
		v := x.Value(i)
		in := !v.IsNull() && set[setKey(v, e.IgnoreCase)]
		out.Append(types.NewBool(in != e.Not))
	}
	return out.Build(), nil
}

func setKey(v types.Value, ignoreCase bool) string {
	if v.Type == types.Dynamic {
		v = types.FromDynamic(v.D)
	}
	if v.Type == types.String || v.Type == types.Guid {
		s := v.S
		if ignoreCase {
			s = strings.ToLower(s)
		}
		return "s" + s
	}
	return string(types.Key(nil, v))
}

// truth returns the row indexes of b where the bool column is true.
func truth(c *vec.Column, n int) []int {
	if c.Type == types.Bool && !c.Const {
		return truthBools(c.Ints[:n], c.Valid)
	}
	idx := make([]int, 0, n)
	for i := 0; i < n; i++ {
		if !c.IsNull(i) && c.Int(i) != 0 {
			idx = append(idx, i)
		}
	}
	return idx
}

// truthBools returns the indexes of the true, non-null values.
func truthBools(vals []int64, valid []bool) []int {
	count := 0
	for _, x := range vals {
		if x != 0 {
			count++
		}
	}
	idx := make([]int, 0, count)
	if valid == nil {
		for i, x := range vals {
			if x != 0 {
				idx = append(idx, i)
			}
		}
		return idx
	}
	for i, x := range vals {
		if x != 0 && valid[i] {
			idx = append(idx, i)
		}
	}
	return idx
}
