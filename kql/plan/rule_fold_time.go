package plan

// ruleFoldTime folds now() and ago(x) with constant arguments into
// constants using the query's start time, so that later rules can turn
// `TimeGenerated > ago(1d)` into a scan time range.
var ruleFoldTime = Rule{Name: "fold_time", Apply: func(n Node, env *Env) (Node, bool) {
	f, ok := n.(*Filter)
	if !ok || env.Ctx == nil {
		return n, false
	}
	pred, changed := foldTime(f.Pred, env)
	if !changed {
		return n, false
	}
	return &Filter{In: f.In, Pred: pred}, true
}}

func foldTime(e Expr, env *Env) (Expr, bool) {
	c, ok := e.(*Call)
	if !ok {
		return e, false
	}
	if c.Name == "now" || c.Name == "ago" {
		if v, ok := evalConstCall(c, env.Ctx); ok {
			return &Const{V: v}, true
		}
		return e, false
	}
	args := make([]Expr, len(c.Args))
	changed := false
	for i, a := range c.Args {
		var ch bool
		args[i], ch = foldTime(a, env)
		changed = changed || ch
	}
	if !changed {
		return e, false
	}
	cp := *c
	cp.Args = args
	// A call whose arguments all became constant (`ago(1d) - 1h`) folds too.
	if !c.Fn.Volatile && !c.Fn.Serial {
		if v, ok := evalConstCall(&cp, env.Ctx); ok {
			return &Const{V: v}, true
		}
	}
	return &cp, true
}
