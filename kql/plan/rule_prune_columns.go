package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// rulePruneColumns propagates needed columns from the root down. A
// Project expression whose column nobody reads becomes a constant null,
// an aggregate whose columns nobody reads is dropped, and a scan returns
// only the columns read above it. Schemas never change (unread columns
// are constant nulls, which cost nothing), so no column index above a
// rewritten node moves.
//
// A shared subplan (materialize, fork, facet) is evaluated once for all
// its readers, so it keeps the union of the columns they read. The rule
// first collects those unions, repeating the walk until no reader adds a
// column (a shared subplan may read another), then rewrites the plan.
// The plans of subqueries (toscalar, in) are pruned too: they are read
// for their first column only.
var rulePruneColumns = Rule{Name: "prune_columns", Tree: func(root Node, env *Env) (Node, bool) {
	p := &pruner{keepShared: env.KeepShared, shared: map[*Shared][]bool{}, inputs: map[*PartitionInput][]bool{}}
	need := all(len(root.Schema()))
	p.collect = true
	for {
		p.grew = false
		p.visited = map[*Shared]bool{}
		p.prune(root, need)
		if !p.grew {
			break
		}
	}
	p.collect, p.fired = false, false
	p.done, p.subsDone = map[*Shared]Node{}, map[*Subquery]bool{}
	out := p.prune(root, need)
	return out, p.fired
}}

// pruner carries the state of one application of prune_columns.
type pruner struct {
	fired bool
	// keepShared keeps every column of shared subplans (Env.KeepShared).
	keepShared bool
	// collect is set while the readers' needs of shared subplans are
	// collected; nothing is rewritten in place then.
	collect bool
	// grew records that a collecting walk added a column to shared or
	// inputs; visited holds the shared subplans it walked.
	grew    bool
	visited map[*Shared]bool
	// shared and inputs hold the union of the columns the readers of a
	// shared subplan or of a partition's rows need.
	shared map[*Shared][]bool
	inputs map[*PartitionInput][]bool
	// done maps a shared subplan to its rewrite; subsDone holds the
	// subqueries already rewritten (an expression may be in two nodes).
	done     map[*Shared]Node
	subsDone map[*Subquery]bool
}

func all(n int) []bool {
	s := make([]bool, n)
	for i := range s {
		s[i] = true
	}
	return s
}

func allTrue(need []bool) bool {
	for _, b := range need {
		if !b {
			return false
		}
	}
	return true
}

// union adds the columns of add to dst (allocated with n columns when
// nil) and reports whether it added one.
func union(dst, add []bool, n int) ([]bool, bool) {
	if dst == nil {
		dst = make([]bool, n)
	}
	grew := false
	for i, b := range add {
		if b && i < len(dst) && !dst[i] {
			dst[i] = true
			grew = true
		}
	}
	return dst, grew
}

// mark adds the input columns read by exprs to need; it reports false
// when an expression's reads cannot be known.
func mark(need []bool, exprs ...Expr) bool {
	set := map[int]bool{}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		if !columnsOf(e, set) {
			return false
		}
	}
	for i := range set {
		if i < len(need) {
			need[i] = true
		}
	}
	return true
}

// reads returns need (copied) with the columns exprs read added, or
// every column when that cannot be known. It prunes the subqueries of
// exprs on the way.
func (p *pruner) reads(need []bool, exprs ...Expr) []bool {
	in := append([]bool(nil), need...)
	p.subqueries(exprs...)
	if !mark(in, exprs...) {
		return all(len(in))
	}
	return in
}

// subqueries prunes the plans of the subqueries in exprs, which are read
// for their first column.
func (p *pruner) subqueries(exprs ...Expr) {
	for _, e := range exprs {
		p.subqueriesOf(e)
	}
}

func (p *pruner) subqueriesOf(e Expr) {
	switch e := e.(type) {
	case *Call:
		p.subqueries(e.Args...)
	case *RowSet:
		p.subqueriesOf(e.X)
		p.subquery(e.Set)
	case *Subquery:
		p.subquery(e)
	}
}

func (p *pruner) subquery(s *Subquery) {
	if s == nil || s.Plan == nil {
		return
	}
	need := make([]bool, len(s.Plan.Schema()))
	if len(need) > 0 {
		need[0] = true
	}
	if p.collect {
		p.prune(s.Plan, need)
		return
	}
	if p.subsDone[s] {
		return
	}
	p.subsDone[s] = true
	// The subquery is rewritten in place: every expression holding it
	// reads the same plan.
	s.Plan = p.prune(s.Plan, need)
}

// prune returns n rewritten so that the columns in need are computed as
// before; the others may be anything of their type (constant nulls).
func (p *pruner) prune(n Node, need []bool) Node {
	if n == nil {
		return nil
	}
	switch n := n.(type) {
	case *Scan:
		return p.pruneScan(n, need)
	case *Shared:
		return p.pruneShared(n, need)
	case *PartitionInput:
		return p.prunePartitionInput(n, need)
	case *Project:
		return p.pruneProject(n, need)
	case *Aggregate:
		return p.pruneAggregate(n, need)
	}
	if out, ok := p.pruneNode(n, need); ok {
		return out
	}
	// Other nodes keep every input column.
	return p.keepAll(n)
}

