package plan

// How prune_columns passes needed columns through each kind of node. A
// node's input needs the columns its output passes through from the
// input and that are needed above it, plus every column the node itself
// reads to decide which rows there are and what they hold (keys, filters,
// expanded values, parsed text).

// pruneNode prunes the nodes other than scans, shared subplans, projects
// and aggregates; ok is false for a node it does not analyse.
func (p *pruner) pruneNode(n Node, need []bool) (Node, bool) {
	switch n := n.(type) {
	case *Filter:
		return &Filter{In: p.prune(n.In, p.reads(need, n.Pred)), Pred: n.Pred, Unread: unread(need)}, true
	case *Limit:
		return &Limit{In: p.prune(n.In, need), N: n.N}, true
	case *Sample:
		return &Sample{In: p.prune(n.In, need), N: n.N}, true
	case *Sort:
		return &Sort{In: p.prune(n.In, p.reads(need, sortExprs(n.Keys)...)), Keys: n.Keys}, true
	case *Top:
		return &Top{In: p.prune(n.In, p.reads(need, sortExprs(n.Keys)...)), N: n.N, Keys: n.Keys}, true
	case *Join:
		return p.pruneJoin(n, need), true
	case *IPv4Lookup:
		return p.pruneIPv4Lookup(n, need), true
	case *Union:
		return p.pruneUnion(n, need), true
	case *MvExpand:
		c := *n
		c.In = p.prune(n.In, p.reads(passThrough(need, n.In, n.Targets), n.Exprs...))
		return &c, true
	case *MvApply:
		return p.pruneMvApply(n, need), true
	case *Parse:
		c := *n
		c.In = p.prune(n.In, p.reads(passThrough(need, n.In, n.Targets), n.X))
		return &c, true
	case *ParseKV:
		c := *n
		c.In = p.prune(n.In, p.reads(passThrough(need, n.In, n.Targets), n.X))
		return &c, true
	}
	return p.pruneReader(n, need)
}

// pruneReader prunes the nodes whose output is computed from columns they
// name rather than passed through.
func (p *pruner) pruneReader(n Node, need []bool) (Node, bool) {
	switch n := n.(type) {
	case *MakeSeries:
		exprs := append(append([]Expr(nil), n.Keys...), n.Axis)
		c := *n
		c.In = p.prune(n.In, p.reads(none(n.In), append(exprs, aggExprs(n.Aggs)...)...))
		return &c, true
	case *TopNested:
		var exprs []Expr
		for _, l := range n.Levels {
			exprs = append(append(exprs, l.Of), aggExprs(l.Aggs)...)
		}
		c := *n
		c.In = p.prune(n.In, p.reads(none(n.In), exprs...))
		return &c, true
	case *SampleDistinct:
		c := *n
		c.In = p.prune(n.In, p.reads(none(n.In), n.X))
		return &c, true
	case *Consume:
		// Nothing of the input is returned; only its rows are consumed.
		return &Consume{In: p.prune(n.In, none(n.In))}, true
	case *Partition:
		return p.prunePartition(n, need), true
	case *ScanOp:
		return p.pruneScanOp(n, need), true
	case *Reduce:
		in := none(n.In)
		if n.Source {
			in = passThrough(need, n.In, nil)
		}
		c := *n
		c.In = p.prune(n.In, p.reads(in, n.By))
		return &c, true
	case *BagUnpack:
		in := none(n.In)
		in[n.Col] = true
		for j, src := range n.Src {
			if src >= 0 && j < len(need) && need[j] {
				in[src] = true
			}
		}
		c := *n
		c.In = p.prune(n.In, in)
		return &c, true
	case *Pivot:
		in := p.reads(none(n.In), n.Agg.Exprs...)
		in[n.Col] = true
		for _, k := range n.Keys {
			in[k] = true
		}
		c := *n
		c.In = p.prune(n.In, in)
		return &c, true
	case *Plugin:
		return p.prunePlugin(n)
	}
	return nil, false
}

// none is a need of no column of n's output.
func none(n Node) []bool { return make([]bool, len(n.Schema())) }

// passThrough is the need of in's columns for an output that repeats
// them at the same positions, except targets, which the node writes.
func passThrough(need []bool, in Node, targets []int) []bool {
	out := none(in)
	for j := range out {
		out[j] = j < len(need) && need[j]
	}
	for _, t := range targets {
		if t < len(out) {
			out[t] = false
		}
	}
	return out
}

func aggExprs(aggs []*AggCall) []Expr {
	var out []Expr
	for _, a := range aggs {
		out = append(out, a.Exprs...)
	}
	return out
}

