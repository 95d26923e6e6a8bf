package syntax

import "sort"

// Parse parses a KQL query: a sequence of statements separated by `;`.
// It never panics. On error it returns the (partial) script and a non-nil
// ErrorList sorted by position.
func Parse(src string) (*Script, error) {
	p := newParser(src)
	s := p.parseScript()
	return s, p.errs.Err()
}

// Tokens returns the tokens of src up to its end, without the final EOF
// token. Like the parser's lexer it never fails: text it cannot read
// becomes TokIllegal tokens. Editors use it to find where a name being
// typed starts and what precedes it.
func Tokens(src string) []Token {
	l := &lexer{src: src}
	var out []Token
	for {
		t := l.next()
		if t.Kind == TokEOF {
			return out
		}
		out = append(out, t)
	}
}

// OperatorNames returns the names of the tabular operators that may follow
// a pipe, sorted.
func OperatorNames() []string {
	names := make([]string, 0, len(operatorParsers))
	for n := range operatorParsers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
