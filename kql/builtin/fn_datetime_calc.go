package builtin

import (
	"math"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Calendar arithmetic: datetime_add, datetime_diff and datetime_part take
// a period name ('year' ... 'nanosecond', case-insensitive); make_datetime
// and make_timespan build values from parts; unixtime_*_todatetime convert
// Unix epoch numbers.
func init() {
	RegisterScalar(
		&Scalar{Name: "datetime_add", Bind: bindDatetimeAdd},
		&Scalar{Name: "datetime_diff", Bind: bindDatetimeDiff},
		&Scalar{Name: "datetime_part", Bind: bindDatetimePart("datetime_part")},
		// datepart is the deprecated name of datetime_part.
		&Scalar{Name: "datepart", Bind: bindDatetimePart("datepart")},
		makeDatetimeFn(), makeTimespanFn(),
		unixtimeFn("unixtime_seconds_todatetime", types.TicksPerSecond, 1),
		unixtimeFn("unixtime_milliseconds_todatetime", types.TicksPerMillisecond, 1),
		unixtimeFn("unixtime_microseconds_todatetime", types.TicksPerMicrosecond, 1),
		unixtimeFn("unixtime_nanoseconds_todatetime", 1, 100),
	)
}

// datePart is a period or part named in datetime_add, datetime_diff and
// datetime_part.
type datePart int

const (
	partYear datePart = iota
	partQuarter
	partMonth
	partWeek
	partDay
	partHour
	partMinute
	partSecond
	partMillisecond
	partMicrosecond
	partNanosecond
	partWeekOfYear
	partDayOfYear
)

var datePartNames = map[string]datePart{
	"year": partYear, "quarter": partQuarter, "month": partMonth, "week": partWeek, "day": partDay,
	"hour": partHour, "minute": partMinute, "second": partSecond, "millisecond": partMillisecond,
	"microsecond": partMicrosecond, "nanosecond": partNanosecond,
	"week_of_year": partWeekOfYear, "weekofyear": partWeekOfYear, "dayofyear": partDayOfYear,
}

// partTicks is the length of the fixed-length periods, in ticks.
var partTicks = map[datePart]int64{
	partWeek: ticksPerWeek, partDay: ticksPerDay, partHour: types.TicksPerHour, partMinute: types.TicksPerMinute,
	partSecond: types.TicksPerSecond, partMillisecond: types.TicksPerMillisecond, partMicrosecond: types.TicksPerMicrosecond,
}

// lookupPart returns the part named s if it is one of allowed.
func lookupPart(s string, allowed func(datePart) bool) (datePart, bool) {
	p, ok := datePartNames[strings.ToLower(strings.TrimSpace(s))]
	return p, ok && allowed(p)
}

// isPeriod accepts the parts datetime_add and datetime_diff take.
func isPeriod(p datePart) bool { return p <= partNanosecond }

// isDatetimePart accepts the parts datetime_part takes.
func isDatetimePart(p datePart) bool { return p != partWeek }

// bindPart checks the part argument. A constant part is resolved now (and
// must be valid); otherwise each row's part is looked up and an unknown
// one gives null.
func bindPart(name string, a Arg, allowed func(datePart) bool) (fixed *datePart, err error) {
	if !isArgOf(a.Type, types.String) {
		return nil, ArgError(name, "the period must be a string, got %s", a.Type)
	}
	if a.Const == nil {
		return nil, nil
	}
	p, ok := lookupPart(a.Const.S, allowed)
	if !ok {
		return nil, ArgError(name, "unknown period '%s'", a.Const.S)
	}
	return &p, nil
}

// partKernel evaluates f(part, ints...) where the first argument is the
// part name and the others convert to the given int-stored types.
func partKernel(ret types.Type, fixed *datePart, allowed func(datePart) bool, conv []types.Type,
	f func(p datePart, x []int64) (int64, bool)) Kernel {
	return func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
		cols := make([]*vec.Column, len(conv))
		for i, t := range conv {
			cols[i] = asType(a[i+1], t)
		}
		if fixed != nil {
			p := *fixed
			if len(cols) == 2 && cols[0].Const {
				if cols[0].IsNull(0) {
					return constNull(ret, n), nil
				}
				k := cols[0].Ints[0]
				return intMap(ret, cols[1], n, func(x int64) (int64, bool) { return f(p, []int64{k, x}) }), nil
			}
			if len(cols) == 1 {
				return intMap(ret, cols[0], n, func(x int64) (int64, bool) { return f(p, []int64{x}) }), nil
			}
			return intRows(ret, cols, n, func(x []int64) (int64, bool) { return f(p, x) }), nil
		}
		codes := partCodes(asType(a[0], types.String), allowed, n)
		return intRows(ret, append([]*vec.Column{codes}, cols...), n, func(x []int64) (int64, bool) {
			return f(datePart(x[0]), x[1:])
		}), nil
	}
}

