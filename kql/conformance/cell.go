package conformance

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/idlogs/idlogs/kql/types"
)

// Cell matching follows shared/conformance/README.md, "How cell values
// are written": the expected cell is the text the docs show, parsed by the
// type of the value it is compared with.
//
//   - An empty cell matches null of any type and the empty string. The
//     word null matches null of any type but string (older pages print it).
//   - bool: true/false in any case, or 1/0.
//   - int, long: the integer, optionally with thousands separators.
//   - real, decimal: within a relative tolerance of 1e-6 (absolute 1e-9
//     near zero), or equal after rounding to the digits the docs show
//     (0.33 matches 0.3333); ∞, -∞, Infinity and NaN as such.
//   - datetime, timespan: parsed in any of the docs' styles and equal to
//     the tick, or after truncating or rounding to the fraction digits the
//     docs show.
//   - guid: case-insensitive.
//   - string: exact, apart from white space around the value; a value
//     spread over several lines also matches with its white space runs
//     folded to one space, as a markdown table cell can't hold a newline.
//   - dynamic: both sides as JSON, property order ignored, typed scalars
//     inside (datetimes, timespans, guids) compared by value; a cell that
//     is not JSON is compared with a dynamic string as plain text.
//
// A cell with "..." or "…" in it was shortened by the doc's author: it
// matches when the pieces around the ellipses appear in order in the
// value's text, ignoring white space.

// matchCell reports whether the doc cell want shows the value got.
func matchCell(want string, got types.Value) bool {
	if got.IsNull() {
		return want == "" || (want == "null" && got.Type != types.String)
	}
	if matchValue(want, got) {
		return true
	}
	return hasEllipsis(want) && matchElided(want, got.String())
}

func matchValue(want string, got types.Value) bool {
	switch got.Type {
	case types.Bool:
		return matchBool(want, got.I != 0)
	case types.Int, types.Long:
		return matchInt(want, got.I)
	case types.Real, types.Decimal:
		return matchReal(want, got.F)
	case types.Datetime:
		return matchDatetime(want, got.I)
	case types.Timespan:
		return matchTimespan(want, got.I)
	case types.Guid:
		return strings.EqualFold(strings.Trim(want, "{}"), got.S)
	case types.String:
		return matchString(want, got.S)
	case types.Dynamic:
		return matchDynamic(want, got.D)
	}
	return want == got.String()
}

func matchString(want, got string) bool {
	if want == got || want == strings.TrimSpace(got) {
		return true
	}
	return strings.Contains(got, "\n") && !strings.Contains(want, "\n") &&
		foldSpace(want) == foldSpace(got)
}

// foldSpace trims s and replaces each run of white space by one space.
func foldSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func matchBool(want string, got bool) bool {
	switch strings.ToLower(want) {
	case "true", "1":
		return got
	case "false", "0":
		return !got
	}
	return false
}

// thousands matches an integer written with thousands separators.
var thousands = regexp.MustCompile(`^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$`)

// numberText removes thousands separators from want.
func numberText(want string) string {
	if thousands.MatchString(want) {
		return strings.ReplaceAll(want, ",", "")
	}
	return want
}

func matchInt(want string, got int64) bool {
	want = strings.TrimPrefix(numberText(want), "+")
	if i, err := strconv.ParseInt(want, 10, 64); err == nil {
		return i == got
	}
	f, err := strconv.ParseFloat(want, 64)
	return err == nil && f == float64(got)
}

func matchReal(want string, got float64) bool {
	want = numberText(want)
	w, ok := parseReal(want)
	if !ok {
		return false
	}
	switch {
	case math.IsNaN(w) || math.IsNaN(got):
		return math.IsNaN(w) && math.IsNaN(got)
	case math.IsInf(w, 0) || math.IsInf(got, 0):
		return w == got
	case closeReals(w, got):
		return true
	}
	return math.Abs(w-got) <= shownHalfUnit(want)*(1+1e-9)
}

// parseReal parses a doc number, including ∞, -∞, Infinity and NaN.
func parseReal(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case "∞", "+∞", "infinity", "+infinity", "inf":
		return math.Inf(1), true
	case "-∞", "-infinity", "-inf":
		return math.Inf(-1), true
	case "nan":
		return math.NaN(), true
	}
	f, err := strconv.ParseFloat(strings.TrimPrefix(s, "+"), 64)
	return f, err == nil
}

// closeReals reports whether a and b agree to a relative 1e-6, or an
// absolute 1e-9 near zero.
func closeReals(a, b float64) bool {
	d := math.Abs(a - b)
	return d <= 1e-9 || d <= 1e-6*math.Max(math.Abs(a), math.Abs(b))
}

// shownHalfUnit returns half a unit of the last digit written in the
// number s (0.005 for 0.33, 5e-7 for 1.5E-05), or 0 when s shows no
// fraction digits: the docs round reals, but an integer-looking real is
// taken as exact.
func shownHalfUnit(s string) float64 {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return 0
		}
		mant, exp = s[:i], e
	}
	dot := strings.IndexByte(mant, '.')
	if dot < 0 {
		return 0
	}
	digits := len(mant) - dot - 1
	return 0.5 * math.Pow(10, float64(exp-digits))
}

func matchDatetime(want string, got int64) bool {
	w, ok := types.ParseDatetime(want)
	return ok && withinShownFraction(want, w, got)
}

func matchTimespan(want string, got int64) bool {
	w, ok := types.ParseTimespan(want)
	return ok && withinShownFraction(want, w, got)
}

// withinShownFraction reports whether the ticks w parsed from the text
// want equal got, or got truncated or rounded to the second-fraction
// digits want shows (a doc showing .123 for .1234567).
func withinShownFraction(want string, w, got int64) bool {
	if w == got {
		return true
	}
	frac := secondFraction(want)
	if frac == 0 || frac >= 7 {
		return false
	}
	unit := int64(math.Pow10(7 - frac))
	return floorTo(got, unit) == w || floorTo(got+unit/2, unit) == w
}

// floorTo rounds x down to a multiple of unit.
func floorTo(x, unit int64) int64 {
	m := x % unit
	if m < 0 {
		m += unit
	}
	return x - m
}

// secondFraction returns the number of digits after the seconds of a
// clock time in s (hh:mm:ss.fff gives 3), or 0 when there are none.
func secondFraction(s string) int {
	c := strings.LastIndexByte(s, ':')
	if c < 0 {
		return 0
	}
	dot := strings.IndexByte(s[c:], '.')
	if dot < 0 {
		return 0
	}
	n := 0
	for _, r := range s[c+dot+1:] {
		if !unicode.IsDigit(r) {
			break
		}
		n++
	}
	return n
}

func hasEllipsis(s string) bool {
	return strings.Contains(s, "...") || strings.Contains(s, "…")
}

var ellipsis = regexp.MustCompile(`\.{3,}|…`)

// matchElided reports whether the text pieces of want around its
// ellipses appear in order in got, white space ignored; the first piece
// must start got and the last must end it.
func matchElided(want, got string) bool {
	pieces := ellipsis.Split(stripSpace(want), -1)
	got = stripSpace(got)
	if !strings.HasPrefix(got, pieces[0]) {
		return false
	}
	rest := got[len(pieces[0]):]
	last := pieces[len(pieces)-1]
	for _, p := range pieces[1 : len(pieces)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(rest, last)
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
