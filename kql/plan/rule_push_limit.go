package plan

// rulePushLimit lets a scan stop early when a take sits directly on it.
var rulePushLimit = Rule{Name: "push_limit", Apply: func(n Node, env *Env) (Node, bool) {
	l, ok := n.(*Limit)
	if !ok {
		return n, false
	}
	s, ok := l.In.(*Scan)
	if !ok || s.Req.Limit > 0 || len(s.Req.Filter) > 0 || s.Req.TimeColumn >= 0 {
		return n, false
	}
	sc := *s
	sc.Req.Limit = l.N
	return &Limit{In: &sc, N: l.N}, true
}}
