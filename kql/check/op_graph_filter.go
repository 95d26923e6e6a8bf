package check

import "github.com/idlogs/idlogs/kql/plan"

// nodeFilters collects the conjuncts of n.Where that read the properties
// of a single node or edge variable, so that the matcher can skip nodes
// and edges early.
func nodeFilters(n *plan.GraphMatch) {
	nodeWidth, edgeWidth := len(plan.GraphNodeElem(n.In.NodeSchema())), len(n.In.EdgeSchema())
	for _, c := range conjuncts(n.Where, nil) {
		for v, gv := range n.Vars {
			if gv.Kind == plan.GraphPathVar {
				continue
			}
			width := nodeWidth
			if gv.Kind == plan.GraphEdgeVar {
				width = edgeWidth
			}
			pred, ok := shiftColumns(c, n.VarCol[v], width)
			if !ok {
				continue
			}
			if gv.Kind == plan.GraphEdgeVar {
				n.EdgeFilters = append(n.EdgeFilters, plan.GraphFilter{Var: v, Pred: pred})
			} else {
				n.NodeFilters = append(n.NodeFilters, plan.GraphFilter{Var: v, Pred: pred})
			}
			break
		}
	}
}

func conjuncts(e plan.Expr, out []plan.Expr) []plan.Expr {
	if call, ok := e.(*plan.Call); ok && call.Name == "__and" {
		for _, a := range call.Args {
			out = conjuncts(a, out)
		}
		return out
	}
	return append(out, e)
}

// shiftColumns returns e over columns [from, from+width) renumbered from
// 0, or false when e reads other columns or a subquery. An expression
// without columns stays with Where.
func shiftColumns(e plan.Expr, from, width int) (plan.Expr, bool) {
	reads := false
	var shift func(plan.Expr) (plan.Expr, bool)
	shift = func(e plan.Expr) (plan.Expr, bool) {
		switch e := e.(type) {
		case *plan.Const:
			return e, true
		case *plan.ColRef:
			if e.Index < from || e.Index >= from+width {
				return nil, false
			}
			reads = true
			return &plan.ColRef{Index: e.Index - from, Name: e.Name, T: e.T}, true
		case *plan.Call:
			c := *e
			c.Args = make([]plan.Expr, len(e.Args))
			for i, a := range e.Args {
				var ok bool
				if c.Args[i], ok = shift(a); !ok {
					return nil, false
				}
			}
			return &c, true
		}
		return nil, false
	}
	out, ok := shift(e)
	return out, ok && reads
}