// sides returns the needs of a join's inputs for the output columns in
// need, given where each output column comes from.
func sides(need []bool, left, right Node, leftCols, rightCols []int) ([]bool, []bool) {
	l, r := none(left), none(right)
	for j := range need {
		if !need[j] {
			continue
		}
		if j < len(leftCols) && leftCols[j] >= 0 {
			l[leftCols[j]] = true
		}
		if j < len(rightCols) && rightCols[j] >= 0 {
			r[rightCols[j]] = true
		}
	}
	return l, r
}

func (p *pruner) pruneJoin(n *Join, need []bool) Node {
	l, r := sides(need, n.Left, n.Right, n.LeftCols, n.RightCols)
	l = p.reads(l, n.LeftKeys...)
	r = p.reads(r, n.RightKeys...)
	if n.Where != nil {
		both := p.reads(append(l, r...), n.Where)
		l, r = both[:len(l)], both[len(l):]
	}
	c := *n
	c.Left, c.Right = p.prune(n.Left, l), p.prune(n.Right, r)
	return &c
}

func (p *pruner) pruneIPv4Lookup(n *IPv4Lookup, need []bool) Node {
	l, r := sides(need, n.Left, n.Right, n.LeftCols, n.RightCols)
	l[n.LeftKey], r[n.RightKey] = true, true
	for _, k := range n.LeftExtra {
		l[k] = true
	}
	for _, k := range n.RightExtra {
		r[k] = true
	}
	c := *n
	c.Left, c.Right = p.prune(n.Left, l), p.prune(n.Right, r)
	return &c
}

func (p *pruner) pruneUnion(n *Union, need []bool) Node {
	c := *n
	c.Ins = make([]Node, len(n.Ins))
	for i, in := range n.Ins {
		want := none(in)
		for j, src := range n.Maps[i] {
			if src >= 0 && j < len(need) && need[j] {
				want[src] = true
			}
		}
		c.Ins[i] = p.prune(in, want)
	}
	return &c
}

// pruneMvApply prunes the subquery for the needed columns it returns,
// then the input for the columns the subtables need (those the subquery
// reads from its source), the kept ones and the expanded expressions.
func (p *pruner) pruneMvApply(n *MvApply, need []bool) Node {
	keep := len(n.Keep)
	subNeed := make([]bool, len(n.Sub.Schema()))
	for j := range subNeed {
		subNeed[j] = keep+j < len(need) && need[keep+j]
	}
	c := *n
	c.Sub = p.prune(n.Sub, subNeed)
	in := passThrough(p.shared[n.Source], n.In, n.Targets)
	if p.keepShared || p.shared[n.Source] == nil {
		in = all(len(in))
	}
	for i, k := range n.Keep {
		if i < len(need) && need[i] {
			in[k] = true
		}
	}
	c.In = p.prune(n.In, p.reads(in, n.Exprs...))
	return &c
}

// prunePartition prunes the subquery for the needed columns, then the
// input for the key and the columns the subquery reads of its rows.
func (p *pruner) prunePartition(n *Partition, need []bool) Node {
	c := *n
	c.Sub = p.prune(n.Sub, need)
	in, _ := union(nil, p.inputs[n.Input], len(n.In.Schema()))
	in[n.Key] = true
	c.In = p.prune(n.In, in)
	return &c
}

// pruneScanOp keeps the passed-through columns that are needed and those
// the steps read: conditions and assignments see the record (the input
// columns, then the declared ones) and each step's copy of it.
func (p *pruner) pruneScanOp(n *ScanOp, need []bool) Node {
	in := passThrough(need, n.In, nil)
	width := len(n.In.Schema()) + len(n.Declared)
	var exprs []Expr
	for _, s := range n.Steps {
		exprs = append(append(exprs, s.Cond), s.Values...)
	}
	p.subqueries(exprs...)
	set := map[int]bool{}
	for _, e := range exprs {
		if e != nil && !columnsOf(e, set) {
			return p.keepAll(n)
		}
	}
	for i := range set {
		if j := i % width; j < len(in) {
			in[j] = true
		}
	}
	c := *n
	c.In = p.prune(n.In, in)
	return &c
}

// prunePlugin keeps the columns a plugin declares it reads, or all.
func (p *pruner) prunePlugin(n *Plugin) (Node, bool) {
	if n.In == nil || !n.ColsOnly {
		return nil, false
	}
	in := p.reads(none(n.In), n.Exprs...)
	for _, c := range n.Cols {
		in[c] = true
	}
	c := *n
	c.In = p.prune(n.In, in)
	return &c, true
}

// unread returns the columns need leaves out, or nil when it needs all.
func unread(need []bool) []bool {
	if allTrue(need) {
		return nil
	}
	out := make([]bool, len(need))
	for i, b := range need {
		out[i] = !b
	}
	return out
}
