package query

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/syntax"
)

// SyntaxError is the envelope of a query that does not parse:
// BadArgumentError → SyntaxError → SYN0002 with line, pos and token, as
// Kusto reports it. Kusto's line is 1-based and its pos 0-based, in the
// message too: a recorded response to "completely invalid syntax" says
// "Query could not be parsed at 'invalid' on line [1,11]" with pos 11. The
// parser's own message, with its 1-based line:col and what was expected,
// is the first detail of the outer error.
func SyntaxError(src string, list syntax.ErrorList) *apierror.Error {
	e := list[0]
	tok := tokenAt(src, e)
	pos := e.Pos.Column - 1
	inner := &apierror.Error{Code: "SYN0002",
		Message: fmt.Sprintf("Query could not be parsed at '%s' on line [%d,%d]", tok, e.Pos.Line, pos),
		Line:    e.Pos.Line, Pos: pos, Token: tok}
	out := apierror.New(400, "BadArgumentError", "The request had some invalid properties").
		Inner(apierror.New(400, "SyntaxError", "A recognition error occurred in the query.").Inner(inner))
	out.Details = details("SYN0002", list)
	return out
}

// SemanticError is the envelope of a query that parses but does not bind:
// BadArgumentError → SemanticError → SEM0100 naming the name that did not
// resolve. Other binding errors (wrong types, bad arguments) stop at
// SemanticError with the checker's message.
func SemanticError(list syntax.ErrorList) *apierror.Error {
	e := list[0]
	sem := apierror.New(400, "SemanticError", "A semantic error occurred.")
	if name, kind, ok := unresolved(e.Msg); ok {
		sem.Inner(apierror.New(400, "SEM0100", "Failed to resolve %s expression named '%s' (%s)", kind, name, e.Error()))
	} else {
		sem.Message = "A semantic error occurred: " + e.Error()
	}
	out := apierror.New(400, "BadArgumentError", "The request had some invalid properties").Inner(sem)
	out.Details = details("SemanticError", list)
	return out
}

// unresolved recognises the checker's messages for names that do not
// resolve ("unknown table 'X'", "unknown column 'X'", "unknown function
// 'f'") and returns the name and Kusto's word for what it was.
func unresolved(msg string) (name, kind string, ok bool) {
	if !strings.HasPrefix(msg, "unknown ") {
		return "", "", false
	}
	_, rest, found := strings.Cut(msg, "'")
	if !found {
		return "", "", false
	}
	name, _, found = strings.Cut(rest, "'")
	if !found {
		return "", "", false
	}
	kind = "table or column"
	if strings.Contains(msg, "function") || strings.Contains(msg, "plugin") {
		kind = "scalar"
	}
	return name, kind, true
}

// details lists every error of list with its line:col (1-based, as the
// message says; the line and pos fields are Kusto's, pos 0-based).
func details(code string, list syntax.ErrorList) []*apierror.Error {
	var out []*apierror.Error
	for _, e := range list {
		out = append(out, &apierror.Error{Code: code, Message: e.Error(), Line: e.Pos.Line, Pos: e.Pos.Column - 1})
	}
	return out
}

// tokenAt returns the text an error points at: its span, or the word at
// its position, or <EOF> at the end of the query.
func tokenAt(src string, e *syntax.Error) string {
	if e.Span.Start >= 0 && e.Span.End > e.Span.Start && e.Span.End <= len(src) && e.Span.End-e.Span.Start <= 64 {
		return src[e.Span.Start:e.Span.End]
	}
	off := e.Pos.Offset
	for off < len(src) && (src[off] == ' ' || src[off] == '\t') {
		off++
	}
	if off >= len(src) {
		return "<EOF>"
	}
	end := off
	for end < len(src) && !unicode.IsSpace(rune(src[end])) {
		end++
		if !isWordByte(src[off]) {
			break // one punctuation character
		}
		if end < len(src) && !isWordByte(src[end]) {
			break
		}
	}
	return src[off:end]
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}