// partCodes maps a column of part names to part numbers, null for names
// that are not parts.
func partCodes(names *vec.Column, allowed func(datePart) bool, n int) *vec.Column {
	b := vec.NewBuilder(types.Long, n)
	for i := 0; i < n; i++ {
		if p, ok := lookupPart(names.Str(i), allowed); ok {
			b.AppendInt(int64(p))
		} else {
			b.AppendNull()
		}
	}
	return b.Build()
}

func bindDatetimeAdd(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 3 || !isNumberArg(args[1].Type) || !isArgOf(args[2].Type, types.Datetime) {
		return 0, nil, ArgError("datetime_add", "expects a period, an amount and a datetime, got (%s)", typeList(args))
	}
	p, err := bindPart("datetime_add", args[0], isPeriod)
	if err != nil {
		return 0, nil, err
	}
	return types.Datetime, partKernel(types.Datetime, p, isPeriod, []types.Type{types.Long, types.Datetime},
		func(p datePart, x []int64) (int64, bool) { return addPeriod(p, x[0], x[1]) }), nil
}

// addPeriod adds k periods to t; months, quarters and years keep the day
// of the month where it exists and clamp it to the month's end otherwise.
func addPeriod(p datePart, k, t int64) (int64, bool) {
	switch p {
	case partYear, partQuarter, partMonth:
		if k > 1e6 || k < -1e6 {
			return 0, false
		}
		months := k
		if p == partYear {
			months = 12 * k
		} else if p == partQuarter {
			months = 3 * k
		}
		return addMonths(t, months)
	case partNanosecond:
		return addTicks(t, k/100)
	}
	off, ok := mulTicks(k, partTicks[p])
	if !ok {
		return 0, false
	}
	return addTicks(t, off)
}

func bindDatetimeDiff(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 3 || !isArgOf(args[1].Type, types.Datetime) || !isArgOf(args[2].Type, types.Datetime) {
		return 0, nil, ArgError("datetime_diff", "expects a period and two datetimes, got (%s)", typeList(args))
	}
	p, err := bindPart("datetime_diff", args[0], isPeriod)
	if err != nil {
		return 0, nil, err
	}
	return types.Long, partKernel(types.Long, p, isPeriod, []types.Type{types.Datetime, types.Datetime},
		func(p datePart, x []int64) (int64, bool) { return diffPeriod(p, x[0], x[1]), true }), nil
}

// diffPeriod counts the period boundaries between b and a (a - b): the
// difference of the two values truncated to the period, so that 23:59 to
// 00:00 the next day is one day and Saturday to Sunday one week.
func diffPeriod(p datePart, a, b int64) int64 {
	switch p {
	case partYear:
		return yearOf(a) - yearOf(b)
	case partQuarter:
		return quarterIndex(a) - quarterIndex(b)
	case partMonth:
		return monthIndex(a) - monthIndex(b)
	case partWeek:
		da, db := dayNumber(a), dayNumber(b)
		return ((da - weekdayOf(da)) - (db - weekdayOf(db))) / 7
	case partNanosecond:
		return (a - b) * 100
	}
	u := partTicks[p]
	return floorDiv(a, u) - floorDiv(b, u)
}

func monthIndex(t int64) int64 {
	y, m, _ := civil(dayNumber(t))
	return y*12 + m - 1
}

func quarterIndex(t int64) int64 {
	y, m, _ := civil(dayNumber(t))
	return y*4 + (m-1)/3
}

func bindDatetimePart(name string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 || !isArgOf(args[1].Type, types.Datetime) {
			return 0, nil, ArgError(name, "expects a part name and a datetime, got (%s)", typeList(args))
		}
		p, err := bindPart(name, args[0], isDatetimePart)
		if err != nil {
			return 0, nil, err
		}
		return types.Int, partKernel(types.Int, p, isDatetimePart, []types.Type{types.Datetime},
			func(p datePart, x []int64) (int64, bool) { return datetimePart(p, x[0]), true }), nil
	}
}

// datetimePart extracts one part of t.
func datetimePart(p datePart, t int64) int64 {
	frac := floorMod(t, types.TicksPerSecond)
	switch p {
	case partYear:
		return yearOf(t)
	case partQuarter:
		return (monthOf(t)-1)/3 + 1
	case partMonth:
		return monthOf(t)
	case partWeekOfYear:
		return isoWeek(dayNumber(t))
	case partDay:
		return dayOfMonth(t)
	case partDayOfYear:
		return dayOfYear(t)
	case partHour:
		return floorMod(t, ticksPerDay) / types.TicksPerHour
	case partMinute:
		return floorMod(t, types.TicksPerHour) / types.TicksPerMinute
	case partSecond:
		return floorMod(t, types.TicksPerMinute) / types.TicksPerSecond
	case partMillisecond:
		return frac / types.TicksPerMillisecond
	case partMicrosecond:
		return frac / types.TicksPerMicrosecond
	case partNanosecond:
		return frac * 100
	}
	return 0
}

