package types

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Tick counts: KQL datetimes and timespans have 100 ns resolution.
const (
	TicksPerMicrosecond int64 = 10
	TicksPerMillisecond int64 = 10_000
	TicksPerSecond      int64 = 10_000_000
	TicksPerMinute      int64 = 60 * TicksPerSecond
	TicksPerHour        int64 = 60 * TicksPerMinute
	TicksPerDay         int64 = 24 * TicksPerHour
)

// unixEpochTicks is 1970-01-01 in ticks since 0001-01-01.
const unixEpochTicks int64 = 621355968000000000

// MinDatetime and MaxDatetime bound the datetime range (0001-01-01 to
// 9999-12-31 23:59:59.9999999).
const (
	MinDatetime int64 = 0
	MaxDatetime int64 = 3155378975999999999
)

// TicksFromTime converts a time.Time to datetime ticks.
func TicksFromTime(t time.Time) int64 {
	t = t.UTC()
	secs := t.Unix()
	return unixEpochTicks + secs*TicksPerSecond + int64(t.Nanosecond())/100
}

// TimeFromTicks converts datetime ticks to a UTC time.Time.
func TimeFromTicks(ticks int64) time.Time {
	rel := ticks - unixEpochTicks
	secs := rel / TicksPerSecond
	rem := rel % TicksPerSecond
	if rem < 0 {
		rem += TicksPerSecond
		secs--
	}
	return time.Unix(secs, rem*100).UTC()
}

// FormatDatetime formats ticks as ISO 8601 UTC with 7 fractional digits
// trimmed of trailing zeros: 2017-01-01T10:00:00Z, 2017-01-01T10:00:00.5Z.
func FormatDatetime(ticks int64) string {
	t := TimeFromTicks(ticks)
	s := t.Format("2006-01-02T15:04:05")
	if frac := ticks % TicksPerSecond; frac != 0 {
		if frac < 0 {
			frac += TicksPerSecond
		}
		f := strconv.FormatInt(frac+TicksPerSecond, 10)[1:]
		s += "." + strings.TrimRight(f, "0")
	}
	return s + "Z"
}

// FormatDatetimeFull formats ticks with all seven fractional digits, as
// Kusto writes datetimes inside dynamic values: 2017-01-01T00:00:00.0000000Z.
func FormatDatetimeFull(ticks int64) string {
	frac := ticks % TicksPerSecond
	if frac < 0 {
		frac += TicksPerSecond
	}
	return TimeFromTicks(ticks).Format("2006-01-02T15:04:05") + "." + strconv.FormatInt(frac+TicksPerSecond, 10)[1:] + "Z"
}

var datetimeLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z",
	"2006-01-02T15:04",
	"2006-01-02 15:04Z",
	"2006-01-02 15:04",
	"2006-01-02T15Z",
	"2006-01-02T15",
	"2006-01-02 15",
	"2006-01-02Z",
	"2006-01-02",
	"2006-01",
	"2006-1-2",
	"2006-1-2 15:04:05.999999999",
	"2006-1-2 15:04",
	"20060102",
	"20060102T150405",
	"20060102 15:04",
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 MST",
	"Monday, 02-Jan-06 15:04:05 MST",
	"Mon, 02-Jan-06 15:04:05 MST",
	"01-02-2006",
	"01-02-2006 15:04:05",
	"01/02/2006 15:04:05",
	"01/02/2006 15:04",
	"01/02/2006",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006",
}

// ParseDatetime parses the datetime forms Kusto accepts in datetime(...)
// literals and todatetime(): ISO 8601 (with T or space, optional fraction
// and zone), RFC 822/1123 and RFC 850. Zone-less text is UTC.
//
// Inside datetime(...) literals Kusto also accepts the text quoted
// (`datetime("2015-12-14")`) and with spaces around the date's dashes
// (`datetime(2017 - 08 - 01)`); both are normalised here.
func ParseDatetime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if strings.Contains(s, " - ") {
		s = strings.ReplaceAll(s, " - ", "-")
	}
	if s == "" {
		return 0, false
	}
	for _, layout := range datetimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return TicksFromTime(t), true
		}
	}
	// Fractions longer than Go's layouts accept, or lower-case 'z'.
	if u := strings.ToUpper(s); u != s {
		return ParseDatetime(u)
	}
	return 0, false
}

// ParseDatetimeParts parses the numeric form of a datetime literal,
// `datetime(2025, 6, 14)` or `datetime(2025, 6, 14, 8, 30, 15.5)`: year,
// month and day, then optional hour, minute and (fractional) second, with
// make_datetime's meaning.
func ParseDatetimeParts(s string) (int64, bool) {
	fields := strings.Split(s, ",")
	if len(fields) < 3 || len(fields) > 6 {
		return 0, false
	}
	var n [6]float64
	for i, f := range fields {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || (i < 5 && v != float64(int64(v))) {
			return 0, false
		}
		n[i] = v
	}
	y, mo, d, h, mi := int(n[0]), int(n[1]), int(n[2]), int(n[3]), int(n[4])
	if y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || n[5] < 0 || n[5] >= 60 {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, false
	}
	return TicksFromTime(t) + int64(math.Round(n[5]*1e7)), true
}
