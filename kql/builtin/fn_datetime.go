package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Datetime functions: the query clock (now, ago), period boundaries
// (startofday ... endofyear, with an offset in periods) and calendar parts
// (dayofweek, getyear, week_of_year, ...). bin and floor live in fn_bin.go;
// datetime_add, datetime_diff and friends in fn_datetime_calc.go.
func init() {
	RegisterScalar(
		&Scalar{Name: "now", Bind: bindNow, Volatile: true},
		&Scalar{Name: "ago", Bind: bindAgo, Volatile: true},
		periodFn("startofday", startOfDay, false), periodFn("endofday", startOfDay, true),
		periodFn("startofweek", startOfWeek, false), periodFn("endofweek", startOfWeek, true),
		periodFn("startofmonth", monthStart, false), periodFn("endofmonth", monthStart, true),
		periodFn("startofyear", yearStart, false), periodFn("endofyear", yearStart, true),
		datePartFn("dayofweek", types.Timespan, func(t int64) int64 { return weekdayOf(dayNumber(t)) * ticksPerDay }),
		datePartFn("dayofmonth", types.Int, dayOfMonth),
		datePartFn("dayofyear", types.Int, dayOfYear),
		timePartFn("hourofday", types.Int, false, func(t int64) int64 { return floorMod(t, ticksPerDay) / types.TicksPerHour }),
		datePartFn("week_of_year", types.Int, func(t int64) int64 { return isoWeek(dayNumber(t)) }),
		// weekofyear is the deprecated name of week_of_year.
		datePartFn("weekofyear", types.Int, func(t int64) int64 { return isoWeek(dayNumber(t)) }),
		datePartFn("monthofyear", types.Int, monthOf),
		datePartFn("getmonth", types.Int, monthOf),
		datePartFn("getyear", types.Int, yearOf),
	)
}

func yearOf(t int64) int64 {
	y, _, _ := civil(dayNumber(t))
	return y
}

func monthOf(t int64) int64 {
	_, m, _ := civil(dayNumber(t))
	return m
}

func dayOfMonth(t int64) int64 {
	_, _, d := civil(dayNumber(t))
	return d
}

func dayOfYear(t int64) int64 {
	d := dayNumber(t)
	y, _, _ := civil(d)
	return d - daysFromCivil(y, 1, 1) + 1
}

// bindNow binds now([offset]): the query start time plus an optional
// timespan.
func bindNow(args []Arg) (types.Type, Kernel, error) {
	if len(args) > 1 || len(args) == 1 && !isArgOf(args[0].Type, types.Timespan) {
		return 0, nil, ArgError("now", "expects no argument or a timespan offset, got (%s)", typeList(args))
	}
	return types.Datetime, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
		if len(a) == 0 {
			return vec.NewConst(types.NewDatetime(ctx.Now), n), nil
		}
		return intMap(types.Datetime, asType(a[0], types.Timespan), n, func(x int64) (int64, bool) {
			return addTicks(ctx.Now, x)
		}), nil
	}, nil
}

// bindAgo binds ago(timespan): the query start time minus the timespan.
func bindAgo(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 1 || !isArgOf(args[0].Type, types.Timespan) {
		return 0, nil, ArgError("ago", "expects a timespan, got (%s)", typeList(args))
	}
	return types.Datetime, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
		return intMap(types.Datetime, asType(a[0], types.Timespan), n, func(x int64) (int64, bool) {
			return addTicks(ctx.Now, -x)
		}), nil
	}, nil
}

// datePartFn builds a function of one datetime computing an int-stored
// value of type ret. Parts of the date (not of the time of day) are
// computed once per run of rows from one day.
func datePartFn(name string, ret types.Type, f func(ticks int64) int64) *Scalar {
	return timePartFn(name, ret, true, f)
}

// timePartFn is datePartFn for parts that may depend on the time of day
// (dayOnly false).
func timePartFn(name string, ret types.Type, dayOnly bool, f func(ticks int64) int64) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 1 || !isArgOf(args[0].Type, types.Datetime) {
			return 0, nil, ArgError(name, "expects a datetime, got (%s)", typeList(args))
		}
		return ret, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			g := func(x int64) (int64, bool) { return f(x), true }
			if dayOnly {
				g = sameDayCache(g)
			}
			return intMap(ret, asType(a[0], types.Datetime), n, g), nil
		}, nil
	}}
}

// periodStart returns the start of the period k periods after the one
// holding ticks; the result may lie outside the datetime range, and false
// means the offset is absurdly large.
type periodStart func(ticks, k int64) (int64, bool)

func startOfDay(t, k int64) (int64, bool) {
	return shiftTicks(dayNumber(t)*ticksPerDay, k, ticksPerDay)
}

// startOfWeek is the start of the week, which begins on Sunday.
func startOfWeek(t, k int64) (int64, bool) {
	d := dayNumber(t)
	return shiftTicks((d-weekdayOf(d))*ticksPerDay, k, ticksPerWeek)
}

// shiftTicks returns base + k*unit, or false on overflow.
func shiftTicks(base, k, unit int64) (int64, bool) {
	off, ok := mulTicks(k, unit)
	if !ok {
		return 0, false
	}
	r := base + off
	if (off > 0 && r < base) || (off < 0 && r > base) {
		return 0, false
	}
	return r, true
}

// periodFn builds startof<period>(date [, offset]) or, when end is set,
// endof<period>: the last tick of the period, one tick before the next
// period starts. A result outside the datetime range is null.
func periodFn(name string, start periodStart, end bool) *Scalar {
	at := func(t, k int64) (int64, bool) {
		if end {
			k++
		}
		r, ok := start(t, k)
		if end {
			r--
		}
		return r, ok && validDatetime(r)
	}
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) < 1 || len(args) > 2 || !isArgOf(args[0].Type, types.Datetime) ||
			len(args) == 2 && !isNumberArg(args[1].Type) {
			return 0, nil, ArgError(name, "expects a datetime and an optional offset, got (%s)", typeList(args))
		}
		return types.Datetime, periodKernel(name, at), nil
	}}
}

func periodKernel(name string, at func(t, k int64) (int64, bool)) Kernel {
	return func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
		d := asType(a[0], types.Datetime)
		var k int64
		if len(a) == 2 {
			off := asType(a[1], types.Long)
			if !off.Const {
				return intRows(types.Datetime, []*vec.Column{d, off}, n, func(x []int64) (int64, bool) { return at(x[0], x[1]) }), nil
			}
			if off.IsNull(0) {
				return constNull(types.Datetime, n), nil
			}
			k = off.Ints[0]
		}
		if name == "startofday" && k == 0 {
			return floorInts(types.Datetime, d, ticksPerDay, n), nil
		}
		return intMap(types.Datetime, d, n, sameDayCache(func(x int64) (int64, bool) { return at(x, k) })), nil
	}
}

// sameDayCache wraps a function of a datetime that depends only on its day
// so that runs of rows from one day, usual in time-ordered logs, compute
// it once.
func sameDayCache(f func(int64) (int64, bool)) func(int64) (int64, bool) {
	lastDay, lastR, lastOK := int64(math.MinInt64), int64(0), false
	return func(x int64) (int64, bool) {
		if d := dayNumber(x); d != lastDay {
			lastDay = d
			lastR, lastOK = f(x)
		}
		return lastR, lastOK
	}
}
