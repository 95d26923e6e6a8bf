package syntax

import (
	"fmt"
	"strings"
)

// maxDepth bounds expression nesting so that hostile input cannot exhaust
// the stack.
const maxDepth = 400

// bailout unwinds the parser to the enclosing statement after an error.
type bailout struct{}

// parser is a recursive-descent parser over tokens produced on demand.
// On the first error in a statement it records the error, skips to the next
// `;` and goes on, so one parse reports one error per broken statement.
type parser struct {
	src     string
	lx      lexer
	buf     []Token // lookahead: buf[head:] are the next tokens
	head    int
	prevEnd int // end offset of the last consumed token
	errs    ErrorList
	depth   int
	search  bool // in a search predicate, where `Col:"term"` means has
}

func newParser(src string) *parser {
	return &parser{src: src, lx: lexer{src: src}}
}

// peekp returns a pointer to lookahead token i, valid until the next
// advance or peek.
func (p *parser) peekp(i int) *Token {
	for len(p.buf)-p.head <= i {
		p.buf = append(p.buf, p.lx.next())
	}
	return &p.buf[p.head+i]
}

func (p *parser) peek(i int) Token { return *p.peekp(i) }

func (p *parser) tok() Token { return *p.peekp(0) }

func (p *parser) advance() Token {
	t := *p.peekp(0)
	p.head++
	if p.head == len(p.buf) {
		p.buf, p.head = p.buf[:0], 0
	}
	p.prevEnd = t.End
	return t
}

// resetTo discards lookahead and restarts lexing at offset.
func (p *parser) resetTo(offset int) {
	p.buf, p.head = p.buf[:0], 0
	p.lx.pos = offset
	p.prevEnd = offset
}

// at reports whether the current token is the punctuation or word text.
func (p *parser) at(text string) bool { return p.peekp(0).is(text) }

func (p *parser) atIdent() bool { return p.tok().Kind == TokIdent }

// atWord reports whether the current token is the keyword (case-sensitive).
func (p *parser) atWord(w string) bool {
	t := p.tok()
	return t.Kind == TokIdent && t.Text == w
}

func (p *parser) accept(text string) bool {
	if p.at(text) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) expect(text string) Token {
	if !p.at(text) {
		p.errorExpected("'" + text + "'")
	}
	return p.advance()
}

func (p *parser) expectWord(w string) Token {
	if !p.atWord(w) {
		p.errorExpected("'" + w + "'")
	}
	return p.advance()
}

// errorAt records an error at offset and unwinds to the statement.
func (p *parser) errorAt(offset int, format string, args ...any) {
	e := &Error{Pos: PositionOf(p.src, offset), Span: Span{offset, offset}, Msg: fmt.Sprintf(format, args...)}
	p.errs = append(p.errs, e)
	panic(bailout{})
}

func (p *parser) errorExpected(what string) {
	t := p.tok()
	if t.Kind == TokIllegal {
		p.errorAt(t.Start, "%s", illegalMessage(t))
	}
	p.errorAt(t.Start, "expected %s, found %s", what, t.describe())
}

func illegalMessage(t Token) string {
	switch {
	case strings.HasPrefix(t.Text, "'") || strings.HasPrefix(t.Text, "\"") ||
		strings.HasPrefix(t.Text, "@") || strings.HasPrefix(t.Text, "h") || strings.HasPrefix(t.Text, "H") ||
		strings.HasPrefix(t.Text, "```"):
		return "unterminated string literal"
	case t.Text != "" && isDigit(t.Text[0]):
		return fmt.Sprintf("malformed number or timespan %q", t.Text)
	}
	return fmt.Sprintf("unexpected character %q", t.Text)
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.tok().Start, "query is nested too deeply")
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) span(start int) Span { return Span{start, p.prevEnd} }

// ---- statements

func (p *parser) parseScript() *Script {
	s := &Script{}
	for {
		for p.accept(";") {
		}
		if p.tok().Kind == TokEOF {
			break
		}
		if st := p.parseStmtRecover(); st != nil {
			s.Stmts = append(s.Stmts, st)
		}
		if p.tok().Kind == TokEOF {
			break
		}
		if !p.at(";") {
			p.recordExpected("';' between statements")
			p.skipStatement()
		}
	}
	s.Span = Span{0, len(p.src)}
	p.errs.sort()
	return s
}

// recordExpected records an "expected" error without unwinding.
func (p *parser) recordExpected(what string) {
	func() {
		defer func() { _ = recover() }()
		p.errorExpected(what)
	}()
}

func (p *parser) parseStmtRecover() (st Stmt) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			st = nil
			p.depth = 0
			p.search = false
			p.skipStatement()
		}
	}()
	return p.parseStmt()
}

