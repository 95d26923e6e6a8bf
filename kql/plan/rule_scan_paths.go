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
// It looks at chains of Filters and Projects (extend, project) over a
// Scan, topped by a Project, an Aggregate (keys and aggregate arguments)
// or a Filter. Every maximal `c.a.b` / `c["a"]["b"]` over a dynamic
// column of the scan (read directly or passed through by the Projects
// below), and every `tostring`, `toint`, `tolong`, `toreal` (`todouble`)
// and `tobool` (`toboolean`) of one, becomes a PathColumn of the scan
// request and the expression a ColRef to the column holding it.
// Element access (`c[0].x`) is left as it is. The path columns go at the
// end of the scan's schema, and the Projects inside the chain pass them
// through at the end of theirs; a Project or Aggregate on top defines its
// own schema, and a Filter on top gets a Project above it that keeps its
// original columns only, so no result sees the extra columns.
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
	case *Project, *Aggregate, *Filter:
		if levels, scan, ok := scanChain(m); ok {
			return r.chain(levels, scan)
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

// scanChain returns n and the Filters and Projects below it down to a
// Scan that has asked for neither columns nor paths yet, top first.
func scanChain(n Node) ([]Node, *Scan, bool) {
	levels := []Node{n}
	in := n.Inputs()[0]
	for {
		switch m := in.(type) {
		case *Filter, *Project:
			levels = append(levels, m)
			in = m.Inputs()[0]
		case *Scan:
			if m.Req.Columns != nil || m.Req.Paths != nil {
				return nil, nil, false
			}
			return levels, m, true
		default:
			return nil, nil, false
		}
	}
}

// chain rewrites the levels above scan, bottom-up. Projects below the
// top pass the path columns through at the end of their schema; a
// Filter on top gets a Project above it that drops them again.
func (r *pathRewriter) chain(levels []Node, scan *Scan) Node {
	c := &pathCollector{scan: scan}
	out := make([]Node, len(levels))
	toScan := make([]int, len(scan.Sch))
	for i := range toScan {
		toScan[i] = i
	}
	for i := len(levels) - 1; i >= 0; i-- {
		c.toScan, c.inLen = toScan, inputLen(levels, i, scan)
		out[i] = c.rewriteNode(levels[i])
		toScan = outputToScan(levels[i], toScan)
	}
	if len(c.paths) == 0 {
		return levels[0]
	}
	r.fired = true
	sc := *scan
	sc.Req.Paths = c.paths
	sc.Sch = c.pathFields(scan.Sch)
	var n Node = &sc
	for i := len(levels) - 1; i >= 0; i-- {
		n = WithInputs(out[i], []Node{n})
		if p, ok := n.(*Project); ok && i > 0 {
			for k, f := range c.pathFields(nil) {
				p.Exprs = append(p.Exprs, &ColRef{Index: inputLen(levels, i, scan) + k, Name: f.Name, T: f.Type})
			}
			p.Sch = c.pathFields(p.Sch)
		}
	}
	if _, ok := levels[0].(*Filter); ok {
		sch := levels[0].Schema()
		keep := make([]Expr, len(sch))
		for i, f := range sch {
			keep[i] = &ColRef{Index: i, Name: f.Name, T: f.Type}
		}
		n = &Project{In: n, Exprs: keep, Sch: sch}
	}
	return n
}

// inputLen is the width of level i's input before the rewrite.
func inputLen(levels []Node, i int, scan *Scan) int {
	if i+1 < len(levels) {
		return len(levels[i+1].Schema())
	}
	return len(scan.Sch)
}

// outputToScan maps the output columns of a Filter or Project to the scan
// columns they pass through (-1 for computed columns), given the same map
// of its input.
func outputToScan(n Node, toScan []int) []int {
	p, ok := n.(*Project)
	if !ok {
		return toScan
	}
	out := make([]int, len(p.Exprs))
	for j, e := range p.Exprs {
		out[j] = -1
		if ref, ok := e.(*ColRef); ok && ref.Index < len(toScan) {
			out[j] = toScan[ref.Index]
		}
	}
	return out
}

// pathCollector replaces path expressions over a scan's dynamic columns
// by references to path columns it adds to the scan.
type pathCollector struct {
	scan  *Scan
	paths []PathColumn
	// toScan maps the input columns of the node being rewritten to scan
	// columns (-1 for computed ones), and inLen is the input's width
	// before the rewrite: path k is the input's column inLen+k.
	toScan []int
	inLen  int
}

// rewriteNode returns a copy of a Filter, Project or Aggregate with its
// expressions rewritten.
func (c *pathCollector) rewriteNode(n Node) Node {
	switch n := n.(type) {
	case *Filter:
		return &Filter{In: n.In, Pred: c.replace(n.Pred)}
	case *Project:
		p := *n
		p.Exprs = c.replaceAll(n.Exprs)
		return &p
	case *Aggregate:
		a := *n
		a.Keys = c.replaceAll(n.Keys)
		a.Aggs = make([]*AggCall, len(n.Aggs))
		for i, ag := range n.Aggs {
			cp := *ag
			cp.Exprs = c.replaceAll(ag.Exprs)
			a.Aggs[i] = &cp
		}
		return &a
	}
	return n
}

func (c *pathCollector) replaceAll(es []Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = c.replace(e)
	}
	return out
}

// pathFields returns a copy of sch followed by a field per path.
func (c *pathCollector) pathFields(sch vec.Schema) vec.Schema {
	out := append(vec.Schema(nil), sch...)
	for _, p := range c.paths {
		out = append(out, vec.Field{Name: p.String(), Type: p.As})
	}
	return out
}

// replace returns e with every maximal path expression replaced.
func (c *pathCollector) replace(e Expr) Expr {
	if p, ok := c.match(e); ok {
		return &ColRef{Index: c.inLen + c.add(p), Name: p.String(), T: p.As}
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
		if ref.Index >= len(c.toScan) || ref.T != types.Dynamic {
			return PathColumn{}, false
		}
		col := c.toScan[ref.Index]
		if col < 0 || c.scan.Sch[col].Type != types.Dynamic {
			return PathColumn{}, false
		}
		return PathColumn{Column: col, Path: []string{key.S}, As: types.Dynamic}, true
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
