// Package workbook handles Azure Monitor workbook query templates: queries
// with parameter tokens such as {TimeRange} or {User:escape} that a
// workbook replaces before the query runs.
package workbook

import (
	"regexp"
	"strings"
)

// workbookToken matches an Azure Monitor workbook parameter token, {Name} or
// {Name:format}: {TimeRange}, {TimeRange:start}, {User:escape}, {Apps:value}.
var workbookToken = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}`)

// leadingWorkbookToken matches a workbook parameter token at the start of
// the text.
var leadingWorkbookToken = regexp.MustCompile(`^` + workbookToken.String())

// Stub replaces the workbook parameter tokens in the query
// template q by the stand-ins the conformance corpus used to compute
// official_parse_ok_with_param_stubs (shared/conformance/README.md, section
// 3). Tokens inside string literals become x; other tokens become the
// stand-in of tokenStub. Comments are copied unchanged.
func Stub(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); {
		end := i + 1
		switch {
		case strings.HasPrefix(q[i:], "//"):
			end = lineEnd(q, i)
			b.WriteString(q[i:end])
		case q[i] == '"' || q[i] == '\'' || q[i] == '`':
			end = stringEnd(q, i)
			b.WriteString(workbookToken.ReplaceAllLiteralString(q[i:end], "x"))
		case q[i] == '{' && leadingWorkbookToken.MatchString(q[i:]):
			m := leadingWorkbookToken.FindStringSubmatch(q[i:])
			end = i + len(m[0])
			b.WriteString(tokenStub(m[1], m[2]))
		default:
			b.WriteByte(q[i])
		}
		i = end
	}
	return b.String()
}

// tokenStub returns the stand-in for a token outside string literals.
//
// The README names {TimeRange} as the token that becomes `> ago(1d)`. The
// corpus shows the rule covers time-range parameters more widely: queries
// with `where TimeGenerated {TimeRange:value}`, `{TimeRange:query}`,
// `{pTimeRange:value}` or `{time}` are marked as parsing with stubs, while
// one with `{Time:value}` is not. Names ending in TimeRange (any case) and the
// name time, with no format or the value or query format, fit every record.
func tokenStub(name, format string) string {
	switch {
	case format == "start" || format == "end":
		return "datetime(2024-01-01)"
	case format == "grain":
		return "1h"
	case isTimeRangeParam(name) && (format == "" || format == "value" || format == "query"):
		return "> ago(1d)"
	}
	return `"x"`
}

func isTimeRangeParam(name string) bool {
	return name == "time" || strings.HasSuffix(strings.ToLower(name), "timerange")
}

func lineEnd(q string, i int) int {
	if n := strings.IndexByte(q[i:], '\n'); n >= 0 {
		return i + n
	}
	return len(q)
}

// stringEnd returns the offset just past the string literal that starts at
// q[i]: a ```multi-line``` string, a verbatim @"..." string (a quote is
// doubled, backslashes are plain) or a regular string with backslash
// escapes. A regular or verbatim string that is not closed ends at the end
// of its line. A lone backquote is a literal of length one.
func stringEnd(q string, i int) int {
	quote := q[i]
	if quote == '`' {
		return multilineStringEnd(q, i)
	}
	verbatim := i > 0 && q[i-1] == '@'
	for j := i + 1; j < len(q); j++ {
		switch c := q[j]; {
		case c == '\n':
			return j
		case c == '\\' && !verbatim:
			j++
		case c == quote && verbatim && j+1 < len(q) && q[j+1] == quote:
			j++
		case c == quote:
			return j + 1
		}
	}
	return len(q)
}

func multilineStringEnd(q string, i int) int {
	const fence = "```"
	if !strings.HasPrefix(q[i:], fence) {
		return i + 1
	}
	if n := strings.Index(q[i+len(fence):], fence); n >= 0 {
		return i + 2*len(fence) + n
	}
	return len(q)
}