// keepAll prunes n's inputs keeping all their columns.
func (p *pruner) keepAll(n Node) Node {
	ins := n.Inputs()
	if len(ins) == 0 {
		return n
	}
	out := make([]Node, len(ins))
	for i, in := range ins {
		out[i] = p.prune(in, all(len(in.Schema())))
	}
	return WithInputs(n, out)
}

// pruneShared gives a shared subplan the columns all its readers need.
func (p *pruner) pruneShared(s *Shared, need []bool) Node {
	width := len(s.In.Schema())
	if p.keepShared {
		need = all(width)
	}
	if p.collect {
		var grew bool
		if p.shared[s], grew = union(p.shared[s], need, width); grew {
			p.grew = true
		}
		if !p.visited[s] {
			p.visited[s] = true
			p.prune(s.In, p.shared[s])
		}
		return s
	}
	if r, ok := p.done[s]; ok {
		return r
	}
	want, _ := union(p.shared[s], need, width)
	p.shared[s] = want
	if allTrue(want) {
		// Every column is read: rewrite in place like the other rules, so
		// that the subplan keeps its identity (it may be evaluated already).
		p.done[s] = s
		s.In = p.prune(s.In, want)
		return s
	}
	in := p.prune(s.In, want)
	if in == s.In {
		p.done[s] = s
		return s
	}
	// A narrowed subplan is a new node: a reader this rule does not see
	// (another query's plan) keeps the whole one.
	ns := &Shared{In: in, ID: s.ID}
	p.done[s] = ns
	p.fired = true
	return ns
}

// prunePartitionInput records the columns a partition's subquery reads.
func (p *pruner) prunePartitionInput(n *PartitionInput, need []bool) Node {
	var grew bool
	if p.inputs[n], grew = union(p.inputs[n], need, len(n.Sch)); grew && p.collect {
		p.grew = true
	}
	return n
}

func sortExprs(keys []SortKey) []Expr {
	out := make([]Expr, len(keys))
	for i, k := range keys {
		out[i] = k.X
	}
	return out
}

func (p *pruner) pruneProject(n *Project, need []bool) Node {
	exprs := append([]Expr(nil), n.Exprs...)
	in := make([]bool, len(n.In.Schema()))
	for i, e := range exprs {
		if i < len(need) && !need[i] && !n.Serial {
			if _, isConst := e.(*Const); !isConst {
				exprs[i] = &Const{V: types.NullOf(n.Sch[i].Type)}
				p.fired = true
			}
			continue
		}
		p.subqueries(e)
		if !mark(in, e) {
			in = all(len(in))
		}
	}
	return &Project{In: p.prune(n.In, in), Exprs: exprs, Sch: n.Sch, Serial: n.Serial}
}

// pruneScan narrows s to the needed columns and paths (and those its
// request uses).
func (p *pruner) pruneScan(s *Scan, need []bool) Node {
	if s.Req.Columns != nil {
		return s
	}
	need = append([]bool(nil), need...)
	p.subqueries(s.Req.Filter...)
	mark(need, s.Req.Filter...)
	if s.Req.TimeColumn >= 0 {
		need[s.Req.TimeColumn] = true
	}
	count := 0
	for _, b := range need {
		if b {
			count++
		}
	}
	if count == len(s.Sch) {
		return s
	}
	ntab := len(s.Sch) - len(s.Req.Paths)
	sc := *s
	sc.Req.Columns = []int{}
	sc.Req.Paths = nil
	sc.Sch = nil
	for i, f := range s.Sch[:ntab] {
		if need[i] {
			sc.Req.Columns = append(sc.Req.Columns, i)
			sc.Sch = append(sc.Sch, f)
		}
	}
	var pos []int
	renumber := map[int]int{}
	for k, pc := range s.Req.Paths {
		if need[ntab+k] {
			renumber[ntab+k] = ntab + len(pos)
			pos = append(pos, ntab+k)
			sc.Req.Paths = append(sc.Req.Paths, pc)
			sc.Sch = append(sc.Sch, s.Sch[ntab+k])
		}
	}
	if len(renumber) < len(s.Req.Paths) && len(s.Req.Filter) > 0 {
		sc.Req.Filter = make([]Expr, len(s.Req.Filter))
		for i, e := range s.Req.Filter {
			sc.Req.Filter[i] = mapColumns(e, func(i int) int {
				if j, ok := renumber[i]; ok {
					return j
				}
				return i
			})
		}
	}
	p.fired = true
	return &Widen{In: &sc, Sch: s.Sch, Paths: pos}
}

// Widen restores a pruned scan's full schema: the scan returns the
// columns in In.Req.Columns and the paths in In.Req.Paths, Widen puts them
// back at their positions and fills the others with constant nulls.
type Widen struct {
	In  *Scan
	Sch vec.Schema
	// Paths holds, for each of In.Req.Paths, the position of its column
	// in Sch.
	Paths []int
}

// Schema returns the scan's schema before pruning: the table's columns,
// then the path columns.
func (n *Widen) Schema() vec.Schema { return n.Sch }

// Inputs returns nothing: the scan below is part of Widen.
func (n *Widen) Inputs() []Node { return nil }

// NullOf returns the null value of the i-th column's type.
func (n *Widen) NullOf(i int) types.Value { return types.NullOf(n.Sch[i].Type) }
