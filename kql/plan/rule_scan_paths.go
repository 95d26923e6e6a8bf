package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// ruleScanPaths asks scans for the sub-values of dynamic columns that the
// nodes right above them read, so that storage can answer
// `tostring(DeviceDetail.operatingSystem)` from a shredded typed
// sub-column instead of decoding every dynamic value.
//
// It looks at a Project or Aggregate (keys and aggregate arguments) over
// zero or more Filters over a Scan, and at such Filters under any other
// node. Every maximal `c.a.b` / `c["a"]["b"]` over a dynamic column of
// the scan, and every `tostring`, `toint`, `tolong`, `toreal`
// (`todouble`) and `tobool` (`toboolean`) of one, becomes a PathColumn of
// the scan request and the expression a ColRef to the scan's column for
// it. Element access (`c[0].x`) is left as it is. The scan's schema grows
// by the path columns at its end; the Project or Aggregate defines its
// own schema, and Filters without one get a Project above them that keeps
// the table's columns only, so no result sees the extra columns.
//
// It runs before push_filter, so pushed conjuncts read the path columns
// (storage can skip blocks by a sub-column's min/max), and before
// prune_columns, which then stops reading a dynamic column whose paths
// are all that is needed.
var ruleScanPaths = Rule{Name: "scan_paths", Tree: func(root Node, env *Env) (Node, bool) {
	r := &pathRewriter{seen: map[*Shared]bool{}}
	return r.rewrite(root), r.fired
}}

type pathRewriter struct {
	fired bool
	seen  map[*Shared]bool
}

func (r *pathRewriter) rewrite(n Node) Node {
	switch m := n.(type) {
	case *Project, *Aggregate:
		if filters, scan, ok := scanChain(m.Inputs()[0]); ok {
			return r.consumer(m, filters, scan)
		}
	case *Filter:
		if filters, scan, ok := scanChain(m); ok {
			return r.bareFilters(m, filters, scan)
		}
	case *Shared:
		if r.seen[m] {
			return n
		}
		r.seen[m] = true
	}
	ins := n.Inputs()
	if len(ins) == 0 {
		return n
	}
	out := make([]Node, len(ins))
	changed := false
	for i, in := range ins {
		out[i] = r.rewrite(in)
		changed = changed || out[i] != in
	}
	if !changed {
		return n
	}
	return WithInputs(n, out)
}

// scanChain returns the Filters from n down to a Scan that has asked for
// neither columns nor paths yet, top first.
func scanChain(n Node) ([]*Filter, *Scan, bool) {
	var filters []*Filter
	for {
		switch m := n.(type) {
		case *Filter:
			filters = append(filters, m)
			n = m.In
		case *Scan:
			if m.Req.Columns != nil || m.Req.Paths != nil {
				return nil, nil, false
			}
			return filters, m, true
		default:
			return nil, nil, false
		}
	}
}

// consumer rewrites a Project or Aggregate n over filters over scan.
func (r *pathRewriter) consumer(n Node, filters []*Filter, scan *Scan) Node {
	c := &pathCollector{scan: scan}
	preds := c.replaceFilters(filters)
	var out Node
	switch n := n.(type) {
	case *Project:
		p := *n
		p.Exprs = c.replaceAll(n.Exprs)
		out = &p
	case *Aggregate:
		a := *n
		a.Keys = c.replaceAll(n.Keys)
		a.Aggs = make([]*AggCall, len(n.Aggs))
		for i, ag := range n.Aggs {
			cp := *ag
			cp.Exprs = c.replaceAll(ag.Exprs)
			a.Aggs[i] = &cp
		}
		out = &a
	}
	if len(c.paths) == 0 {
		return n
	}
	r.fired = true
	return WithInputs(out, []Node{c.rebuild(filters, preds)})
}

// bareFilters rewrites filters over scan whose consumer keeps their
// schema: a Project above them drops the path columns again.
func (r *pathRewriter) bareFilters(top *Filter, filters []*Filter, scan *Scan) Node {
	c := &pathCollector{scan: scan}
	preds := c.replaceFilters(filters)
	if len(c.paths) == 0 {
		return top
	}
	r.fired = true
	keep := make([]Expr, len(scan.Sch))
	for i, f := range scan.Sch {
		keep[i] = &ColRef{Index: i, Name: f.Name, T: f.Type}
	}
	return &Project{In: c.rebuild(filters, preds), Exprs: keep, Sch: scan.Sch}
}

