package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/kql/types"
)

// Interval is the half-open range [Start, End) of TimeGenerated values a
// request's timespan admits, in datetime ticks.
type Interval struct {
	Start, End int64
}

// ParseTimespan parses the timespan of a query request: an ISO-8601
// duration ending at now ("PT2H", "P1D", "P7DT12H"), or an ISO-8601
// interval "start/end", "start/duration" or "duration/end". The end is
// inclusive, as in Kusto's `between`, so the interval returned ends one tick
// after it.
func ParseTimespan(s string, now time.Time) (Interval, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Interval{}, fmt.Errorf("the timespan is empty")
	}
	a, b, isInterval := strings.Cut(s, "/")
	if !isInterval {
		d, err := parseDuration(s)
		if err != nil {
			return Interval{}, err
		}
		end := types.TicksFromTime(now)
		return interval(end-d, end)
	}
	aDur, bDur := isDuration(a), isDuration(b)
	switch {
	case aDur && bDur:
		return Interval{}, fmt.Errorf("timespan %q has two durations; an interval needs a start or an end", s)
	case aDur:
		d, err := parseDuration(a)
		if err != nil {
			return Interval{}, err
		}
		end, err := parseInstant(b)
		if err != nil {
			return Interval{}, err
		}
		return interval(end-d, end)
	case bDur:
		start, err := parseInstant(a)
		if err != nil {
			return Interval{}, err
		}
		d, err := parseDuration(b)
		if err != nil {
			return Interval{}, err
		}
		return interval(start, start+d)
	}
	start, err := parseInstant(a)
	if err != nil {
		return Interval{}, err
	}
	end, err := parseInstant(b)
	if err != nil {
		return Interval{}, err
	}
	return interval(start, end)
}

func interval(start, end int64) (Interval, error) {
	if end < start {
		return Interval{}, fmt.Errorf("the timespan ends (%s) before it starts (%s)", types.FormatDatetime(end), types.FormatDatetime(start))
	}
	return Interval{Start: max(start, types.MinDatetime), End: min(end, types.MaxDatetime) + 1}, nil
}

func isDuration(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) > 0 && (s[0] == 'P' || s[0] == 'p')
}

func parseInstant(s string) (int64, error) {
	t, ok := types.ParseDatetime(strings.TrimSpace(s))
	if !ok {
		return 0, fmt.Errorf("%q is not an ISO-8601 date and time", s)
	}
	return t, nil
}

// dateUnits and timeUnits are the ticks of ISO-8601 duration designators. Years and
// months have no fixed length; they count 365 and 30 days, as .NET's
// XmlConvert.ToTimeSpan counts them.
var dateUnits = map[byte]int64{'Y': 365 * types.TicksPerDay, 'M': 30 * types.TicksPerDay, 'W': 7 * types.TicksPerDay, 'D': types.TicksPerDay}
var timeUnits = map[byte]int64{'H': types.TicksPerHour, 'M': types.TicksPerMinute, 'S': types.TicksPerSecond}

// parseDuration parses an ISO-8601 duration (PnYnMnWnDTnHnMnS, each part
// optional, fractions allowed) into ticks.
func parseDuration(s string) (int64, error) {
	orig := s
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := func(why string) (int64, error) {
		return 0, fmt.Errorf("%q is not an ISO-8601 duration such as PT2H or P1D: %s", orig, why)
	}
	if !strings.HasPrefix(s, "P") {
		return bad("it must start with P")
	}
	s = s[1:]
	var total float64
	units, parts, inTime := dateUnits, 0, false
	for s != "" {
		if s[0] == 'T' {
			if inTime {
				return bad("T appears twice")
			}
			inTime, units, s = true, timeUnits, s[1:]
			if s == "" {
				return bad("nothing follows T")
			}
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 || i == len(s) {
			return bad("expected a number followed by a designator")
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil {
			return bad(fmt.Sprintf("bad number %q", s[:i]))
		}
		unit, ok := units[s[i]]
		if !ok {
			return bad(fmt.Sprintf("unknown designator %q", s[i]))
		}
		total += n * float64(unit)
		parts++
		s = s[i+1:]
	}
	if parts == 0 {
		return bad("it has no parts")
	}
	if total > float64(types.MaxDatetime) {
		return bad("it is too long")
	}
	return int64(total + 0.5), nil
}
