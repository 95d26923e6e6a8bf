package builtin

import (
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

// countState counts rows (count()) or rows whose predicate is true (countif).
type countState struct {
	n    []int64
	pred bool
}

func (s *countState) Add(g int, args []*vec.Column, r int) {
	s.n = grow(s.n, g)
	if r < 0 {
		return
	}
	if s.pred {
		if args[0].IsNull(r) || args[0].Value(r).I == 0 {
			return
		}
	} else if len(args) == 1 && args[0].IsNull(r) {
		return // count(x) counts non-null values
	}
	s.n[g]++
}

func (s *countState) Result(g int) types.Value { return types.NewLong(s.n[g]) }

func bindCount(args []Arg) (types.Type, func() AggState, error) {
	if len(args) > 1 {
		return 0, nil, ArgError("count", "expects at most one argument")
	}
	return types.Long, func() AggState { return &countState{} }, nil
}

func bindCountIf(args []Arg) (types.Type, func() AggState, error) {
	if len(args) != 1 || (args[0].Type != types.Bool && args[0].Type != types.Dynamic) {
		return 0, nil, ArgError("countif", "expects one bool predicate")
	}
	return types.Long, func() AggState { return &countState{pred: true} }, nil
}

// condArity is the argument count of an aggregate and its *if form.
func condArity(cond bool) int {
	if cond {
		return 2
	}
	return 1
}

func condName(name string, cond bool) string {
	if cond {
		return name + "if"
	}
	return name
}

// predOK reports whether the optional predicate argument at index i holds.
func predOK(args []*vec.Column, i, r int, on bool) bool {
	if !on {
		return true
	}
	return !args[i].IsNull(r) && types.Convert(args[i].Value(r), types.Bool).I != 0
}

type sumState struct {
	t     types.Type
	ints  []int64
	reals []float64
	seen  []bool
	cond  bool
}

func (s *sumState) Add(g int, args []*vec.Column, r int) {
	s.ints, s.reals, s.seen = grow(s.ints, g), grow(s.reals, g), grow(s.seen, g)
	if r < 0 || args[0].IsNull(r) || !predOK(args, 1, r, s.cond) {
		return
	}
	v := unwrap(args[0].Value(r))
	s.seen[g] = true
	if s.t.Storage() == types.StoreFloat {
		s.reals[g] += toFloat(v)
	} else {
		s.ints[g] += toInt(v)
	}
}

func (s *sumState) Result(g int) types.Value {
	if !s.seen[g] {
		return types.NullOf(s.t)
	}
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

func bindSum(cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	name := "sum"
	if cond {
		name = "sumif"
	}
	return func(args []Arg) (types.Type, func() AggState, error) {
		want := 1
		if cond {
			want = 2
		}
		if len(args) != want {
			return 0, nil, ArgError(name, "expects %d arguments", want)
		}
		t, ok := sumType(args[0].Type)
		if !ok {
			return 0, nil, ArgError(name, "cannot sum values of type %s", args[0].Type)
		}
		return t, func() AggState { return &sumState{t: t, cond: cond} }, nil
	}
}

type avgState struct {
	t    types.Type
	sum  []float64
	n    []int64
	cond bool
}

func (s *avgState) Add(g int, args []*vec.Column, r int) {
	s.sum, s.n = grow(s.sum, g), grow(s.n, g)
	if r < 0 || args[0].IsNull(r) || !predOK(args, 1, r, s.cond) {
		return
	}
	v := unwrap(args[0].Value(r))
	s.sum[g] += toFloat(v)
	s.n[g]++
}

func (s *avgState) Result(g int) types.Value {
	if s.n[g] == 0 {
		return types.NullOf(s.t)
	}
	avg := s.sum[g] / float64(s.n[g])
	if s.t == types.Timespan || s.t == types.Datetime {
		return types.Value{Type: s.t, Valid: true, I: int64(avg)}
	}
	return types.Value{Type: s.t, Valid: true, F: avg}
}

func bindAvg(cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		if want := condArity(cond); len(args) != want {
			return 0, nil, ArgError(condName("avg", cond), "expects %d arguments", want)
		}
		t := types.Real
		switch args[0].Type {
		case types.Timespan, types.Datetime, types.Decimal:
			t = args[0].Type
		case types.Int, types.Long, types.Real, types.Bool, types.Dynamic, types.Null:
		default:
			return 0, nil, ArgError("avg", "cannot average values of type %s", args[0].Type)
		}
		return t, func() AggState { return &avgState{t: t, cond: cond} }, nil
	}
}

// extremeState keeps the minimum (dir -1) or maximum (dir 1).
type extremeState struct {
	t    types.Type
	best []types.Value
	dir  int
	cond bool
}

func (s *extremeState) Add(g int, args []*vec.Column, r int) {
	s.best = grow(s.best, g)
	if r < 0 || args[0].IsNull(r) || !predOK(args, 1, r, s.cond) {
		return
	}
	v := args[0].Value(r)
	if v.Type == types.Dynamic {
		v = types.FromDynamic(v.D)
	}
	if !s.best[g].Valid || types.Compare(v, s.best[g])*s.dir > 0 {
		s.best[g] = v
	}
}

func (s *extremeState) Result(g int) types.Value {
	if !s.best[g].Valid {
		return types.NullOf(s.t)
	}
	return fitValue(s.best[g], s.t)
}

func bindExtreme(dir int, cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		name := "max"
		if dir < 0 {
			name = "min"
		}
		if want := condArity(cond); len(args) != want {
			return 0, nil, ArgError(condName(name, cond), "expects %d arguments", want)
		}
		t := args[0].Type
		if t == types.Null {
			t = types.Dynamic
		}
		return t, func() AggState { return &extremeState{t: t, dir: dir, cond: cond} }, nil
	}
}
