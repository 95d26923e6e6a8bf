package check

import (
	"strings"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// funcName returns the called name of a call expression, or "".
func funcName(x *syntax.Call) string {
	if id, ok := x.Fun.(*syntax.Ident); ok {
		return id.Name
	}
	return ""
}

// callExpr binds a function call in a scalar context.
func (c *checker) callExpr(sc *scope, r *row, x *syntax.Call) plan.Expr {
	name := funcName(x)
	if name == "" {
		c.errorf(x, "expected a function name")
	}
	if strings.HasPrefix(name, "__") {
		// Operators are registered as __add, __and, ...: not callable by name.
		c.errorf(x, "unknown function '%s'", name)
	}
	if b := sc.lookup(name); b != nil && b.fn != nil {
		return c.invokeScalar(x, b, x.Args, sc, r)
	}
	switch name {
	case "toscalar":
		if len(x.Args) != 1 {
			c.errorf(x, "toscalar() expects one argument")
		}
		if c.isTabular(sc, x.Args[0]) {
			return c.subquery(sc, x.Args[0])
		}
		return c.scalar(sc, r, x.Args[0])
	case "column_names_of":
		return c.columnNamesOf(sc, x)
	case "bin_auto":
		return c.binAuto(sc, r, x)
	case "bag_pack_columns":
		return c.bagPackColumns(sc, r, x)
	case "pack_all":
		return c.packAll(x, r)
	case "column_ifexists":
		return c.columnIfExists(sc, r, x)
	case "materialize", "table", "view":
		return c.subquery(sc, x)
	}
	args := make([]plan.Expr, 0, len(x.Args))
	for _, a := range x.Args {
		switch a := a.(type) {
		case *syntax.NamedArg:
			args = append(args, c.scalar(sc, r, a.Value))
		case *syntax.Star:
			args = append(args, c.starArgs(a, r)...)
		default:
			args = append(args, c.scalar(sc, r, a))
		}
	}
	return c.call(x, name, args)
}

// starArgs expands `*` to every column of the row scope.
func (c *checker) starArgs(at syntax.Node, r *row) []plan.Expr {
	if r == nil {
		c.errorf(at, "'*' needs a row context")
	}
	out := make([]plan.Expr, len(r.sch))
	for i, f := range r.sch {
		out[i] = &plan.ColRef{Index: i, Name: f.Name, T: f.Type}
	}
	return out
}

// packAll binds pack_all() as bag_pack(name1, col1, name2, col2, ...).
func (c *checker) packAll(x *syntax.Call, r *row) plan.Expr {
	if r == nil {
		c.errorf(x, "pack_all() needs a row context")
	}
	var args []plan.Expr
	for i, f := range r.sch {
		args = append(args, &plan.Const{V: types.NewString(f.Name)}, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
	}
	return c.call(x, "bag_pack", args)
}

// columnIfExists binds column_ifexists("name", default).
func (c *checker) columnIfExists(sc *scope, r *row, x *syntax.Call) plan.Expr {
	if len(x.Args) != 2 {
		c.errorf(x, "column_ifexists() expects 2 arguments")
	}
	nameV := c.constant(sc, x.Args[0])
	if nameV.Type != types.String {
		c.errorf(x.Args[0], "column_ifexists(): the column name must be a string")
	}
	if r != nil {
		if i := r.sch.Index(nameV.S); i >= 0 {
			return &plan.ColRef{Index: i, Name: nameV.S, T: r.sch[i].Type}
		}
	}
	return c.scalar(sc, r, x.Args[1])
}

// invokeScalar binds a call of a user-defined function whose body is a
// scalar expression, by binding the body with parameters set to the
// arguments. Arguments are bound in the caller's scope and row, so they
// may refer to columns.
func (c *checker) invokeScalar(at syntax.Node, b *binding, args []syntax.Expr, caller *scope, r *row) plan.Expr {
	defer c.restoreFrame(c.frame)
	fsc, body := c.bindFunction(at, b, args, caller, r)
	if c.isTabular(fsc, body) {
		return c.subquery(fsc, body)
	}
	return c.scalar(fsc, nil, body)
}

// bindFunction prepares the scope and the final expression of a user
// function call. Statements before the last one (lets) are bound in the
// function's scope. Named arguments and defaults are honoured; scalar
// arguments are bound in the caller's scope and row r (nil outside a row
// context).
func (c *checker) bindFunction(at syntax.Node, b *binding, args []syntax.Expr, caller *scope, r *row) (*scope, syntax.Expr) {
	callerFrame := c.enterStored(at, b)
	fnFrame := c.frame
	c.frame = callerFrame
	f := b.fn
	fsc := newScope(b.fnScope)
	bound := make([]syntax.Expr, len(f.Params))
	pos := 0
	for _, a := range args {
		if na, ok := a.(*syntax.NamedArg); ok {
			found := false
			for i, p := range f.Params {
				if p.Name.Name == na.Name.Name {
					bound[i], found = na.Value, true
				}
			}
			if !found {
				c.errorf(a, "the function has no parameter named %s", na.Name.Name)
			}
			continue
		}
		if pos >= len(f.Params) {
			c.errorf(a, "too many arguments: the function takes %d", len(f.Params))
		}
		bound[pos] = a
		pos++
	}
	if caller == nil {
		caller = b.fnScope
	}
	for i, p := range f.Params {
		arg, argSc, argRow := bound[i], caller, r
		c.frame = callerFrame
		if arg == nil {
			// Defaults belong to the function's definition, not the call site.
			arg, argSc, argRow = p.Default, b.fnScope, nil
			c.frame = fnFrame
		}
		if arg == nil {
			c.frame = callerFrame
			c.errorf(at, "missing argument for parameter %s", p.Name.Name)
		}
		if p.Type.Tabular {
			fsc.set(p.Name.Name, &binding{table: c.tabular(argSc, arg)})
			continue
		}
		v := c.scalar(argSc, argRow, arg)
		if t, ok := types.Lookup(p.Type.Scalar); ok && t != types.Dynamic && v.Type() != t {
			c.frame = callerFrame
			v = c.convertTo(at, v, t)
		}
		pb := &binding{scalar: v}
		if argRow != nil && plan.ReadsColumns(v) {
			pb.rowArg, pb.rowFrame = arg, callerFrame
		}
		fsc.set(p.Name.Name, pb)
	}
	c.frame = fnFrame
	for _, st := range f.Body[:len(f.Body)-1] {
		if let, ok := st.(*syntax.LetStmt); ok {
			c.let(fsc, let)
			continue
		}
		c.errorf(st, "only let statements may come before a function's result")
	}
	last, ok := f.Body[len(f.Body)-1].(*syntax.ExprStmt)
	if !ok {
		c.errorf(f, "a function body must end with an expression")
	}
	return fsc, last.X
}

// restoreFrame makes f the current frame again after a function call is
// bound, or has failed to bind.
func (c *checker) restoreFrame(f *frame) { c.frame = f }

// convertTo converts a bound expression to type t with the to* function.
func (c *checker) convertTo(at syntax.Node, e plan.Expr, t types.Type) plan.Expr {
	if k, ok := e.(*plan.Const); ok {
		return &plan.Const{V: types.Convert(k.V, t)}
	}
	fn := map[types.Type]string{types.Bool: "tobool", types.Int: "toint", types.Long: "tolong", types.Real: "toreal",
		types.Decimal: "todecimal", types.Datetime: "todatetime", types.Timespan: "totimespan",
		types.Guid: "toguid", types.String: "tostring", types.Dynamic: "todynamic"}[t]
	return c.call(at, fn, []plan.Expr{e})
}

// literal converts a literal to its value.
func (c *checker) literal(x *syntax.Literal) types.Value {
	v, err := LiteralValue(x)
	if err != nil {
		c.errorf(x, "%s", err)
	}
	return v
}

// dynamic converts the content of a dynamic literal.
func (c *checker) dynamic(x syntax.Expr) any {
	switch x := x.(type) {
	case nil:
		return nil
	case *syntax.ArrayLit:
		arr := make([]any, len(x.Elems))
		for i, e := range x.Elems {
			arr[i] = c.dynamic(e)
		}
		return arr
	case *syntax.BagLit:
		bag := &types.Bag{}
		for i, k := range x.Keys {
			bag.Set(k, c.dynamic(x.Values[i]))
		}
		return bag
	case *syntax.Unary:
		v := c.dynamic(x.X)
		if x.Op == "-" {
			switch n := v.(type) {
			case int64:
				return -n
			case float64:
				return -n
			case types.TimespanVal:
				return -n
			}
		}
		return v
	case *syntax.Literal:
		if x.Kind == syntax.LitNull {
			return nil
		}
		return types.ToDynamic(c.literal(x))
	case *syntax.DynamicLit:
		return c.dynamic(x.Value)
	}
	c.errorf(x, "unexpected value in a dynamic literal")
	return nil
}
