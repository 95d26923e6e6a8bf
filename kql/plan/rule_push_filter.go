package plan

// rulePushFilter copies the conjuncts of a filter directly above a scan
// into the scan request, so that storage can skip blocks by min/max and
// term filters. The filter stays: the scan may return extra rows.
var rulePushFilter = Rule{Name: "push_filter", Apply: func(n Node, env *Env) (Node, bool) {
	f, ok := n.(*Filter)
	if !ok {
		return n, false
	}
	s, ok := f.In.(*Scan)
	if !ok || len(s.Req.Filter) > 0 || s.Req.Columns != nil {
		return n, false
	}
	var pushed []Expr
	for _, c := range conjuncts(f.Pred) {
		if _, sub := c.(*RowSet); sub {
			continue
		}
		if hasSubquery(c) {
			continue
		}
		pushed = append(pushed, c)
	}
	if len(pushed) == 0 {
		return n, false
	}
	sc := *s
	sc.Req.Filter = pushed
	return &Filter{In: &sc, Pred: f.Pred}, true
}}

func hasSubquery(e Expr) bool {
	switch e := e.(type) {
	case *Subquery, *RowSet:
		return true
	case *Call:
		for _, a := range e.Args {
			if hasSubquery(a) {
				return true
			}
		}
	}
	return false
}
