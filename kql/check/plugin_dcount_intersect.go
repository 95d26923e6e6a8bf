package check

import (
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// dcount_intersect(hll1, hll2, ...) adds columns s0, s1, ...: s_i estimates
// the distinct count of the intersection of the first i+1 hll sketches,
// by inclusion-exclusion over the distinct counts of their unions. It
// uses the sketch functions hll_merge() and dcount_hll().
func init() { registerPlugin("dcount_intersect", bindDcountIntersect) }

// maxIntersect is the most sketches dcount_intersect takes.
const maxIntersect = 16

func bindDcountIntersect(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 2, maxIntersect)
	merge, count := c.sketchKernel(o, "hll_merge", 2), c.sketchKernel(o, "dcount_hll", 1)
	sch := in.Schema()
	var hlls []plan.Expr
	for _, x := range args.pos {
		e := c.scalar(sc, rowOf(sch), x)
		if e.Type() != types.Dynamic {
			c.errorf(x, "dcount_intersect expects hll() sketches (dynamic), not %s", e.Type())
		}
		hlls = append(hlls, e)
	}
	p := &plan.Project{In: in, Exprs: identity(sch), Sch: append(vec.Schema(nil), sch...)}
	names := newNamer(sch)
	for i := range hlls {
		fn := &builtin.Scalar{Name: "dcount_intersect"}
		p.Exprs = append(p.Exprs, &plan.Call{Name: fn.Name, Fn: fn, Kernel: intersectKernel(merge, count), Args: hlls[:i+1], T: types.Long})
		p.Sch = append(p.Sch, vec.Field{Name: names.unique("s" + itoa(i)), Type: types.Long})
	}
	return p
}

// sketchKernel binds a sketch function over dynamic arguments.
func (c *checker) sketchKernel(o *syntax.Evaluate, name string, n int) builtin.Kernel {
	fn, ok := builtin.LookupScalar(name)
	if !ok {
		c.errorf(o, "dcount_intersect needs the %s() function, which is not available", name)
	}
	args := make([]builtin.Arg, n)
	for i := range args {
		args[i] = builtin.Arg{Type: types.Dynamic}
	}
	_, k, err := fn.Bind(args)
	if err != nil {
		c.errorf(o, "dcount_intersect: %s", err)
	}
	return k
}

// intersectKernel estimates |A1 ∩ ... ∩ An| per row as the alternating
// sum over the non-empty subsets S of (-1)^(|S|+1) |∪S|, clamped to
// [0, min |Ai|].
func intersectKernel(merge, count builtin.Kernel) builtin.Kernel {
	return func(ctx *builtin.Context, args []*vec.Column, n int) (*vec.Column, error) {
		out := vec.NewBuilder(types.Long, n)
		for r := 0; r < n; r++ {
			v, err := intersectRow(ctx, merge, count, args, r)
			if err != nil {
				return nil, err
			}
			out.Append(v)
		}
		return out.Build(), nil
	}
}

func intersectRow(ctx *builtin.Context, merge, count builtin.Kernel, args []*vec.Column, r int) (types.Value, error) {
	sum, least := 0.0, -1.0
	for set := 1; set < 1<<len(args); set++ {
		var union *vec.Column
		bits := 0
		for i, a := range args {
			if set&(1<<i) == 0 {
				continue
			}
			bits++
			col := vec.NewConst(a.Value(r), 1)
			if union == nil {
				union = col
				continue
			}
			m, err := merge(ctx, []*vec.Column{union, col}, 1)
			if err != nil {
				return types.Value{}, err
			}
			union = m
		}
		est, err := count(ctx, []*vec.Column{union}, 1)
		if err != nil {
			return types.Value{}, err
		}
		x := types.Convert(est.Value(0), types.Real).F
		if bits%2 == 1 {
			sum += x
		} else {
			sum -= x
		}
		if bits == 1 && (least < 0 || x < least) {
			least = x
		}
	}
	if sum > least {
		sum = least
	}
	if sum < 0 {
		sum = 0
	}
	return types.NewLong(int64(sum + 0.5)), nil
}
