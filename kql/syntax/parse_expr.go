package syntax

import "strings"

// parsePipe parses an expression that may be followed by `| operator`s.
func (p *parser) parsePipe() Expr {
	start := p.tok().Start
	x := p.parseExpr()
	for p.at("|") {
		p.advance()
		op := p.parseOperator()
		x = &Pipe{Span: p.span(start), Source: x, Op: op}
	}
	return x
}

// parseExpr parses a scalar expression (or a table reference); it stops at `|`.
func (p *parser) parseExpr() Expr {
	p.enter()
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseOr() Expr {
	start := p.tok().Start
	x := p.parseAnd()
	for p.atWord("or") {
		p.advance()
		y := p.parseAnd()
		x = &Binary{Span: p.span(start), Op: "or", L: x, R: y}
	}
	return x
}

func (p *parser) parseAnd() Expr {
	start := p.tok().Start
	x := p.parseCompare()
	for p.atWord("and") {
		p.advance()
		y := p.parseCompare()
		x = &Binary{Span: p.span(start), Op: "and", L: x, R: y}
	}
	return x
}

// stringOps are the word operators that compare strings. The negated forms
// are written with a leading `!` and are derived.
var stringOps = map[string]bool{
	"has": true, "has_cs": true, "hasprefix": true, "hasprefix_cs": true,
	"hassuffix": true, "hassuffix_cs": true, "contains": true, "contains_cs": true,
	"startswith": true, "startswith_cs": true, "endswith": true, "endswith_cs": true,
	"like": true, "like_cs": true,
	// Deprecated spellings still found in older queries.
	"containscs": true, "notcontains": true, "notcontainscs": true, "notlike": true, "notlikecs": true,
	"likecs": true, "nothas": true,
}

var symbolCompareOps = map[string]bool{
	"==": true, "!=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true, "=~": true, "!~": true,
}

// compareOp reports the comparison operator at the current position and
// how many tokens it spans, or "" if there is none.
func (p *parser) compareOp() (string, int) {
	t := p.tok()
	switch t.Kind {
	case TokPunct:
		if symbolCompareOps[t.Text] {
			return t.Text, 1
		}
		if t.Text == ":" && p.search {
			return ":", 1
		}
		if t.Text == "!" {
			n := p.peek(1)
			if n.Kind != TokIdent || n.Space {
				return "", 0
			}
			if stringOps[n.Text] || n.Text == "between" || n.Text == "has_any" || n.Text == "has_all" {
				return "!" + n.Text, 2
			}
			if n.Text == "in" {
				if m := p.peek(2); m.is("~") && !m.Space {
					return "!in~", 3
				}
				return "!in", 2
			}
		}
	case TokIdent:
		switch {
		case stringOps[t.Text], t.Text == "between", t.Text == "has_any", t.Text == "has_all":
			return t.Text, 1
		case t.Text == "in":
			if m := p.peek(1); m.is("~") && !m.Space {
				return "in~", 2
			}
			return "in", 1
		case t.Text == "matches" && p.peek(1).is("regex"):
			return "matches regex", 2
		}
	}
	return "", 0
}

func (p *parser) parseCompare() Expr {
	start := p.tok().Start
	x := p.parseAdd()
	for {
		op, n := p.compareOp()
		if op == "" {
			return x
		}
		for i := 0; i < n; i++ {
			p.advance()
		}
		switch op {
		case "between", "!between":
			x = p.parseBetween(start, op == "!between", x)
		case "in", "!in", "in~", "!in~", "has_any", "has_all", "!has_any", "!has_all":
			list := p.parseExprList()
			x = &ListExpr{Span: p.span(start), Op: op, X: x, List: list}
		default:
			y := p.parseAdd()
			x = &Binary{Span: p.span(start), Op: op, L: x, R: y}
		}
	}
}

// parseExprList parses `(Expr, ...)`, where each element may be tabular.
func (p *parser) parseExprList() []Expr {
	p.expect("(")
	var list []Expr
	for !p.at(")") {
		list = append(list, p.parsePipe())
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	return list
}

func (p *parser) parseBetween(start int, not bool, x Expr) Expr {
	p.expect("(")
	lo := p.parseExpr()
	p.expect("..")
	hi := p.parseExpr()
	p.expect(")")
	return &Between{Span: p.span(start), Not: not, X: x, Lo: lo, Hi: hi}
}

func (p *parser) parseAdd() Expr {
	start := p.tok().Start
	x := p.parseMul()
	for p.at("+") || p.at("-") {
		op := p.advance().Text
		y := p.parseMul()
		x = &Binary{Span: p.span(start), Op: op, L: x, R: y}
	}
	return x
}

func (p *parser) parseMul() Expr {
	start := p.tok().Start
	x := p.parseUnary()
	for p.at("*") || p.at("/") || p.at("%") {
		op := p.advance().Text
		y := p.parseUnary()
		x = &Binary{Span: p.span(start), Op: op, L: x, R: y}
	}
	return x
}

func (p *parser) parseUnary() Expr {
	if p.at("-") || p.at("+") {
		p.enter()
		defer p.leave()
		t := p.advance()
		x := p.parsePostfix() // Kusto allows no sign directly after a sign
		return &Unary{Span: p.span(t.Start), Op: t.Text, X: x}
	}
	return p.parsePostfix()
}

func (p *parser) parsePostfix() Expr {
	start := p.tok().Start
	x := p.parsePrimary()
	for {
		switch {
		case p.at(".") && !hasMembers(x):
			return x
		case p.at(".") && p.peek(1).is("[") && p.nameTokens(1) == 3:
			// d.['name'] and d.["name"]
			p.advance()
			name := p.parseName()
			x = &Member{Span: p.span(start), X: x, Name: name}
		case p.at(".") && p.peek(1).is("["):
			// d.[expr] is d[expr]
			p.advance()
			p.advance()
			idx := p.parseExpr()
			p.expect("]")
			x = &Index{Span: p.span(start), X: x, Index: idx}
		case p.at(".") && p.peek(1).is("*") && !p.peek(1).Space:
			// database("x").* and database("x").*Suffix
			p.advance()
			pat, ok := p.tryPattern().(*Pattern)
			if !ok {
				p.errorExpected("a name after '.'")
			}
			x = &Member{Span: p.span(start), X: x, Name: &Ident{Span: pat.Span, Name: pat.Text}}
		case p.at("."):
			p.advance()
			t := p.tok()
			if t.Kind != TokIdent {
				p.errorExpected("a name after '.'")
			}
			if pat, ok := p.tryPattern().(*Pattern); ok {
				x = &Member{Span: p.span(start), X: x, Name: &Ident{Span: pat.Span, Name: pat.Text}}
				continue
			}
			p.advance()
			x = &Member{Span: p.span(start), X: x, Name: &Ident{Span: Span{t.Start, t.End}, Name: t.Text}}
		case p.at("[") && !p.atBracketName():
			p.advance()
			idx := p.parseExpr()
			p.expect("]")
			x = &Index{Span: p.span(start), X: x, Index: idx}
		case p.at("[") && p.atBracketName():
			// x['name'] is an index with a string key.
			p.advance()
			s := p.advance()
			p.advance()
			lit := &Literal{Span: Span{s.Start, s.End}, Kind: LitString, Text: s.Text}
			x = &Index{Span: p.span(start), X: x, Index: lit}
		case p.at("(") && isCallable(x):
			args := p.parseArgs()
			x = &Call{Span: p.span(start), Fun: x, Args: args}
		default:
			return x
		}
	}
}

func (p *parser) atBracketName() bool {
	return p.at("[") && p.peek(1).Kind == TokString && p.peek(2).is("]")
}

// hasMembers reports whether `.name` may follow x.
func hasMembers(x Expr) bool {
	_, isLit := x.(*Literal)
	return !isLit
}

func isCallable(x Expr) bool {
	switch x.(type) {
	case *Ident, *Member:
		return true
	}
	return false
}

// parseArgs parses `(arg, name = arg, *, ...)`.
func (p *parser) parseArgs() []Expr {
	p.expect("(")
	var args []Expr
	for !p.at(")") {
		args = append(args, p.parseArg())
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	return args
}

func (p *parser) parseArg() Expr {
	start := p.tok().Start
	if p.at("*") && (p.peek(1).is(",") || p.peek(1).is(")")) {
		p.advance()
		return &Star{Span: p.span(start)}
	}
	if n := p.nameTokens(0); n > 0 && p.peek(n).is("=") {
		name := p.parseName()
		p.advance()
		v := p.parsePipe()
		return &NamedArg{Span: p.span(start), Name: name, Value: v}
	}
	return p.parsePipe()
}

// typedLiteral maps the keywords of typed literals `kw(...)` to their kind.
var typedLiteral = map[string]LitKind{
	"bool": LitBool, "boolean": LitBool, "int": LitInt, "int32": LitInt, "long": LitLong, "int64": LitLong,
	"real": LitReal, "double": LitReal, "decimal": LitDecimal,
	"datetime": LitDatetime, "date": LitDatetime, "timespan": LitTimespan, "time": LitTimespan,
	"guid": LitGuid, "uniqueid": LitGuid,
}

func (p *parser) parsePrimary() Expr {
	t := p.tok()
	switch t.Kind {
	case TokNumber:
		p.advance()
		return &Literal{Span: Span{t.Start, t.End}, Kind: numberKind(t.Text), Text: t.Text}
	case TokTimespan:
		p.advance()
		return &Literal{Span: Span{t.Start, t.End}, Kind: LitTimespan, Text: t.Text}
	case TokString:
		p.advance()
		return &Literal{Span: Span{t.Start, t.End}, Kind: LitString, Text: t.Text}
	case TokIdent:
		return p.parseIdentPrimary()
	case TokPunct:
		switch t.Text {
		case "(":
			p.enter()
			defer p.leave()
			p.advance()
			x := p.parsePipe()
			p.expect(")")
			return &Paren{Span: p.span(t.Start), X: x}
		case "[", "$":
			if p.atName() {
				return p.parseName()
			}
		case "*":
			p.advance()
			return &Star{Span: p.span(t.Start)}
		case "{":
			if cp := p.tryClientParam(); cp != nil {
				return cp
			}
		}
	}
	p.errorExpected("an expression")
	return nil
}

// tryClientParam parses `{Name}` or `{Name:format}`.
func (p *parser) tryClientParam() Expr {
	t := p.tok()
	if p.peek(1).Kind != TokIdent || p.peek(1).Space {
		return nil
	}
	n := 2
	if p.peek(2).is(":") && p.peek(3).Kind == TokIdent {
		n = 4
	}
	if !p.peek(n).is("}") {
		return nil
	}
	for i := 0; i <= n; i++ {
		p.advance()
	}
	return &ClientParam{Span: p.span(t.Start), Text: p.src[t.Start:p.prevEnd]}
}

func numberKind(text string) LitKind {
	if strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0X") {
		return LitLong
	}
	if strings.ContainsAny(text, ".eE") {
		return LitReal
	}
	return LitLong
}

func (p *parser) parseIdentPrimary() Expr {
	t := p.tok()
	next := p.peek(1)
	switch t.Text {
	case "true", "false", "True", "False", "TRUE", "FALSE":
		p.advance()
		return &Literal{Span: Span{t.Start, t.End}, Kind: LitBool, Text: t.Text}
	case "dynamic":
		if next.is("(") {
			return p.parseDynamicLit()
		}
	case "entity_group":
		if next.is("[") {
			p.advance()
			g := &EntityGroup{Entities: p.parseDelimitedExprs("[", "]")}
			g.Span = p.span(t.Start)
			return g
		}
	case "typeof":
		if next.is("(") {
			p.advance()
			tr := p.parseTypeOfBody()
			return &TypeOf{Span: p.span(t.Start), Type: tr}
		}
	}
	if kind, ok := typedLiteral[t.Text]; ok && next.is("(") {
		return p.parseTypedLiteral(kind)
	}
	if p.atSourceOperator() {
		start := t.Start
		op := p.parseSourceOperator()
		return &SourceOp{Span: p.span(start), Op: op}
	}
	p.advance()
	return &Ident{Span: Span{t.Start, t.End}, Name: t.Text}
}

// parseTypeOfBody parses `(type)` or `(Col:type, ..., *)` after typeof.
func (p *parser) parseTypeOfBody() *TypeRef {
	start := p.tok().Start
	if p.peek(1).Kind == TokIdent && p.peek(2).is(")") && IsScalarType(p.peek(1).Text) {
		p.advance()
		name := p.advance().Text
		p.advance()
		return &TypeRef{Span: p.span(start), Scalar: name}
	}
	cols := p.parseSchema()
	return &TypeRef{Span: p.span(start), Tabular: true, Columns: cols}
}

// parseTypedLiteral parses `kind(text)`, where the text between the
// parentheses is taken as written and checked for its kind.
func (p *parser) parseTypedLiteral(kind LitKind) Expr {
	t := p.advance()
	open := p.advance()
	depth := 1
	i := open.End
	for i < len(p.src) && depth > 0 {
		switch p.src[i] {
		case '(':
			depth++
		case ')':
			depth--
		case '\n', ';', '|':
			depth = -1
		}
		if depth > 0 {
			i++
		}
	}
	if depth != 0 {
		p.resetTo(open.End)
		p.errorAt(open.End, "expected ')' to close the %s literal", t.Text)
	}
	content := strings.TrimSpace(p.src[open.End:i])
	if msg := checkTypedLiteral(kind, content); msg != "" {
		p.errorAt(open.End, "%s", msg)
	}
	p.resetTo(i + 1)
	return &Literal{Span: Span{t.Start, i + 1}, Kind: kind, Text: p.src[t.Start : i+1]}
}

func checkTypedLiteral(kind LitKind, content string) string {
	if content == "" {
		return "expected a value in the " + kind.String() + " literal"
	}
	if content == "null" {
		return ""
	}
	switch kind {
	case LitBool:
		switch strings.ToLower(content) {
		case "true", "false", "0", "1":
			return ""
		}
		return "expected true or false in the bool literal"
	case LitInt, LitLong, LitReal, LitDecimal:
		if isNumericText(content) || kind == LitReal || kind == LitDecimal {
			if isNumericText(content) || isSpecialReal(content) {
				return ""
			}
		}
		return "expected a number in the " + kind.String() + " literal"
	case LitGuid:
		for _, c := range content {
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-') {
				return "malformed guid literal"
			}
		}
	}
	return ""
}

func isSpecialReal(s string) bool {
	switch strings.ToLower(s) {
	case "nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity":
		return true
	}
	return false
}

func isNumericText(s string) bool {
	s = strings.TrimLeft(s, "+-")
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	l := lexer{src: s}
	t := l.next()
	return t.Kind == TokNumber && t.End == len(s)
}

// parseDynamicLit parses `dynamic(value)` with JSON-like values inside.
func (p *parser) parseDynamicLit() Expr {
	start := p.advance().Start
	p.expect("(")
	var v Expr
	if p.atWord("null") {
		p.advance()
	} else {
		v = p.parseJSONValue()
	}
	p.expect(")")
	return &DynamicLit{Span: p.span(start), Value: v}
}

func (p *parser) parseJSONValue() Expr {
	p.enter()
	defer p.leave()
	t := p.tok()
	switch {
	case t.is("["):
		p.advance()
		a := &ArrayLit{}
		for !p.at("]") {
			a.Elems = append(a.Elems, p.parseJSONValue())
			if !p.accept(",") {
				break
			}
		}
		p.expect("]")
		a.Span = p.span(t.Start)
		return a
	case t.is("{") && p.peek(1).Kind == TokIdent && p.tryClientParam() != nil:
		return &ClientParam{Span: p.span(t.Start), Text: p.src[t.Start:p.prevEnd]}
	case t.is("{"):
		p.advance()
		b := &BagLit{}
		for !p.at("}") {
			if p.tok().Kind != TokString {
				p.errorExpected("a quoted property name")
			}
			b.Keys = append(b.Keys, StringValue(p.advance().Text))
			p.expect(":")
			b.Values = append(b.Values, p.parseJSONValue())
			if !p.accept(",") {
				break
			}
		}
		p.expect("}")
		b.Span = p.span(t.Start)
		return b
	case t.is("null"):
		p.advance()
		return &Literal{Span: Span{t.Start, t.End}, Kind: LitNull, Text: "null"}
	case t.is("-") || t.is("+"):
		p.advance()
		n := p.tok()
		if n.Kind != TokNumber && n.Kind != TokTimespan {
			p.errorExpected("a number")
		}
		x := p.parsePrimary()
		return &Unary{Span: p.span(t.Start), Op: t.Text, X: x}
	case t.Kind == TokNumber || t.Kind == TokTimespan || t.Kind == TokString:
		return p.parsePrimary()
	case t.Kind == TokIdent:
		if _, ok := typedLiteral[t.Text]; ok && p.peek(1).is("(") {
			return p.parsePrimary()
		}
		if t.Text == "dynamic" && p.peek(1).is("(") {
			return p.parseDynamicLit()
		}
		switch t.Text {
		case "true", "false", "True", "False", "TRUE", "FALSE":
			return p.parsePrimary()
		}
	}
	p.errorExpected("a JSON value")
	return nil
}
