package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The window functions of serialized row sets: row_number, prev, next,
// row_cumsum, row_rank_dense, row_rank_min and row_window_session. Their
// kernels see every row of the input, in order, in one call (Serial).
func init() {
	RegisterScalar(
		&Scalar{Name: "row_number", Serial: true, Bind: bindRowNumber},
		&Scalar{Name: "prev", Serial: true, Bind: bindShift("prev", -1)},
		&Scalar{Name: "next", Serial: true, Bind: bindShift("next", 1)},
		&Scalar{Name: "row_cumsum", Serial: true, Bind: bindRowCumsum},
		&Scalar{Name: "row_rank_dense", Serial: true, Bind: bindRowRank("row_rank_dense", true)},
		&Scalar{Name: "row_rank_min", Serial: true, Bind: bindRowRank("row_rank_min", false)},
		&Scalar{Name: "row_window_session", Serial: true, Bind: bindRowWindowSession},
	)
}

// restartAt reports whether the optional restart predicate (argument i)
// holds at row r.
func restartAt(args []*vec.Column, i, r int) bool {
	return i < len(args) && truthAt(args[i], r)
}

// wantRestart checks that the optional argument i is a predicate.
func wantRestart(fn string, args []Arg, i int) error {
	if i < len(args) && !predicateType(args[i].Type) {
		return ArgError(fn, "the restart argument must be bool, not %s", args[i].Type)
	}
	return nil
}

// bindRowNumber binds row_number([start [, restart]]): the row's index
// counted from start, starting over at start where restart is true.
func bindRowNumber(args []Arg) (types.Type, Kernel, error) {
	const fn = "row_number"
	if err := arity(fn, args, 0, 2); err != nil {
		return 0, nil, err
	}
	start, err := constIntArg(fn, args, 0, 1, "start index")
	if err != nil {
		return 0, nil, err
	}
	if err := wantRestart(fn, args, 1); err != nil {
		return 0, nil, err
	}
	return types.Long, func(_ *Context, cols []*vec.Column, n int) (*vec.Column, error) {
		b := vec.NewBuilder(types.Long, n)
		i := start
		for r := 0; r < n; r++ {
			if r > 0 && restartAt(cols, 1, r) {
				i = start
			}
			b.AppendInt(i)
			i++
		}
		return b.Build(), nil
	}, nil
}

// bindShift binds prev(col [, offset [, default]]) (dir -1) and next
// (dir 1): the value offset rows before or after, or default (null when
// absent) past the edges.
func bindShift(fn string, dir int) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := arity(fn, args, 1, 3); err != nil {
			return 0, nil, err
		}
		offset, err := constIntArg(fn, args, 1, 1, "offset")
		if err != nil {
			return 0, nil, err
		}
		if offset < 0 {
			return 0, nil, ArgError(fn, "the offset must not be negative")
		}
		t := concreteType(args[0].Type)
		if len(args) == 3 && !Converts(args[2].Type, t) && args[2].Type != types.Null {
			return 0, nil, ArgError(fn, "the default value must be of type %s, not %s", t, args[2].Type)
		}
		step := int(offset) * dir
		return t, func(_ *Context, cols []*vec.Column, n int) (*vec.Column, error) {
			b := vec.NewBuilder(t, n)
			for r := 0; r < n; r++ {
				switch j := r + step; {
				case j >= 0 && j < n:
					b.Append(fitValue(cols[0].Value(j), t))
				case len(cols) == 3:
					b.Append(fitValue(cols[2].Value(r), t))
				default:
					b.AppendNull()
				}
			}
			return b.Build(), nil
		}, nil
	}
}