// skipStatement skips tokens up to the next `;` outside brackets.
func (p *parser) skipStatement() {
	depth := 0
	for {
		t := p.tok()
		switch {
		case t.Kind == TokEOF:
			return
		case t.Kind == TokPunct && (t.Text == "(" || t.Text == "[" || t.Text == "{"):
			depth++
		case t.Kind == TokPunct && (t.Text == ")" || t.Text == "]" || t.Text == "}"):
			if depth > 0 {
				depth--
			}
		case t.Kind == TokPunct && t.Text == ";" && depth == 0:
			return
		}
		p.advance()
	}
}

func (p *parser) parseStmt() Stmt {
	t := p.tok()
	if t.Kind == TokIdent {
		switch t.Text {
		case "let":
			return p.parseLet()
		case "set":
			if p.peek(1).Kind == TokIdent {
				return p.parseSet()
			}
		case "declare":
			if n := p.peek(1); n.is("query_parameters") || n.is("pattern") {
				return p.parseDeclare()
			}
		case "alias":
			if p.peek(1).is("database") {
				return p.parseAlias()
			}
		case "restrict":
			if p.peek(1).is("access") {
				return p.parseRestrict()
			}
		}
	}
	start := t.Start
	x := p.parsePipe()
	return &ExprStmt{Span: p.span(start), X: x}
}

func (p *parser) parseLet() *LetStmt {
	start := p.advance().Start
	name := p.parseName()
	p.expect("=")
	var v Expr
	if p.atFuncLit() {
		v = p.parseFuncLit()
	} else {
		v = p.parsePipe()
	}
	return &LetStmt{Span: p.span(start), Name: name, Value: v}
}

// atFuncLit reports whether a function or view literal starts here:
// `view (`, `()` followed by `{`, or `(Name:`.
func (p *parser) atFuncLit() bool {
	if p.atWord("view") && p.peek(1).is("(") {
		return true
	}
	if !p.at("(") {
		return false
	}
	if p.peek(1).is(")") {
		return p.peek(2).is("{")
	}
	return (p.peek(1).Kind == TokIdent || p.peek(1).is("[")) && p.peek(2).is(":") ||
		p.peek(1).is("[") && p.peek(2).Kind == TokString && p.peek(3).is("]") && p.peek(4).is(":")
}

func (p *parser) parseFuncLit() *FuncLit {
	start := p.tok().Start
	f := &FuncLit{}
	if p.atWord("view") {
		p.advance()
		f.View = true
	}
	f.Params = p.parseParamList("(", ")")
	p.expect("{")
	f.Body = p.parseBody()
	p.expect("}")
	f.Span = p.span(start)
	return f
}

// parseBody parses the statements of a function body up to `}`.
func (p *parser) parseBody() []Stmt {
	var stmts []Stmt
	for {
		for p.accept(";") {
		}
		if p.at("}") || p.tok().Kind == TokEOF {
			break
		}
		stmts = append(stmts, p.parseStmt())
		if !p.at(";") {
			break
		}
	}
	if len(stmts) == 0 {
		p.errorExpected("an expression in the function body")
	}
	return stmts
}

// parseParamList parses `open Name:Type [= Default], ... close`.
func (p *parser) parseParamList(open, close string) []*Param {
	p.expect(open)
	var params []*Param
	if p.at(close) {
		p.expect(close)
		return params
	}
	// After a comma another parameter must follow: `(a:long,)` is an
	// error, as it is in Kusto.
	for {
		params = append(params, p.parseParam())
		if !p.accept(",") {
			break
		}
	}
	p.expect(close)
	return params
}

func (p *parser) parseParam() *Param {
	start := p.tok().Start
	prm := &Param{Name: p.parseName()}
	p.expect(":")
	prm.Type = p.parseTypeRef()
	if p.accept("=") {
		prm.Default = p.parseExpr()
	}
	prm.Span = p.span(start)
	return prm
}

// parseTypeRef parses a scalar type name or a tabular schema `(...)`.
func (p *parser) parseTypeRef() *TypeRef {
	start := p.tok().Start
	if p.at("(") {
		t := &TypeRef{Tabular: true, Columns: p.parseSchema()}
		t.Span = p.span(start)
		return t
	}
	if !p.atIdent() {
		p.errorExpected("a type name")
	}
	name := p.advance().Text
	if !IsScalarType(name) {
		p.errorAt(start, "unknown type %q", name)
	}
	return &TypeRef{Span: p.span(start), Scalar: name}
}

