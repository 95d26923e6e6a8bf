package kqlapi

import (
	"errors"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/syntax"
)

// Catalog is what the language service needs of a workspace: its tables
// for checking, and their names for completion.
type Catalog interface {
	check.Catalog
	TableNames() []string
}

// FunctionLister is a Catalog that also has stored functions (a
// workspace's saved searches with a function alias). Complete offers them
// where a table or a function may be named.
type FunctionLister interface {
	// StoredFunctions returns the functions, in any order.
	StoredFunctions() []StoredFunction
}

// StoredFunction is a stored function's name and its parameter list as
// written (`a:long = 1`; empty for none).
type StoredFunction struct {
	Name   string
	Params string
}

// Diagnostic is one problem of a query. Start and End are UTF-16 offsets
// in the whole text (End > Start); Line and Column (1-based, UTF-16) are
// those of Start.
type Diagnostic struct {
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// Block is one query of a text: the byte range [Start, End) of a run of
// lines without a blank line among them.
type Block struct{ Start, End int }

// Blocks splits text into its queries, which blank lines separate, as the
// Log Analytics editor does.
func Blocks(text string) []Block {
	var out []Block
	start := -1
	pos := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		blank := strings.TrimSpace(line) == ""
		switch {
		case !blank && start < 0:
			start = pos
		case blank && start >= 0:
			out = append(out, Block{start, pos})
			start = -1
		}
		pos += len(line)
	}
	if start >= 0 {
		out = append(out, Block{start, len(text)})
	}
	return out
}

// BlockAt returns the query of text that byte offset off is in or at the
// end of; false when off is on a blank line between queries.
func BlockAt(text string, off int) (Block, bool) {
	for _, b := range Blocks(text) {
		if off >= b.Start && (off < b.End || off == b.End && b.End == len(text)) {
			return b, true
		}
	}
	return Block{}, false
}

// Check parses and checks every query of text against cat and returns
// their problems, at most one per query (the parser's and the checker's
// first error, as the query API reports it).
func Check(text string, cat check.Catalog) []Diagnostic {
	out := []Diagnostic{}
	for _, b := range Blocks(text) {
		src := text[b.Start:b.End]
		script, err := syntax.Parse(src)
		if err == nil {
			_, err = check.Check(src, script, check.Options{Catalog: cat})
		}
		var list syntax.ErrorList
		if !errors.As(err, &list) {
			if err != nil {
				out = append(out, diagnostic(text, b.Start, b.Start+len(strings.TrimRight(src, " \t\r\n")), err.Error()))
			}
			continue
		}
		for i, e := range list {
			if i == 1 {
				break
			}
			start, end := errorRange(src, e)
			out = append(out, diagnostic(text, b.Start+start, b.Start+end, e.Msg))
		}
	}
	return out
}

// errorRange returns the byte range to underline for e in src: its span,
// or else the token at its position, or else one character (the end of
// the text for an error at its end).
func errorRange(src string, e *syntax.Error) (int, int) {
	start, end := e.Pos.Offset, e.Span.End
	if e.Span.End > e.Span.Start {
		start = e.Span.Start
	}
	if end > start && end <= len(src) {
		return start, end
	}
	for _, t := range syntax.Tokens(src) {
		if t.Start <= start && start < t.End {
			return t.Start, t.End
		}
	}
	trimmed := len(strings.TrimRight(src, " \t\r\n"))
	if start >= trimmed {
		// An error at the end (a missing operand): the last character.
		if trimmed == 0 {
			return 0, 0
		}
		_, size := utf8.DecodeLastRuneInString(src[:trimmed])
		return trimmed - size, trimmed
	}
	_, size := utf8.DecodeRuneInString(src[start:])
	return start, start + size
}

func diagnostic(text string, start, end int, msg string) Diagnostic {
	u16 := UTF16Offset(text, start)
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	return Diagnostic{
		Start: u16, End: max(UTF16Offset(text, end), u16+1),
		Line:     1 + strings.Count(text[:start], "\n"),
		Column:   1 + UTF16Offset(text, start) - UTF16Offset(text, lineStart),
		Severity: "error", Message: msg,
	}
}

// UTF16Offset converts byte offset off of text to a UTF-16 offset.
func UTF16Offset(text string, off int) int {
	n := 0
	for _, r := range text[:min(off, len(text))] {
		n += utf16.RuneLen(r)
	}
	return n
}

