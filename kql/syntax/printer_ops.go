package syntax

func (pr *printer) opParams(list []*OpParam) {
	for _, p := range list {
		pr.w(p.Name + "=")
		pr.expr(p.Value)
		pr.w(" ")
	}
}

func (pr *printer) propertyList(list []*OpParam) {
	pr.w("(")
	for i, p := range list {
		if i > 0 {
			pr.w(", ")
		}
		pr.w(p.Name + "=")
		pr.expr(p.Value)
	}
	pr.w(")")
}

func (pr *printer) assign(a *Assign) {
	switch {
	case a.Tuple:
		pr.w("(")
		for i, n := range a.Names {
			if i > 0 {
				pr.w(", ")
			}
			pr.ident(n)
		}
		pr.w(") = ")
	case len(a.Names) == 1:
		pr.ident(a.Names[0])
		pr.w(" = ")
	}
	pr.expr(a.Value)
}

func (pr *printer) assigns(list []*Assign) {
	for i, a := range list {
		if i > 0 {
			pr.w(", ")
		}
		pr.assign(a)
	}
}

func (pr *printer) sortKeys(keys []*SortKey) {
	for i, k := range keys {
		if i > 0 {
			pr.w(", ")
		}
		pr.expr(k.X)
		if k.Order != "" {
			pr.w(" " + k.Order)
		}
		if k.Nulls != "" {
			pr.w(" nulls " + k.Nulls)
		}
	}
}

func (pr *printer) opChain(c *OpChain) {
	pr.w("(")
	body := func() {
		for i, op := range c.Ops {
			if i > 0 {
				if pr.pretty {
					pr.newline()
					pr.w("| ")
				} else {
					pr.w(" | ")
				}
			}
			pr.op(op)
		}
	}
	if pr.pretty && len(c.Ops) > 1 {
		pr.block(body)
	} else {
		body()
	}
	pr.w(")")
}

func (pr *printer) expandItems(items []*ExpandItem) {
	for i, it := range items {
		if i > 0 {
			pr.w(", ")
		}
		pr.assign(it.Assign)
		if it.To != nil {
			pr.w(" to ")
			pr.expr(&TypeOf{Type: it.To})
		}
	}
}

