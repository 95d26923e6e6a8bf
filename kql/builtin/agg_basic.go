package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The basic aggregates: count, countif, sum, sumif, avg, avgif, min, max.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "count", Bind: bindCount},
		&Aggregate{Name: "countif", Bind: bindCountIf},
		&Aggregate{Name: "sum", Bind: bindSum(false)},
		&Aggregate{Name: "sumif", Bind: bindSum(true)},
		&Aggregate{Name: "avg", Bind: bindAvg(false)},
		&Aggregate{Name: "avgif", Bind: bindAvg(true)},
		&Aggregate{Name: "min", Bind: bindExtreme(-1, false)},
		&Aggregate{Name: "max", Bind: bindExtreme(1, false)},
		&Aggregate{Name: "minif", Bind: bindExtreme(-1, true)},
		&Aggregate{Name: "maxif", Bind: bindExtreme(1, true)},
	)
}

// grow extends s so that index g exists.
func grow[T any](s []T, g int) []T {
	for len(s) <= g {
		var zero T
		s = append(s, zero)
	}
	return s
}

// countState counts rows (count(), count(x)) or rows whose predicate is
// true (countif, and the deprecated count(predicate)). count(x) counts
// every row, null or not, as Kusto does.
type countState struct {
	n    []int64
	pred bool
}

func (s *countState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.n) {
		s.n = grow(s.n, g)
	}
	if r < 0 || s.pred && !truthAt(args[0], r) {
		return
	}
	s.n[g]++
}

func (s *countState) Result(g int) types.Value { return types.NewLong(s.n[g]) }

func bindCount(args []Arg) (types.Type, func() AggState, error) {
	if len(args) > 1 {
		return 0, nil, ArgError("count", "expects at most one argument")
	}
	pred := len(args) == 1 && args[0].Type == types.Bool
	return types.Long, func() AggState { return &countState{pred: pred} }, nil
}

func bindCountIf(args []Arg) (types.Type, func() AggState, error) {
	if len(args) != 1 || !predicateType(args[0].Type) {
		return 0, nil, ArgError("countif", "expects one bool predicate")
	}
	return types.Long, func() AggState { return &countState{pred: true} }, nil
}

// predOK reports whether the optional predicate argument at index i holds.
func predOK(args []*vec.Column, i, r int, on bool) bool {
	return !on || truthAt(args[i], r)
}

// sumState sums a group's non-null values; a group without any sums to 0.
type sumState struct {
	t     types.Type
	ints  []int64
	reals []float64
	cond  bool
}

func (s *sumState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.ints) {
		s.ints, s.reals = grow(s.ints, g), grow(s.reals, g)
	}
	if r < 0 || args[0].IsNull(r) || !predOK(args, 1, r, s.cond) {
		return
	}
	c := args[0]
	switch {
	case c.Type.Storage() == types.StoreInt && s.t.Storage() == types.StoreInt:
		s.ints[g] += c.Int(r)
	case c.Type.Storage() == types.StoreFloat && s.t.Storage() == types.StoreFloat:
		s.reals[g] += c.Float(r)
	case s.t.Storage() == types.StoreFloat:
		s.reals[g] += toFloat(unwrap(c.Value(r)))
	default:
		s.ints[g] += toInt(unwrap(c.Value(r)))
	}
}

func (s *sumState) Result(g int) types.Value {
	if s.t.Storage() == types.StoreFloat {
		return types.Value{Type: s.t, Valid: true, F: s.reals[g]}
	}
	return types.Value{Type: s.t, Valid: true, I: s.ints[g]}
}

func sumType(t types.Type) (types.Type, bool) {
	switch t {
	case types.Int, types.Long, types.Bool:
		return types.Long, true
	case types.Real, types.Decimal, types.Timespan:
		return t, true
	case types.Dynamic, types.Null:
		return types.Real, true
	}
	return 0, false
}

// condArgs checks the arguments of an aggregate taking an expression and,
// for the if form, a predicate; it returns the function's name.
func condArgs(name string, cond bool, args []Arg) (string, error) {
	if !cond {
		return name, arity(name, args, 1, 1)
	}
	name += "if"
	if err := arity(name, args, 2, 2); err != nil {
		return name, err
	}
	return name, wantBoolArg(name, args, 1)
}