// pathCollector replaces path expressions over a scan's dynamic columns
// by references to path columns it adds to the scan.
type pathCollector struct {
	scan  *Scan
	paths []PathColumn
}

func (c *pathCollector) replaceAll(es []Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = c.replace(e)
	}
	return out
}

func (c *pathCollector) replaceFilters(filters []*Filter) []Expr {
	preds := make([]Expr, len(filters))
	for i, f := range filters {
		preds[i] = c.replace(f.Pred)
	}
	return preds
}

// rebuild returns the filters, with their new predicates, over the scan
// extended by the collected paths.
func (c *pathCollector) rebuild(filters []*Filter, preds []Expr) Node {
	sc := *c.scan
	sc.Req.Paths = c.paths
	sc.Sch = append(vec.Schema(nil), c.scan.Sch...)
	for _, p := range c.paths {
		sc.Sch = append(sc.Sch, vec.Field{Name: p.String(), Type: p.As})
	}
	var n Node = &sc
	for i := len(filters) - 1; i >= 0; i-- {
		n = &Filter{In: n, Pred: preds[i]}
	}
	return n
}

// replace returns e with every maximal path expression replaced.
func (c *pathCollector) replace(e Expr) Expr {
	if p, ok := c.match(e); ok {
		return &ColRef{Index: len(c.scan.Sch) + c.add(p), Name: p.String(), T: p.As}
	}
	switch e := e.(type) {
	case *Call:
		var args []Expr
		for i, a := range e.Args {
			if r := c.replace(a); r != a {
				if args == nil {
					args = append([]Expr(nil), e.Args...)
				}
				args[i] = r
			}
		}
		if args != nil {
			cp := *e
			cp.Args = args
			return &cp
		}
	case *RowSet:
		if x := c.replace(e.X); x != e.X {
			cp := *e
			cp.X = x
			return &cp
		}
	}
	return e
}

// add returns the index of p among the collected paths, adding it.
func (c *pathCollector) add(p PathColumn) int {
	for i, q := range c.paths {
		if q.equal(p) {
			return i
		}
	}
	c.paths = append(c.paths, p)
	return len(c.paths) - 1
}

// match recognises a path expression: a conversion of a path, or a path.
func (c *pathCollector) match(e Expr) (PathColumn, bool) {
	call, ok := e.(*Call)
	if !ok {
		return PathColumn{}, false
	}
	if t, conv := pathTypes[call.Name]; conv && len(call.Args) == 1 && call.T == t {
		p, ok := c.path(call.Args[0])
		p.As = t
		return p, ok
	}
	return c.path(e)
}

// path recognises `__index(... __index(#col, "a") ..., "b")` over a
// dynamic column of the scan with constant string keys.
func (c *pathCollector) path(e Expr) (PathColumn, bool) {
	call, ok := e.(*Call)
	if !ok || call.Name != "__index" || len(call.Args) != 2 || call.T != types.Dynamic {
		return PathColumn{}, false
	}
	key, ok := isConst(call.Args[1])
	if !ok || key.Type != types.String || key.IsNull() {
		return PathColumn{}, false
	}
	if ref, ok := call.Args[0].(*ColRef); ok {
		if ref.Index >= len(c.scan.Sch) || ref.T != types.Dynamic || c.scan.Sch[ref.Index].Type != types.Dynamic {
			return PathColumn{}, false
		}
		return PathColumn{Column: ref.Index, Path: []string{key.S}, As: types.Dynamic}, true
	}
	p, ok := c.path(call.Args[0])
	if !ok {
		return PathColumn{}, false
	}
	p.Path = append(append([]string(nil), p.Path...), key.S)
	return p, true
}

// mapColumns returns e with every column index i replaced by f(i).
func mapColumns(e Expr, f func(int) int) Expr {
	switch e := e.(type) {
	case *ColRef:
		if j := f(e.Index); j != e.Index {
			cp := *e
			cp.Index = j
			return &cp
		}
	case *Call:
		cp := *e
		cp.Args = make([]Expr, len(e.Args))
		for i, a := range e.Args {
			cp.Args[i] = mapColumns(a, f)
		}
		return &cp
	case *RowSet:
		cp := *e
		cp.X = mapColumns(e.X, f)
		return &cp
	}
	return e
}
