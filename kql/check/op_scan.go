package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.Scan)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.scan(sc, in, op.(*syntax.Scan))
	})
}

func (c *checker) scan(sc *scope, in plan.Node, o *syntax.Scan) plan.Node {
	if in == nil {
		c.errorf(o, "scan needs an input table")
	}
	n := &plan.ScanOp{In: in}
	rec := append(vec.Schema(nil), in.Schema()...)
	for _, d := range o.Declare {
		t, ok := types.Lookup(typeRefName(d.Type))
		if !ok {
			c.errorf(d, "declared column %s needs a scalar type", d.Name.Name)
		}
		if rec.Index(d.Name.Name) >= 0 {
			c.errorf(d.Name, "column '%s' already exists", d.Name.Name)
		}
		v := types.NullOf(t)
		if d.Default != nil {
			v = c.constant(sc, d.Default)
			if cv := types.Convert(v, t); !cv.IsNull() || v.IsNull() {
				v = cv
			} else {
				c.errorf(d.Default, "the default of type %s does not fit column %s of type %s", v.Type, d.Name.Name, t)
			}
		}
		n.Declared = append(n.Declared, vec.Field{Name: d.Name.Name, Type: t})
		n.Defaults = append(n.Defaults, v)
		rec = append(rec, vec.Field{Name: d.Name.Name, Type: t})
	}
	steps := map[string]bool{}
	for _, st := range o.Steps {
		if steps[st.Name.Name] {
			c.errorf(st.Name, "step '%s' is defined twice", st.Name.Name)
		}
		steps[st.Name.Name] = true
	}
	row := scanRow(rec, o.Steps)
	for _, st := range o.Steps {
		n.Steps = append(n.Steps, c.scanStep(sc, row, rec, steps, st))
	}
	n.Sch = rec
	if v, _ := paramString(o.Params, "with_match_id"); v != "" {
		n.MatchID = v
		n.Sch = append(n.Sch, vec.Field{Name: v, Type: types.Long})
	}
	return n
}

// scanRow is the row scope of scan expressions: the record, then each
// step's state row as columns named step.column.
func scanRow(rec vec.Schema, steps []*syntax.ScanStep) *row {
	sch := append(vec.Schema(nil), rec...)
	for _, st := range steps {
		for _, f := range rec {
			sch = append(sch, vec.Field{Name: st.Name.Name + "." + f.Name, Type: f.Type})
		}
	}
	return rowOf(sch)
}

func (c *checker) scanStep(sc *scope, row *row, rec vec.Schema, steps map[string]bool, st *syntax.ScanStep) *plan.ScanStep {
	s := &plan.ScanStep{Name: st.Name.Name, Output: st.Output}
	switch st.Output {
	case "":
		s.Output = "all"
	case "all", "last", "none":
	default:
		c.errorf(st, "unknown output '%s': expected all, last or none", st.Output)
	}
	if st.Optional {
		c.errorf(st, "optional steps are not supported")
	}
	s.Cond = c.scalar(sc, row, stepRefs(st.Cond, steps))
	switch s.Cond.Type() {
	case types.Bool:
	case types.Dynamic, types.Null:
		s.Cond = c.convertTo(st.Cond, s.Cond, types.Bool)
	default:
		c.errorf(st.Cond, "the step condition must be bool, not %s", s.Cond.Type())
	}
	for _, a := range st.Assigns {
		if len(a.Names) != 1 {
			c.errorf(a, "a scan assignment is Column = Value")
		}
		target := rec.Index(a.Names[0].Name)
		if target < 0 {
			c.errorf(a.Names[0], "unknown column '%s': declare it in the scan", a.Names[0].Name)
		}
		s.Targets = append(s.Targets, target)
		s.Values = append(s.Values, c.scalar(sc, row, stepRefs(a.Value, steps)))
	}
	return s
}

// stepRefs returns x with references to a step's state, `step.column` or
// `step['column']`, turned into names of the scan row ("step.column").
func stepRefs(x syntax.Expr, steps map[string]bool) syntax.Expr {
	switch x := x.(type) {
	case *syntax.Member:
		if id, ok := x.X.(*syntax.Ident); ok && steps[id.Name] {
			return &syntax.Ident{Span: x.Span, Name: id.Name + "." + x.Name.Name}
		}
		cp := *x
		cp.X = stepRefs(x.X, steps)
		return &cp
	case *syntax.Index:
		if id, ok := x.X.(*syntax.Ident); ok && steps[id.Name] {
			if lit, ok := x.Index.(*syntax.Literal); ok && lit.Kind == syntax.LitString {
				return &syntax.Ident{Span: x.Span, Name: id.Name + "." + syntax.StringValue(lit.Text)}
			}
		}
		cp := *x
		cp.X, cp.Index = stepRefs(x.X, steps), stepRefs(x.Index, steps)
		return &cp
	case *syntax.Paren:
		cp := *x
		cp.X = stepRefs(x.X, steps)
		return &cp
	case *syntax.Unary:
		cp := *x
		cp.X = stepRefs(x.X, steps)
		return &cp
	case *syntax.Binary:
		cp := *x
		cp.L, cp.R = stepRefs(x.L, steps), stepRefs(x.R, steps)
		return &cp
	case *syntax.Between:
		cp := *x
		cp.X, cp.Lo, cp.Hi = stepRefs(x.X, steps), stepRefs(x.Lo, steps), stepRefs(x.Hi, steps)
		return &cp
	case *syntax.ListExpr:
		cp := *x
		cp.X, cp.List = stepRefs(x.X, steps), stepRefsList(x.List, steps)
		return &cp
	case *syntax.Call:
		cp := *x
		cp.Args = stepRefsList(x.Args, steps)
		return &cp
	case *syntax.NamedArg:
		cp := *x
		cp.Value = stepRefs(x.Value, steps)
		return &cp
	}
	return x
}

func stepRefsList(list []syntax.Expr, steps map[string]bool) []syntax.Expr {
	out := make([]syntax.Expr, len(list))
	for i, x := range list {
		out[i] = stepRefs(x, steps)
	}
	return out
}
