package plan

// ruleSortLimit turns `sort by k | take n` into `top n by k`, which keeps
// n rows in a heap instead of sorting the whole input.
var ruleSortLimit = Rule{Name: "sort_limit_to_top", Apply: func(n Node, env *Env) (Node, bool) {
	l, ok := n.(*Limit)
	if !ok {
		return n, false
	}
	s, ok := l.In.(*Sort)
	if !ok {
		return n, false
	}
	return &Top{In: s.In, N: l.N, Keys: s.Keys}, true
}}
