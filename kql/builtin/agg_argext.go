package builtin

import (
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// arg_max and arg_min (and their deprecated aliases argmax and argmin)
// return the values of their arguments at the row where the first one is
// largest or smallest. The checker expands `*` and names the columns; the
// state returns one value per argument.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "arg_max", Bind: bindArgExtreme("arg_max", 1)},
		&Aggregate{Name: "arg_min", Bind: bindArgExtreme("arg_min", -1)},
		&Aggregate{Name: "argmax", Bind: bindArgExtreme("argmax", 1)},
		&Aggregate{Name: "argmin", Bind: bindArgExtreme("argmin", -1)},
	)
}

// Row-state of a group in rowState.has.
const (
	rowNone  = iota // no row seen
	rowWeak         // a row is kept, but a better one may replace it
	rowFinal        // the kept row is the best so far
)

// rowState keeps, per group, the values of all arguments at one chosen
// row, laid out with a stride of n values per group.
type rowState struct {
	n    int
	vals []types.Value
	has  []uint8
	pos  []int64 // input position of each group's row (batch path)
	rowBatch
}

func (s *rowState) grow(g int) {
	for len(s.has) <= g {
		s.has = append(s.has, rowNone)
		for i := 0; i < s.n; i++ {
			s.vals = append(s.vals, types.Value{})
		}
	}
}

// keep stores row r of args as group g's row.
func (s *rowState) keep(g int, args []*vec.Column, r int, how uint8) {
	row := s.vals[g*s.n : (g+1)*s.n]
	for i, c := range args {
		row[i] = c.Value(r)
	}
	s.has[g] = how
}

func (s *rowState) Result(g int) types.Value { return s.value(g, 0) }

// ResultAt implements ResultAtState.
func (s *rowState) ResultAt(g, i int) types.Value { return s.value(g, i) }

func (s *rowState) Results(g int) []types.Value {
	if g < len(s.from) && s.from[g] != nil {
		return s.from[g].Results(int(s.fromRow[g]))
	}
	if s.cols == nil {
		return s.vals[g*s.n : (g+1)*s.n]
	}
	out := make([]types.Value, s.n)
	for i := range out {
		out[i] = s.cols[i].value(g)
	}
	return out
}

// argExtremeState is arg_max (dir 1) or arg_min (dir -1). Rows whose key
// is null count only while the group has no other row: a group whose keys
// are all null returns its first row.
type argExtremeState struct {
	rowState
	dir int
}

func (s *argExtremeState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.has) {
		s.grow(g)
	}
	if r < 0 {
		return
	}
	k := args[0]
	if k.IsNull(r) {
		if s.has[g] == rowNone {
			s.keep(g, args, r, rowWeak)
		}
		return
	}
	if s.has[g] != rowFinal || compareRow(k, r, s.vals[g*s.n])*s.dir > 0 {
		s.keep(g, args, r, rowFinal)
	}
}

// compareRow compares row r of c with v (not null, of c's type), reading
// the column's storage directly when it can.
func compareRow(c *vec.Column, r int, v types.Value) int {
	if v.Type == c.Type {
		switch c.Type {
		case types.Bool, types.Int, types.Long, types.Datetime, types.Timespan:
			return types.CompareInts(c.Int(r), v.I)
		case types.Real, types.Decimal:
			return compareNaNFirst(c.Float(r), v.F)
		case types.String:
			return strings.Compare(c.Str(r), v.S)
		}
	}
	return types.Compare(c.Value(r), v)
}

// compareNaNFirst orders reals with NaN below every number, so that
// arg_max never picks NaN over a number while arg_min does.
func compareNaNFirst(a, b float64) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	return types.CompareFloats(a, b)
}

func bindArgExtreme(fn string, dir int) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		if len(args) < 1 {
			return 0, nil, ArgError(fn, "expects the expression to maximize or minimize")
		}
		n := len(args)
		return concreteType(args[0].Type), func() AggState {
			return &argExtremeState{rowState: rowState{n: n}, dir: dir}
		}, nil
	}
}

// concreteType is t, or dynamic for the type of an untyped null.
func concreteType(t types.Type) types.Type {
	if t == types.Null {
		return types.Dynamic
	}
	return t
}