// op prints one operator with its keyword.
func (pr *printer) op(o Operator) {
	pr.w(o.Name())
	pr.w(" ")
	switch o := o.(type) {
	case *As:
		pr.opParams(o.Params)
		pr.ident(o.Alias)
	case *Consume:
		pr.opParams(o.Params)
	case *Count:
		pr.opParams(o.Params)
		if o.As != nil {
			pr.w("as ")
			pr.ident(o.As)
		}
	case *Datatable:
		pr.opParams(o.Params)
		pr.typeRef(o.Schema)
		pr.w(" [")
		pr.exprs(o.Values)
		pr.w("]")
	case *Distinct:
		pr.opParams(o.Params)
		pr.assigns(o.Cols)
	case *Evaluate:
		pr.opParams(o.Params)
		pr.expr(o.Call)
		if o.Schema != nil {
			pr.w(" : ")
			pr.typeRef(o.Schema)
		}
	case *Extend:
		pr.assigns(o.Cols)
	case *Externaldata:
		pr.opParams(o.Params)
		pr.typeRef(o.Schema)
		pr.w(" [")
		pr.exprs(o.URIs)
		pr.w("]")
		if o.With != nil {
			pr.w(" with ")
			pr.propertyList(o.With)
		}
	case *InlineExternalTable:
		if o.Schema != nil {
			pr.typeRef(o.Schema)
			pr.w(" ")
		}
		pr.opParams(o.Params)
		pr.w("(")
		pr.exprs(o.URIs)
		pr.w(")")
		if o.With != nil {
			pr.w(" with ")
			pr.propertyList(o.With)
		}
	case *Facet:
		pr.w("by ")
		pr.exprs(o.By)
		if o.With != nil {
			pr.w(" with ")
			pr.opChain(o.With)
		}
	case *Find:
		pr.opParams(o.Params)
		if o.Tables != nil {
			pr.w("in (")
			pr.exprs(o.Tables)
			pr.w(") ")
		}
		pr.w("where ")
		pr.expr(o.Pred)
		if o.ProjectSmart {
			pr.w(" project-smart")
		} else if o.Project != nil {
			pr.w(" project ")
			pr.exprs(o.Project)
		}
	case *Fork:
		for i, b := range o.Branches {
			if i > 0 {
				pr.w(" ")
			}
			if b.Name != nil {
				pr.ident(b.Name)
				pr.w(" = ")
			}
			pr.opChain(b.Ops)
		}
	case *GetSchema:
	case *Invoke:
		pr.expr(o.Call)
	case *Join:
		pr.opParams(o.Params)
		pr.expr(o.Right)
		if o.Where != nil {
			pr.w(" where ")
			pr.expr(o.Where)
		} else {
			pr.w(" on ")
			pr.exprs(o.On)
		}
	case *Lookup:
		pr.opParams(o.Params)
		pr.expr(o.Right)
		pr.w(" on ")
		pr.exprs(o.On)
	case *MacroExpand:
		pr.opParams(o.Params)
		pr.expr(o.Group)
		pr.w(" as ")
		pr.ident(o.Alias)
		pr.w(" ")
		pr.expr(o.Body)
	case *MakeSeries:
		pr.makeSeries(o)
	case *MvApply:
		pr.opParams(o.Params)
		pr.expandItems(o.Items)
		if o.Limit != nil {
			pr.w(" limit ")
			pr.expr(o.Limit)
		}
		pr.w(" on ")
		pr.opChain(o.Ops)
	case *MvExpand:
		pr.opParams(o.Params)
		pr.expandItems(o.Items)
		if o.Limit != nil {
			pr.w(" limit ")
			pr.expr(o.Limit)
		}
	case *ParseOp:
		pr.parseOp(o)
	case *ParseKV:
		pr.expr(o.X)
		pr.w(" as (")
		pr.columnDecls(o.Keys)
		pr.w(")")
		if o.With != nil {
			pr.w(" with ")
			pr.propertyList(o.With)
		}
	case *Partition:
		pr.opParams(o.Params)
		pr.w("by ")
		pr.expr(o.By)
		pr.w(" ")
		if o.Ops != nil {
			pr.opChain(o.Ops)
		} else {
			pr.w("{")
			pr.block(func() { pr.expr(o.Body) })
			pr.w("}")
		}
	case *PrintOp:
		pr.assigns(o.Cols)
	case *Project:
		pr.assigns(o.Cols)
	case *ProjectAway:
		pr.exprs(o.Cols)
	case *ProjectKeep:
		pr.exprs(o.Cols)
	case *ProjectByNames:
		pr.exprs(o.Cols)
	case *ProjectRename:
		pr.assigns(o.Cols)
	case *ProjectReorder:
		pr.sortKeys(o.Keys)
	case *Range:
		pr.ident(o.Column)
		pr.w(" from ")
		pr.expr(o.From)
		pr.w(" to ")
		pr.expr(o.To)
		pr.w(" step ")
		pr.expr(o.Step)
	case *Reduce:
		pr.opParams(o.Params)
		pr.w("by ")
		pr.expr(o.By)
		if o.With != nil {
			pr.w(" with ")
			for i, p := range o.With {
				if i > 0 {
					pr.w(", ")
				}
				pr.w(p.Name + "=")
				pr.expr(p.Value)
			}
		}
	case *Render:
		pr.ident(o.Chart)
		for _, p := range o.Legacy {
			pr.w(" " + p.Name + "=")
			pr.expr(p.Value)
		}
		if o.With != nil {
			pr.w(" with ")
			pr.propertyList(o.With)
		}
	case *Sample:
		pr.opParams(o.Params)
		pr.expr(o.N)
	case *SampleDistinct:
		pr.opParams(o.Params)
		pr.expr(o.N)
		pr.w(" of ")
		pr.expr(o.Of)
	case *Scan:
		pr.scan(o)
	case *Search:
		pr.opParams(o.Params)
		if o.Tables != nil {
			pr.w("in (")
			pr.exprs(o.Tables)
			pr.w(") ")
		}
		pr.expr(o.Pred)
	case *Serialize:
		pr.assigns(o.Cols)
	case *Sort:
		pr.opParams(o.Params)
		pr.w("by ")
		pr.sortKeys(o.Keys)
	case *Summarize:
		pr.opParams(o.Params)
		pr.assigns(o.Aggs)
		if o.By != nil {
			pr.w(" by ")
			pr.assigns(o.By)
		}
	case *Take:
		pr.opParams(o.Params)
		pr.expr(o.N)
	case *Top:
		pr.opParams(o.Params)
		pr.expr(o.N)
		pr.w(" by ")
		pr.sortKeys(o.Keys)
	case *TopHitters:
		pr.expr(o.N)
		pr.w(" of ")
		pr.expr(o.Of)
		if o.By != nil {
			pr.w(" by ")
			pr.expr(o.By)
		}
	case *TopNested:
		pr.topNested(o)
	case *Union:
		pr.opParams(o.Params)
		pr.exprs(o.Tables)
	case *Where:
		pr.opParams(o.Params)
		pr.expr(o.Pred)
	case *MakeGraph, *GraphMatch, *GraphToTable, *GraphMarkComponents:
		pr.graphOp(o)
	}
	if b := pr.b.Bytes(); len(b) > 0 && b[len(b)-1] == ' ' {
		pr.b.Truncate(len(b) - 1)
	}
}

