package plan

import (
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Node is a relational operator of the plan. Schema is the output schema.
type Node interface {
	Schema() vec.Schema
	// Inputs returns the node's tabular inputs, for rules and printing.
	Inputs() []Node
}

// Table is what a Scan reads: a table of the workspace or an in-memory
// table. Storage implements it; the planner pushes the needed columns,
// time range and simple predicates into Scan before the executor calls it.
type Table interface {
	Name() string
	Schema() vec.Schema
	// Scan returns the rows of the table restricted as far as the table can
	// by req; the executor re-applies req.Filter to whatever comes back.
	Scan(req *ScanRequest) (BatchIterator, error)
}

// BatchIterator yields batches until it returns nil, nil.
// Next is called by one goroutine; a batch is valid until the next call.
type BatchIterator interface {
	Next() (*vec.Batch, error)
	Close()
}

// ScanRequest is what the planner asks of a table.
type ScanRequest struct {
	// Columns are the indexes of the table's columns to return, in order;
	// nil means all.
	Columns []int
	// TimeColumn, MinTime and MaxTime restrict rows to
	// MinTime <= TimeColumn < MaxTime when TimeColumn >= 0.
	TimeColumn       int
	MinTime, MaxTime int64
	// Filter holds conjuncts over the table's columns that the table may
	// use to skip data. A ColRef index below len(Schema()) refers to the
	// table schema; index len(Schema())+k refers to Paths[k].
	Filter []Expr
	// Limit, when > 0, allows the table to stop after that many rows.
	Limit int64
	// Paths are sub-values of dynamic columns the table returns as columns
	// of their own, one per entry and in order, after the requested
	// columns (after all of them when Columns is nil). A table must honour
	// them: the values must equal what ExtractPath computes from the
	// dynamic column, which need not be among Columns (a table that stores
	// frequent paths as typed sub-columns reads those instead).
	Paths []PathColumn
}

// Scan reads a table.
type Scan struct {
	Table Table
	Req   ScanRequest
	// Sch is the schema after column selection: the selected columns,
	// then one column per Req.Paths entry.
	Sch vec.Schema
}

// Values is a constant table: datatable rows, or the one row of print.
type Values struct {
	Sch  vec.Schema
	Rows [][]Expr
}

// Range is `range Name from From to To step Step`.
type Range struct {
	Sch            vec.Schema
	From, To, Step Expr
}

// Filter keeps rows where Pred is true.
type Filter struct {
	In   Node
	Pred Expr
	// Unread marks the output columns no operator above reads (nil when
	// all are read, set by prune_columns): the filter may return them as
	// constant nulls instead of copying the rows that pass.
	Unread []bool
}

// Project computes a new row from each input row: extend, project,
// project-away, project-rename and project-reorder all become Project.
type Project struct {
	In    Node
	Exprs []Expr
	Sch   vec.Schema
	// Serial is set when an expression uses a window function, so the
	// executor must evaluate all rows in order at once.
	Serial bool
}

// AggCall is one aggregate of an Aggregate node.
type AggCall struct {
	Name  string
	Fn    *builtin.Aggregate
	New   func() builtin.AggState
	Args  []builtin.Arg
	Exprs []Expr
	T     types.Type
	// Out are the columns this aggregate produces: one for most, several
	// for arg_max(x, *) and percentiles(x, 50, 90), whose states implement
	// builtin.MultiAggState.
	Out vec.Schema
}

// Aggregate groups by Keys and computes Aggs: summarize, distinct, count.
type Aggregate struct {
	In   Node
	Keys []Expr
	Aggs []*AggCall
	// Sch is the key columns followed by every aggregate's Out columns.
	Sch vec.Schema
}

// SortKey is one key of Sort and Top.
type SortKey struct {
	X          Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders rows.
type Sort struct {
	In   Node
	Keys []SortKey
}

// Limit keeps the first N rows (take, limit).
type Limit struct {
	In Node
	N  int64
}

// Top keeps the first N rows in key order.
type Top struct {
	In   Node
	N    int64
	Keys []SortKey
}

// Join combines two inputs on equal keys.
type Join struct {
	Left, Right Node
	Kind        string // innerunique, inner, leftouter, rightouter, fullouter, leftanti, rightanti, leftsemi, rightsemi
	LeftKeys    []Expr // over Left's schema
	RightKeys   []Expr // over Right's schema
	// Where is an extra predicate over the concatenated left and right
	// columns (join ... on $left.a < $right.b style conditions).
	Where Expr
	Sch   vec.Schema
	// LeftCols and RightCols map output columns to input columns (-1 when
	// the column comes from the other side).
	LeftCols, RightCols []int
}

// Union concatenates inputs; columns are matched by name.
type Union struct {
	Ins []Node
	Sch vec.Schema
	// Maps[i][j] is the column of input i that feeds output column j, or -1.
	Maps [][]int
	// SourceColumn, when >= 0, is the output column that receives the
	// name of the input each row came from (withsource=).
	SourceColumn int
	SourceNames  []string
}

// Shared is a subplan referenced more than once (let with materialize());
// the executor evaluates it once per query.
type Shared struct {
	In Node
	ID int
}

// MvExpand expands arrays and bags into rows.
type MvExpand struct {
	In Node
	// Exprs are the expanded expressions; Targets the output column each
	// writes (an existing input column or a new one appended at the end).
	Exprs     []Expr
	Targets   []int
	ToTypes   []types.Type
	BagArray  bool // bagexpansion=array
	IndexName string
	Limit     int64
	Sch       vec.Schema
}

func (n *Scan) Schema() vec.Schema      { return n.Sch }
func (n *Values) Schema() vec.Schema    { return n.Sch }
func (n *Range) Schema() vec.Schema     { return n.Sch }
func (n *Filter) Schema() vec.Schema    { return n.In.Schema() }
func (n *Project) Schema() vec.Schema   { return n.Sch }
func (n *Aggregate) Schema() vec.Schema { return n.Sch }
func (n *Sort) Schema() vec.Schema      { return n.In.Schema() }
func (n *Limit) Schema() vec.Schema     { return n.In.Schema() }
func (n *Top) Schema() vec.Schema       { return n.In.Schema() }
func (n *Join) Schema() vec.Schema      { return n.Sch }
func (n *Union) Schema() vec.Schema     { return n.Sch }
func (n *Shared) Schema() vec.Schema    { return n.In.Schema() }
func (n *MvExpand) Schema() vec.Schema  { return n.Sch }

func (n *Scan) Inputs() []Node      { return nil }
func (n *Values) Inputs() []Node    { return nil }
func (n *Range) Inputs() []Node     { return nil }
func (n *Filter) Inputs() []Node    { return []Node{n.In} }
func (n *Project) Inputs() []Node   { return []Node{n.In} }
func (n *Aggregate) Inputs() []Node { return []Node{n.In} }
func (n *Sort) Inputs() []Node      { return []Node{n.In} }
func (n *Limit) Inputs() []Node     { return []Node{n.In} }
func (n *Top) Inputs() []Node       { return []Node{n.In} }
func (n *Join) Inputs() []Node      { return []Node{n.Left, n.Right} }
func (n *Union) Inputs() []Node     { return n.Ins }
func (n *Shared) Inputs() []Node    { return []Node{n.In} }
func (n *MvExpand) Inputs() []Node  { return []Node{n.In} }

// Describe prints a plan as an indented tree, one node a line.
func Describe(n Node) string {
	var b strings.Builder
	describe(&b, n, 0)
	return b.String()
}

func describe(b *strings.Builder, n Node, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
	b.WriteString(nodeLine(n))
	b.WriteByte('\n')
	for _, in := range n.Inputs() {
		describe(b, in, depth+1)
	}
}

func nodeLine(n Node) string {
	switch n := n.(type) {
	case *Scan:
		line := fmt.Sprintf("Scan %s cols=%v time=%d filter=%v limit=%d", n.Table.Name(), n.Req.Columns, n.Req.TimeColumn, n.Req.Filter, n.Req.Limit)
		if len(n.Req.Paths) > 0 {
			line += fmt.Sprintf(" paths=%v", n.Req.Paths)
		}
		return line
	case *Widen:
		return "Widen " + nodeLine(n.In)
	case *Filter:
		return "Filter " + n.Pred.String()
	case *Project:
		return fmt.Sprintf("Project %v", n.Exprs)
	case *Aggregate:
		return fmt.Sprintf("Aggregate keys=%v aggs=%d", n.Keys, len(n.Aggs))
	case *Limit:
		return fmt.Sprintf("Limit %d", n.N)
	case *Top:
		return fmt.Sprintf("Top %d", n.N)
	case *Join:
		return "Join " + n.Kind
	}
	return fmt.Sprintf("%T", n)
}
