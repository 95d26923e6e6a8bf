package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// rulePruneColumns propagates needed columns from the root down. A
// Project expression whose column nobody reads becomes a constant null,
// and a scan returns only the columns read above it. Schemas never change
// (unread columns are constant nulls, which cost nothing), so no column
// index above a rewritten node moves.
var rulePruneColumns = Rule{Name: "prune_columns", Tree: func(root Node, env *Env) (Node, bool) {
	p := &pruner{}
	out := p.prune(root, all(len(root.Schema())))
	return out, p.fired
}}

type pruner struct{ fired bool }

func all(n int) []bool {
	s := make([]bool, n)
	for i := range s {
		s[i] = true
	}
	return s
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

func (p *pruner) prune(n Node, need []bool) Node {
	switch n := n.(type) {
	case *Scan:
		return p.pruneScan(n, need)
	case *Project:
		return p.pruneProject(n, need)
	case *Filter:
		in := append([]bool(nil), need...)
		if !mark(in, n.Pred) {
			in = all(len(in))
		}
		return &Filter{In: p.prune(n.In, in), Pred: n.Pred}
	case *Limit:
		return &Limit{In: p.prune(n.In, need), N: n.N}
	case *Sort:
		in := append([]bool(nil), need...)
		if !mark(in, sortExprs(n.Keys)...) {
			in = all(len(in))
		}
		return &Sort{In: p.prune(n.In, in), Keys: n.Keys}
	case *Top:
		in := append([]bool(nil), need...)
		if !mark(in, sortExprs(n.Keys)...) {
			in = all(len(in))
		}
		return &Top{In: p.prune(n.In, in), N: n.N, Keys: n.Keys}
	case *Aggregate:
		in := make([]bool, len(n.In.Schema()))
		exprs := append([]Expr(nil), n.Keys...)
		for _, a := range n.Aggs {
			exprs = append(exprs, a.Exprs...)
		}
		if !mark(in, exprs...) {
			in = all(len(in))
		}
		c := *n
		c.In = p.prune(n.In, in)
		return &c
	}
	// Other nodes keep every input column.
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
