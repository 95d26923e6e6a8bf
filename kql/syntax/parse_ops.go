package syntax

import "strings"

// atSourceOperator reports whether an operator that can start a pipeline
// begins at the current identifier. Names such as `range` and `print` are
// also ordinary identifiers and functions, so the next token decides.
func (p *parser) atSourceOperator() bool {
	t, n := p.tok(), p.peek(1)
	switch t.Text {
	case "print":
		return !n.is("(") && !n.is(")") && !n.is(",") && !n.is(".") && !n.is(";") && !n.is("|") && !n.is("=") && !n.is("==") ||
			n.is("(") && true
	case "range":
		return n.Kind == TokIdent && p.peek(2).is("from") || p.nameTokens(1) == 3 && p.peek(4).is("from")
	case "inline_external_table":
		return n.is("(") || n.Kind == TokIdent && p.peek(2).is("=")
	case "datatable", "externaldata", "external_data":
		return n.is("(") || n.Kind == TokIdent && p.peek(2).is("=")
	case "union", "find", "search":
		return n.Kind != TokEOF && !n.is(")") && !n.is(",") && !n.is(";") && !n.is("|") && !n.is(".") &&
			!n.is("==") && !n.is("=")
	case "evaluate":
		return n.Kind == TokIdent
	case "macro":
		return n.is("-") && !n.Space && p.peek(2).is("expand") && !p.peek(2).Space
	}
	return false
}

func (p *parser) parseSourceOperator() Operator {
	return p.parseOperator()
}

// readOperatorName reads an operator keyword, joining hyphenated words such
// as `project-away` or `graph-shortest-paths`.
func (p *parser) readOperatorName() (string, int) {
	t := p.tok()
	if t.Kind != TokIdent {
		p.errorExpected("a query operator")
	}
	p.advance()
	name := t.Text
	for p.at("-") && !p.tok().Space && p.peek(1).Kind == TokIdent && !p.peek(1).Space {
		p.advance()
		name += "-" + p.advance().Text
	}
	return name, t.Start
}

// parseOperator parses one tabular operator, keyword included.
func (p *parser) parseOperator() Operator {
	p.enter()
	defer p.leave()
	name, start := p.readOperatorName()
	parse, ok := operatorParsers[name]
	if !ok {
		p.errorAt(start, "unknown query operator %q", name)
	}
	op := parse(p, start)
	return op
}

type opParser func(p *parser, start int) Operator

var operatorParsers map[string]opParser