func (pr *printer) makeSeries(o *MakeSeries) {
	pr.opParams(o.Params)
	for i, a := range o.Aggs {
		if i > 0 {
			pr.w(", ")
		}
		pr.assign(a.Assign)
		if a.Default != nil {
			pr.w(" default = ")
			pr.expr(a.Default)
		}
	}
	pr.w(" on ")
	pr.expr(o.On)
	if o.InRange != nil {
		pr.w(" in ")
		pr.expr(o.InRange)
	} else {
		if o.From != nil {
			pr.w(" from ")
			pr.expr(o.From)
		}
		if o.To != nil {
			pr.w(" to ")
			pr.expr(o.To)
		}
		pr.w(" step ")
		pr.expr(o.Step)
	}
	if o.By != nil {
		pr.w(" by ")
		pr.assigns(o.By)
	}
}

func (pr *printer) parseOp(o *ParseOp) {
	pr.opParams(o.Params)
	pr.expr(o.X)
	pr.w(" with")
	for _, e := range o.Pattern {
		pr.w(" ")
		switch {
		case e.Star:
			pr.w("*")
		case e.Lit != nil:
			pr.w(e.Lit.Text)
		default:
			pr.columnDecl(e.Column)
		}
	}
}

func (pr *printer) scan(o *Scan) {
	pr.opParams(o.Params)
	if o.Declare != nil {
		pr.w("declare (")
		pr.params(o.Declare)
		pr.w(") ")
	}
	pr.w("with (")
	pr.block(func() {
		for i, st := range o.Steps {
			if i > 0 {
				if pr.pretty {
					pr.newline()
				} else {
					pr.w(" ")
				}
			}
			pr.w("step ")
			pr.ident(st.Name)
			if st.Optional {
				pr.w(" optional")
			}
			if st.Output != "" {
				pr.w(" output=" + st.Output)
			}
			pr.w(": ")
			pr.expr(st.Cond)
			if st.Assigns != nil {
				pr.w(" => ")
				pr.assigns(st.Assigns)
			}
			pr.w(";")
		}
	})
	pr.w(")")
}

func (pr *printer) topNested(o *TopNested) {
	for i, l := range o.Levels {
		if i > 0 {
			pr.w(", top-nested ")
		}
		if l.N != nil {
			pr.expr(l.N)
			pr.w(" ")
		}
		pr.w("of ")
		pr.assign(l.Of)
		if l.Others != nil {
			pr.w(" with others = ")
			pr.expr(l.Others)
		}
		pr.w(" by ")
		pr.assign(l.By)
		if l.Order != "" {
			pr.w(" " + l.Order)
		}
	}
}
