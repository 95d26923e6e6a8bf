package builtin

import "github.com/idlogs/idlogs/kql/types"

// Calendar arithmetic on datetime ticks (100 ns since 0001-01-01, proleptic
// Gregorian, UTC), done on day numbers without time.Time so that the
// per-row date functions stay cheap.

const (
	ticksPerDay  = types.TicksPerDay
	ticksPerWeek = 7 * types.TicksPerDay
)

// floorDiv returns x/y rounded towards negative infinity; y > 0.
func floorDiv(x, y int64) int64 {
	q := x / y
	if x%y < 0 {
		q--
	}
	return q
}

// floorMod returns x - floorDiv(x, y)*y; y > 0.
func floorMod(x, y int64) int64 {
	r := x % y
	if r < 0 {
		r += y
	}
	return r
}

// validDatetime reports whether ticks is within 0001-01-01..9999-12-31.
func validDatetime(ticks int64) bool { return ticks >= types.MinDatetime && ticks <= types.MaxDatetime }

// dayNumber returns the day of ticks, counted from 0001-01-01 (day 0).
func dayNumber(ticks int64) int64 { return floorDiv(ticks, ticksPerDay) }

// civil returns the year, month (1-12) and day (1-31) of day number d.
func civil(d int64) (y, m, day int64) {
	z := d + 306 // days since 0000-03-01
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
		y++
	}
	return y, m, day
}

// daysFromCivil returns the day number of year y, month m, day d.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 306
}

func isLeapYear(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysInMonth returns the number of days of month m of year y.
func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if isLeapYear(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// weekdayOf returns the day of the week of day number d, 0 for Sunday.
// Day 0, 0001-01-01, was a Monday.
func weekdayOf(d int64) int64 { return floorMod(d+1, 7) }

// isoWeek returns the ISO 8601 week number of day number d: weeks start on
// Monday and week 1 is the one holding the year's first Thursday.
func isoWeek(d int64) int64 {
	mondayBased := floorMod(d, 7) // 0 for Monday
	thursday := d - mondayBased + 3
	y, _, _ := civil(thursday)
	return (thursday-daysFromCivil(y, 1, 1))/7 + 1
}

// addMonths adds k months to ticks as .NET's DateTime.AddMonths does: the
// day is clamped to the target month's length and the time of day kept.
func addMonths(ticks, k int64) (int64, bool) {
	const maxMonths = 10000 * 12
	if k > maxMonths || k < -maxMonths {
		return 0, false
	}
	d := dayNumber(ticks)
	y, m, day := civil(d)
	total := y*12 + m - 1 + k
	y2, m2 := floorDiv(total, 12), floorMod(total, 12)+1
	day = min(day, daysInMonth(y2, m2))
	r := daysFromCivil(y2, m2, day)*ticksPerDay + (ticks - d*ticksPerDay)
	return r, validDatetime(r)
}

// monthStart returns the start of the month k months after the one
// holding ticks; it may fall outside the datetime range.
func monthStart(ticks, k int64) (int64, bool) {
	const maxMonths = 10000 * 12
	if k > maxMonths || k < -maxMonths {
		return 0, false
	}
	y, m, _ := civil(dayNumber(ticks))
	total := y*12 + m - 1 + k
	return daysFromCivil(floorDiv(total, 12), floorMod(total, 12)+1, 1) * ticksPerDay, true
}

// yearStart returns the start of the year k years after the one holding
// ticks; it may fall outside the datetime range.
func yearStart(ticks, k int64) (int64, bool) {
	if k > 10000 || k < -10000 {
		return 0, false
	}
	y, _, _ := civil(dayNumber(ticks))
	return daysFromCivil(y+k, 1, 1) * ticksPerDay, true
}

// mulTicks returns k*unit, or false on overflow.
func mulTicks(k, unit int64) (int64, bool) {
	if unit == 0 {
		return 0, true
	}
	r := k * unit
	if r/unit != k {
		return 0, false
	}
	return r, true
}

// addTicks returns a+b as a datetime, or false when outside the range.
func addTicks(a, b int64) (int64, bool) {
	r := a + b
	if (b > 0 && r < a) || (b < 0 && r > a) {
		return 0, false
	}
	return r, validDatetime(r)
}
