package builtin

import (
	"math"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// format_datetime and format_timespan render values with .NET-style custom
// format strings: runs of a format letter (yyyy, MM, dd, HH, hh, mm, ss,
// fffffff, FFF, tt, ...) are replaced by the value's parts; any other
// character, 'quoted' text and \-escaped characters are copied.
func init() {
	RegisterScalar(
		&Scalar{Name: "format_datetime", Bind: bindFormat("format_datetime", types.Datetime, "dfFhHmMsytzK", datetimeParts, appendDatetimePart)},
		&Scalar{Name: "format_timespan", Bind: bindFormat("format_timespan", types.Timespan, "dfFhHms", timespanParts, appendTimespanPart)},
	)
}

// fmtToken is a literal text or a run of n format letters.
type fmtToken struct {
	letter byte
	n      int
	lit    string
}

// compileFormat splits a format string into tokens; letters lists the
// format letters.
func compileFormat(s, letters string) []fmtToken {
	var toks []fmtToken
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, fmtToken{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case strings.IndexByte(letters, c) >= 0:
			j := i
			for j < len(s) && s[j] == c {
				j++
			}
			flush()
			toks = append(toks, fmtToken{letter: c, n: j - i})
			i = j
		case c == '\\' && i+1 < len(s):
			lit.WriteByte(s[i+1])
			i += 2
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				end = len(s) - i - 1
			}
			lit.WriteString(s[i+1 : i+1+end])
			i += end + 2
		case c == '%' && i+1 < len(s):
			i++
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	return toks
}

// valueParts are the parts of one datetime or timespan being formatted,
// computed once per value.
type valueParts struct {
	year, month, day, weekday int64 // datetimes
	days                      int64 // timespans: whole days
	clock                     int64 // ticks since midnight, or after the whole days
}

func datetimeParts(t int64) valueParts {
	d := dayNumber(t)
	y, m, day := civil(d)
	return valueParts{year: y, month: m, day: day, weekday: weekdayOf(d), clock: t - d*ticksPerDay}
}

// timespanParts splits a timespan of t >= 0 ticks.
func timespanParts(t int64) valueParts {
	return valueParts{days: t / ticksPerDay, clock: t % ticksPerDay}
}

// partAppender appends the text of one format token for a value.
type partAppender func(b []byte, tok fmtToken, p *valueParts) []byte

func bindFormat(name string, t types.Type, letters string, split func(int64) valueParts, part partAppender) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 || !isArgOf(args[0].Type, t) || !isArgOf(args[1].Type, types.String) {
			return 0, nil, ArgError(name, "expects a %s and a format string, got (%s)", t, typeList(args))
		}
		var fixed []fmtToken
		if c := args[1].Const; c != nil {
			fixed = compileFormat(c.S, letters)
		}
		return types.String, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			vals, formats := asType(a[0], t), asType(a[1], types.String)
			toks, last := fixed, ""
			out := vec.NewBuilder(types.String, n)
			var buf []byte
			var parts valueParts
			for i := 0; i < n; i++ {
				if vals.IsNull(i) {
					out.AppendString("")
					continue
				}
				if fixed == nil && (toks == nil || formats.Str(i) != last) {
					last = formats.Str(i)
					toks = compileFormat(last, letters)
				}
				buf = formatValue(buf[:0], toks, vals.Int(i), &parts, split, part, t == types.Timespan)
				out.AppendString(string(buf))
			}
			return out.Build(), nil
		}, nil
	}
}

// formatValue formats v. A negative timespan is formatted as its magnitude
// after a minus sign.
func formatValue(b []byte, toks []fmtToken, v int64, p *valueParts, split func(int64) valueParts, part partAppender, signed bool) []byte {
	if signed && v < 0 {
		b = append(b, '-')
		v = -v
		if v < 0 { // math.MinInt64
			v = math.MaxInt64
		}
	}
	*p = split(v)
	for _, tok := range toks {
		if tok.letter == 0 {
			b = append(b, tok.lit...)
			continue
		}
		b = part(b, tok, p)
	}
	return b
}

var (
	formatMonthNames = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	formatDayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// appendDatetimePart formats one token of a datetime.
func appendDatetimePart(b []byte, tok fmtToken, p *valueParts) []byte {
	y, mo, d := p.year, p.month, p.day
	h := p.clock / types.TicksPerHour
	n := tok.n
	switch tok.letter {
	case 'y':
		if n <= 2 {
			return appendPadded(b, y%100, n)
		}
		return appendPadded(b, y, n)
	case 'M':
		if n >= 3 {
			return appendName(b, formatMonthNames[mo-1], n)
		}
		return appendPadded(b, mo, n)
	case 'd':
		if n >= 3 {
			return appendName(b, formatDayNames[p.weekday], n)
		}
		return appendPadded(b, d, n)
	case 'h':
		h12 := h % 12
		if h12 == 0 {
			h12 = 12
		}
		return appendPadded(b, h12, min(n, 2))
	case 't':
		ampm := "AM"
		if h >= 12 {
			ampm = "PM"
		}
		return append(b, ampm[:min(n, 2)]...)
	case 'z':
		return append(b, [...]string{"+0", "+00", "+00:00"}[min(n, 3)-1]...)
	case 'K':
		return append(b, 'Z')
	}
	return appendClockPart(b, tok, p.clock)
}

// appendName appends a month or day name, abbreviated for three letters.
func appendName(b []byte, name string, n int) []byte {
	if n == 3 {
		return append(b, name[:3]...)
	}
	return append(b, name...)
}

// appendTimespanPart formats one token of a timespan of t >= 0 ticks.
func appendTimespanPart(b []byte, tok fmtToken, p *valueParts) []byte {
	if tok.letter == 'd' {
		return appendPadded(b, p.days, tok.n)
	}
	return appendClockPart(b, tok, p.clock)
}

// appendClockPart formats hours, minutes, seconds and fractions of a time
// of day given in ticks.
func appendClockPart(b []byte, tok fmtToken, tod int64) []byte {
	n := tok.n
	switch tok.letter {
	case 'H', 'h':
		return appendPadded(b, tod/types.TicksPerHour, min(n, 2))
	case 'm':
		return appendPadded(b, tod%types.TicksPerHour/types.TicksPerMinute, min(n, 2))
	case 's':
		return appendPadded(b, tod%types.TicksPerMinute/types.TicksPerSecond, min(n, 2))
	case 'f', 'F':
		return appendFraction(b, tod%types.TicksPerSecond, min(n, 7), tok.letter == 'F')
	}
	return b
}

// appendFraction appends the first n digits of a seconds fraction given in
// ticks. With trim (F), trailing zeros are dropped, and a zero fraction
// drops the '.' before it too, as .NET does.
func appendFraction(b []byte, frac int64, n int, trim bool) []byte {
	for range 7 - n {
		frac /= 10
	}
	if trim {
		for n > 0 && frac%10 == 0 {
			frac /= 10
			n--
		}
		if n == 0 {
			if len(b) > 0 && b[len(b)-1] == '.' {
				return b[:len(b)-1]
			}
			return b
		}
	}
	return appendPadded(b, frac, n)
}

// appendPadded appends x with at least width digits.
func appendPadded(b []byte, x int64, width int) []byte {
	digits := 1
	for v := x; v >= 10; v /= 10 {
		digits++
	}
	for ; digits < width; digits++ {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, x, 10)
}
