package check

import (
	"reflect"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// isTabular reports whether x denotes a table rather than a scalar.
func (c *checker) isTabular(sc *scope, x syntax.Expr) bool {
	switch x := x.(type) {
	case *syntax.Pipe, *syntax.SourceOp:
		return true
	case *syntax.Paren:
		return c.isTabular(sc, x.X)
	case *syntax.Ident:
		if b := sc.lookup(x.Name); b != nil {
			return b.table != nil || b.fn != nil && len(b.fn.Params) == 0 && c.fnIsTabular(b)
		}
		if c.opts.Catalog != nil {
			_, ok := c.opts.Catalog.Table(x.Name)
			return ok
		}
	case *syntax.Call:
		name := funcName(x)
		switch name {
		case "materialize", "table", "view", "database", "cluster":
			return true
		}
		if b := sc.lookup(name); b != nil && b.fn != nil {
			return c.fnIsTabular(b)
		}
	case *syntax.Member:
		if call, ok := x.X.(*syntax.Call); ok {
			n := funcName(call)
			return n == "database" || n == "cluster" || n == "workspace"
		}
	}
	return false
}

// fnIsTabular reports whether a user function returns a table.
func (c *checker) fnIsTabular(b *binding) bool {
	fsc := newScope(b.fnScope)
	for _, p := range b.fn.Params {
		if p.Type.Tabular {
			fsc.set(p.Name.Name, &binding{table: &plan.Values{}})
		} else {
			fsc.set(p.Name.Name, &binding{scalar: &plan.Const{V: types.NullOf(types.Null)}})
		}
	}
	for _, st := range b.fn.Body {
		switch st := st.(type) {
		case *syntax.LetStmt:
			if _, isFn := st.Value.(*syntax.FuncLit); isFn {
				fsc.set(st.Name.Name, &binding{fn: st.Value.(*syntax.FuncLit), fnScope: fsc})
			} else if c.isTabular(fsc, st.Value) {
				fsc.set(st.Name.Name, &binding{table: &plan.Values{}})
			} else {
				fsc.set(st.Name.Name, &binding{scalar: &plan.Const{V: types.NullOf(types.Null)}})
			}
		case *syntax.ExprStmt:
			return c.isTabular(fsc, st.X)
		}
	}
	return false
}

// tabular binds a tabular expression to a plan.
func (c *checker) tabular(sc *scope, x syntax.Expr) plan.Node {
	c.enter(x)
	defer c.leave()
	switch x := x.(type) {
	case *syntax.Paren:
		return c.tabular(sc, x.X)
	case *syntax.Pipe:
		in := c.tabular(sc, x.Source)
		return c.operator(sc, in, x.Op)
	case *syntax.SourceOp:
		return c.source(sc, x.Op)
	case *syntax.Ident:
		return c.tableName(sc, x, x.Name)
	case *syntax.Call:
		return c.tabularCall(sc, x)
	case *syntax.Member:
		if call, ok := x.X.(*syntax.Call); ok {
			switch funcName(call) {
			case "database", "cluster":
				return c.tableName(sc, x.Name, x.Name.Name)
			case "workspace":
				return c.workspaceTable(sc, call, x.Name)
			}
		}
	}
	c.errorf(x, "expected a tabular expression")
	return nil
}

func (c *checker) tableName(sc *scope, at syntax.Node, name string) plan.Node {
	if b := sc.lookup(name); b != nil {
		switch {
		case b.table != nil:
			return b.table
		case b.fn != nil:
			return c.invokeTabular(at, b, nil, sc)
		}
		c.errorf(at, "'%s' is a scalar, not a table", name)
	}
	if c.opts.Catalog != nil {
		if t, ok := c.opts.Catalog.Table(name); ok {
			return &plan.Scan{Table: t, Req: plan.ScanRequest{TimeColumn: -1}, Sch: t.Schema()}
		}
	}
	c.unknownTable = true
	c.errorf(at, "unknown table '%s'", name)
	return nil
}

// workspaceTable binds workspace("id").Table: a table of another Log
// Analytics workspace, which the catalog resolves when it is a
// WorkspaceCatalog.
func (c *checker) workspaceTable(sc *scope, call *syntax.Call, name *syntax.Ident) plan.Node {
	if len(call.Args) != 1 {
		c.errorf(call, "workspace() expects one argument: a workspace name, id or resource id")
		return nil
	}
	v := c.constant(sc, call.Args[0])
	if v.Type != types.String || !v.Valid {
		c.errorf(call.Args[0], "workspace() expects a string")
		return nil
	}
	wc, ok := c.opts.Catalog.(WorkspaceCatalog)
	if !ok {
		c.errorf(call, "workspace() is not available here")
		return nil
	}
	cat, ok := wc.Workspace(v.S)
	if !ok {
		c.errorf(call.Args[0], "unknown workspace '%s'", v.S)
		return nil
	}
	t, ok := cat.Table(name.Name)
	if !ok {
		c.unknownTable = true
		c.errorf(name, "unknown table '%s' in workspace '%s'", name.Name, v.S)
		return nil
	}
	return &plan.Scan{Table: t, Req: plan.ScanRequest{TimeColumn: -1}, Sch: t.Schema()}
}

func (c *checker) tabularCall(sc *scope, x *syntax.Call) plan.Node {
	name := funcName(x)
	switch name {
	case "materialize":
		if len(x.Args) != 1 {
			c.errorf(x, "materialize() expects one argument")
		}
		c.shared++
		return &plan.Shared{In: c.tabular(sc, x.Args[0]), ID: c.shared}
	case "table", "view":
		if len(x.Args) < 1 {
			c.errorf(x, "%s() expects a table name", name)
		}
		v := c.constant(sc, x.Args[0])
		return c.tableName(sc, x, v.String())
	}
	if b := sc.lookup(name); b != nil && b.fn != nil {
		return c.invokeTabular(x, b, x.Args, sc)
	}
	// Like a missing table, a missing workspace function (an ASIM
	// parser, say) only drops its leg of a fuzzy union.
	c.unknownTable = true
	c.errorf(x, "unknown tabular function '%s'", name)
	return nil
}

// invokeTabular binds a call of a user function that returns a table.
func (c *checker) invokeTabular(at syntax.Node, b *binding, args []syntax.Expr, caller *scope) plan.Node {
	defer c.restoreFrame(c.frame)
	fsc, body := c.bindFunction(at, b, args, caller, nil)
	return c.tabular(fsc, body)
}

// source binds an operator that starts a pipeline.
func (c *checker) source(sc *scope, op syntax.Operator) plan.Node {
	switch o := op.(type) {
	case *syntax.PrintOp:
		return c.print(sc, o)
	case *syntax.Datatable:
		return c.datatable(sc, o)
	case *syntax.Range:
		return c.rangeOp(sc, o)
	case *syntax.Union:
		return c.union(sc, nil, o)
	}
	if bind, ok := operatorBinders[reflect.TypeOf(op)]; ok {
		return bind(c, sc, nil, op)
	}
	return c.unsupported(op)
}

func (c *checker) unsupported(op syntax.Operator) plan.Node {
	c.errorf(op, "the %s operator is not supported yet", op.Name())
	return nil
}

func (c *checker) print(sc *scope, o *syntax.PrintOp) plan.Node {
	var sch vec.Schema
	var row []plan.Expr
	names := newNamer(nil)
	for i, a := range o.Cols {
		if cols, ok := c.multiOutput(sc, nil, a); ok {
			for _, mc := range cols {
				sch = append(sch, vec.Field{Name: names.unique(mc.name), Type: resultType(mc.expr.Type())})
				row = append(row, mc.expr)
			}
			continue
		}
		e := c.scalar(sc, nil, a.Value)
		name := assignName(a)
		if name == "" {
			name = "print_" + itoa(i)
		}
		sch = append(sch, vec.Field{Name: names.unique(name), Type: resultType(e.Type())})
		row = append(row, e)
	}
	return &plan.Values{Sch: sch, Rows: [][]plan.Expr{row}}
}

// resultType maps the type of an untyped null to string... no: to the
// type Kusto gives a bare null column.
func resultType(t types.Type) types.Type {
	if t == types.Null {
		return types.Dynamic
	}
	return t
}

func (c *checker) datatable(sc *scope, o *syntax.Datatable) plan.Node {
	var sch vec.Schema
	for _, col := range o.Schema.Columns {
		t, ok := types.Lookup(typeRefName(col.Type))
		if !ok {
			c.errorf(col, "unknown type for column %s", col.Name.Name)
		}
		sch = append(sch, vec.Field{Name: col.Name.Name, Type: t})
	}
	if len(sch) == 0 {
		c.errorf(o, "datatable needs at least one column")
	}
	if len(o.Values)%len(sch) != 0 {
		c.errorf(o, "datatable has %d values, not a multiple of its %d columns", len(o.Values), len(sch))
	}
	var rows [][]plan.Expr
	for i := 0; i < len(o.Values); i += len(sch) {
		row := make([]plan.Expr, len(sch))
		for j := range sch {
			v := c.constant(sc, o.Values[i+j])
			if v.Type != sch[j].Type {
				cv := types.Convert(v, sch[j].Type)
				if !v.IsNull() && cv.IsNull() && sch[j].Type != types.String {
					c.errorf(o.Values[i+j], "value of type %s does not fit column %s of type %s", v.Type, sch[j].Name, sch[j].Type)
				}
				v = cv
			}
			row[j] = &plan.Const{V: v}
		}
		rows = append(rows, row)
	}
	return &plan.Values{Sch: sch, Rows: rows}
}

func typeRefName(t *syntax.TypeRef) string {
	if t == nil || t.Tabular {
		return ""
	}
	return t.Scalar
}

func (c *checker) rangeOp(sc *scope, o *syntax.Range) plan.Node {
	from := c.scalar(sc, nil, o.From)
	to := c.scalar(sc, nil, o.To)
	step := c.scalar(sc, nil, o.Step)
	t := from.Type()
	switch {
	case t == types.Datetime || t == types.Timespan:
	case t.IsNumeric() && to.Type().IsNumeric():
		if t == types.Int {
			t = types.Long
		}
		if to.Type() == types.Real || step.Type() == types.Real {
			t = types.Real
		}
	default:
		c.errorf(o.From, "range needs numeric, datetime or timespan bounds, got %s", t)
	}
	if t == types.Long || t == types.Real {
		from, to, step = c.convertTo(o, from, t), c.convertTo(o, to, t), c.convertTo(o, step, stepType(t))
	}
	return &plan.Range{Sch: vec.Schema{{Name: o.Column.Name, Type: t}}, From: from, To: to, Step: step}
}

func stepType(t types.Type) types.Type {
	if t == types.Datetime {
		return types.Timespan
	}
	return t
}

// operator binds one pipeline operator applied to in.
func (c *checker) operator(sc *scope, in plan.Node, op syntax.Operator) plan.Node {
	switch o := op.(type) {
	case *syntax.Where:
		return c.where(sc, in, o)
	case *syntax.Extend:
		return c.extend(sc, in, o.Cols)
	case *syntax.Project:
		return c.project(sc, in, o)
	case *syntax.ProjectAway:
		return c.projectAway(in, o.Cols, false)
	case *syntax.ProjectKeep:
		return c.projectAway(in, o.Cols, true)
	case *syntax.ProjectRename:
		return c.projectRename(in, o)
	case *syntax.ProjectReorder:
		return c.projectReorder(in, o)
	case *syntax.Take:
		return &plan.Limit{In: in, N: c.count(sc, o.N)}
	case *syntax.Sort:
		return &plan.Sort{In: in, Keys: c.sortKeys(sc, in, o.Keys)}
	case *syntax.Top:
		return &plan.Top{In: in, N: c.count(sc, o.N), Keys: c.sortKeys(sc, in, o.Keys)}
	case *syntax.Summarize:
		return c.summarize(sc, in, o)
	case *syntax.Count:
		return c.countOp(in, o)
	case *syntax.Distinct:
		return c.distinct(sc, in, o)
	case *syntax.Serialize:
		if len(o.Cols) > 0 {
			return c.extend(sc, in, o.Cols)
		}
		return in
	case *syntax.As:
		sc.set(o.Alias.Name, &binding{table: in})
		return in
	case *syntax.Union:
		return c.union(sc, in, o)
	case *syntax.Join:
		return c.join(sc, in, o)
	case *syntax.Lookup:
		return c.lookup(sc, in, o)
	case *syntax.MvExpand:
		return c.mvExpand(sc, in, o)
	case *syntax.Invoke:
		return c.invoke(sc, in, o)
	case *syntax.Render:
		return in
	case *syntax.GetSchema:
		return c.getSchema(in)
	}
	if bind, ok := operatorBinders[reflect.TypeOf(op)]; ok {
		return bind(c, sc, in, op)
	}
	return c.unsupported(op)
}

// operatorBinder binds one pipeline operator; in is nil when the operator
// starts the pipeline.
type operatorBinder func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node

// operatorBinders holds binders registered by op_*.go files (init), keyed
// by the syntax node type, for operators beyond the core ones above.
var operatorBinders = map[reflect.Type]operatorBinder{}

// registerOperator registers the binder for operators of op's type.
func registerOperator(op syntax.Operator, bind operatorBinder) {
	operatorBinders[reflect.TypeOf(op)] = bind
}

// count binds the constant row count of take and top.
func (c *checker) count(sc *scope, x syntax.Expr) int64 {
	v := types.Convert(c.constant(sc, x), types.Long)
	if v.IsNull() {
		c.errorf(x, "expected a number of rows")
	}
	return v.I
}

func (c *checker) render(o *syntax.Render) *Render {
	r := &Render{Visualization: o.Chart.Name, Properties: map[string]string{}}
	for _, p := range append(append([]*syntax.OpParam(nil), o.Legacy...), o.With...) {
		r.Properties[p.Name] = syntax.Print(p.Value)
		if lit, ok := p.Value.(*syntax.Literal); ok && lit.Kind == syntax.LitString {
			r.Properties[p.Name] = syntax.StringValue(lit.Text)
		}
	}
	return r
}

// invoke binds `T | invoke f(args)`: f's first tabular parameter is T.
func (c *checker) invoke(sc *scope, in plan.Node, o *syntax.Invoke) plan.Node {
	name := funcName(o.Call)
	b := sc.lookup(name)
	if b == nil || b.fn == nil {
		c.errorf(o.Call, "unknown function '%s'", name)
	}
	if len(b.fn.Params) == 0 || !b.fn.Params[0].Type.Tabular {
		c.errorf(o.Call, "function %s has no tabular first parameter to invoke with", name)
	}
	tmp := newScope(sc)
	tmp.set("__invoke_input", &binding{table: in})
	args := append([]syntax.Expr{&syntax.Ident{Span: o.Span, Name: "__invoke_input"}}, o.Call.Args...)
	return c.invokeTabular(o.Call, b, args, tmp)
}

func (c *checker) getSchema(in plan.Node) plan.Node {
	sch := vec.Schema{{Name: "ColumnName", Type: types.String}, {Name: "ColumnOrdinal", Type: types.Int},
		{Name: "DataType", Type: types.String}, {Name: "ColumnType", Type: types.String}}
	var rows [][]plan.Expr
	for i, f := range in.Schema() {
		rows = append(rows, []plan.Expr{
			&plan.Const{V: types.NewString(f.Name)}, &plan.Const{V: types.NewInt(int32(i))},
			&plan.Const{V: types.NewString(clrType(f.Type))}, &plan.Const{V: types.NewString(f.Type.String())},
		})
	}
	return &plan.Values{Sch: sch, Rows: rows}
}

func clrType(t types.Type) string {
	return map[types.Type]string{types.Bool: "System.Boolean", types.Int: "System.Int32", types.Long: "System.Int64",
		types.Real: "System.Double", types.Decimal: "System.Data.SqlTypes.SqlDecimal", types.Datetime: "System.DateTime",
		types.Timespan: "System.TimeSpan", types.Guid: "System.Guid", types.String: "System.String",
		types.Dynamic: "System.Object"}[t]
}
