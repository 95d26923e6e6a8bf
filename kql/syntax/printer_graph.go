package syntax

func (pr *printer) graphOp(o Operator) {
	switch o := o.(type) {
	case *MakeGraph:
		pr.opParams(o.Params)
		pr.ident(o.Source)
		pr.w(" --> ")
		pr.ident(o.Target)
		for i, n := range o.Nodes {
			if i == 0 {
				pr.w(" with ")
			} else {
				pr.w(", ")
			}
			pr.expr(n.Table)
			pr.w(" on ")
			pr.ident(n.Key)
		}
		if o.After != nil {
			pr.w(" ")
			pr.opParams(o.After)
		}
		if o.PartitionedBy != nil {
			pr.w(" partitioned-by ")
			pr.ident(o.PartitionedBy)
			pr.w(" ")
			pr.opChain(o.PartitionOps)
		}
	case *GraphMatch:
		pr.opParams(o.Params)
		for i, g := range o.Patterns {
			if i > 0 {
				pr.w(", ")
			}
			pr.graphPattern(g)
		}
		if o.Where != nil {
			pr.w(" where ")
			pr.expr(o.Where)
		}
		if o.Project != nil {
			pr.w(" project ")
			pr.assigns(o.Project)
		}
	case *GraphToTable:
		for i, it := range o.Items {
			if i > 0 {
				pr.w(", ")
			}
			pr.w(it.Kind)
			if it.As != nil {
				pr.w(" as ")
				pr.ident(it.As)
			}
			if it.Params != nil {
				pr.w(" ")
				pr.opParams(it.Params)
			}
		}
	case *GraphMarkComponents:
		pr.opParams(o.Params)
	}
}

func (pr *printer) graphPattern(g *GraphPattern) {
	for i, n := range g.Nodes {
		if i > 0 {
			pr.graphEdge(g.Edges[i-1])
		}
		pr.w("(")
		if n.Name != nil {
			pr.ident(n.Name)
		}
		pr.w(")")
	}
}

func (pr *printer) graphEdge(e *GraphEdge) {
	if e.Dir == "<-" {
		pr.w("<")
	}
	pr.w("-[")
	if e.Name != nil {
		pr.ident(e.Name)
	}
	if e.Variable {
		pr.w("*")
		if e.Min != nil {
			pr.expr(e.Min)
		}
		if e.Max != nil {
			pr.w("..")
			pr.expr(e.Max)
		}
	}
	pr.w("]-")
	if e.Dir == "->" {
		pr.w(">")
	}
}
