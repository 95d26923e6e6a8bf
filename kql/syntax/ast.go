package syntax

// Span is the byte range [Start, End) of a node in the query text.
type Span struct {
	Start int
	End   int
}

// Range returns the span itself; every node embeds a Span and so implements Node.
func (s Span) Range() Span { return s }

// Node is any node of the syntax tree.
type Node interface {
	Range() Span
}

// Script is a whole query: statements separated by `;`.
type Script struct {
	Span
	Stmts []Stmt
}

// Stmt is a statement of a script.
type Stmt interface {
	Node
	stmtNode()
}

// Expr is a scalar or tabular expression. KQL mixes the two (a table name,
// `toscalar(T | count)`, `x in (T | project y)`), so one interface covers both;
// the checker decides which is which.
type Expr interface {
	Node
	exprNode()
}

// Operator is a tabular operator: what follows `|` in a pipeline, or a
// source operator such as `print` or `datatable` at its start.
type Operator interface {
	Node
	// Name is the operator's keyword as written in canonical form, e.g. "mv-expand".
	Name() string
}

// ---- statements

// LetStmt is `let Name = Value`. Value is an expression (scalar or tabular)
// or a *FuncLit for functions and views.
type LetStmt struct {
	Span
	Name  *Ident
	Value Expr
}

// ExprStmt is a tabular expression statement (a query) or, inside a function
// body, the expression that the function returns.
type ExprStmt struct {
	Span
	X Expr
}

// SetStmt is `set Name [= Value]`, a request property.
type SetStmt struct {
	Span
	Name  string
	Value Expr // nil when no value is given
}

// DeclareParamsStmt is `declare query_parameters(Name:type [= default], ...)`.
type DeclareParamsStmt struct {
	Span
	Params []*Param
}

// AliasStmt is `alias database Name = cluster(...).database(...)`.
type AliasStmt struct {
	Span
	Name  *Ident
	Value Expr
}

// RestrictStmt is `restrict access to (Entity, ...)`.
type RestrictStmt struct {
	Span
	Entities []Expr
}

// PatternStmt is `declare pattern Name [= (...) [...] { ... }]`. The body is
// kept as written.
type PatternStmt struct {
	Span
	Name *Ident
	Body string // text after the name, "" for a bare declaration
}

func (*LetStmt) stmtNode()           {}
func (*ExprStmt) stmtNode()          {}
func (*SetStmt) stmtNode()           {}
func (*DeclareParamsStmt) stmtNode() {}
func (*AliasStmt) stmtNode()         {}
func (*RestrictStmt) stmtNode()      {}
func (*PatternStmt) stmtNode()       {}

// ---- expressions

// Ident is a name: a column, table, function, variable or parameter.
// Bracketed records the `['name']` form, kept so that printing preserves it.
type Ident struct {
	Span
	Name      string
	Bracketed bool
}

// LitKind classifies literals.
type LitKind uint8

// Literal kinds.
const (
	LitBool LitKind = iota
	LitInt
	LitLong
	LitReal
	LitDecimal
	LitDatetime
	LitTimespan
	LitGuid
	LitString
	LitNull // bare `null` in dynamic literals
)

var litKindNames = [...]string{"bool", "int", "long", "real", "decimal", "datetime", "timespan", "guid", "string", "null"}

func (k LitKind) String() string { return litKindNames[k] }

// Literal is a scalar constant. Text is exactly as written: `12`, `1.5`,
// `2d`, `'a' "b"`, `datetime(2020-01-01)`, `int(null)`, `real(+inf)`.
// Value helpers in literal.go decode it.
type Literal struct {
	Span
	Kind LitKind
	Text string
}

// DynamicLit is `dynamic(Value)`, where Value is a Literal, *ArrayLit,
// *BagLit, or nil for `dynamic(null)`.
type DynamicLit struct {
	Span
	Value Expr
}

// ArrayLit is a JSON-like array inside a dynamic literal.
type ArrayLit struct {
	Span
	Elems []Expr
}

// BagLit is a JSON-like property bag inside a dynamic literal.
type BagLit struct {
	Span
	Keys   []string // decoded key strings
	Values []Expr
}

