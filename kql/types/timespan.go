package types

import (
	"math"
	"strconv"
	"strings"
)

// FormatTimespan formats ticks as Kusto does: [-][d.]hh:mm:ss[.fffffff].
func FormatTimespan(ticks int64) string {
	var b strings.Builder
	if ticks < 0 {
		b.WriteByte('-')
		if ticks == math.MinInt64 {
			ticks++ // avoid overflow; off by one tick at the extreme
		}
		ticks = -ticks
	}
	days := ticks / TicksPerDay
	rem := ticks % TicksPerDay
	if days > 0 {
		b.WriteString(strconv.FormatInt(days, 10))
		b.WriteByte('.')
	}
	h := rem / TicksPerHour
	m := rem % TicksPerHour / TicksPerMinute
	s := rem % TicksPerMinute / TicksPerSecond
	frac := rem % TicksPerSecond
	b.WriteString(pad2(h))
	b.WriteByte(':')
	b.WriteString(pad2(m))
	b.WriteByte(':')
	b.WriteString(pad2(s))
	if frac != 0 {
		b.WriteByte('.')
		b.WriteString(strconv.FormatInt(frac+TicksPerSecond, 10)[1:])
	}
	return b.String()
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// timespanUnits maps literal suffixes to ticks (kept in step with the
// lexer's list in kql/syntax).
var timespanUnits = map[string]int64{
	"d": TicksPerDay, "day": TicksPerDay, "days": TicksPerDay,
	"h": TicksPerHour, "hr": TicksPerHour, "hrs": TicksPerHour, "hour": TicksPerHour, "hours": TicksPerHour,
	"m": TicksPerMinute, "min": TicksPerMinute, "minute": TicksPerMinute, "minutes": TicksPerMinute,
	"s": TicksPerSecond, "sec": TicksPerSecond, "second": TicksPerSecond, "seconds": TicksPerSecond,
	"ms": TicksPerMillisecond, "milli": TicksPerMillisecond, "millis": TicksPerMillisecond,
	"millisecond": TicksPerMillisecond, "milliseconds": TicksPerMillisecond,
	"microsecond": 10, "microseconds": 10, "tick": 1, "ticks": 1,
}

// ParseTimespan parses a timespan literal (`1d`, `1.5h`, `-30m`, `100ms`),
// the clock form `[-][d.]hh:mm[:ss[.fffffff]]`, or a bare number of days.
func ParseTimespan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, strings.TrimSpace(s[1:])
	} else if strings.HasPrefix(s, "+") {
		s = strings.TrimSpace(s[1:])
	}
	t, ok := parseUnsignedTimespan(s)
	if neg {
		t = -t
	}
	return t, ok
}

func parseUnsignedTimespan(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ":") {
		return parseClock(s)
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.ToLower(s[i:])
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	per := TicksPerDay
	if unit != "" {
		u, ok := timespanUnits[unit]
		if !ok {
			return 0, false
		}
		per = u
	}
	if !strings.Contains(num, ".") {
		n, err := strconv.ParseInt(num, 10, 64)
		if err == nil && (n == 0 || n <= math.MaxInt64/per) {
			return n * per, true
		}
	}
	return int64(math.Round(f * float64(per))), true
}

// parseClock parses [d.]hh:mm[:ss[.fffffff]].
func parseClock(s string) (int64, bool) {
	var days int64
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	head := parts[0]
	if dot := strings.IndexByte(head, '.'); dot >= 0 {
		d, err := strconv.ParseInt(head[:dot], 10, 64)
		if err != nil {
			return 0, false
		}
		days, head = d, head[dot+1:]
	}
	h, err1 := strconv.ParseInt(head, 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	t := days*TicksPerDay + h*TicksPerHour + m*TicksPerMinute
	if len(parts) == 3 {
		sec := parts[2]
		frac := ""
		if dot := strings.IndexByte(sec, '.'); dot >= 0 {
			sec, frac = sec[:dot], sec[dot+1:]
		}
		sv, err := strconv.ParseInt(sec, 10, 64)
		if err != nil {
			return 0, false
		}
		t += sv * TicksPerSecond
		if frac != "" {
			if len(frac) > 7 {
				frac = frac[:7]
			}
			fv, err := strconv.ParseInt(frac+strings.Repeat("0", 7-len(frac)), 10, 64)
			if err != nil {
				return 0, false
			}
			t += fv
		}
	}
	return t, true
}
