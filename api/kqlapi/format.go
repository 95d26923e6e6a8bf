package kqlapi

import (
	"strings"

	"github.com/idlogs/idlogs/kql/syntax"
)

// Format lays out every query of text for reading with the parser's own
// formatter (syntax.Format: one pipeline operator per line), keeping the
// blank lines between queries. A query that does not parse, or that has
// comments (which the syntax tree does not keep), only gets each top-level
// pipe at the start of a line, its text otherwise untouched.
func Format(text string) string {
	var b strings.Builder
	last := 0
	for _, bl := range Blocks(text) {
		src := text[bl.Start:bl.End]
		body := strings.TrimRight(src, " \t\r\n")
		b.WriteString(text[last:bl.Start])
		b.WriteString(formatQuery(body))
		b.WriteString(src[len(body):])
		last = bl.End
	}
	b.WriteString(text[last:])
	return b.String()
}

func formatQuery(src string) string {
	toks := syntax.Tokens(src)
	if script, err := syntax.Parse(src); err == nil && !hasComment(src, toks) {
		out := strings.TrimRight(syntax.Format(script), "\n")
		// Statements on consecutive lines: a blank line would split the
		// query in two for the editor.
		for strings.Contains(out, "\n\n") {
			out = strings.ReplaceAll(out, "\n\n", "\n")
		}
		return out
	}
	return breakPipes(src, toks)
}

// hasComment reports whether src has a comment: text between its tokens
// other than white space.
func hasComment(src string, toks []syntax.Token) bool {
	prev := 0
	for _, t := range toks {
		if strings.TrimSpace(src[prev:t.Start]) != "" {
			return true
		}
		prev = t.End
	}
	return strings.TrimSpace(src[prev:]) != ""
}

// breakPipes starts a line at every pipe outside brackets, replacing the
// white space before and after it.
func breakPipes(src string, toks []syntax.Token) string {
	var b strings.Builder
	depth, prev := 0, 0
	for i, t := range toks {
		if t.Kind == syntax.TokPunct {
			switch t.Text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
		}
		if t.Kind != syntax.TokPunct || t.Text != "|" || depth != 0 || i == 0 {
			continue
		}
		before := strings.TrimRight(src[prev:t.Start], " \t")
		if strings.HasSuffix(before, "\n") || strings.TrimSpace(before) == "" && prev > 0 && strings.HasSuffix(src[:prev], "\n") {
			continue // already at the start of a line
		}
		b.WriteString(strings.TrimRight(src[prev:t.Start], " \t\r\n"))
		b.WriteString("\n| ")
		prev = t.End
		for prev < len(src) && (src[prev] == ' ' || src[prev] == '\t') {
			prev++
		}
	}
	b.WriteString(src[prev:])
	return b.String()
}
