package check

import (
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// row is the row scope of a scalar expression: the input schema, or nil
// outside any operator (let values, print). Join conditions see two.
type row struct {
	sch   vec.Schema
	left  vec.Schema // for $left in join conditions
	right vec.Schema // for $right; its columns follow left's in ColRef indexes
	// aggregates are allowed (summarize, make-series)
	aggOK bool
}

func rowOf(sch vec.Schema) *row { return &row{sch: sch} }

// scalar binds a scalar expression.
func (c *checker) scalar(sc *scope, r *row, x syntax.Expr) plan.Expr {
	c.enter(x)
	defer c.leave()
	switch x := x.(type) {
	case *syntax.Literal:
		return &plan.Const{V: c.literal(x)}
	case *syntax.DynamicLit:
		return &plan.Const{V: types.NewDynamic(c.dynamic(x.Value))}
	case *syntax.Paren:
		if c.isTabular(sc, x.X) {
			return c.subquery(sc, x.X)
		}
		return c.scalar(sc, r, x.X)
	case *syntax.Ident:
		return c.name(sc, r, x)
	case *syntax.Unary:
		arg := c.scalar(sc, r, x.X)
		if x.Op == "+" {
			return arg
		}
		return c.call(x, "__neg", []plan.Expr{arg}) // folded when arg is constant
	case *syntax.Binary:
		return c.binary(sc, r, x)
	case *syntax.ListExpr:
		return c.listExpr(sc, r, x)
	case *syntax.Between:
		name := "between"
		if x.Not {
			name = "!between"
		}
		return c.call(x, name, []plan.Expr{c.scalar(sc, r, x.X), c.scalar(sc, r, x.Lo), c.scalar(sc, r, x.Hi)})
	case *syntax.Call:
		return c.callExpr(sc, r, x)
	case *syntax.Member:
		return c.member(sc, r, x)
	case *syntax.Index:
		base := c.scalar(sc, r, x.X)
		idx := c.scalar(sc, r, x.Index)
		return c.call(x, "__index", []plan.Expr{base, idx})
	case *syntax.Pipe, *syntax.SourceOp:
		return c.subquery(sc, x)
	case *syntax.ClientParam:
		c.errorf(x, "client parameter %s must be replaced before the query runs", x.Text)
	case *syntax.TypeOf:
		// typeof(T) as a function argument (extract, extract_json): a
		// null of type T, so that Bind sees the type.
		if t, ok := types.Lookup(x.Type.Scalar); ok && !x.Type.Tabular {
			return &plan.Const{V: types.NullOf(t)}
		}
	}
	c.errorf(x, "unexpected %s in a scalar expression", describe(x))
	return nil
}

// describe names a syntax node for error messages.
func describe(x syntax.Node) string {
	switch x.(type) {
	case *syntax.Star:
		return "'*'"
	case *syntax.NamedArg:
		return "named argument"
	case *syntax.TypeOf:
		return "typeof()"
	}
	return strings.ToLower(strings.TrimPrefix(fmt.Sprintf("%T", x), "*syntax."))
}

// subquery binds a tabular expression used where a scalar is expected:
// its first column of its first row (toscalar semantics).
func (c *checker) subquery(sc *scope, x syntax.Expr) plan.Expr {
	sub := newScope(sc)
	sub.subquery = true
	n := c.tabular(sub, x)
	sch := n.Schema()
	if len(sch) == 0 {
		c.errorf(x, "the tabular expression has no columns")
	}
	return &plan.Subquery{Plan: n, T: sch[0].Type}
}

// name resolves an identifier: a column of the row scope, then a let
// name, then a query parameter.
func (c *checker) name(sc *scope, r *row, id *syntax.Ident) plan.Expr {
	if r != nil {
		if i := r.sch.Index(id.Name); i >= 0 {
			return &plan.ColRef{Index: i, Name: id.Name, T: r.sch[i].Type}
		}
	}
	if b, outside := sc.lookupFrom(id.Name); b != nil {
		switch {
		case b.scalar != nil:
			if outside && b.rowArg != nil {
				c.frame = b.rowFrame
				c.errorf(b.rowArg, "can't use '%s' as it is defined outside its row-context scope: it is passed to %s, which a tabular expression used as a scalar reads, and that runs once, not per row", syntax.Format(b.rowArg), id.Name)
			}
			return b.scalar
		case b.table != nil:
			return &plan.Subquery{Plan: b.table, T: firstType(b.table.Schema())}
		case b.fn != nil:
			if len(b.fn.Params) == 0 {
				return c.invokeScalar(id, b, nil, sc, r)
			}
			c.errorf(id, "function %s needs arguments", id.Name)
		}
	}
	switch id.Name {
	case "true", "false":
		return &plan.Const{V: types.NewBool(id.Name == "true")}
	}
	if r == nil {
		c.errorf(id, "unknown name '%s'", id.Name)
	}
	c.errorf(id, "unknown column or name '%s'", id.Name)
	return nil
}

func firstType(s vec.Schema) types.Type {
	if len(s) == 0 {
		return types.Null
	}
	return s[0].Type
}

// member binds `x.name`: a property of a dynamic value.
func (c *checker) member(sc *scope, r *row, m *syntax.Member) plan.Expr {
	base := c.scalar(sc, r, m.X)
	return c.call(m, "__index", []plan.Expr{base, &plan.Const{V: types.NewString(m.Name.Name)}})
}

var binaryNames = map[string]string{
	"+": "__add", "-": "__sub", "*": "__mul", "/": "__div", "%": "__mod",
	"<>": "!=", "and": "__and", "or": "__or",
	"containscs": "contains_cs", "notcontains": "!contains", "notcontainscs": "!contains_cs",
	"nothas": "!has",
}

func (c *checker) binary(sc *scope, r *row, x *syntax.Binary) plan.Expr {
	if _, star := x.L.(*syntax.Star); star {
		return c.anyColumn(sc, r, x)
	}
	l := c.scalar(sc, r, x.L)
	rr := c.scalar(sc, r, x.R)
	name := x.Op
	if n, ok := binaryNames[name]; ok {
		name = n
	}
	if name == ":" {
		name = "has"
	}
	return c.call(x, name, []plan.Expr{l, rr})
}

// anyColumn binds `* op value` (`where * has "x"`): true when the
// comparison holds for any column, each taken as a string.
func (c *checker) anyColumn(sc *scope, r *row, x *syntax.Binary) plan.Expr {
	if r == nil || len(r.sch) == 0 {
		c.errorf(x, "'*' needs a row context")
	}
	rhs := c.scalar(sc, r, x.R)
	var out plan.Expr
	for i, f := range r.sch {
		// The string operators read any operand as text.
		col := plan.Expr(&plan.ColRef{Index: i, Name: f.Name, T: f.Type})
		e := c.call(x, x.Op, []plan.Expr{col, rhs})
		if out == nil {
			out = e
		} else {
			out = c.call(x, "__or", []plan.Expr{out, e})
		}
	}
	return out
}

func (c *checker) listExpr(sc *scope, r *row, x *syntax.ListExpr) plan.Expr {
	lhs := c.scalar(sc, r, x.X)
	if (x.Op == "in" || x.Op == "!in" || x.Op == "in~" || x.Op == "!in~") && len(x.List) == 1 && c.isTabular(sc, x.List[0]) {
		sub := c.subquery(sc, x.List[0])
		return &plan.RowSet{X: lhs, Set: sub.(*plan.Subquery), Not: strings.HasPrefix(x.Op, "!"), IgnoreCase: strings.HasSuffix(x.Op, "~")}
	}
	args := []plan.Expr{lhs}
	for _, e := range x.List {
		args = append(args, c.scalar(sc, r, e))
	}
	return c.call(x, x.Op, args)
}

// call binds a built-in scalar function over bound arguments and folds
// it when every argument is constant.
func (c *checker) call(at syntax.Node, name string, args []plan.Expr) plan.Expr {
	fn, ok := builtin.LookupScalar(name)
	if !ok {
		if _, isAgg := builtin.LookupAggregate(name); isAgg {
			c.errorf(at, "aggregate function %s() is only allowed in summarize, make-series or top-nested", name)
		}
		c.errorf(at, "unknown function '%s'", displayName(name))
	}
	bargs := make([]builtin.Arg, len(args))
	allConst := true
	for i, a := range args {
		bargs[i] = builtin.Arg{Type: a.Type()}
		if k, ok := a.(*plan.Const); ok {
			v := k.V
			bargs[i].Const = &v
		} else {
			allConst = false
		}
	}
	t, kernel, err := fn.Bind(bargs)
	if err != nil {
		c.errorf(at, "%s", err)
	}
	call := &plan.Call{Name: name, Fn: fn, Kernel: kernel, Args: args, T: t}
	if allConst && !fn.Volatile && !fn.Serial {
		return c.foldCall(at, call)
	}
	return call
}

func displayName(name string) string {
	if strings.HasPrefix(name, "__") {
		return "operator " + strings.TrimPrefix(name, "__")
	}
	return name
}

// foldCall evaluates a call over constants once.
func (c *checker) foldCall(at syntax.Node, call *plan.Call) plan.Expr {
	cols := make([]*vec.Column, len(call.Args))
	for i, a := range call.Args {
		cols[i] = vec.NewConst(a.(*plan.Const).V, 1)
	}
	out, err := call.Kernel(&builtin.Context{}, cols, 1)
	if err != nil {
		c.errorf(at, "%s", err)
	}
	v := out.Value(0)
	v.Type = call.T
	return &plan.Const{V: v}
}
