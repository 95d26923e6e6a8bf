package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// search filters rows of the piped input, of the tables listed in
// `in (...)`, or of every table of the catalog, by a search predicate, and
// adds a `$table` column naming each row's source. The predicate is bound
// per table (see searchBinder); a table whose predicate cannot hold, such
// as one lacking a column the predicate names, is left out. The output
// columns are those of the remaining tables, matched by name as union
// does.
func init() {
	registerOperator((*syntax.Search)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.search(sc, in, op.(*syntax.Search))
	})
}

func (c *checker) search(sc *scope, in plan.Node, o *syntax.Search) plan.Node {
	cs := c.searchCase(o.Params)
	srcs, names := c.searchSources(sc, in, o.Tables, o)
	var ins []plan.Node
	var kept []string
	var missing *syntax.Error
	for i, src := range srcs {
		b := &searchBinder{c: c, sc: sc, sch: src.Schema(), cs: cs}
		pred := b.bind(o.Pred)
		if missing == nil {
			missing = b.missing
		}
		if isBool(pred, false) {
			continue
		}
		if !isBool(pred, true) {
			src = &plan.Filter{In: src, Pred: pred}
		}
		ins, kept = append(ins, src), append(kept, names[i])
	}
	if len(ins) == 0 && missing != nil {
		c.errs = append(c.errs, missing)
		panic(bailout{})
	}
	return unionOf(ins, kept, false, "$table")
}

// searchCase reads kind=: true for case_sensitive.
func (c *checker) searchCase(params []*syntax.OpParam) bool {
	kind, at := paramString(params, "kind")
	switch kind {
	case "", "default", "case_insensitive":
		return false
	case "case_sensitive":
		return true
	}
	c.errorf(at, "kind must be default, case_insensitive or case_sensitive")
	return false
}

// searchSources returns the inputs of search and find with their names:
// the piped input, the tables listed (names with wildcards match catalog
// tables), or all the catalog's tables.
func (c *checker) searchSources(sc *scope, in plan.Node, tables []syntax.Expr, at syntax.Node) ([]plan.Node, []string) {
	if in != nil {
		if len(tables) > 0 {
			c.errorf(at, "a piped input and in (...) cannot be used together")
		}
		return []plan.Node{in}, []string{sourceName(in)}
	}
	if len(tables) == 0 {
		tables = []syntax.Expr{&syntax.Pattern{Span: at.Range(), Text: "*"}}
	}
	var ins []plan.Node
	var names []string
	for _, t := range tables {
		switch t := t.(type) {
		case *syntax.Pattern:
			for _, n := range c.tableNames(t) {
				if matchPattern(t.Text, n) {
					ins, names = append(ins, c.tableName(sc, t, n)), append(names, n)
				}
			}
		case *syntax.Ident:
			ins, names = append(ins, c.tabular(sc, t)), append(names, t.Name)
		default:
			ins = append(ins, c.tabular(sc, t))
			names = append(names, "union_arg"+itoa(len(ins)-1))
		}
	}
	return ins, names
}

// tableNames lists the catalog's tables in name order.
func (c *checker) tableNames(at syntax.Node) []string {
	lister, ok := c.opts.Catalog.(TableLister)
	if !ok {
		c.errorf(at, "this catalog cannot list its tables; name them: in (Table, ...)")
	}
	names := append([]string(nil), lister.TableNames()...)
	sort.Strings(names)
	return names
}

// sourceName names a piped input by the table it reads, if one.
func sourceName(n plan.Node) string {
	for {
		if s, ok := n.(*plan.Scan); ok {
			return s.Table.Name()
		}
		ins := n.Inputs()
		if len(ins) != 1 {
			return ""
		}
		n = ins[0]
	}
}