func init() {
	operatorParsers = map[string]opParser{
		"as":                    (*parser).parseAs,
		"consume":               (*parser).parseConsume,
		"count":                 (*parser).parseCount,
		"datatable":             (*parser).parseDatatable,
		"distinct":              (*parser).parseDistinct,
		"evaluate":              (*parser).parseEvaluate,
		"extend":                (*parser).parseExtend,
		"externaldata":          (*parser).parseExternaldata,
		"external_data":         (*parser).parseExternaldata,
		"facet":                 (*parser).parseFacet,
		"inline_external_table": (*parser).parseInlineExternalTable,
		"filter":                (*parser).parseWhere,
		"find":                  (*parser).parseFind,
		"fork":                  (*parser).parseFork,
		"getschema":             (*parser).parseGetSchema,
		"invoke":                (*parser).parseInvoke,
		"join":                  (*parser).parseJoin,
		"limit":                 (*parser).parseTake,
		"lookup":                (*parser).parseLookup,
		"macro-expand":          (*parser).parseMacroExpand,
		"make-series":           (*parser).parseMakeSeries,
		"mv-apply":              (*parser).parseMvApply,
		"mv-expand":             (*parser).parseMvExpand,
		"mvexpand":              (*parser).parseMvExpand,
		"mvapply":               (*parser).parseMvApply,
		"order":                 (*parser).parseSort,
		"parse":                 (*parser).parseParse,
		"parse-where":           (*parser).parseParse,
		"parse-kv":              (*parser).parseParseKV,
		"partition":             (*parser).parsePartition,
		"print":                 (*parser).parsePrint,
		"project":               (*parser).parseProject,
		"project-away":          (*parser).parseProjectAway,
		"project-keep":          (*parser).parseProjectKeep,
		"project-rename":        (*parser).parseProjectRename,
		"project-reorder":       (*parser).parseProjectReorder,
		"project-by-names":      (*parser).parseProjectByNames,
		"range":                 (*parser).parseRange,
		"reduce":                (*parser).parseReduce,
		"render":                (*parser).parseRender,
		"sample":                (*parser).parseSample,
		"sample-distinct":       (*parser).parseSampleDistinct,
		"scan":                  (*parser).parseScan,
		"search":                (*parser).parseSearch,
		"serialize":             (*parser).parseSerialize,
		"sort":                  (*parser).parseSort,
		"summarize":             (*parser).parseSummarize,
		"take":                  (*parser).parseTake,
		"top":                   (*parser).parseTop,
		"top-hitters":           (*parser).parseTopHitters,
		"top-nested":            (*parser).parseTopNested,
		"union":                 (*parser).parseUnion,
		"where":                 (*parser).parseWhere,
		"make-graph":            (*parser).parseMakeGraph,
		"graph-match":           (*parser).parseGraphMatch,
		"graph-shortest-paths":  (*parser).parseGraphShortestPaths,
		"graph-to-table":        (*parser).parseGraphToTable,
		"graph-mark-components": (*parser).parseGraphMarkComponents,
	}
}

// ---- shared pieces

