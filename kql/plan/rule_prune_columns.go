package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// rulePruneColumns asks a scan for only the columns that the nodes above
// it read, when a Project or an Aggregate reads the scan directly or
// through one Filter. The scan's output keeps its schema: columns not read
// become constant nulls, which cost nothing, so no index above changes.
var rulePruneColumns = Rule{Name: "prune_columns", Apply: func(n Node, env *Env) (Node, bool) {
	var exprs []Expr
	switch p := n.(type) {
	case *Project:
		exprs = append(exprs, p.Exprs...)
	case *Aggregate:
		exprs = append(exprs, p.Keys...)
		for _, a := range p.Aggs {
			exprs = append(exprs, a.Exprs...)
		}
	default:
		return n, false
	}
	in := n.Inputs()[0]
	f, hasFilter := in.(*Filter)
	if hasFilter {
		exprs = append(exprs, f.Pred)
		in = f.In
	}
	s, ok := in.(*Scan)
	if !ok {
		return n, false
	}
	w, ok := pruneScan(s, exprs)
	if !ok {
		return n, false
	}
	var newIn Node = w
	if hasFilter {
		newIn = &Filter{In: w, Pred: f.Pred}
	}
	return WithInputs(n, []Node{newIn}), true
}}

// pruneScan narrows s to the columns exprs read.
func pruneScan(s *Scan, exprs []Expr) (*Widen, bool) {
	if s.Req.Columns != nil {
		return nil, false
	}
	need := map[int]bool{}
	for _, e := range exprs {
		if !columnsOf(e, need) {
			return nil, false
		}
	}
	for _, e := range s.Req.Filter {
		columnsOf(e, need)
	}
	if s.Req.TimeColumn >= 0 {
		need[s.Req.TimeColumn] = true
	}
	if len(need) == len(s.Sch) {
		return nil, false
	}
	sc := *s
	sc.Req.Columns = []int{}
	sc.Sch = nil
	for i, f := range s.Sch {
		if need[i] {
			sc.Req.Columns = append(sc.Req.Columns, i)
			sc.Sch = append(sc.Sch, f)
		}
	}
	return &Widen{In: &sc, Sch: s.Sch}, true
}

// Widen restores a pruned scan's full schema: the scan returns the
// columns in In.Req.Columns, Widen puts them back at their positions and
// fills the others with constant nulls.
type Widen struct {
	In  *Scan
	Sch vec.Schema
}

// Schema returns the full schema of the table.
func (n *Widen) Schema() vec.Schema { return n.Sch }

// Inputs returns nothing: the scan below is part of Widen.
func (n *Widen) Inputs() []Node { return nil }

// NullOf returns the null value of the i-th column's type.
func (n *Widen) NullOf(i int) types.Value { return types.NullOf(n.Sch[i].Type) }
