package syntax

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexer turns query text into tokens. It never fails: unknown characters
// become Illegal tokens that the parser reports.
type lexer struct {
	src string
	pos int
}

func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentChar(c byte) bool { return isLetter(c) || isDigit(c) }

// identRuneAt reports the length of the identifier character at s[i], or 0.
// Non-ASCII letters, digits and marks belong to names; spaces such as
// U+00A0 separate them.
func identRuneAt(s string, i int, first bool) int {
	c := s[i]
	if c < utf8.RuneSelf {
		if isLetter(c) || !first && isDigit(c) {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsLetter(r) || unicode.IsMark(r) || !first && unicode.IsDigit(r) {
		return n
	}
	return 0
}

// spaceRuneAt reports the length of a non-ASCII space character at s[i], or 0.
func spaceRuneAt(s string, i int) int {
	if s[i] < utf8.RuneSelf {
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' {
		return n
	}
	return 0
}

// skipSpace skips whitespace and // comments and reports whether it skipped anything.
func (l *lexer) skipSpace() bool {
	start := l.pos
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '/':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case c >= utf8.RuneSelf && spaceRuneAt(l.src, l.pos) > 0:
			l.pos += spaceRuneAt(l.src, l.pos)
		default:
			return l.pos > start
		}
	}
	return l.pos > start
}

var puncts3 = []string{"!~", "!=", "<>", "<=", ">=", "==", "=~", "=>", ".."}

func (l *lexer) next() Token {
	space := l.skipSpace()
	start := l.pos
	tok := Token{Start: start, Space: space || start == 0}
	if l.pos >= len(l.src) {
		tok.Kind = TokEOF
		tok.End = l.pos
		return tok
	}
	c := l.src[l.pos]
	switch {
	case c == '\'' || c == '"' || c == '`' && strings.HasPrefix(l.src[l.pos:], "```") ||
		c == '~' && strings.HasPrefix(l.src[l.pos:], "~~~"):
		tok.Kind = l.stringParts()
	case c == '@' && l.pos+1 < len(l.src) && (l.src[l.pos+1] == '\'' || l.src[l.pos+1] == '"'):
		tok.Kind = l.stringParts()
	case (c == 'h' || c == 'H') && l.obfuscatedStart():
		tok.Kind = l.stringParts()
	case isDigit(c) || c == '.' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]) && !l.afterOperand():
		tok.Kind = l.number()
	case identRuneAt(l.src, l.pos, true) > 0:
		l.pos += identRuneAt(l.src, l.pos, true)
		for l.pos < len(l.src) {
			n := identRuneAt(l.src, l.pos, false)
			if n == 0 {
				break
			}
			l.pos += n
		}
		tok.Kind = TokIdent
	default:
		tok.Kind = TokPunct
		l.pos++
		for _, p := range puncts3 {
			if strings.HasPrefix(l.src[start:], p) {
				l.pos = start + len(p)
				break
			}
		}
		if !strings.ContainsRune("|()[]{},;.:=<>+-*/%!?@$~&^#\\", rune(c)) {
			tok.Kind = TokIllegal
			// Consume a whole UTF-8 sequence so errors show the real character.
			for l.pos < len(l.src) && l.src[l.pos]&0xC0 == 0x80 {
				l.pos++
			}
		}
	}
	tok.End = l.pos
	tok.Text = l.src[start:l.pos]
	return tok
}

// afterOperand reports whether the byte before the current position ends
// an operand, so that a following `.` is member access (`a.0b`), not the
// start of a number (`.5`).
func (l *lexer) afterOperand() bool {
	if l.pos == 0 {
		return false
	}
	c := l.src[l.pos-1]
	return isIdentChar(c) || c == ')' || c == ']' || c >= utf8.RuneSelf
}

func (l *lexer) obfuscatedStart() bool {
	rest := l.src[l.pos+1:]
	return strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "\"") ||
		strings.HasPrefix(rest, "@'") || strings.HasPrefix(rest, "@\"") ||
		strings.HasPrefix(rest, "```")
}

// stringParts lexes one string literal and any string literals that follow
// it, separated only by whitespace or comments: Kusto concatenates them.
func (l *lexer) stringParts() Kind {
	kind := l.stringPart()
	for kind == TokString {
		save := l.pos
		l.skipSpace()
		if !l.atStringStart() {
			l.pos = save
			break
		}
		kind = l.stringPart()
	}
	return kind
}

