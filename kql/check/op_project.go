package check

import (
	"sort"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func (c *checker) where(sc *scope, in plan.Node, o *syntax.Where) plan.Node {
	pred := c.scalar(sc, rowOf(in.Schema()), o.Pred)
	switch pred.Type() {
	case types.Bool:
	case types.Dynamic, types.Null:
		pred = c.convertTo(o.Pred, pred, types.Bool)
	default:
		c.errorf(o.Pred, "the where predicate must be bool, not %s", pred.Type())
	}
	return &plan.Filter{In: in, Pred: pred}
}

// identity returns ColRefs for every column of sch.
func identity(sch vec.Schema) []plan.Expr {
	out := make([]plan.Expr, len(sch))
	for i, f := range sch {
		out[i] = &plan.ColRef{Index: i, Name: f.Name, T: f.Type}
	}
	return out
}

func usesSerial(e plan.Expr) bool { return plan.UsesSerial(e) }

// extend adds or replaces columns; later assignments see earlier ones.
func (c *checker) extend(sc *scope, in plan.Node, cols []*syntax.Assign) plan.Node {
	inSch := in.Schema()
	sch := append(vec.Schema(nil), inSch...)
	exprs := identity(sch)
	// Expressions bind against the input row: a name the input has is the
	// input's column even when an earlier assignment of the same extend
	// replaces it, while a new column of an earlier assignment is visible
	// through its expression (bindSch, bindExprs). Sentinel's PIM rules
	// rely on the first: `extend InitiatedBy = iff(...), UserRoles =
	// tostring(InitiatedBy.user)` reads the input's dynamic InitiatedBy.
	bindSch, bindExprs := append(vec.Schema(nil), inSch...), identity(inSch)
	bind := func(name string, e plan.Expr) {
		if inSch.Index(name) >= 0 {
			return
		}
		t := resultType(e.Type())
		if i := bindSch.Index(name); i >= 0 {
			bindExprs[i], bindSch[i] = e, vec.Field{Name: name, Type: t}
			return
		}
		bindSch, bindExprs = append(bindSch, vec.Field{Name: name, Type: t}), append(bindExprs, e)
	}
	serial := false
	names := newNamer(sch)
	for _, a := range cols {
		if cols, ok := c.multiOutput(sc, rowOf(bindSch), a); ok {
			for _, mc := range cols {
				e := substitute(mc.expr, bindExprs)
				sch, exprs = setColumn(sch, exprs, names, mc.name, e)
				bind(mc.name, e)
			}
			continue
		}
		e := c.scalar(sc, rowOf(bindSch), a.Value)
		e = substitute(e, bindExprs)
		serial = serial || usesSerial(e)
		if a.Tuple {
			c.errorf(a, "tuple assignment is only supported for functions returning several columns")
		}
		name := assignName(a)
		if name == "" {
			name = names.column()
		}
		bind(name, e)
		t := resultType(e.Type())
		if i := sch.Index(name); i >= 0 {
			exprs[i], sch[i] = e, vec.Field{Name: name, Type: t}
			continue
		}
		names.taken[name] = true
		exprs = append(exprs, e)
		sch = append(sch, vec.Field{Name: name, Type: t})
	}
	return &plan.Project{In: in, Exprs: exprs, Sch: sch, Serial: serial}
}

// setColumn replaces the column name of sch, or appends it.
func setColumn(sch vec.Schema, exprs []plan.Expr, names *namer, name string, e plan.Expr) (vec.Schema, []plan.Expr) {
	t := resultType(e.Type())
	if i := sch.Index(name); i >= 0 {
		exprs[i], sch[i] = e, vec.Field{Name: name, Type: t}
		return sch, exprs
	}
	names.taken[name] = true
	return append(sch, vec.Field{Name: name, Type: t}), append(exprs, e)
}

// substitute rewrites column references of e that point at columns the
// same operator computed into the expressions that compute them.
func substitute(e plan.Expr, defs []plan.Expr) plan.Expr {
	switch x := e.(type) {
	case *plan.ColRef:
		return defs[x.Index]
	case *plan.Call:
		args := make([]plan.Expr, len(x.Args))
		changed := false
		for i, a := range x.Args {
			args[i] = substitute(a, defs)
			changed = changed || args[i] != a
		}
		if !changed {
			return x
		}
		cp := *x
		cp.Args = args
		return &cp
	case *plan.RowSet:
		cp := *x
		cp.X = substitute(x.X, defs)
		return &cp
	}
	return e
}

func (c *checker) project(sc *scope, in plan.Node, o *syntax.Project) plan.Node {
	var sch vec.Schema
	var exprs []plan.Expr
	names := newNamer(nil)
	row := rowOf(in.Schema())
	for _, a := range o.Cols {
		if pat, ok := a.Value.(*syntax.Pattern); ok && len(a.Names) == 0 {
			for i, f := range in.Schema() {
				if matchPattern(pat.Text, f.Name) && !names.taken[f.Name] {
					names.taken[f.Name] = true
					sch = append(sch, f)
					exprs = append(exprs, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
				}
			}
			continue
		}
		if cols, ok := c.multiOutput(sc, row, a); ok {
			for _, mc := range cols {
				sch = append(sch, vec.Field{Name: names.unique(mc.name), Type: resultType(mc.expr.Type())})
				exprs = append(exprs, mc.expr)
			}
			continue
		}
		e := c.scalar(sc, row, a.Value)
		name := assignName(a)
		if name == "" {
			name = names.column()
		} else {
			name = names.unique(name)
		}
		sch = append(sch, vec.Field{Name: name, Type: resultType(e.Type())})
		exprs = append(exprs, e)
	}
	serial := false
	for _, e := range exprs {
		serial = serial || usesSerial(e)
	}
	return &plan.Project{In: in, Exprs: exprs, Sch: sch, Serial: serial}
}

// selectColumns projects the listed input columns, in order.
func selectColumns(in plan.Node, idx []int, rename map[int]string) plan.Node {
	src := in.Schema()
	sch := make(vec.Schema, len(idx))
	exprs := make([]plan.Expr, len(idx))
	for j, i := range idx {
		f := src[i]
		exprs[j] = &plan.ColRef{Index: i, Name: f.Name, T: f.Type}
		if n, ok := rename[i]; ok {
			f.Name = n
		}
		sch[j] = f
	}
	return &plan.Project{In: in, Exprs: exprs, Sch: sch}
}

// columnMatches returns the input columns a name or pattern selects.
func (c *checker) columnMatches(sch vec.Schema, x syntax.Expr) []int {
	var text string
	switch x := x.(type) {
	case *syntax.Ident:
		i := sch.Index(x.Name)
		if i < 0 {
			c.errorf(x, "unknown column '%s'", x.Name)
		}
		return []int{i}
	case *syntax.Pattern:
		text = x.Text
	case *syntax.Star:
		text = "*"
	default:
		c.errorf(x, "expected a column name or pattern")
	}
	var out []int
	for i, f := range sch {
		if matchPattern(text, f.Name) {
			out = append(out, i)
		}
	}
	return out
}

func (c *checker) projectAway(in plan.Node, cols []syntax.Expr, keep bool) plan.Node {
	sch := in.Schema()
	sel := make([]bool, len(sch))
	for _, x := range cols {
		for _, i := range c.columnMatches(sch, x) {
			sel[i] = true
		}
	}
	var idx []int
	for i := range sch {
		if sel[i] == keep {
			idx = append(idx, i)
		}
	}
	return selectColumns(in, idx, nil)
}

func (c *checker) projectRename(in plan.Node, o *syntax.ProjectRename) plan.Node {
	sch := in.Schema()
	rename := map[int]string{}
	for _, a := range o.Cols {
		old, ok := a.Value.(*syntax.Ident)
		if !ok || len(a.Names) != 1 {
			c.errorf(a, "project-rename expects NewName = ExistingName")
		}
		i := sch.Index(old.Name)
		if i < 0 {
			c.errorf(old, "unknown column '%s'", old.Name)
		}
		rename[i] = a.Names[0].Name
	}
	idx := make([]int, len(sch))
	for i := range idx {
		idx[i] = i
	}
	return selectColumns(in, idx, rename)
}

func (c *checker) projectReorder(in plan.Node, o *syntax.ProjectReorder) plan.Node {
	sch := in.Schema()
	used := make([]bool, len(sch))
	var idx []int
	for _, k := range o.Keys {
		m := c.columnMatches(sch, k.X)
		var fresh []int
		for _, i := range m {
			if !used[i] {
				fresh = append(fresh, i)
				used[i] = true
			}
		}
		switch k.Order {
		case "asc", "granny-asc":
			sort.SliceStable(fresh, func(a, b int) bool { return sch[fresh[a]].Name < sch[fresh[b]].Name })
		case "desc", "granny-desc":
			sort.SliceStable(fresh, func(a, b int) bool { return sch[fresh[a]].Name > sch[fresh[b]].Name })
		}
		idx = append(idx, fresh...)
	}
	for i := range sch {
		if !used[i] {
			idx = append(idx, i)
		}
	}
	return selectColumns(in, idx, nil)
}

func (c *checker) sortKeys(sc *scope, in plan.Node, keys []*syntax.SortKey) []plan.SortKey {
	row := rowOf(in.Schema())
	out := make([]plan.SortKey, len(keys))
	for i, k := range keys {
		desc := k.Order != "asc"
		// Kusto puts nulls last in descending order and first in ascending.
		nullsFirst := !desc
		switch k.Nulls {
		case "first":
			nullsFirst = true
		case "last":
			nullsFirst = false
		}
		out[i] = plan.SortKey{X: c.scalar(sc, row, k.X), Desc: desc, NullsFirst: nullsFirst}
	}
	return out
}

func (c *checker) countOp(in plan.Node, o *syntax.Count) plan.Node {
	name := "Count"
	if o.As != nil {
		name = o.As.Name
	}
	agg := c.aggCall(o, "count", nil)
	return &plan.Aggregate{In: in, Aggs: []*plan.AggCall{agg}, Sch: vec.Schema{{Name: name, Type: agg.T}}}
}

func (c *checker) distinct(sc *scope, in plan.Node, o *syntax.Distinct) plan.Node {
	if len(o.Cols) == 1 {
		if _, star := o.Cols[0].Value.(*syntax.Star); star {
			return &plan.Aggregate{In: in, Keys: identity(in.Schema()), Sch: in.Schema()}
		}
	}
	return c.groupBy(sc, in, nil, o.Cols)
}

// aggCall binds an aggregate function call over bound argument expressions.
func (c *checker) aggCall(at syntax.Node, name string, args []plan.Expr) *plan.AggCall {
	fn, ok := builtin.LookupAggregate(name)
	if !ok {
		c.errorf(at, "unknown aggregation function '%s'", name)
	}
	bargs := make([]builtin.Arg, len(args))
	for i, a := range args {
		bargs[i] = builtin.Arg{Type: a.Type()}
		if k, ok := a.(*plan.Const); ok {
			v := k.V
			bargs[i].Const = &v
		}
	}
	t, newState, err := fn.Bind(bargs)
	if err != nil {
		c.errorf(at, "%s", err)
	}
	return &plan.AggCall{Name: name, Fn: fn, New: newState, Args: bargs, Exprs: args, T: t}
}