// parseParams parses leading `name=value` parameters. Names listed in
// allowed and any `hint.*` name are accepted.
func (p *parser) parseParams(allowed ...string) []*OpParam {
	var params []*OpParam
	for {
		t := p.tok()
		if t.Kind != TokIdent {
			return params
		}
		name, n := t.Text, 1
		if strings.EqualFold(name, "hint") && p.peek(1).is(".") && p.peek(2).Kind == TokIdent {
			name, n = "hint."+p.peek(2).Text, 3
		} else if !containsFold(allowed, name) {
			return params
		}
		if !p.peek(n).is("=") {
			return params
		}
		for i := 0; i <= n; i++ {
			p.advance()
		}
		v := p.parseParamValue()
		params = append(params, &OpParam{Span: p.span(t.Start), Name: name, Value: v})
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// parseParamValue parses a parameter value: a name, a literal or a signed number.
func (p *parser) parseParamValue() Expr {
	t := p.tok()
	switch {
	case t.Kind == TokIdent:
		if _, ok := typedLiteral[t.Text]; ok && p.peek(1).is("(") {
			return p.parsePrimary()
		}
		if t.Text == "dynamic" && p.peek(1).is("(") {
			return p.parsePrimary()
		}
		switch t.Text {
		case "true", "false", "True", "False", "TRUE", "FALSE":
			return p.parsePrimary()
		}
		return p.parseName()
	case t.Kind == TokNumber || t.Kind == TokTimespan || t.Kind == TokString:
		return p.parsePrimary()
	case t.is("-") || t.is("+"):
		return p.parseUnary()
	case t.is("[") || t.is("("):
		if p.atName() {
			return p.parseName()
		}
		return p.parsePrimary()
	}
	p.errorExpected("a parameter value")
	return nil
}

// parseAssign parses `[Name =] Expr` or `(Name, ...) = Expr`.
func (p *parser) parseAssign() *Assign {
	start := p.tok().Start
	a := &Assign{}
	if n := p.nameTokens(0); n > 0 && p.peek(n).is("=") {
		a.Names = []*Ident{p.parseName()}
		p.advance()
	} else if p.atTupleAssign() {
		a.Tuple = true
		p.advance()
		for {
			a.Names = append(a.Names, p.parseName())
			if !p.accept(",") {
				break
			}
		}
		p.expect(")")
		p.expect("=")
	}
	a.Value = p.parseExpr()
	a.Span = p.span(start)
	return a
}

// atTupleAssign reports whether `(a, b, ...) =` starts here.
func (p *parser) atTupleAssign() bool {
	if !p.at("(") {
		return false
	}
	i := 1
	for {
		n := p.nameTokens(i)
		if n == 0 {
			return false
		}
		i += n
		switch {
		case p.peek(i).is(","):
			i++
		case p.peek(i).is(")"):
			return p.peek(i + 1).is("=")
		default:
			return false
		}
	}
}

func (p *parser) parseAssignList() []*Assign {
	var list []*Assign
	for {
		list = append(list, p.parseAssign())
		if !p.accept(",") {
			return list
		}
	}
}

// parseDelimitedExprs parses `open Expr, ... close` (a trailing comma is
// allowed, as in datatable rows).
func (p *parser) parseDelimitedExprs(open, close string) []Expr {
	p.expect(open)
	var list []Expr
	for !p.at(close) {
		list = append(list, p.parseExpr())
		if !p.accept(",") {
			break
		}
	}
	p.expect(close)
	return list
}

func (p *parser) parseExprCommaList() []Expr {
	var list []Expr
	for {
		list = append(list, p.parseExpr())
		if !p.accept(",") {
			return list
		}
	}
}

func (p *parser) parseSortKey() *SortKey {
	start := p.tok().Start
	k := &SortKey{X: p.parseExpr()}
	if p.atWord("asc") || p.atWord("desc") {
		k.Order = p.advance().Text
	}
	if p.atWord("nulls") {
		p.advance()
		if !p.atWord("first") && !p.atWord("last") {
			p.errorExpected("'first' or 'last'")
		}
		k.Nulls = p.advance().Text
	}
	k.Span = p.span(start)
	return k
}

func (p *parser) parseSortKeys() []*SortKey {
	var keys []*SortKey
	for {
		keys = append(keys, p.parseSortKey())
		if !p.accept(",") {
			return keys
		}
	}
}

// parseNameOrPatternExpr parses a name, a wildcard pattern like `Sec*` or
// `*`, or any other expression (such as `database("x").T`).
func (p *parser) parseNameOrPatternExpr() Expr {
	if pat := p.tryPattern(); pat != nil {
		return pat
	}
	return p.parseExpr()
}

// tryPattern parses a run of adjacent identifier pieces and `*` that
// contains at least one `*`.
func (p *parser) tryPattern() Expr {
	i, text := 0, ""
	for {
		t := p.peek(i)
		if i > 0 && t.Space {
			break
		}
		if t.Kind == TokIdent || t.Kind == TokNumber && i > 0 || t.is("*") {
			text += t.Text
			i++
			continue
		}
		break
	}
	if !strings.Contains(text, "*") {
		return nil
	}
	// `*` followed by an operator-like token (`* has "x"`) is not a pattern here.
	if next := p.peek(i); !(next.is(",") || next.is(")") || next.is("|") || next.is(";") || next.Kind == TokEOF ||
		next.Kind == TokIdent || next.is("]")) {
		if text == "*" {
			return nil
		}
	}
	start := p.tok().Start
	for j := 0; j < i; j++ {
		p.advance()
	}
	return &Pattern{Span: p.span(start), Text: text}
}

func (p *parser) parseNamePatternList() []Expr {
	var list []Expr
	for {
		list = append(list, p.parseNameOrPatternExpr())
		if !p.accept(",") {
			return list
		}
	}
}

// parseOpChain parses `( Op | Op ... )`.
func (p *parser) parseOpChain() *OpChain {
	start := p.expect("(").Start
	c := &OpChain{}
	p.accept("|")
	for {
		c.Ops = append(c.Ops, p.parseOperator())
		if !p.accept("|") {
			break
		}
	}
	p.expect(")")
	c.Span = p.span(start)
	return c
}

// ---- operators

func (p *parser) parseAs(start int) Operator {
	o := &As{Params: p.parseParams()}
	o.Alias = p.parseName()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseConsume(start int) Operator {
	return &Consume{Params: p.parseParams("decodeblocks"), Span: p.span(start)}
}

func (p *parser) parseCount(start int) Operator {
	o := &Count{Params: p.parseParams()}
	if p.atWord("as") {
		p.advance()
		o.As = p.parseName()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseDatatable(start int) Operator {
	o := &Datatable{Params: p.parseParams("typed")}
	s := p.tok().Start
	o.Schema = &TypeRef{Tabular: true, Columns: p.parseSchema()}
	o.Schema.Span = p.span(s)
	o.Values = p.parseDelimitedExprs("[", "]")
	o.Span = p.span(start)
	return o
}

func (p *parser) parseDistinct(start int) Operator {
	o := &Distinct{Params: p.parseParams()}
	o.Cols = p.parseAssignList()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseEvaluate(start int) Operator {
	o := &Evaluate{Params: p.parseParams()}
	cs := p.tok().Start
	name := p.parseName()
	o.Call = &Call{Fun: name, Args: p.parseArgs()}
	o.Call.Span = p.span(cs)
	if p.at(":") {
		p.advance()
		s := p.tok().Start
		o.Schema = &TypeRef{Tabular: true, Columns: p.parseSchema()}
		o.Schema.Span = p.span(s)
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseExtend(start int) Operator {
	return &Extend{Cols: p.parseAssignList(), Span: p.span(start)}
}

func (p *parser) parseExternaldata(start int) Operator {
	o := &Externaldata{Params: p.parseParams("kind")}
	s := p.tok().Start
	o.Schema = &TypeRef{Tabular: true, Columns: p.parseSchema()}
	o.Schema.Span = p.span(s)
	o.URIs = p.parseDelimitedExprs("[", "]")
	if p.atWord("with") {
		p.advance()
		o.With = p.parsePropertyList()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseInlineExternalTable(start int) Operator {
	o := &InlineExternalTable{}
	if p.at("(") && p.nameTokens(1) > 0 && p.peek(1+p.nameTokens(1)).is(":") {
		s := p.tok().Start
		o.Schema = &TypeRef{Tabular: true, Columns: p.parseSchema()}
		o.Schema.Span = p.span(s)
	}
	o.Params = p.parseParams("kind", "dataformat", "partition", "pathformat")
	o.URIs = p.parseDelimitedExprs("(", ")")
	if p.atWord("with") {
		p.advance()
		o.With = p.parsePropertyList()
	}
	o.Span = p.span(start)
	return o
}

// parsePropertyList parses `(name = value, ...)`; a value may be a list
// of comma-separated items when the next item is not `name =`.
func (p *parser) parsePropertyList() []*OpParam {
	p.expect("(")
	var props []*OpParam
	for !p.at(")") {
		s := p.tok().Start
		name := p.parseDottedName()
		p.expect("=")
		v := p.parseExpr()
		if p.at(",") && !p.atPropertyAfterComma() {
			tuple := &Tuple{Elems: []Expr{v}}
			for p.at(",") && !p.atPropertyAfterComma() {
				p.advance()
				tuple.Elems = append(tuple.Elems, p.parseExpr())
			}
			tuple.Span = p.span(v.Range().Start)
			v = tuple
		}
		props = append(props, &OpParam{Span: p.span(s), Name: name, Value: v})
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	return props
}

func (p *parser) atPropertyAfterComma() bool {
	return p.peek(1).Kind == TokIdent && (p.peek(2).is("=") ||
		p.peek(2).is(".") && p.peek(3).Kind == TokIdent && p.peek(4).is("="))
}

func (p *parser) parseFacet(start int) Operator {
	p.expectWord("by")
	o := &Facet{By: p.parseExprCommaList()}
	if p.atWord("with") {
		p.advance()
		o.With = p.parseOpChain()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseFind(start int) Operator {
	o := &Find{Params: p.parseParams("withsource", "kind", "datascope")}
	if p.atWord("in") {
		p.advance()
		o.Tables = p.parseTableList()
	}
	if p.atWord("where") {
		p.advance()
	}
	o.Pred = p.parseExpr()
	switch {
	case p.atWord("project-smart") || p.atWord("project") && p.peek(1).is("-") && p.peek(2).is("smart"):
		p.readOperatorName()
		o.ProjectSmart = true
	case p.atWord("project"):
		p.advance()
		for {
			s := p.tok().Start
			if n := p.nameTokens(0); n > 0 && p.peek(n).is(":") {
				d := p.parseColumnDecl(false)
				o.Project = append(o.Project, &ColumnDeclExpr{Span: p.span(s), Decl: d})
			} else {
				o.Project = append(o.Project, p.parseName())
			}
			if !p.accept(",") {
				break
			}
		}
	}
	o.Span = p.span(start)
	return o
}

// parseTableList parses `(Table|Pattern|Expr, ...)`.
func (p *parser) parseTableList() []Expr {
	p.expect("(")
	var list []Expr
	for !p.at(")") {
		if pat := p.tryPattern(); pat != nil {
			list = append(list, pat)
		} else {
			list = append(list, p.parsePipe())
		}
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	return list
}

func (p *parser) parseFork(start int) Operator {
	o := &Fork{}
	for p.at("(") || p.nameTokens(0) > 0 && p.peek(p.nameTokens(0)).is("=") {
		s := p.tok().Start
		b := &ForkBranch{}
		if !p.at("(") {
			b.Name = p.parseName()
			p.expect("=")
		}
		b.Ops = p.parseOpChain()
		b.Span = p.span(s)
		o.Branches = append(o.Branches, b)
	}
	if len(o.Branches) == 0 {
		p.errorExpected("'(' to start a fork branch")
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseGetSchema(start int) Operator {
	return &GetSchema{Span: p.span(start)}
}

func (p *parser) parseInvoke(start int) Operator {
	cs := p.tok().Start
	fun := p.parsePostfix()
	call, ok := fun.(*Call)
	if !ok {
		p.errorAt(cs, "expected a function call after invoke")
	}
	_ = cs
	return &Invoke{Call: call, Span: p.span(start)}
}

var joinParams = []string{"kind", "withsource"}

func (p *parser) parseJoin(start int) Operator {
	o := &Join{Params: p.parseParams(joinParams...)}
	o.Right = p.parseJoinRight()
	switch {
	case p.atWord("on"):
		p.advance()
		o.On = p.parseExprCommaList()
	case p.atWord("where"):
		p.advance()
		o.Where = p.parseExpr()
	default:
		p.errorExpected("'on' after the right side of join")
	}
	o.Span = p.span(start)
	return o
}

// parseJoinRight parses the right side of join or lookup: a parenthesised
// query or a table expression without pipes.
func (p *parser) parseJoinRight() Expr {
	if p.at("(") {
		return p.parsePrimary()
	}
	return p.parsePostfix()
}

func (p *parser) parseLookup(start int) Operator {
	o := &Lookup{Params: p.parseParams("kind")}
	o.Right = p.parseJoinRight()
	p.expectWord("on")
	o.On = p.parseExprCommaList()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseMacroExpand(start int) Operator {
	o := &MacroExpand{Params: p.parseParams("kind", "isfuzzy")}
	o.Group = p.parsePostfix()
	p.expectWord("as")
	o.Alias = p.parseName()
	if !p.at("(") {
		p.errorExpected("'(' to start the macro-expand body")
	}
	o.Body = p.parsePrimary()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseMakeSeries(start int) Operator {
	o := &MakeSeries{Params: p.parseParams("kind")}
	for {
		s := p.tok().Start
		a := &SeriesAgg{Assign: p.parseAssign()}
		if p.atWord("default") && p.peek(1).is("=") {
			p.advance()
			p.advance()
			a.Default = p.parseExpr()
		}
		a.Span = p.span(s)
		o.Aggs = append(o.Aggs, a)
		if !p.accept(",") {
			break
		}
	}
	p.expectWord("on")
	o.On = p.parseAdd() // `in` after the axis starts the legacy range form
	if p.atWord("in") {
		p.advance()
		s := p.tok().Start
		x := p.parsePostfix()
		c, ok := x.(*Call)
		if !ok {
			p.errorAt(s, "expected range(start, stop, step) after 'in'")
		}
		o.InRange = c
	} else {
		if p.atWord("from") {
			p.advance()
			o.From = p.parseExpr()
		}
		if p.atWord("to") {
			p.advance()
			o.To = p.parseExpr()
		}
		p.expectWord("step")
		o.Step = p.parseExpr()
	}
	if p.atWord("by") {
		p.advance()
		o.By = p.parseAssignList()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseExpandItems() []*ExpandItem {
	var items []*ExpandItem
	for {
		s := p.tok().Start
		it := &ExpandItem{Assign: p.parseAssign()}
		if p.atWord("to") && p.peek(1).is("typeof") {
			p.advance()
			p.advance()
			it.To = p.parseTypeOfBody()
		}
		it.Span = p.span(s)
		items = append(items, it)
		if !p.accept(",") {
			return items
		}
	}
}

func (p *parser) parseMvApply(start int) Operator {
	o := &MvApply{Params: p.parseParams("with_itemindex", "itemindex")}
	o.Items = p.parseExpandItems()
	if p.atWord("limit") {
		p.advance()
		o.Limit = p.parseExpr()
	}
	p.expectWord("on")
	o.Ops = p.parseOpChain()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseMvExpand(start int) Operator {
	o := &MvExpand{Params: p.parseParams("bagexpansion", "with_itemindex", "kind")}
	o.Items = p.parseExpandItems()
	if p.atWord("limit") {
		p.advance()
		o.Limit = p.parseExpr()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseParse(start int) Operator {
	o := &ParseOp{Where: strings.HasSuffix(p.src[start:p.prevEnd], "where"), Params: p.parseParams("kind", "flags")}
	o.X = p.parseExpr()
	p.expectWord("with")
	for {
		s := p.tok().Start
		e := &ParseElem{}
		switch t := p.tok(); {
		case t.is("*"):
			p.advance()
			e.Star = true
		case t.Kind == TokString:
			p.advance()
			e.Lit = &Literal{Span: Span{t.Start, t.End}, Kind: LitString, Text: t.Text}
		case p.atName():
			cs := t.Start
			e.Column = &ColumnDecl{Name: p.parseName()}
			if p.accept(":") {
				e.Column.Type = p.parseTypeRef()
			}
			e.Column.Span = p.span(cs)
		default:
			if len(o.Pattern) == 0 {
				p.errorExpected("a parse pattern")
			}
			o.Span = p.span(start)
			return o
		}
		e.Span = p.span(s)
		o.Pattern = append(o.Pattern, e)
	}
}

func (p *parser) parseParseKV(start int) Operator {
	o := &ParseKV{X: p.parseExpr()}
	p.expectWord("as")
	p.expect("(")
	for !p.at(")") {
		o.Keys = append(o.Keys, p.parseColumnDecl(false))
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
	if p.atWord("with") {
		p.advance()
		o.With = p.parsePropertyList()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parsePartition(start int) Operator {
	o := &Partition{Params: p.parseParams()}
	p.expectWord("by")
	o.By = p.parseName() // a call would swallow the parenthesised subquery
	switch {
	case p.at("("):
		o.Ops = p.parseOpChain()
	case p.at("{"):
		p.advance()
		o.Body = p.parsePipe()
		p.expect("}")
	default:
		p.errorExpected("'(' or '{' after the partition key")
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parsePrint(start int) Operator {
	o := &PrintOp{}
	if !p.atEndOfOperator() {
		o.Cols = p.parseAssignList()
	}
	o.Span = p.span(start)
	return o
}

// atEndOfOperator reports whether nothing more belongs to the operator.
func (p *parser) atEndOfOperator() bool {
	t := p.tok()
	return t.Kind == TokEOF || t.is("|") || t.is(";") || t.is(")") || t.is("}")
}

func (p *parser) parseProject(start int) Operator {
	return &Project{Cols: p.parseAssignList(), Span: p.span(start)}
}

func (p *parser) parseProjectAway(start int) Operator {
	return &ProjectAway{Cols: p.parseNamePatternList(), Span: p.span(start)}
}

func (p *parser) parseProjectKeep(start int) Operator {
	return &ProjectKeep{Cols: p.parseNamePatternList(), Span: p.span(start)}
}

func (p *parser) parseProjectByNames(start int) Operator {
	return &ProjectByNames{Cols: p.parseNamePatternList(), Span: p.span(start)}
}

func (p *parser) parseProjectRename(start int) Operator {
	return &ProjectRename{Cols: p.parseAssignList(), Span: p.span(start)}
}

func (p *parser) parseProjectReorder(start int) Operator {
	o := &ProjectReorder{}
	for {
		s := p.tok().Start
		k := &SortKey{X: p.parseNameOrPatternExpr()}
		switch {
		case p.atWord("asc") || p.atWord("desc"):
			k.Order = p.advance().Text
		case p.atWord("granny") && p.peek(1).is("-"):
			p.advance()
			p.advance()
			if !p.atWord("asc") && !p.atWord("desc") {
				p.errorExpected("'asc' or 'desc'")
			}
			k.Order = "granny-" + p.advance().Text
		}
		k.Span = p.span(s)
		o.Keys = append(o.Keys, k)
		if !p.accept(",") {
			break
		}
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseRange(start int) Operator {
	o := &Range{Column: p.parseName()}
	p.expectWord("from")
	o.From = p.parseExpr()
	p.expectWord("to")
	o.To = p.parseExpr()
	p.expectWord("step")
	o.Step = p.parseExpr()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseReduce(start int) Operator {
	o := &Reduce{Params: p.parseParams("kind")}
	p.expectWord("by")
	o.By = p.parseExpr()
	if p.atWord("with") {
		p.advance()
		for {
			s := p.tok().Start
			name := p.parseDottedName()
			p.expect("=")
			o.With = append(o.With, &OpParam{Name: name, Value: p.parseExpr(), Span: p.span(s)})
			if !p.accept(",") {
				break
			}
		}
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseRender(start int) Operator {
	o := &Render{Chart: p.parseName()}
	for p.atIdent() && !p.atWord("with") && p.peek(1).is("=") {
		s := p.tok().Start
		name := p.advance().Text
		p.advance()
		o.Legacy = append(o.Legacy, &OpParam{Name: name, Value: p.parseParamValue(), Span: p.span(s)})
	}
	if p.atWord("with") {
		p.advance()
		o.With = p.parsePropertyList()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseSample(start int) Operator {
	o := &Sample{Params: p.parseParams()}
	o.N = p.parseExpr()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseSampleDistinct(start int) Operator {
	o := &SampleDistinct{Params: p.parseParams()}
	o.N = p.parseExpr()
	p.expectWord("of")
	o.Of = p.parseExpr()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseScan(start int) Operator {
	o := &Scan{Params: p.parseParams("with_match_id")}
	if p.atWord("declare") {
		p.advance()
		o.Declare = p.parseParamList("(", ")")
	}
	p.expectWord("with")
	p.expect("(")
	for p.atWord("step") {
		o.Steps = append(o.Steps, p.parseScanStep())
	}
	if len(o.Steps) == 0 {
		p.errorExpected("'step'")
	}
	p.expect(")")
	o.Span = p.span(start)
	return o
}

func (p *parser) parseScanStep() *ScanStep {
	start := p.advance().Start
	st := &ScanStep{Name: p.parseName()}
	if p.atWord("optional") {
		p.advance()
		st.Optional = true
	}
	if p.atWord("output") && p.peek(1).is("=") {
		p.advance()
		p.advance()
		if !p.atIdent() {
			p.errorExpected("'all', 'last' or 'none'")
		}
		st.Output = p.advance().Text
	}
	p.expect(":")
	st.Cond = p.parseExpr()
	if p.accept("=>") {
		st.Assigns = p.parseAssignList()
	}
	p.expect(";")
	st.Span = p.span(start)
	return st
}

func (p *parser) parseSearch(start int) Operator {
	o := &Search{Params: p.parseParams("kind")}
	if p.atWord("in") && p.peek(1).is("(") {
		p.advance()
		o.Tables = p.parseTableList()
	}
	p.search = true
	o.Pred = p.parseExpr()
	p.search = false
	o.Span = p.span(start)
	return o
}

func (p *parser) parseSerialize(start int) Operator {
	o := &Serialize{}
	if !p.atEndOfOperator() {
		o.Cols = p.parseAssignList()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseSort(start int) Operator {
	o := &Sort{Params: p.parseParams()}
	p.expectWord("by")
	o.Keys = p.parseSortKeys()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseSummarize(start int) Operator {
	o := &Summarize{Params: p.parseParams()}
	if !p.atWord("by") && !p.atEndOfOperator() {
		o.Aggs = p.parseAssignList()
	}
	if p.atWord("by") {
		p.advance()
		o.By = p.parseAssignList()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseTake(start int) Operator {
	o := &Take{Params: p.parseParams()}
	o.N = p.parseExpr()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseTop(start int) Operator {
	o := &Top{Params: p.parseParams()}
	o.N = p.parseExpr()
	p.expectWord("by")
	o.Keys = p.parseSortKeys()
	o.Span = p.span(start)
	return o
}

func (p *parser) parseTopHitters(start int) Operator {
	o := &TopHitters{N: p.parseExpr()}
	p.expectWord("of")
	o.Of = p.parseExpr()
	if p.atWord("by") {
		p.advance()
		o.By = p.parseExpr()
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseTopNested(start int) Operator {
	o := &TopNested{}
	for {
		s := p.tok().Start
		l := &TopNestedLevel{}
		if !p.atWord("of") {
			l.N = p.parseExpr()
		}
		p.expectWord("of")
		l.Of = p.parseAssign()
		if p.atWord("with") {
			p.advance()
			p.expectWord("others")
			p.expect("=")
			l.Others = p.parseExpr()
		}
		p.expectWord("by")
		l.By = p.parseAssign()
		if p.atWord("asc") || p.atWord("desc") {
			l.Order = p.advance().Text
		}
		l.Span = p.span(s)
		o.Levels = append(o.Levels, l)
		if !p.at(",") {
			break
		}
		p.advance()
		p.expectWord("top")
		p.expect("-")
		p.expectWord("nested")
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseUnion(start int) Operator {
	o := &Union{Params: p.parseParams("kind", "withsource", "isfuzzy")}
	for {
		if pat := p.tryPattern(); pat != nil {
			o.Tables = append(o.Tables, pat)
		} else {
			o.Tables = append(o.Tables, p.parsePostfix())
		}
		if !p.accept(",") {
			break
		}
	}
	o.Span = p.span(start)
	return o
}

func (p *parser) parseWhere(start int) Operator {
	o := &Where{Params: p.parseParams()}
	o.Pred = p.parseExpr()
	o.Span = p.span(start)
	return o
}