// parseSchema parses `(Name:Type, ..., *)`.
func (p *parser) parseSchema() []*ColumnDecl {
	p.expect("(")
	var cols []*ColumnDecl
	for !p.at(")") {
		cols = append(cols, p.parseColumnDecl(true))
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	return cols
}

func (p *parser) parseColumnDecl(allowStar bool) *ColumnDecl {
	start := p.tok().Start
	if allowStar && p.at("*") {
		p.advance()
		return &ColumnDecl{Span: p.span(start), Name: &Ident{Span: p.span(start), Name: "*"}}
	}
	c := &ColumnDecl{Name: p.parseName()}
	p.expect(":")
	c.Type = p.parseTypeRef()
	c.Span = p.span(start)
	return c
}

var scalarTypes = map[string]bool{
	"bool": true, "boolean": true, "int": true, "int32": true, "long": true, "int64": true,
	"real": true, "double": true, "decimal": true, "datetime": true, "date": true,
	"timespan": true, "time": true, "guid": true, "uniqueid": true, "string": true, "dynamic": true,
}

// IsScalarType reports whether name is a KQL scalar type name or alias.
func IsScalarType(name string) bool { return scalarTypes[strings.ToLower(name)] }

func (p *parser) parseSet() *SetStmt {
	start := p.advance().Start
	s := &SetStmt{Name: p.parseDottedName()}
	if p.accept("=") {
		s.Value = p.parseExpr()
	}
	s.Span = p.span(start)
	return s
}

func (p *parser) parseDottedName() string {
	if !p.atIdent() {
		p.errorExpected("a name")
	}
	name := p.advance().Text
	for p.at(".") && !p.tok().Space && p.peek(1).Kind == TokIdent && !p.peek(1).Space {
		p.advance()
		name += "." + p.advance().Text
	}
	return name
}

func (p *parser) parseDeclare() Stmt {
	start := p.advance().Start
	if p.atWord("pattern") {
		p.advance()
		st := &PatternStmt{Name: p.parseName()}
		bodyStart := p.tok().Start
		if p.at("=") {
			p.advance()
			p.skipBalancedUntilSemicolon()
			st.Body = strings.TrimSpace(p.src[bodyStart:p.prevEnd])
		}
		st.Span = p.span(start)
		return st
	}
	p.advance() // query_parameters
	st := &DeclareParamsStmt{Params: p.parseParamList("(", ")")}
	st.Span = p.span(start)
	return st
}

// skipBalancedUntilSemicolon consumes tokens until a `;` outside brackets
// that is not inside a `{...}` block.
func (p *parser) skipBalancedUntilSemicolon() {
	depth := 0
	for {
		t := p.tok()
		if t.Kind == TokEOF || t.Kind == TokIllegal {
			if depth > 0 || t.Kind == TokIllegal {
				p.errorExpected("end of pattern body")
			}
			return
		}
		if t.Kind == TokPunct {
			switch t.Text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
				if depth < 0 {
					p.errorExpected("';'")
				}
			case ";":
				if depth == 0 {
					return
				}
			}
		}
		p.advance()
	}
}

func (p *parser) parseAlias() *AliasStmt {
	start := p.advance().Start
	p.advance() // database
	a := &AliasStmt{Name: p.parseName()}
	p.expect("=")
	a.Value = p.parseExpr()
	a.Span = p.span(start)
	return a
}

func (p *parser) parseRestrict() *RestrictStmt {
	start := p.advance().Start
	p.expectWord("access")
	p.expectWord("to")
	p.expect("(")
	r := &RestrictStmt{}
	for !p.at(")") {
		r.Entities = append(r.Entities, p.parseNameOrPatternExpr())
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	r.Span = p.span(start)
	return r
}

// parseName parses an identifier or a bracketed name `['a b']`.
func (p *parser) parseName() *Ident {
	t := p.tok()
	switch {
	case t.Kind == TokIdent:
		p.advance()
		return &Ident{Span: Span{t.Start, t.End}, Name: t.Text}
	case t.is("[") && p.peek(1).Kind == TokString && p.peek(2).is("]"):
		p.advance()
		s := p.advance()
		p.advance()
		return &Ident{Span: p.span(t.Start), Name: StringValue(s.Text), Bracketed: true}
	case t.is("$") && p.peek(1).Kind == TokIdent && !p.peek(1).Space:
		p.advance()
		n := p.advance()
		return &Ident{Span: p.span(t.Start), Name: "$" + n.Text}
	}
	p.errorExpected("a name")
	return nil
}

func (p *parser) atName() bool {
	t := p.tok()
	return t.Kind == TokIdent || t.is("[") && p.peek(1).Kind == TokString && p.peek(2).is("]") ||
		t.is("$") && p.peek(1).Kind == TokIdent && !p.peek(1).Space
}

// nameTokens reports how many tokens the name at lookahead i spans (0 if none).
func (p *parser) nameTokens(i int) int {
	t := p.peek(i)
	switch {
	case t.Kind == TokIdent:
		return 1
	case t.is("[") && p.peek(i+1).Kind == TokString && p.peek(i+2).is("]"):
		return 3
	}
	return 0
}
