package syntax

import (
	"strings"
	"unicode/utf8"
)

// StringValue decodes the text of a string literal token, which may be
// several adjacent literals (`'a' "b"`), verbatim (`@'a\b'`), obfuscated
// (`h'secret'`) or multi-line (```` ```text``` ````), into its value.
func StringValue(text string) string {
	var b strings.Builder
	l := lexer{src: text}
	for {
		l.skipSpace()
		if l.pos >= len(text) {
			break
		}
		start := l.pos
		if l.stringPart() != TokString {
			b.WriteString(text[start:])
			break
		}
		b.WriteString(decodePart(text[start:l.pos]))
	}
	return b.String()
}

func decodePart(s string) string {
	if s[0] == 'h' || s[0] == 'H' {
		s = s[1:]
	}
	verbatim := false
	if s[0] == '@' {
		verbatim = true
		s = s[1:]
	}
	if strings.HasPrefix(s, "```") || strings.HasPrefix(s, "~~~") {
		return s[3 : len(s)-3]
	}
	quote := s[0]
	body := s[1 : len(s)-1]
	if verbatim {
		return strings.ReplaceAll(body, string(quote)+string(quote), string(quote))
	}
	return unescape(body)
}

// unescape decodes backslash escapes as Kusto does: \n \t \r \\ \' \" and
// \uXXXX; an unknown escape keeps the character after the backslash.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'u':
			if i+4 < len(s) {
				if r, ok := hexRune(s[i+1 : i+5]); ok {
					b.WriteRune(r)
					i += 4
					continue
				}
			}
			b.WriteByte('u')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func hexRune(h string) (rune, bool) {
	var r rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			r = r*16 + c - '0'
		case c >= 'a' && c <= 'f':
			r = r*16 + c - 'a' + 10
		case c >= 'A' && c <= 'F':
			r = r*16 + c - 'A' + 10
		default:
			return 0, false
		}
	}
	return r, utf8.ValidRune(r)
}

// QuoteString returns a KQL string literal for s.
func QuoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		if r == utf8.RuneError {
			// Keep bytes that are not UTF-8 as they are, so that the
			// literal decodes to the same string.
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				b.WriteByte(s[i])
				continue
			}
		}
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