// makeDatetimeFn builds make_datetime(year, month, day [, hour, minute,
// second]): null when a part is out of range. The official binder also
// takes a single datetime value (or a dynamic one holding a datetime),
// which it returns as it is.
func makeDatetimeFn() *Scalar {
	return Fixed("make_datetime", false, Sig{
		Params: []types.Type{types.Long, types.Long, types.Long, types.Long, types.Long, types.Real}, Min: 3, Ret: types.Datetime,
		F: func(v []types.Value) types.Value {
			parts := [5]int64{}
			for i := range min(len(v), 5) {
				parts[i] = v[i].I
			}
			sec := 0.0
			if len(v) == 6 {
				sec = v[5].F
			}
			t, ok := makeDatetime(parts, sec)
			if !ok {
				return types.NullOf(types.Datetime)
			}
			return types.NewDatetime(t)
		},
	}, Sig{Params: []types.Type{types.Datetime}, Ret: types.Datetime, F: func(v []types.Value) types.Value { return v[0] }})
}

// makeDatetime builds a datetime from year, month, day, hour and minute
// and a second with a fraction.
func makeDatetime(p [5]int64, sec float64) (int64, bool) {
	y, mo, d, h, mi := p[0], p[1], p[2], p[3], p[4]
	if y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) ||
		h < 0 || h > 23 || mi < 0 || mi > 59 || !(sec >= 0 && sec < 60) {
		return 0, false
	}
	t := daysFromCivil(y, mo, d)*ticksPerDay + h*types.TicksPerHour + mi*types.TicksPerMinute +
		int64(math.Round(sec*float64(types.TicksPerSecond)))
	return t, validDatetime(t)
}

// makeTimespanFn builds make_timespan(hours, minutes [, seconds]) and
// make_timespan(days, hours, minutes, seconds).
func makeTimespanFn() *Scalar {
	span := func(d, h, m int64, s float64) types.Value {
		total := float64(d)*float64(ticksPerDay) + float64(h)*float64(types.TicksPerHour) +
			float64(m)*float64(types.TicksPerMinute) + s*float64(types.TicksPerSecond)
		if math.IsNaN(total) || math.Abs(total) >= math.MaxInt64 {
			return types.NullOf(types.Timespan)
		}
		return types.NewTimespan(d*ticksPerDay + h*types.TicksPerHour + m*types.TicksPerMinute +
			int64(math.Round(s*float64(types.TicksPerSecond))))
	}
	return Fixed("make_timespan", false,
		Sig{Params: []types.Type{types.Long, types.Long, types.Real}, Min: 2, Ret: types.Timespan, F: func(v []types.Value) types.Value {
			s := 0.0
			if len(v) == 3 {
				s = v[2].F
			}
			return span(0, v[0].I, v[1].I, s)
		}},
		Sig{Params: []types.Type{types.Long, types.Long, types.Long, types.Real}, Ret: types.Timespan, F: func(v []types.Value) types.Value {
			return span(v[0].I, v[1].I, v[2].I, v[3].F)
		}},
		Sig{Params: []types.Type{types.Timespan}, Ret: types.Timespan, F: func(v []types.Value) types.Value { return v[0] }},
	)
}

// unixEpoch is 1970-01-01 in ticks.
var unixEpoch = daysFromCivil(1970, 1, 1) * ticksPerDay

// unixtimeFn builds a conversion of a Unix epoch count to a datetime; a
// unit is mul/div ticks. Integers convert exactly; reals round to the
// nearest tick.
func unixtimeFn(name string, mul, div int64) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 1 || !isNumberArg(args[0].Type) {
			return 0, nil, ArgError(name, "expects a number, got (%s)", typeList(args))
		}
		if t := args[0].Type; t == types.Int || t == types.Long || t == types.Bool {
			return types.Datetime, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
				return intMap(types.Datetime, asType(a[0], types.Long), n, func(x int64) (int64, bool) {
					off, ok := mulTicks(x, mul)
					if !ok {
						return 0, false
					}
					return addTicks(unixEpoch, off/div)
				}), nil
			}, nil
		}
		scale := float64(mul) / float64(div)
		return types.Datetime, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return floatToIntMap(types.Datetime, asType(a[0], types.Real), n, func(x float64) (int64, bool) {
				off := math.Round(x * scale)
				if !(math.Abs(off) <= float64(types.MaxDatetime)) {
					return 0, false
				}
				return addTicks(unixEpoch, int64(off))
			}), nil
		}, nil
	}}
}