func (l *lexer) atStringStart() bool {
	if l.pos >= len(l.src) {
		return false
	}
	c := l.src[l.pos]
	switch {
	case c == '\'' || c == '"':
		return true
	case c == '`':
		return strings.HasPrefix(l.src[l.pos:], "```")
	case c == '~':
		return strings.HasPrefix(l.src[l.pos:], "~~~")
	case c == '@':
		return l.pos+1 < len(l.src) && (l.src[l.pos+1] == '\'' || l.src[l.pos+1] == '"')
	case c == 'h' || c == 'H':
		return l.obfuscatedStart()
	}
	return false
}

// stringPart lexes a single literal; it returns Illegal when unterminated.
func (l *lexer) stringPart() Kind {
	if c := l.src[l.pos]; c == 'h' || c == 'H' {
		l.pos++
	}
	verbatim := false
	if l.src[l.pos] == '@' {
		verbatim = true
		l.pos++
	}
	for _, fence := range []string{"```", "~~~"} {
		if strings.HasPrefix(l.src[l.pos:], fence) {
			end := strings.Index(l.src[l.pos+3:], fence)
			if end < 0 {
				l.pos = len(l.src)
				return TokIllegal
			}
			l.pos += 3 + end + 3
			return TokString
		}
	}
	quote := l.src[l.pos]
	l.pos++
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\n':
			return TokIllegal
		case c == '\\' && !verbatim:
			l.pos += 2
			continue
		case c == quote:
			if verbatim && l.pos+1 < len(l.src) && l.src[l.pos+1] == quote {
				l.pos += 2
				continue
			}
			l.pos++
			return TokString
		}
		l.pos++
	}
	l.pos = len(l.src)
	return TokIllegal
}

// number lexes an integer, real or hexadecimal literal, or a timespan
// literal when a unit suffix follows the digits directly.
func (l *lexer) number() Kind {
	s := l.src
	start := l.pos
	if strings.HasPrefix(s[l.pos:], "0x") || strings.HasPrefix(s[l.pos:], "0X") {
		l.pos += 2
		for l.pos < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[l.pos]) >= 0 {
			l.pos++
		}
		return TokNumber
	}
	for l.pos < len(s) && isDigit(s[l.pos]) {
		l.pos++
	}
	if l.pos+1 < len(s) && s[l.pos] == '.' && isDigit(s[l.pos+1]) ||
		l.pos < len(s) && s[l.pos] == '.' && (l.pos+1 == len(s) || !isLetter(s[l.pos+1]) && s[l.pos+1] != '.') {
		l.pos++
		for l.pos < len(s) && isDigit(s[l.pos]) {
			l.pos++
		}
	}
	if l.pos < len(s) && (s[l.pos] == 'e' || s[l.pos] == 'E') {
		j := l.pos + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			l.pos = j
			for l.pos < len(s) && isDigit(s[l.pos]) {
				l.pos++
			}
		}
	}
	if l.pos < len(s) && isLetter(s[l.pos]) {
		j := l.pos
		for j < len(s) && isIdentChar(s[j]) {
			j++
		}
		if _, ok := TimespanUnits[strings.ToLower(s[l.pos:j])]; ok {
			l.pos = j
			return TokTimespan
		}
		// Digits glued to letters that are no timespan unit form a name,
		// such as the column `5h_MovingAvg`; `1.5abc` is no literal.
		l.pos = j
		if isDigit(s[start]) && !strings.ContainsAny(s[start:l.pos], ".") {
			return TokIdent
		}
		return TokIllegal
	}
	return TokNumber
}

// TimespanUnits maps each timespan literal suffix to its length in 100 ns ticks.
var TimespanUnits = map[string]int64{
	"d": 864e9, "day": 864e9, "days": 864e9,
	"h": 36e9, "hr": 36e9, "hrs": 36e9, "hour": 36e9, "hours": 36e9,
	"m": 6e8, "min": 6e8, "minute": 6e8, "minutes": 6e8,
	"s": 1e7, "sec": 1e7, "second": 1e7, "seconds": 1e7,
	"ms": 1e4, "milli": 1e4, "millis": 1e4, "millisecond": 1e4, "milliseconds": 1e4,
	"microsecond": 10, "microseconds": 10,
	"tick": 1, "ticks": 1,
}
