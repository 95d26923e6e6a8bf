package check

import (
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/vec"
)

// pivot(PivotColumn [, Aggregation] [, Column, ...]) [: OutputSchema]
// turns the distinct values of a column into columns. Without an output
// schema the columns come from the data (see evaluate).
func init() { registerPlugin("pivot", bindPivot) }

func bindPivot(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 1, -1)
	sch := in.Schema()
	n := &plan.Pivot{In: in, Col: c.columnArg(sch, args.pos[0], "the pivot column")}
	rest := args.pos[1:]
	if len(rest) > 0 {
		if call, ok := rest[0].(*syntax.Call); ok {
			if _, isAgg := builtin.LookupAggregate(funcName(call)); isAgg {
				n.Agg = c.pivotAggregate(sc, sch, call)
				rest = rest[1:]
			}
		}
	}
	if n.Agg == nil {
		n.Agg = c.aggCall(o.Call, "count", nil)
	}
	n.Keys = c.pivotKeys(sch, n, rest)
	if o.Schema != nil {
		c.pivotDeclared(n, o.Schema)
		return n
	}
	pre := c.materialize(o, in)
	n.In = pre
	c.pivotInferred(n, pre.Rows)
	return n
}

func (c *checker) pivotAggregate(sc *scope, sch vec.Schema, call *syntax.Call) *plan.AggCall {
	var exprs []plan.Expr
	for _, a := range call.Args {
		exprs = append(exprs, c.scalar(sc, rowOf(sch), a))
	}
	return c.aggCall(call, funcName(call), exprs)
}

// pivotKeys returns the grouping columns: those given, or every column
// but the pivot column and the columns the aggregation reads.
func (c *checker) pivotKeys(sch vec.Schema, n *plan.Pivot, given []syntax.Expr) []int {
	var keys []int
	for _, x := range given {
		keys = append(keys, c.columnArg(sch, x, "a pivot grouping column"))
	}
	if len(given) > 0 {
		return keys
	}
	read := map[int]bool{n.Col: true}
	for _, e := range n.Agg.Exprs {
		colRefs(e, read)
	}
	for i := range sch {
		if !read[i] {
			keys = append(keys, i)
		}
	}
	return keys
}

// colRefs adds the input columns e reads to set.
func colRefs(e plan.Expr, set map[int]bool) {
	switch e := e.(type) {
	case *plan.ColRef:
		set[e.Index] = true
	case *plan.Call:
		for _, a := range e.Args {
			colRefs(a, set)
		}
	case *plan.RowSet:
		colRefs(e.X, set)
	}
}

// pivotDeclared maps each declared column to a grouping column of that
// name or else to the pivot value of that name.
func (c *checker) pivotDeclared(n *plan.Pivot, t *syntax.TypeRef) {
	star, cols := c.declaredSchema(t)
	if star {
		c.errorf(t, "pivot's output schema lists its columns; '*' is not allowed")
	}
	sch := n.In.Schema()
	for _, d := range cols {
		out := plan.PivotOut{Key: -1, Value: d.name}
		for k, i := range n.Keys {
			if sch[i].Name == d.name {
				out = plan.PivotOut{Key: k}
			}
		}
		n.Out = append(n.Out, out)
		n.Sch = append(n.Sch, vec.Field{Name: d.name, Type: d.t})
	}
}

// pivotInferred makes the grouping columns, then a column per distinct
// pivot value in order of first appearance.
func (c *checker) pivotInferred(n *plan.Pivot, rows *vec.Batch) {
	sch := n.In.Schema()
	names := newNamer(nil)
	for k, i := range n.Keys {
		n.Out = append(n.Out, plan.PivotOut{Key: k})
		n.Sch = append(n.Sch, vec.Field{Name: names.unique(sch[i].Name), Type: sch[i].Type})
	}
	seen := map[string]bool{}
	col := rows.Cols[n.Col]
	for r := 0; r < rows.N; r++ {
		v := plan.PivotValueText(col.Value(r))
		if seen[v] {
			continue
		}
		seen[v] = true
		name := v
		if name == "" {
			name = names.column()
		} else {
			name = names.unique(name)
		}
		n.Out = append(n.Out, plan.PivotOut{Key: -1, Value: v})
		n.Sch = append(n.Sch, vec.Field{Name: name, Type: resultType(n.Agg.T)})
	}
}
