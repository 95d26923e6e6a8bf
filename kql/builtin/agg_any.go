package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// take_any and take_anyif (deprecated: any, anyif) return the values of
// their arguments at an arbitrary row of the group. With several arguments
// all values come from the same row. With one argument, a non-null,
// non-empty value is preferred when the group has one.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "take_any", Bind: bindAny("take_any", false)},
		&Aggregate{Name: "any", Bind: bindAny("any", false)},
		&Aggregate{Name: "take_anyif", ColumnName: firstArgName, Bind: bindAny("take_anyif", true)},
		&Aggregate{Name: "anyif", Bind: bindAny("anyif", true)},
	)
}

// firstArgName names a column after the aggregate's first argument.
func firstArgName(argNames []string) string { return argNames[0] }

type anyState struct {
	rowState
	pred int // index of the predicate argument, or -1
}

func (s *anyState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.has) {
		s.grow(g)
	}
	if r >= 0 && s.has[g] != rowFinal {
		s.addRow(g, args, r)
	}
}

// addRow folds row r into group g (not yet final) and reports whether the
// group kept the row.
func (s *anyState) addRow(g int, args []*vec.Column, r int) bool {
	if s.pred >= 0 {
		if !truthAt(args[s.pred], r) {
			return false
		}
		args = args[:s.pred]
	}
	switch {
	case s.n > 1:
		s.keep(g, args, r, rowFinal)
	case !isEmptyAt(args[0], r, true):
		s.keep(g, args, r, rowFinal)
	case s.has[g] == rowNone:
		s.keep(g, args, r, rowWeak)
	default:
		return false
	}
	return true
}

func bindAny(fn string, cond bool) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		n, pred := len(args), -1
		if cond {
			if err := arity(fn, args, 2, 2); err != nil {
				return 0, nil, err
			}
			if err := wantBoolArg(fn, args, 1); err != nil {
				return 0, nil, err
			}
			n, pred = 1, 1
		} else if n == 0 {
			return 0, nil, ArgError(fn, "expects at least one argument")
		}
		return concreteType(args[0].Type), func() AggState {
			return &anyState{rowState: rowState{n: n}, pred: pred}
		}, nil
	}
}
