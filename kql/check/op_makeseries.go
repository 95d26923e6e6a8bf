package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.MakeSeries)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.makeSeries(sc, in, op.(*syntax.MakeSeries))
	})
}

func (c *checker) makeSeries(sc *scope, in plan.Node, o *syntax.MakeSeries) plan.Node {
	if in == nil {
		c.errorf(o, "make-series needs an input table")
	}
	n := &plan.MakeSeries{In: in}
	switch kind, at := paramString(o.Params, "kind"); kind {
	case "":
	case "nonempty":
		n.NonEmpty = true
	default:
		c.errorf(at, "unknown make-series kind '%s': expected nonempty", kind)
	}
	row := rowOf(in.Schema())
	names := newNamer(nil)
	for _, k := range o.By {
		e := c.scalar(sc, row, k.Value)
		n.Keys = append(n.Keys, e)
		n.Sch = append(n.Sch, vec.Field{Name: uniqueOrColumn(names, assignName(k)), Type: resultType(e.Type())})
	}
	n.Axis = c.scalar(sc, row, o.On)
	at := n.Axis.Type()
	if !at.IsNumeric() && !at.IsTicks() {
		c.errorf(o.On, "the make-series axis must be a number, datetime or timespan, not %s", at)
	}
	c.seriesAggs(sc, n, o.Aggs, names)
	c.seriesRange(sc, n, o)
	n.Sch = append(n.Sch, vec.Field{Name: uniqueOrColumn(names, exprName(o.On)), Type: types.Dynamic})
	return n
}

func uniqueOrColumn(names *namer, name string) string {
	if name == "" {
		return names.column()
	}
	return names.unique(name)
}

// seriesAggs binds the aggregations: like summarize's, they are computed per
// cell, with expressions around them evaluated over the cell.
func (c *checker) seriesAggs(sc *scope, n *plan.MakeSeries, aggs []*syntax.SeriesAgg, names *namer) {
	ab := &aggBinder{c: c, sc: sc, in: n.In.Schema(), nkeys: len(n.Keys)}
	ab.outCols = append(ab.outCols, n.Sch...)
	for _, a := range aggs {
		if a.Assign.Tuple {
			c.errorf(a, "make-series aggregations produce one column each")
		}
		e := ab.bind(a.Assign.Value)
		name := assignName(a.Assign)
		if name == "" {
			name = ab.autoName(a.Assign.Value)
		}
		n.Values = append(n.Values, e)
		n.Defaults = append(n.Defaults, c.seriesDefault(sc, a, e.Type()))
		n.Sch = append(n.Sch, vec.Field{Name: uniqueOrColumn(names, name), Type: types.Dynamic})
	}
	n.Aggs, n.CellSch = ab.aggs, ab.outCols
}

// seriesDefault returns the value of bins without rows: the given default
// or zero, converted to the aggregation's type.
func (c *checker) seriesDefault(sc *scope, a *syntax.SeriesAgg, t types.Type) types.Value {
	if a.Default == nil {
		switch t {
		case types.String:
			return types.NewString("")
		case types.Bool:
			return types.NewBool(false)
		case types.Guid, types.Dynamic, types.Null:
			return types.NullOf(types.Dynamic)
		}
		return types.Convert(types.NewLong(0), t)
	}
	v := c.constant(sc, a.Default)
	switch {
	case v.IsNull():
		return types.NullOf(t)
	case t == types.Null || t == types.Dynamic || v.Type == t:
		return v
	case !promotable(v.Type, t):
		c.errorf(a.Default, "the default %s does not fit the aggregation's type %s", v.Type, t)
	}
	return types.Convert(v, t)
}

// promotable reports whether values of type from widen to type to without
// loss: int to long, and either to real or decimal.
func promotable(from, to types.Type) bool {
	switch to {
	case types.Long:
		return from == types.Int
	case types.Real, types.Decimal:
		return from.IsNumeric()
	}
	return false
}

// seriesRange binds from, to and step, or the legacy in range(start, stop,
// step), converting bounds to the axis type.
func (c *checker) seriesRange(sc *scope, n *plan.MakeSeries, o *syntax.MakeSeries) {
	from, to, step := o.From, o.To, o.Step
	if o.InRange != nil {
		if funcName(o.InRange) != "range" || len(o.InRange.Args) != 3 {
			c.errorf(o.InRange, "expected range(start, stop, step)")
		}
		from, to, step = o.InRange.Args[0], o.InRange.Args[1], o.InRange.Args[2]
		n.InRange = true
	}
	n.Step = c.scalar(sc, nil, step)
	at, st := n.Axis.Type(), n.Step.Type()
	switch {
	case at == types.Datetime || at == types.Timespan:
		if st != types.Timespan {
			c.errorf(step, "the step of a %s axis must be a timespan, not %s", at, st)
		}
	case !st.IsNumeric():
		c.errorf(step, "the step of a numeric axis must be a number, not %s", st)
	case at.IsInteger() && !st.IsInteger():
		at = types.Real // a fractional step makes the bins real
	}
	n.Step = c.convertIfNeeded(step, n.Step, stepOf(at))
	if k, ok := n.Step.(*plan.Const); ok && !(k.V.Valid && (k.V.I > 0 || k.V.F > 0)) {
		c.errorf(step, "the make-series step must be positive")
	}
	bound := func(x syntax.Expr) plan.Expr {
		if x == nil {
			return nil
		}
		e := c.scalar(sc, nil, x)
		if e.Type() != at && !(at.IsNumeric() && e.Type().IsNumeric()) && e.Type() != types.Null {
			c.errorf(x, "make-series bound of type %s does not fit the %s axis", e.Type(), at)
		}
		return c.convertIfNeeded(x, e, at)
	}
	n.From, n.To = bound(from), bound(to)
}

// convertIfNeeded converts e to type t unless it already has it.
func (c *checker) convertIfNeeded(at syntax.Node, e plan.Expr, t types.Type) plan.Expr {
	if e.Type() == t {
		return e
	}
	return c.convertTo(at, e, t)
}

// stepOf is the type of a bin size on an axis of type t.
func stepOf(t types.Type) types.Type {
	switch t {
	case types.Datetime, types.Timespan:
		return types.Timespan
	case types.Real, types.Decimal:
		return types.Real
	}
	return types.Long
}