func bindSum(cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		name, err := condArgs("sum", cond, args)
		if err != nil {
			return 0, nil, err
		}
		t, ok := sumType(args[0].Type)
		if !ok {
			return 0, nil, ArgError(name, "cannot sum values of type %s", args[0].Type)
		}
		return t, func() AggState { return &sumState{t: t, cond: cond} }, nil
	}
}

// avgState averages a group's non-null values. Without values the
// average of a real is NaN (0/0), as in Kusto; other types give null.
// Datetimes and timespans are summed as offsets from the group's first
// value, so that their ticks keep full precision.
type avgState struct {
	t       types.Type
	sum     []float64
	n       []int64
	base    []int64
	basePos []int64 // input position of each group's base (batch path)
	cond    bool
}

func (s *avgState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.n) {
		s.sum, s.n, s.base = grow(s.sum, g), grow(s.n, g), grow(s.base, g)
	}
	if r < 0 || !predOK(args, 1, r, s.cond) || args[0].IsNull(r) {
		return
	}
	c := args[0]
	if s.t.IsTicks() && c.Type.IsTicks() {
		if s.n[g] == 0 {
			s.base[g] = c.Int(r)
		}
		s.sum[g] += float64(c.Int(r) - s.base[g])
		s.n[g]++
		return
	}
	if x, ok := realAtRow(c, r); ok {
		s.sum[g] += x
		s.n[g]++
	}
}

func (s *avgState) Result(g int) types.Value {
	if s.n[g] == 0 && s.t != types.Real {
		return types.NullOf(s.t)
	}
	avg := s.sum[g] / float64(s.n[g])
	if s.t.IsTicks() {
		return types.Value{Type: s.t, Valid: true, I: s.base[g] + int64(math.Round(avg))}
	}
	return types.Value{Type: s.t, Valid: true, F: avg}
}

func bindAvg(cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		name, err := condArgs("avg", cond, args)
		if err != nil {
			return 0, nil, err
		}
		t := types.Real
		switch args[0].Type {
		case types.Timespan, types.Datetime, types.Decimal:
			t = args[0].Type
		case types.Int, types.Long, types.Real, types.Bool, types.Dynamic, types.Null:
		default:
			return 0, nil, ArgError(name, "cannot average values of type %s", args[0].Type)
		}
		return t, func() AggState { return &avgState{t: t, cond: cond} }, nil
	}
}

// extremeState keeps the minimum (dir -1) or maximum (dir 1).
type extremeState struct {
	t    types.Type
	best []types.Value
	pos  []int64 // input position of each group's best value (batch path)
	dir  int
	cond bool
}

func (s *extremeState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.best) {
		s.best = grow(s.best, g)
	}
	if r >= 0 {
		s.addRow(g, args, r)
	}
}

// addRow folds row r into group g and reports whether it became the
// group's best value.
func (s *extremeState) addRow(g int, args []*vec.Column, r int) bool {
	if args[0].IsNull(r) || !predOK(args, 1, r, s.cond) {
		return false
	}
	c := args[0]
	if s.best[g].Valid && compareRow(c, r, s.best[g])*s.dir <= 0 {
		return false
	}
	v := c.Value(r)
	if v.Type == types.Dynamic {
		if u := types.FromDynamic(v.D); u.Type != types.Dynamic {
			v = u
		}
	}
	s.best[g] = v
	return true
}

func (s *extremeState) Result(g int) types.Value {
	if !s.best[g].Valid {
		return types.NullOf(s.t)
	}
	return fitValue(s.best[g], s.t)
}

func bindExtreme(dir int, cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	name := "max"
	if dir < 0 {
		name = "min"
	}
	return func(args []Arg) (types.Type, func() AggState, error) {
		if _, err := condArgs(name, cond, args); err != nil {
			return 0, nil, err
		}
		t := concreteType(args[0].Type)
		return t, func() AggState { return &extremeState{t: t, dir: dir, cond: cond} }, nil
	}
}
