package builtin

import (
	"math"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The moment aggregates: stdev, stdevif, stdevp, variance, varianceif,
// variancep, variancepif (one expression) and covariance, covarianceif,
// covariancep, covariancepif (two). The plain forms treat the group as a
// sample (n-1 in the denominator), the p forms as the population. All
// return real, and 0 for groups without values.
func init() {
	for _, m := range []momentOpts{
		{name: "stdev", sqrt: true},
		{name: "stdevif", sqrt: true, cond: true},
		{name: "stdevp", sqrt: true, pop: true},
		{name: "variance"},
		{name: "varianceif", cond: true},
		{name: "variancep", pop: true},
		{name: "variancepif", pop: true, cond: true},
		{name: "covariance", pair: true},
		{name: "covarianceif", pair: true, cond: true},
		{name: "covariancep", pair: true, pop: true},
		{name: "covariancepif", pair: true, pop: true, cond: true},
	} {
		agg := &Aggregate{Name: m.name, Bind: bindMoment(m)}
		if m.pair {
			// The docs name covariance(x, y) covariance_x_y.
			agg.ColumnName = pairName(m.name)
		}
		RegisterAggregate(agg)
	}
}

func pairName(prefix string) func(argNames []string) string {
	return func(argNames []string) string {
		return strings.Join(append([]string{prefix}, argNames[:min(2, len(argNames))]...), "_")
	}
}

type momentOpts struct {
	name string
	sqrt bool // standard deviation rather than variance
	pop  bool // population rather than sample
	cond bool // a predicate follows the expressions
	pair bool // covariance of two expressions
}

// moments accumulates Welford's running means and co-moment.
type moments struct {
	n      float64
	mx, my float64
	c      float64 // sum of (x-mx)(y-my); for one expression y is x
}

func (m *moments) add(x, y float64) {
	m.n++
	dx := x - m.mx
	m.mx += dx / m.n
	m.my += (y - m.my) / m.n
	m.c += dx * (y - m.my)
}

type momentState struct {
	opts momentOpts
	ms   []moments
	pred int // index of the predicate argument, or -1
}

func (s *momentState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.ms) {
		s.ms = grow(s.ms, g)
	}
	if r < 0 || s.pred >= 0 && !truthAt(args[s.pred], r) {
		return
	}
	x, ok := realAtRow(args[0], r)
	if !ok {
		return
	}
	y := x
	if s.opts.pair {
		if y, ok = realAtRow(args[1], r); !ok {
			return
		}
	}
	s.ms[g].add(x, y)
}

// realAtRow returns row r of c as a real, and false when it is null or not a
// number.
func realAtRow(c *vec.Column, r int) (float64, bool) {
	if c.IsNull(r) {
		return 0, false
	}
	switch c.Type.Storage() {
	case types.StoreFloat:
		return c.Float(r), true
	case types.StoreInt:
		return float64(c.Int(r)), true
	}
	v := types.Convert(c.Value(r), types.Real)
	return v.F, v.Valid
}

func (s *momentState) Result(g int) types.Value {
	m := s.ms[g]
	d := m.n - 1
	if s.opts.pop {
		d = m.n
	}
	v := 0.0
	if d > 0 {
		v = m.c / d
	}
	if s.opts.sqrt {
		v = math.Sqrt(v)
	}
	return types.NewReal(v)
}

func bindMoment(o momentOpts) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		n, pred := 1, -1
		if o.pair {
			n = 2
		}
		if o.cond {
			pred = n
			n++
		}
		if err := arity(o.name, args, n, n); err != nil {
			return 0, nil, err
		}
		for i, a := range args {
			if i == pred {
				if err := wantBoolArg(o.name, args, i); err != nil {
					return 0, nil, err
				}
				continue
			}
			if !a.Type.IsNumeric() && a.Type != types.Bool && a.Type != types.Dynamic && a.Type != types.Null && a.Type != types.Timespan {
				return 0, nil, ArgError(o.name, "expects numbers, not %s", a.Type)
			}
		}
		return types.Real, func() AggState { return &momentState{opts: o, pred: pred} }, nil
	}
}