// ByteOffset converts UTF-16 offset u of text to a byte offset.
func ByteOffset(text string, u int) int {
	n := 0
	for i, r := range text {
		if n >= u {
			return i
		}
		n += utf16.RuneLen(r)
	}
	return len(text)
}

// Completion is the answer to a completion request: the UTF-16 range
// [From, To) the chosen item replaces and the items, best first.
type Completion struct {
	From  int    `json:"from"`
	To    int    `json:"to"`
	Items []Item `json:"items"`
}

// Item is one completion.
type Item struct {
	Label string `json:"label"`
	// Kind is table, column, function, aggregate, operator, keyword or let.
	Kind string `json:"kind"`
	// Detail is a column's type, or a stored function's parameter list in
	// parentheses.
	Detail string `json:"detail,omitempty"`
}

// maxItems bounds a completion's items.
const maxItems = 200

// statementStarts are the keywords offered where a statement begins.
var statementStarts = []string{"let", "print", "datatable", "union", "search", "range", "find", "set", "declare"}

// visualizations are the render operator's chart kinds.
var visualizations = []string{"anomalychart", "areachart", "barchart", "card", "columnchart", "ladderchart", "linechart", "piechart", "pivotchart", "scatterchart", "stackedareachart", "table", "timechart", "timepivot", "treemap"}

// Complete returns the completions at UTF-16 offset u16 of text: after a
// pipe the tabular operators; after render its chart kinds; at the start of a statement the tables, let
// names and statement keywords; elsewhere the columns of the pipeline's
// input with their types (from checking the pipeline before the cursor),
// let names and the functions.
func Complete(text string, u16 int, cat Catalog) Completion {
	off := ByteOffset(text, u16)
	// An offset outside the text (or inside a surrogate pair) is taken at
	// the nearest character boundary.
	u16 = UTF16Offset(text, off)
	res := Completion{From: u16, To: u16, Items: []Item{}}
	b, ok := BlockAt(text, off)
	if !ok {
		b = Block{off, off}
	}
	src := text[b.Start:off]
	toks := syntax.Tokens(src)
	prefix := ""
	if n := len(toks); n > 0 && toks[n-1].Kind == syntax.TokIdent && toks[n-1].End == len(src) {
		prefix = toks[n-1].Text
		res.From = UTF16Offset(text, b.Start+toks[n-1].Start)
		toks = toks[:n-1]
	}
	// The end of the word being typed, so that choosing an item inside a
	// word replaces all of it.
	rest := text[off:]
	i := 0
	for i < len(rest) && isNameByte(rest[i]) {
		i++
	}
	res.To = UTF16Offset(text, off+i)

	lets, stmtStart := letsAndStatement(toks)
	var items []Item
	prev := ""
	if n := len(toks); n > 0 {
		prev = toks[n-1].Text
	}
	switch {
	case prev == "render":
		for _, v := range visualizations {
			items = append(items, Item{Label: v, Kind: "keyword"})
		}
	case prev == "|":
		for _, op := range syntax.OperatorNames() {
			items = append(items, Item{Label: op, Kind: "operator"})
		}
	case len(toks) == stmtStart || prev == "=" && stmtStart == len(toks)-1:
		for _, l := range lets {
			items = append(items, Item{Label: l, Kind: "let"})
		}
		for _, t := range sortedTables(cat) {
			items = append(items, Item{Label: t, Kind: "table"})
		}
		items = append(items, storedFunctions(cat)...)
		if len(toks) == stmtStart {
			for _, k := range statementStarts {
				items = append(items, Item{Label: k, Kind: "keyword"})
			}
		}
	default:
		items = append(items, columnsBefore(src, toks, stmtStart, cat)...)
		for _, l := range lets {
			items = append(items, Item{Label: l, Kind: "let"})
		}
		items = append(items, storedFunctions(cat)...)
		for _, f := range builtin.AggregateNames() {
			items = append(items, Item{Label: f, Kind: "aggregate"})
		}
		for _, f := range builtin.ScalarNames() {
			items = append(items, Item{Label: f, Kind: "function"})
		}
	}
	res.Items = filter(items, prefix)
	return res
}

