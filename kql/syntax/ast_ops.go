package syntax

// Pieces shared by operators.

// OpParam is `Name=Value` written before an operator's arguments:
// `kind=inner`, `hint.strategy=shuffle`, `withsource=T`, `bagexpansion=array`,
// or a render property. Value may be a *Tuple for list-valued properties.
type OpParam struct {
	Span
	Name  string
	Value Expr
}

// Tuple is a comma-separated list of values of a render property
// (`ycolumns=a, b`).
type Tuple struct {
	Span
	Elems []Expr
}

func (*Tuple) exprNode() {}

// Assign is `[Name =] Value` or `(Name1, Name2) = Value` in a column list.
type Assign struct {
	Span
	Names []*Ident // empty when no name is given
	Tuple bool     // written `(a, b) = ...`
	Value Expr
}

// SortKey is `X [asc|desc] [nulls first|last]`; project-reorder also allows
// `granny-asc` and `granny-desc`.
type SortKey struct {
	Span
	X     Expr
	Order string // "", "asc", "desc", "granny-asc", "granny-desc"
	Nulls string // "", "first", "last"
}

// OpChain is a pipeline of operators without a source: the body of
// `mv-apply ... on (...)`, `fork (...)`, `facet ... with (...)`, `partition ... (...)`.
type OpChain struct {
	Span
	Ops []Operator
}

// ---- operators, in alphabetical order

// As is `as [hint.materialized=true] Name`.
type As struct {
	Span
	Params []*OpParam
	Alias  *Ident
}

// Consume is `consume [decodeblocks=true]`.
type Consume struct {
	Span
	Params []*OpParam
}

// Count is `count [as Name]`.
type Count struct {
	Span
	Params []*OpParam
	As     *Ident
}

// Datatable is `datatable (Schema) [Values...]`.
type Datatable struct {
	Span
	Params []*OpParam
	Schema *TypeRef
	Values []Expr
}

// Distinct is `distinct [Name =] Expr, ...` or `distinct *`.
type Distinct struct {
	Span
	Params []*OpParam
	Cols   []*Assign
}

// Evaluate is `evaluate [params] Plugin(args) [: OutputSchema]`.
type Evaluate struct {
	Span
	Params []*OpParam
	Call   *Call
	Schema *TypeRef
}

// Extend is `extend [Name =] Expr, ...`.
type Extend struct {
	Span
	Cols []*Assign
}

// Externaldata is `externaldata (Schema) [URIs...] [with (Props)]`; the
// keyword may also be written `external_data`.
type Externaldata struct {
	Span
	Params []*OpParam
	Schema *TypeRef
	URIs   []Expr
	With   []*OpParam
}

// InlineExternalTable is `inline_external_table [(Schema)] [params] (URIs...)
// [with (Props)]`.
type InlineExternalTable struct {
	Span
	Schema *TypeRef // nil when the schema is inferred
	Params []*OpParam
	URIs   []Expr
	With   []*OpParam
}

// Facet is `facet by Col, ... [with (Ops)]`.
type Facet struct {
	Span
	By   []Expr
	With *OpChain
}

// Find is `find [params] [in (Tables)] where Pred [project-smart | project Cols]`.
type Find struct {
	Span
	Params       []*OpParam
	Tables       []Expr
	Pred         Expr
	ProjectSmart bool
	Project      []Expr // names or *ColumnDeclExpr
}

// ForkBranch is `[Name =] (Ops)` in a fork.
type ForkBranch struct {
	Span
	Name *Ident
	Ops  *OpChain
}

// Fork is `fork Branch ...`.
type Fork struct {
	Span
	Branches []*ForkBranch
}

// GetSchema is `getschema`.
type GetSchema struct {
	Span
}

// Invoke is `invoke Function(args)`.
type Invoke struct {
	Span
	Call *Call
}

// Join is `join [params] Right on Conditions`; Right is usually
// parenthesised. A `where` clause is also accepted in place of `on`.
type Join struct {
	Span
	Params []*OpParam
	Right  Expr
	On     []Expr
	Where  Expr
}

// Lookup is `lookup [kind=...] Right on Conditions`.
type Lookup struct {
	Span
	Params []*OpParam
	Right  Expr
	On     []Expr
}

// MacroExpand is `macro-expand [params] Group as Alias (Query)`.
type MacroExpand struct {
	Span
	Params []*OpParam
	Group  Expr
	Alias  *Ident
	Body   Expr
}