// Paren is a parenthesised expression.
type Paren struct {
	Span
	X Expr
}

// Unary is `-X`, `+X`.
type Unary struct {
	Span
	Op string
	X  Expr
}

// Binary is `L Op R`. Op is the operator as written in lower case for
// keywords (`and`, `has_cs`, `!contains`, `matches regex`) or symbols (`==`, `+`).
type Binary struct {
	Span
	Op string
	L  Expr
	R  Expr
}

// ListExpr is `X Op (List...)` for Op in `in`, `!in`, `in~`, `!in~`,
// `has_any`, `has_all`.
type ListExpr struct {
	Span
	Op   string
	X    Expr
	List []Expr
}

// Between is `X [!]between (Lo .. Hi)`.
type Between struct {
	Span
	Not bool
	X   Expr
	Lo  Expr
	Hi  Expr
}

// Call is a function call `Fun(Args...)`.
type Call struct {
	Span
	Fun  Expr
	Args []Expr
}

// NamedArg is `Name = Value` in an argument list.
type NamedArg struct {
	Span
	Name  *Ident
	Value Expr
}

// Member is `X.Name`.
type Member struct {
	Span
	X    Expr
	Name *Ident
}

// Index is `X[Index]`.
type Index struct {
	Span
	X     Expr
	Index Expr
}

// Star is `*` used as an argument (`count(*)`... `pack_all(*)`, `typeof(*)`)
// or as a search target (`where * has "x"`).
type Star struct {
	Span
}

// Pattern is a column or table name pattern with wildcards, such as
// `Sec*`, `*Id`, `*`.
type Pattern struct {
	Span
	Text string
}

// TypeOf is `typeof(Schema...)` or `typeof(scalarType)`.
type TypeOf struct {
	Span
	Type *TypeRef
}

// Pipe is `Source | Op`.
type Pipe struct {
	Span
	Source Expr
	Op     Operator
}

// SourceOp is an operator that starts a pipeline: print, datatable, range,
// union, find, search, evaluate, externaldata.
type SourceOp struct {
	Span
	Op Operator
}

// FuncLit is the body of a user-defined function or view:
// `[view] (Params) { Stmts }`.
type FuncLit struct {
	Span
	View   bool
	Params []*Param
	Body   []Stmt
}

// Param is a function or query parameter `Name:Type [= Default]`.
type Param struct {
	Span
	Name    *Ident
	Type    *TypeRef
	Default Expr
}

// TypeRef is a scalar type name (`long`, `string`) or a tabular schema
// `(Col:type, ..., *)`.
type TypeRef struct {
	Span
	Scalar  string
	Tabular bool
	Columns []*ColumnDecl
}

// ColumnDecl is `Name:Type` in a schema; Name "*" stands for any columns.
type ColumnDecl struct {
	Span
	Name *Ident
	Type *TypeRef // nil for "*"
}

// ClientParam is a client-side parameter reference `{Name}` or
// `{Name:format}` that a client (a workbook, Kusto Explorer) substitutes
// before the query runs.
type ClientParam struct {
	Span
	Text string // as written, braces included
}

func (*ClientParam) exprNode() {}

// EntityGroup is `entity_group [Entity, ...]`.
type EntityGroup struct {
	Span
	Entities []Expr
}

func (*EntityGroup) exprNode() {}
func (*Ident) exprNode()       {}
func (*Literal) exprNode()     {}
func (*DynamicLit) exprNode()  {}
func (*ArrayLit) exprNode()    {}
func (*BagLit) exprNode()      {}
func (*Paren) exprNode()       {}
func (*Unary) exprNode()       {}
func (*Binary) exprNode()      {}
func (*ListExpr) exprNode()    {}
func (*Between) exprNode()     {}
func (*Call) exprNode()        {}
func (*NamedArg) exprNode()    {}
func (*Member) exprNode()      {}
func (*Index) exprNode()       {}
func (*Star) exprNode()        {}
func (*Pattern) exprNode()     {}
func (*TypeOf) exprNode()      {}
func (*Pipe) exprNode()        {}
func (*SourceOp) exprNode()    {}
func (*FuncLit) exprNode()     {}
