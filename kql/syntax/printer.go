package syntax

import (
	"bytes"
	"fmt"
	"strings"
)

// Print returns KQL text for n on one line (string literals keep any line
// breaks they contain). Parsing the result gives a tree equal to n.
func Print(n Node) string {
	pr := &printer{}
	pr.node(n)
	return pr.b.String()
}

// Format returns KQL text for n laid out for reading: one statement per
// paragraph and one pipeline operator per line.
func Format(n Node) string {
	pr := &printer{pretty: true}
	pr.node(n)
	return pr.b.String()
}

type printer struct {
	b      bytes.Buffer
	pretty bool
	indent int
}

func (pr *printer) w(s string) { pr.b.WriteString(s) }

func (pr *printer) newline() {
	pr.w("\n")
	pr.w(strings.Repeat("    ", pr.indent))
}

func (pr *printer) node(n Node) {
	switch n := n.(type) {
	case *Script:
		pr.stmts(n.Stmts, true)
	case Stmt:
		pr.stmt(n)
	case Expr:
		pr.expr(n)
	case Operator:
		pr.op(n)
	default:
		pr.w(fmt.Sprintf("<%T>", n))
	}
}

func (pr *printer) stmts(list []Stmt, top bool) {
	for i, s := range list {
		if i > 0 {
			pr.w(";")
			if pr.pretty {
				pr.newline()
				if top {
					pr.newline()
				}
			} else {
				pr.w(" ")
			}
		}
		pr.stmt(s)
	}
}

func (pr *printer) stmt(s Stmt) {
	switch s := s.(type) {
	case *LetStmt:
		pr.w("let ")
		pr.ident(s.Name)
		pr.w(" = ")
		pr.expr(s.Value)
	case *ExprStmt:
		pr.expr(s.X)
	case *SetStmt:
		pr.w("set " + s.Name)
		if s.Value != nil {
			pr.w(" = ")
			pr.expr(s.Value)
		}
	case *DeclareParamsStmt:
		pr.w("declare query_parameters(")
		pr.params(s.Params)
		pr.w(")")
	case *AliasStmt:
		pr.w("alias database ")
		pr.ident(s.Name)
		pr.w(" = ")
		pr.expr(s.Value)
	case *RestrictStmt:
		pr.w("restrict access to (")
		pr.exprs(s.Entities)
		pr.w(")")
	case *PatternStmt:
		pr.w("declare pattern ")
		pr.ident(s.Name)
		if s.Body != "" {
			pr.w(" " + s.Body)
		}
	}
}

func (pr *printer) ident(id *Ident) {
	if id.Bracketed {
		pr.w("[" + QuoteString(id.Name) + "]")
		return
	}
	pr.w(id.Name)
}

func (pr *printer) exprs(list []Expr) {
	for i, x := range list {
		if i > 0 {
			pr.w(", ")
		}
		pr.expr(x)
	}
}

func (pr *printer) params(list []*Param) {
	for i, p := range list {
		if i > 0 {
			pr.w(", ")
		}
		pr.ident(p.Name)
		pr.w(":")
		pr.typeRef(p.Type)
		if p.Default != nil {
			pr.w(" = ")
			pr.expr(p.Default)
		}
	}
}

func (pr *printer) typeRef(t *TypeRef) {
	if !t.Tabular {
		pr.w(t.Scalar)
		return
	}
	pr.w("(")
	pr.columnDecls(t.Columns)
	pr.w(")")
}

func (pr *printer) columnDecls(cols []*ColumnDecl) {
	for i, c := range cols {
		if i > 0 {
			pr.w(", ")
		}
		pr.columnDecl(c)
	}
}

func (pr *printer) columnDecl(c *ColumnDecl) {
	pr.ident(c.Name)
	if c.Type != nil {
		pr.w(":")
		pr.typeRef(c.Type)
	}
}

func (pr *printer) expr(x Expr) {
	switch x := x.(type) {
	case nil:
		pr.w("<nil>")
	case *Ident:
		pr.ident(x)
	case *Literal:
		pr.w(x.Text)
	case *ClientParam:
		pr.w(x.Text)
	case *EntityGroup:
		pr.w("entity_group [")
		pr.exprs(x.Entities)
		pr.w("]")
	case *DynamicLit:
		pr.w("dynamic(")
		if x.Value == nil {
			pr.w("null")
		} else {
			pr.expr(x.Value)
		}
		pr.w(")")
	case *ArrayLit:
		pr.w("[")
		pr.exprs(x.Elems)
		pr.w("]")
	case *BagLit:
		pr.w("{")
		for i, k := range x.Keys {
			if i > 0 {
				pr.w(", ")
			}
			pr.w(QuoteString(k) + ": ")
			pr.expr(x.Values[i])
		}
		pr.w("}")
	case *Paren:
		pr.paren(x.X)
	case *Unary:
		pr.w(x.Op)
		pr.expr(x.X)
	case *Binary:
		pr.expr(x.L)
		pr.w(" " + x.Op + " ")
		pr.expr(x.R)
	case *ListExpr:
		pr.expr(x.X)
		pr.w(" " + x.Op + " (")
		pr.exprs(x.List)
		pr.w(")")
	case *Between:
		pr.expr(x.X)
		if x.Not {
			pr.w(" !between (")
		} else {
			pr.w(" between (")
		}
		pr.expr(x.Lo)
		pr.w(" .. ")
		pr.expr(x.Hi)
		pr.w(")")
	case *Call:
		pr.expr(x.Fun)
		pr.w("(")
		pr.exprs(x.Args)
		pr.w(")")
	case *NamedArg:
		pr.ident(x.Name)
		pr.w("=")
		pr.expr(x.Value)
	case *Member:
		pr.expr(x.X)
		pr.w(".")
		pr.ident(x.Name)
	case *Index:
		pr.expr(x.X)
		pr.w("[")
		pr.expr(x.Index)
		pr.w("]")
	case *Star:
		pr.w("*")
	case *Pattern:
		pr.w(x.Text)
	case *TypeOf:
		pr.w("typeof")
		if x.Type.Tabular {
			pr.typeRef(x.Type)
		} else {
			pr.w("(" + x.Type.Scalar + ")")
		}
	case *Tuple:
		pr.exprs(x.Elems)
	case *ColumnDeclExpr:
		pr.columnDecl(x.Decl)
	case *Pipe:
		pr.expr(x.Source)
		if pr.pretty {
			pr.newline()
			pr.w("| ")
		} else {
			pr.w(" | ")
		}
		pr.op(x.Op)
	case *SourceOp:
		pr.op(x.Op)
	case *FuncLit:
		if x.View {
			pr.w("view ")
		}
		pr.w("(")
		pr.params(x.Params)
		pr.w(") {")
		pr.block(func() { pr.stmts(x.Body, false) })
		pr.w("}")
	default:
		pr.w(fmt.Sprintf("<%T>", x))
	}
}

// paren prints (x), breaking lines around a multi-line pipeline in pretty mode.
func (pr *printer) paren(x Expr) {
	pr.w("(")
	if _, ok := x.(*Pipe); ok && pr.pretty {
		pr.block(func() { pr.expr(x) })
	} else {
		pr.expr(x)
	}
	pr.w(")")
}

// block prints body indented on its own lines in pretty mode, inline with
// spaces otherwise.
func (pr *printer) block(body func()) {
	if !pr.pretty {
		pr.w(" ")
		body()
		pr.w(" ")
		return
	}
	pr.indent++
	pr.newline()
	body()
	pr.indent--
	pr.newline()
}