// searchBinder binds a search predicate over one table's columns:
//
//	"term"        any searchable column has the term (see term)
//	Col:"term"    column Col has the term
//	* op "x"      any searchable column satisfies op
//	*             every row
//	a and b, a or b, not(a), (a), and any other bool expression
//
// "Any column" means every column taken as a string. A leaf that does not
// bind for a table, such as one naming a column the table lacks, is false
// for that table. With kind=case_sensitive
// the string operators are the case-sensitive ones.
type searchBinder struct {
	c   *checker
	sc  *scope
	sch vec.Schema
	cs  bool
	// missing is the first unknown-column error, reported when no table
	// can be searched.
	missing *syntax.Error
	// used are the columns the predicate names explicitly (find's
	// project-smart keeps them).
	used map[string]bool
}

func (b *searchBinder) bind(x syntax.Expr) plan.Expr {
	switch x := x.(type) {
	case *syntax.Paren:
		return b.bind(x.X)
	case *syntax.Star:
		return boolConst(true)
	case *syntax.Literal:
		if x.Kind == syntax.LitString {
			return b.anyColumn(func(col plan.Expr) plan.Expr { return b.term(x, col, syntax.StringValue(x.Text)) })
		}
	case *syntax.Binary:
		if e := b.binary(x); e != nil {
			return e
		}
	case *syntax.Call:
		if funcName(x) == "not" && len(x.Args) == 1 {
			e := b.bind(x.Args[0])
			if k, ok := e.(*plan.Const); ok {
				return boolConst(!k.V.Bool())
			}
			return b.c.call(x, "not", []plan.Expr{e})
		}
	}
	return b.general(x)
}

// binary binds and, or, Col:"term" and `* op value`; it returns nil for
// other binary expressions.
func (b *searchBinder) binary(x *syntax.Binary) plan.Expr {
	switch x.Op {
	case "and", "or":
		return b.logic(x, x.Op, b.bind(x.L), b.bind(x.R))
	case ":":
		lit, ok := x.R.(*syntax.Literal)
		if !ok {
			b.c.errorf(x.R, "expected a string after ':'")
		}
		text := syntax.StringValue(lit.Text)
		if lit.Kind != syntax.LitString {
			text = lit.Text
		}
		if _, star := x.L.(*syntax.Star); star {
			return b.anyColumn(func(col plan.Expr) plan.Expr { return b.term(x, col, text) })
		}
		col := b.column(x.L)
		if col == nil {
			return boolConst(false)
		}
		return b.term(x, col, text)
	}
	if _, star := x.L.(*syntax.Star); star {
		name := x.Op
		if n, ok := binaryNames[name]; ok {
			name = n
		}
		name = b.caseName(name)
		rhs := b.c.scalar(b.sc, nil, x.R)
		return b.anyColumn(func(col plan.Expr) plan.Expr { return b.c.call(x, name, []plan.Expr{col, rhs}) })
	}
	return nil
}

// caseName turns a string operator into its case-sensitive form under
// kind=case_sensitive.
func (b *searchBinder) caseName(name string) string {
	if !b.cs {
		return name
	}
	switch strings.TrimPrefix(name, "!") {
	case "has", "hasprefix", "hassuffix", "contains", "startswith", "endswith":
		return name + "_cs"
	case "=~":
		return strings.Replace(name, "~", "=", 1)
	}
	return name
}

// column binds the column named by x, or returns nil when this table
// lacks it.
func (b *searchBinder) column(x syntax.Expr) plan.Expr {
	id, ok := x.(*syntax.Ident)
	if !ok {
		b.c.errorf(x, "expected a column name before ':'")
	}
	b.use(id.Name)
	i := b.sch.Index(id.Name)
	if i < 0 {
		b.miss(id, "unknown column '%s'", id.Name)
		return nil
	}
	return &plan.ColRef{Index: i, Name: id.Name, T: b.sch[i].Type}
}

func (b *searchBinder) use(name string) {
	if b.used == nil {
		b.used = map[string]bool{}
	}
	b.used[name] = true
}

func (b *searchBinder) miss(at syntax.Node, format string, args ...any) {
	if b.missing == nil {
		b.missing = b.c.locate(at, fmt.Sprintf(format, args...))
	}
}