// storedFunctions returns the completions of cat's stored functions, by
// name.
func storedFunctions(cat Catalog) []Item {
	fl, ok := cat.(FunctionLister)
	if !ok {
		return nil
	}
	fns := fl.StoredFunctions()
	sort.Slice(fns, func(i, j int) bool { return fns[i].Name < fns[j].Name })
	items := make([]Item, len(fns))
	for i, f := range fns {
		items[i] = Item{Label: f.Name, Kind: "function", Detail: "(" + f.Params + ")"}
	}
	return items
}

func isNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func sortedTables(cat Catalog) []string {
	names := cat.TableNames()
	sort.Strings(names)
	return names
}

// letsAndStatement returns the names the let statements among toks
// declare, and the index of the token the last statement starts at (after
// `let name =` for a let statement).
func letsAndStatement(toks []syntax.Token) ([]string, int) {
	var lets []string
	start := 0
	depth := 0
	for i, t := range toks {
		switch {
		case t.Kind == syntax.TokPunct && (t.Text == "(" || t.Text == "[" || t.Text == "{"):
			depth++
		case t.Kind == syntax.TokPunct && (t.Text == ")" || t.Text == "]" || t.Text == "}"):
			depth--
		case depth == 0 && t.Kind == syntax.TokPunct && t.Text == ";":
			start = i + 1
		case depth == 0 && i == start && t.Kind == syntax.TokIdent && t.Text == "let" && i+1 < len(toks) && toks[i+1].Kind == syntax.TokIdent:
			lets = append(lets, toks[i+1].Text)
			if i+2 < len(toks) && toks[i+2].Text == "=" {
				start = i + 3
			}
		}
	}
	return lets, start
}

// columnsBefore returns the columns of the input of the operator the
// cursor is in: the schema of the pipeline up to the last pipe before it,
// checked with the statements before it.
func columnsBefore(src string, toks []syntax.Token, stmtStart int, cat check.Catalog) []Item {
	depth := 0
	pipe := -1
	for i := len(toks) - 1; i >= stmtStart; i-- {
		t := toks[i]
		if t.Kind != syntax.TokPunct {
			continue
		}
		switch t.Text {
		case ")", "]", "}":
			depth++
		case "(", "[", "{":
			if depth == 0 && t.Text == "(" && i > 0 && toks[i-1].Kind == syntax.TokIdent && pipe < 0 {
				// A call's parentheses: the cursor is in an argument.
				continue
			}
			depth--
		case "|":
			if depth == 0 {
				pipe = i
			}
		}
		if depth < 0 {
			// The cursor is inside parentheses: a subquery's pipeline
			// starts after the opening one.
			if pipe < 0 {
				return nil
			}
			stmtStart = i + 1
			break
		}
		if pipe >= 0 {
			break
		}
	}
	if pipe < 0 || stmtStart >= len(toks) {
		return nil
	}
	// The statements before this one, then the pipeline before the pipe.
	var b strings.Builder
	if stmtStart > 0 {
		prefixEnd := toks[stmtStart].Start
		// Only whole earlier statements: up to the last `;` before.
		if j := strings.LastIndexByte(src[:prefixEnd], ';'); j >= 0 {
			b.WriteString(src[:j+1])
			b.WriteString("\n")
		}
	}
	b.WriteString(src[toks[stmtStart].Start:toks[pipe].Start])
	q := b.String()
	script, err := syntax.Parse(q)
	if err != nil {
		return nil
	}
	checked, err := check.Check(q, script, check.Options{Catalog: cat})
	if err != nil || len(checked.Results) == 0 {
		return nil
	}
	var items []Item
	for _, f := range checked.Results[len(checked.Results)-1].Plan.Schema() {
		items = append(items, Item{Label: f.Name, Kind: "column", Detail: f.Type.String()})
	}
	return items
}

// filter keeps the items whose label starts with prefix (ignoring case),
// those matching its case first, and at most maxItems.
func filter(items []Item, prefix string) []Item {
	out := []Item{}
	seen := map[string]bool{}
	low := strings.ToLower(prefix)
	for _, exact := range []bool{true, false} {
		for _, it := range items {
			if len(out) == maxItems {
				return out
			}
			key := it.Kind + "\x00" + it.Label
			if seen[key] {
				continue
			}
			if exact && !strings.HasPrefix(it.Label, prefix) || !exact && !strings.HasPrefix(strings.ToLower(it.Label), low) {
				continue
			}
			seen[key] = true
			out = append(out, it)
		}
	}
	return out
}