// SeriesAgg is `[Name =] Aggregation [default = Value]` in make-series.
type SeriesAgg struct {
	Span
	Assign  *Assign
	Default Expr
}

// MakeSeries is `make-series [params] Aggs on Axis [from A] [to B] step S
// [by Cols]`, or the legacy `on Axis in range(A, B, S)`.
type MakeSeries struct {
	Span
	Params  []*OpParam
	Aggs    []*SeriesAgg
	On      Expr
	From    Expr
	To      Expr
	Step    Expr
	InRange *Call // legacy `in range(start, stop, step)`
	By      []*Assign
}

// ExpandItem is `[Name =] Expr [to typeof(Type)]` in mv-expand and mv-apply.
type ExpandItem struct {
	Span
	Assign *Assign
	To     *TypeRef
}

// MvApply is `mv-apply [params] Items [limit N] [id=...] on (Ops)`.
type MvApply struct {
	Span
	Params []*OpParam
	Items  []*ExpandItem
	Limit  Expr
	Ops    *OpChain
}

// MvExpand is `mv-expand [params] Items [limit N]`; the deprecated keyword
// `mvexpand` parses to the same node.
type MvExpand struct {
	Span
	Params []*OpParam
	Items  []*ExpandItem
	Limit  Expr
}

// ParseElem is one element of a parse pattern: `*`, a string literal, or a
// column `Name[:type]`.
type ParseElem struct {
	Span
	Star   bool
	Lit    *Literal
	Column *ColumnDecl
}

// ParseOp is `parse [kind=...] [flags=...] X with Pattern...`; ParseWhere is
// the same with the `parse-where` keyword.
type ParseOp struct {
	Span
	Where   bool
	Params  []*OpParam
	X       Expr
	Pattern []*ParseElem
}

// ParseKV is `parse-kv X as (Keys) [with (Props)]`.
type ParseKV struct {
	Span
	X    Expr
	Keys []*ColumnDecl
	With []*OpParam
}

// Partition is `partition [params] by Col (Ops)` or the legacy
// `partition [params] by Col { Query }`.
type Partition struct {
	Span
	Params []*OpParam
	By     Expr
	Ops    *OpChain // ( Ops ) form
	Body   Expr     // { Query } form
}

// PrintOp is `print [Name =] Expr, ...`.
type PrintOp struct {
	Span
	Cols []*Assign
}

// Project is `project [Name =] Expr, ...`.
type Project struct {
	Span
	Cols []*Assign
}

// ProjectAway is `project-away Name|Pattern, ...`.
type ProjectAway struct {
	Span
	Cols []Expr
}

// ProjectKeep is `project-keep Name|Pattern, ...`.
type ProjectKeep struct {
	Span
	Cols []Expr
}

// ProjectRename is `project-rename New = Old, ...`.
type ProjectRename struct {
	Span
	Cols []*Assign
}

// ProjectReorder is `project-reorder Name|Pattern [asc|desc|granny-asc|granny-desc], ...`.
type ProjectReorder struct {
	Span
	Keys []*SortKey
}

// ProjectByNames is `project-by-names Name, ...`.
type ProjectByNames struct {
	Span
	Cols []Expr
}

// Range is `range Name from A to B step S`.
type Range struct {
	Span
	Column *Ident
	From   Expr
	To     Expr
	Step   Expr
}

// Reduce is `reduce [kind=...] by X [with Props]`.
type Reduce struct {
	Span
	Params []*OpParam
	By     Expr
	With   []*OpParam
}

// Render is `render Chart [with (Props)]`; legacy properties written
// without `with` (`render timechart kind=stacked`) are kept in Legacy.
type Render struct {
	Span
	Chart  *Ident
	With   []*OpParam
	Legacy []*OpParam
}

// Sample is `sample N`.
type Sample struct {
	Span
	Params []*OpParam
	N      Expr
}

// SampleDistinct is `sample-distinct N of X`.
type SampleDistinct struct {
	Span
	Params []*OpParam
	N      Expr
	Of     Expr
}

// ScanStep is `step Name [optional] [output=all|last|none] : Cond [=> Assigns];`.
type ScanStep struct {
	Span
	Name     *Ident
	Optional bool
	Output   string
	Cond     Expr
	Assigns  []*Assign
}

// Scan is `scan [params] [declare (Params)] with (Steps)`.
type Scan struct {
	Span
	Params  []*OpParam
	Declare []*Param
	Steps   []*ScanStep
}