// bindRowCumsum binds row_cumsum(term [, restart]): the running sum of
// term, starting over at 0 where restart is true. Null terms add nothing.
func bindRowCumsum(args []Arg) (types.Type, Kernel, error) {
	const fn = "row_cumsum"
	if err := arity(fn, args, 1, 2); err != nil {
		return 0, nil, err
	}
	if err := wantRestart(fn, args, 1); err != nil {
		return 0, nil, err
	}
	t, ok := sumType(args[0].Type)
	if !ok {
		return 0, nil, ArgError(fn, "cannot sum values of type %s", args[0].Type)
	}
	return t, func(_ *Context, cols []*vec.Column, n int) (*vec.Column, error) {
		b := vec.NewBuilder(t, n)
		var ints int64
		var reals float64
		for r := 0; r < n; r++ {
			if restartAt(cols, 1, r) {
				ints, reals = 0, 0
			}
			if c := cols[0]; !c.IsNull(r) {
				switch v := unwrap(c.Value(r)); {
				case t.Storage() == types.StoreFloat:
					reals += toFloat(v)
				default:
					ints += toInt(v)
				}
			}
			if t.Storage() == types.StoreFloat {
				b.AppendFloat(reals)
			} else {
				b.AppendInt(ints)
			}
		}
		return b.Build(), nil
	}, nil
}

// bindRowRank binds row_rank_dense (dense) and row_rank_min over rows
// sorted by term: equal neighbours share a rank; the next distinct value
// gets the next rank (dense) or its row's position (min). Ranks start over
// at 1 where restart is true.
func bindRowRank(fn string, dense bool) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := arity(fn, args, 1, 2); err != nil {
			return 0, nil, err
		}
		if err := wantRestart(fn, args, 1); err != nil {
			return 0, nil, err
		}
		return types.Long, func(_ *Context, cols []*vec.Column, n int) (*vec.Column, error) {
			b := vec.NewBuilder(types.Long, n)
			var rank, pos int64
			var prev types.Value
			for r := 0; r < n; r++ {
				v := cols[0].Value(r)
				switch {
				case r == 0 || restartAt(cols, 1, r):
					rank, pos = 1, 1
				case types.Compare(v, prev) == 0:
					pos++
				case dense:
					rank++
					pos++
				default:
					pos++
					rank = pos
				}
				prev = v
				b.AppendInt(rank)
			}
			return b.Build(), nil
		}, nil
	}
}

// bindRowWindowSession binds row_window_session(expr, maxDistanceFromFirst,
// maxDistanceBetweenNeighbors [, restart]): the value of expr where the
// row's session began. A session ends when expr reaches the session's
// start plus the first distance, or the previous value plus the second,
// where restart is true, and after a null.
func bindRowWindowSession(args []Arg) (types.Type, Kernel, error) {
	const fn = "row_window_session"
	if err := arity(fn, args, 3, 4); err != nil {
		return 0, nil, err
	}
	t := args[0].Type
	if !t.IsTicks() && t != types.Dynamic && t != types.Null {
		return 0, nil, ArgError(fn, "expects a datetime, not %s", t)
	}
	if t != types.Timespan {
		t = types.Datetime
	}
	for i := 1; i <= 2; i++ {
		if args[i].Type != types.Timespan && args[i].Type != types.Dynamic && args[i].Type != types.Null {
			return 0, nil, ArgError(fn, "the distances must be timespans, not %s", args[i].Type)
		}
	}
	if err := wantRestart(fn, args, 3); err != nil {
		return 0, nil, err
	}
	return t, func(_ *Context, cols []*vec.Column, n int) (*vec.Column, error) {
		b := vec.NewBuilder(t, n)
		var start, last types.Value
		for r := 0; r < n; r++ {
			v := types.Convert(cols[0].Value(r), t)
			if !v.Valid {
				b.AppendNull()
				start, last = v, v
				continue
			}
			first := types.Convert(cols[1].Value(r), types.Timespan)
			gap := types.Convert(cols[2].Value(r), types.Timespan)
			if !start.Valid || restartAt(cols, 3, r) ||
				first.Valid && v.I >= start.I+first.I || gap.Valid && v.I >= last.I+gap.I {
				start = v
			}
			last = v
			b.Append(start)
		}
		return b.Build(), nil
	}, nil
}
