package syntax

// Kind classifies a token.
type Kind uint8

// Token kinds. Punctuation tokens carry their text in Token.Text.
const (
	TokEOF      Kind = iota
	TokIdent         // name, keyword or operator word such as `where` or `has`
	TokNumber        // 12, 1.5, 1e3, 0x1F
	TokTimespan      // 1d, 1.5h, 10ms, 3tick
	TokString        // 'a', "a", @'a', h'a', ```a```; adjacent parts are one token
	TokPunct         // | ( ) [ ] { } , ; . : = == != <> < <= > >= + - * / % ! =~ !~ => .. ? @ $
	TokIllegal
)

// Token is one lexical token. Start and End are byte offsets in the source.
// Space reports whether whitespace or a comment precedes the token, which
// matters for names like `project-away` and `$left`.
type Token struct {
	Kind  Kind
	Text  string
	Start int
	End   int
	Space bool
}

func (t Token) is(text string) bool {
	return (t.Kind == TokPunct || t.Kind == TokIdent) && t.Text == text
}

func (t Token) describe() string {
	switch t.Kind {
	case TokEOF:
		return "end of query"
	case TokString:
		return "string literal"
	case TokNumber, TokTimespan:
		return "'" + t.Text + "'"
	}
	return "'" + t.Text + "'"
}