// Search is `search [params] [in (Tables)] Pred`.
type Search struct {
	Span
	Params []*OpParam
	Tables []Expr
	Pred   Expr
}

// Serialize is `serialize [Name = Expr, ...]`.
type Serialize struct {
	Span
	Cols []*Assign
}

// Sort is `sort|order by Key, ...`.
type Sort struct {
	Span
	Params []*OpParam
	Keys   []*SortKey
}

// Summarize is `summarize [params] [Aggs] [by Keys]`.
type Summarize struct {
	Span
	Params []*OpParam
	Aggs   []*Assign
	By     []*Assign
}

// Take is `take|limit N`.
type Take struct {
	Span
	Params []*OpParam
	N      Expr
}

// Top is `top N by Key, ...`.
type Top struct {
	Span
	Params []*OpParam
	N      Expr
	Keys   []*SortKey
}

// TopHitters is `top-hitters N of X [by Y]`.
type TopHitters struct {
	Span
	N  Expr
	Of Expr
	By Expr
}

// TopNestedLevel is `top-nested [N] of [Name =] X [with others = V] by [Name =] Agg [asc|desc]`.
type TopNestedLevel struct {
	Span
	N      Expr
	Of     *Assign
	Others Expr
	By     *Assign
	Order  string
}

// TopNested is a comma-separated list of top-nested levels.
type TopNested struct {
	Span
	Levels []*TopNestedLevel
}

// Union is `union [params] Table, ...`.
type Union struct {
	Span
	Params []*OpParam
	Tables []Expr
}

// Where is `where|filter Pred`.
type Where struct {
	Span
	Params []*OpParam
	Pred   Expr
}

// ColumnDeclExpr wraps a `Name:type` column declaration where an expression
// is expected (find's project list).
type ColumnDeclExpr struct {
	Span
	Decl *ColumnDecl
}

func (*ColumnDeclExpr) exprNode() {}

func (*As) Name() string                  { return "as" }
func (*Consume) Name() string             { return "consume" }
func (*Count) Name() string               { return "count" }
func (*Datatable) Name() string           { return "datatable" }
func (*Distinct) Name() string            { return "distinct" }
func (*Evaluate) Name() string            { return "evaluate" }
func (*Extend) Name() string              { return "extend" }
func (*Externaldata) Name() string        { return "externaldata" }
func (*InlineExternalTable) Name() string { return "inline_external_table" }
func (*Facet) Name() string               { return "facet" }
func (*Find) Name() string                { return "find" }
func (*Fork) Name() string                { return "fork" }
func (*GetSchema) Name() string           { return "getschema" }
func (*Invoke) Name() string              { return "invoke" }
func (*Join) Name() string                { return "join" }
func (*Lookup) Name() string              { return "lookup" }
func (*MacroExpand) Name() string         { return "macro-expand" }
func (*MakeSeries) Name() string          { return "make-series" }
func (*MvApply) Name() string             { return "mv-apply" }
func (*MvExpand) Name() string            { return "mv-expand" }
func (*ParseKV) Name() string             { return "parse-kv" }
func (*Partition) Name() string           { return "partition" }
func (*PrintOp) Name() string             { return "print" }
func (*Project) Name() string             { return "project" }
func (*ProjectAway) Name() string         { return "project-away" }
func (*ProjectKeep) Name() string         { return "project-keep" }
func (*ProjectRename) Name() string       { return "project-rename" }
func (*ProjectReorder) Name() string      { return "project-reorder" }
func (*ProjectByNames) Name() string      { return "project-by-names" }
func (*Range) Name() string               { return "range" }
func (*Reduce) Name() string              { return "reduce" }
func (*Render) Name() string              { return "render" }
func (*Sample) Name() string              { return "sample" }
func (*SampleDistinct) Name() string      { return "sample-distinct" }
func (*Scan) Name() string                { return "scan" }
func (*Search) Name() string              { return "search" }
func (*Serialize) Name() string           { return "serialize" }
func (*Sort) Name() string                { return "sort" }
func (*Summarize) Name() string           { return "summarize" }
func (*Take) Name() string                { return "take" }
func (*Top) Name() string                 { return "top" }
func (*TopHitters) Name() string          { return "top-hitters" }
func (*TopNested) Name() string           { return "top-nested" }
func (*Union) Name() string               { return "union" }
func (*Where) Name() string               { return "where" }

// Name reports "parse" or "parse-where".
func (o *ParseOp) Name() string {
	if o.Where {
		return "parse-where"
	}
	return "parse"
}
