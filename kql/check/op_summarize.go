package check

import (
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func (c *checker) summarize(sc *scope, in plan.Node, o *syntax.Summarize) plan.Node {
	return c.group(sc, in, o.Aggs, o.By, true)
}

// aggBinder collects the aggregate calls of summarize expressions; each
// becomes a column of the Aggregate node and the expression around it is
// computed by a Project on top.
type aggBinder struct {
	c     *checker
	sc    *scope
	in    vec.Schema
	aggs  []*plan.AggCall
	nkeys int
	// outCols is the Aggregate node's schema so far (keys, then aggregates).
	outCols vec.Schema
}

// groupBy binds summarize (and distinct when aggs is nil).
func (c *checker) groupBy(sc *scope, in plan.Node, aggs, by []*syntax.Assign) plan.Node {
	return c.group(sc, in, aggs, by, aggs != nil)
}

func (c *checker) group(sc *scope, in plan.Node, aggs, by []*syntax.Assign, summarize bool) plan.Node {
	inSch := in.Schema()
	row := rowOf(inSch)
	ab := &aggBinder{c: c, sc: sc, in: inSch}
	names := newNamer(nil)
	var keys []plan.Expr
	var keySch vec.Schema
	for _, k := range by {
		e := c.scalar(sc, row, k.Value)
		name := assignName(k)
		if e.Type() == types.Dynamic && summarize {
			shown := name
			if shown == "" {
				shown = syntax.Print(k.Value)
			}
			c.errorf(k, "summarize group key '%s' is of a 'dynamic' type; use an explicit cast such as tostring()", shown)
		}
		if name == "" {
			name = names.column()
		} else {
			name = names.unique(name)
		}
		keys = append(keys, e)
		keySch = append(keySch, vec.Field{Name: name, Type: resultType(e.Type())})
	}
	ab.nkeys = len(keys)
	ab.outCols = append(ab.outCols, keySch...)
	// Each aggregate assignment binds to an expression over the Aggregate
	// node's output.
	type outCol struct {
		name string
		e    plan.Expr
		auto bool
	}
	var outs []outCol
	for _, a := range aggs {
		if call, ok := a.Value.(*syntax.Call); ok {
			if multi := ab.multi(call, a); multi != nil {
				for _, m := range multi {
					outs = append(outs, outCol{name: m.name, e: m.e})
				}
				continue
			}
		}
		e := ab.bind(a.Value)
		// An aggregate names its column (tdigest_merge(d) is
		// merge_tdigests_d, where the scalar tdigest_merge would be
		// tdigests_merge_result).
		name, auto := "", false
		if len(a.Names) == 1 {
			name = a.Names[0].Name
		} else if name = ab.resultName(a.Value); name != "" {
			auto = true
		} else {
			name = assignName(a)
			auto = name == ""
		}
		outs = append(outs, outCol{name: name, e: e, auto: auto})
	}
	agg := &plan.Aggregate{In: in, Keys: keys, Aggs: ab.aggs, Sch: ab.outCols}
	// Skip the Project when every output is a plain aggregate column in order.
	exprs := identity(keySch)
	sch := append(vec.Schema(nil), keySch...)
	for _, o := range outs {
		name := o.name
		if name == "" {
			name = names.column()
		} else {
			name = names.unique(name)
		}
		sch = append(sch, vec.Field{Name: name, Type: resultType(o.e.Type())})
		exprs = append(exprs, o.e)
	}
	if isIdentity(exprs, len(ab.outCols)) {
		agg.Sch = renamed(ab.outCols, sch)
		return agg
	}
	return &plan.Project{In: agg, Exprs: exprs, Sch: sch}
}

func isIdentity(exprs []plan.Expr, n int) bool {
	if len(exprs) != n {
		return false
	}
	for i, e := range exprs {
		r, ok := e.(*plan.ColRef)
		if !ok || r.Index != i {
			return false
		}
	}
	return true
}

func renamed(sch, names vec.Schema) vec.Schema {
	out := make(vec.Schema, len(sch))
	for i, f := range sch {
		out[i] = vec.Field{Name: names[i].Name, Type: f.Type}
	}
	return out
}

// bind binds an aggregate expression: aggregate calls become references to
// Aggregate output columns; everything else is scalar around them.
func (ab *aggBinder) bind(x syntax.Expr) plan.Expr {
	c := ab.c
	switch x := x.(type) {
	case *syntax.Call:
		name := funcName(x)
		if _, ok := builtin.LookupAggregate(name); ok {
			return ab.aggregate(x, name, nil)
		}
		if _, ok := builtin.LookupScalar(name); !ok {
			// Say so before binding the arguments, which may only make
			// sense as an aggregate's: make_set(x) is not "unknown name x".
			c.errorf(x, "unknown function '%s'", name)
		}
		args := make([]plan.Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = ab.bind(a)
		}
		return c.call(x, name, args)
	case *syntax.Paren:
		return ab.bind(x.X)
	case *syntax.Binary:
		name := x.Op
		if n, ok := binaryNames[name]; ok {
			name = n
		}
		return c.call(x, name, []plan.Expr{ab.bind(x.L), ab.bind(x.R)})
	case *syntax.Unary:
		if x.Op == "+" {
			return ab.bind(x.X)
		}
		return c.call(x, "__neg", []plan.Expr{ab.bind(x.X)})
	case *syntax.Ident:
		// A by column may be used around aggregates.
		if i := ab.outCols[:ab.nkeys].Index(x.Name); i >= 0 {
			return &plan.ColRef{Index: i, Name: x.Name, T: ab.outCols[i].Type}
		}
		if ab.in.Index(x.Name) >= 0 {
			c.errorf(x, "column '%s' must be inside an aggregate function or be a by column", x.Name)
		}
	case *syntax.Literal, *syntax.DynamicLit:
		return c.scalar(ab.sc, nil, x)
	}
	e := c.scalar(ab.sc, nil, x)
	return e
}

// aggregate binds one aggregate call and returns references to its column.
func (ab *aggBinder) aggregate(x *syntax.Call, name string, star []plan.Expr) plan.Expr {
	c := ab.c
	row := rowOf(ab.in)
	var args []plan.Expr
	for _, a := range x.Args {
		if _, ok := a.(*syntax.Star); ok {
			args = append(args, c.starArgs(a, row)...)
			continue
		}
		args = append(args, c.scalar(ab.sc, row, a))
	}
	call := c.aggCall(x, name, args)
	call.Out = vec.Schema{{Name: ab.autoName(x), Type: call.T}}
	ab.aggs = append(ab.aggs, call)
	idx := len(ab.outCols)
	ab.outCols = append(ab.outCols, call.Out...)
	return &plan.ColRef{Index: idx, Name: call.Out[0].Name, T: call.T}
}

// autoName is the name Kusto gives an unnamed aggregate column:
// count_, sum_Duration, list_x, dcount_UserId.
func (ab *aggBinder) autoName(x syntax.Expr) string {
	call, ok := x.(*syntax.Call)
	if !ok {
		return ""
	}
	name := funcName(call)
	fn, ok := builtin.LookupAggregate(name)
	if !ok {
		return ""
	}
	if fn.ColumnName != nil {
		names := make([]string, len(call.Args))
		for i, a := range call.Args {
			names[i] = exprName(a)
		}
		return fn.ColumnName(names)
	}
	prefix := fn.Prefix
	if prefix == "" {
		prefix = name
	}
	arg := ""
	if len(call.Args) > 0 {
		arg = exprName(call.Args[0])
	}
	return prefix + "_" + arg
}

// resultName names an unnamed summarize expression after the aggregate
// it wraps, through functions that keep their argument's name:
// tostring(make_set(user)) gives set_user.
func (ab *aggBinder) resultName(x syntax.Expr) string {
	switch x := x.(type) {
	case *syntax.Paren:
		return ab.resultName(x.X)
	case *syntax.Call:
		if _, ok := builtin.LookupAggregate(funcName(x)); ok {
			return ab.autoName(x)
		}
		if resultNames[funcName(x)].kind == firstArgument && len(x.Args) > 0 {
			return ab.resultName(x.Args[0])
		}
	}
	return ""
}

type multiOut struct {
	name string
	e    plan.Expr
}

// multi binds aggregates that produce several columns: the row pickers
// (arg_max, arg_min, take_any and their aliases) and those with Outputs
// (percentiles). It returns nil for ordinary aggregates.
func (ab *aggBinder) multi(call *syntax.Call, a *syntax.Assign) []multiOut {
	name := funcName(call)
	fn, ok := builtin.LookupAggregate(name)
	if !ok {
		return nil
	}
	switch {
	case rowPicking(name, call):
		return ab.pickColumns(call, a, name)
	case fn.Outputs != nil:
		return ab.outputColumns(call, a, name, fn)
	}
	return nil
}

// outputColumns binds an aggregate with Outputs: percentiles(x, 50, 90)
// gives percentile_x_50 and percentile_x_90.
func (ab *aggBinder) outputColumns(call *syntax.Call, a *syntax.Assign, name string, fn *builtin.Aggregate) []multiOut {
	c := ab.c
	row := rowOf(ab.in)
	var args []plan.Expr
	for _, x := range call.Args {
		args = append(args, c.scalar(ab.sc, row, x))
	}
	tmp := c.aggCall(call, name, args)
	suffixes := fn.Outputs(tmp.Args)
	base := ab.autoName(call)
	outNames := make([]string, len(suffixes))
	for i, s := range suffixes {
		outNames[i] = base + s
	}
	renameOutputs(outNames, a)
	return ab.multiCall(call, name, args, outNames, false)
}

// renameOutputs applies the names of an assignment to an aggregate's
// columns: `(a, b) = arg_max(x, y)` names both, `a = arg_max(x, y)` the first.
func renameOutputs(outNames []string, a *syntax.Assign) {
	if a.Tuple {
		for i, id := range a.Names {
			if i < len(outNames) {
				outNames[i] = id.Name
			}
		}
	} else if len(a.Names) == 1 && len(outNames) > 0 {
		outNames[0] = a.Names[0].Name
	}
}

// rowPicking reports whether the aggregate returns its arguments' values
// at one row, a column per argument. any() does only with several
// arguments or `*`; with one it is an ordinary aggregate named any_x.
func rowPicking(name string, call *syntax.Call) bool {
	switch name {
	case "arg_max", "arg_min", "argmax", "argmin", "take_any":
		return true
	case "any":
		return len(call.Args) > 1 || len(call.Args) == 1 && isStar(call.Args[0])
	}
	return false
}

func isStar(x syntax.Expr) bool {
	_, ok := x.(*syntax.Star)
	return ok
}

// pickNamer names the unnamed columns of a row picker, Kusto's way:
// arg_max(x, y) gives x, y; an unnamed expression gives max_ and
// max_x_arg1; the deprecated argmax(x, y) gives x, x_y; take_any(x+1)
// gives any_arg0; the deprecated any(x, y) gives any_x, any_y.
type pickNamer struct {
	name    string
	primary string // the first argument's derived name
}

func (p pickNamer) arg(i int, x syntax.Expr) string {
	n := exprName(x)
	switch p.name {
	case "arg_max", "arg_min":
		if n != "" {
			return n
		}
		prefix := strings.TrimPrefix(p.name, "arg_")
		if i == 0 {
			return prefix + "_"
		}
		return prefix + "_" + p.primary + "_arg" + itoa(i)
	case "argmax", "argmin":
		if i == 0 {
			return p.primary
		}
		if n == "" {
			n = "arg" + itoa(i)
		}
		return p.primary + "_" + n
	case "take_any":
		if n == "" {
			n = "any_arg" + itoa(i)
		}
		return n
	case "any":
		// The deprecated any() prefixes its columns with any_.
		if n == "" {
			n = "arg" + itoa(i)
		}
		return "any_" + n
	}
	if n == "" {
		n = "arg" + itoa(i)
	}
	return n
}

// star names a column that `*` expands to.
func (p pickNamer) star(col string) string {
	switch p.name {
	case "argmax", "argmin":
		return p.primary + "_" + col
	case "any":
		return "any_" + col
	}
	return col
}

// pickColumns binds a row picker. `*` expands to the input columns that
// are neither group keys nor already returned; when `*` is present, other
// plain column arguments that are already returned are skipped too.
func (ab *aggBinder) pickColumns(call *syntax.Call, a *syntax.Assign, name string) []multiOut {
	c := ab.c
	if len(call.Args) < 1 {
		c.errorf(call, "%s() expects at least one argument", name)
	}
	row := rowOf(ab.in)
	pn := pickNamer{name: name, primary: exprName(call.Args[0])}
	anyStar := false
	for _, x := range call.Args {
		anyStar = anyStar || isStar(x)
	}
	seen := map[string]bool{}
	for _, k := range ab.outCols[:ab.nkeys] {
		seen[k.Name] = true
	}
	var args []plan.Expr
	var outNames []string
	for i, x := range call.Args {
		if isStar(x) {
			for j, f := range ab.in {
				if !seen[f.Name] {
					seen[f.Name] = true
					args = append(args, &plan.ColRef{Index: j, Name: f.Name, T: f.Type})
					outNames = append(outNames, pn.star(f.Name))
				}
			}
			continue
		}
		value, outName := x, ""
		if na, ok := x.(*syntax.NamedArg); ok {
			value, outName = na.Value, na.Name.Name
		}
		e := c.scalar(ab.sc, row, value)
		if ref, ok := e.(*plan.ColRef); ok {
			if anyStar && i > 0 && seen[ref.Name] {
				continue
			}
			seen[ref.Name] = true
		}
		if outName == "" {
			outName = pn.arg(i, x)
		} else if name == "argmax" || name == "argmin" {
			outName = pn.primary + "_" + outName
		}
		args = append(args, e)
		outNames = append(outNames, outName)
	}
	renameOutputs(outNames, a)
	return ab.multiCall(call, name, args, outNames, true)
}

// multiCall adds an aggregate producing the columns outNames. With
// perArg each column has its argument's type, else the aggregate's.
func (ab *aggBinder) multiCall(at syntax.Node, name string, args []plan.Expr, outNames []string, perArg bool) []multiOut {
	call := ab.c.aggCall(at, name, args)
	var outs []multiOut
	for i, n := range outNames {
		t := call.T
		if perArg && i < len(args) {
			t = args[i].Type()
		}
		t = resultType(t)
		call.Out = append(call.Out, vec.Field{Name: n, Type: t})
		idx := len(ab.outCols)
		ab.outCols = append(ab.outCols, vec.Field{Name: n, Type: t})
		outs = append(outs, multiOut{name: n, e: &plan.ColRef{Index: idx, Name: n, T: t}})
	}
	ab.aggs = append(ab.aggs, call)
	return outs
}