// anyColumn ORs f over every column, each taken as a string, as
// `where * has "x"` does.
func (b *searchBinder) anyColumn(f func(col plan.Expr) plan.Expr) plan.Expr {
	var out plan.Expr = boolConst(false)
	for i, fl := range b.sch {
		var col plan.Expr = &plan.ColRef{Index: i, Name: fl.Name, T: fl.Type}
		if fl.Type != types.String {
			col = convertValues(col, types.String)
		}
		out = b.logic(nil, "or", out, f(col))
	}
	return out
}

// term matches a search term against col: `x` is has, `x*` hasprefix,
// `*x` hassuffix, `*x*` contains, and a `*` inside matches any text
// (a regular expression between term boundaries); `*` alone matches all.
func (b *searchBinder) term(at syntax.Node, col plan.Expr, t string) plan.Expr {
	inner := strings.Trim(t, "*")
	lead, trail := strings.HasPrefix(t, "*"), strings.HasSuffix(t, "*") && len(t) > 1
	var name string
	switch {
	case inner == "":
		return boolConst(true)
	case strings.Contains(inner, "*"):
		return b.c.call(at, "matches regex", []plan.Expr{col, strConst(termRegex(t, b.cs))})
	case lead && trail:
		name = "contains"
	case lead:
		name = "hassuffix"
	case trail:
		name = "hasprefix"
	default:
		name = "has"
	}
	return b.c.call(at, b.caseName(name), []plan.Expr{col, strConst(inner)})
}

// termRegex turns a term with inner wildcards into a regular expression.
func termRegex(t string, cs bool) string {
	parts := strings.Split(t, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re := strings.Join(parts, ".*")
	if !strings.HasPrefix(t, "*") {
		re = `\b` + re
	}
	if !strings.HasSuffix(t, "*") {
		re += `\b`
	}
	if !cs {
		re = "(?i)" + re
	}
	return re
}

// general binds any other expression as a bool over the table's row. An
// expression that does not bind for this table (it names a column the
// table lacks, or compares a column of another type) is false here; the
// error is reported only if no table can be searched.
func (b *searchBinder) general(x syntax.Expr) plan.Expr {
	n := len(b.c.errs)
	e, ok := b.c.tryScalar(b.sc, rowOf(b.sch), x)
	if !ok {
		err := b.c.errs[n]
		b.c.errs = b.c.errs[:n]
		if b.missing == nil {
			b.missing = err
		}
		return boolConst(false)
	}
	refs := map[int]bool{}
	colRefs(e, refs)
	for i := range refs {
		b.use(b.sch[i].Name)
	}
	switch e.Type() {
	case types.Bool:
		return e
	case types.Dynamic, types.Null:
		return b.c.convertTo(x, e, types.Bool)
	}
	b.c.errorf(x, "a search predicate must be bool, not %s", e.Type())
	return nil
}

// logic combines two conditions, folding constants.
func (b *searchBinder) logic(at syntax.Node, op string, l, r plan.Expr) plan.Expr {
	and := op == "and"
	for _, pair := range [][2]plan.Expr{{l, r}, {r, l}} {
		if k, ok := pair[0].(*plan.Const); ok {
			if k.V.Bool() != and {
				return boolConst(!and)
			}
			return pair[1]
		}
	}
	return b.c.call(at, "__"+op, []plan.Expr{l, r})
}

// tryScalar binds x, returning false instead of unwinding on an error
// (which stays recorded in c.errs for the caller to keep or drop).
func (c *checker) tryScalar(sc *scope, r *row, x syntax.Expr) (e plan.Expr, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			if _, isBail := p.(bailout); !isBail {
				panic(p)
			}
			e, ok = nil, false
		}
	}()
	return c.scalar(sc, r, x), true
}

func boolConst(v bool) plan.Expr { return &plan.Const{V: types.NewBool(v)} }

func strConst(s string) plan.Expr { return &plan.Const{V: types.NewString(s)} }

func isBool(e plan.Expr, v bool) bool {
	k, ok := e.(*plan.Const)
	return ok && k.V.Type == types.Bool && k.V.Valid && k.V.Bool() == v
}
