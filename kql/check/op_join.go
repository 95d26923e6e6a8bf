package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/vec"
)

var joinKinds = map[string]string{
	"": "innerunique", "innerunique": "innerunique", "inner": "inner",
	"leftouter": "leftouter", "rightouter": "rightouter", "fullouter": "fullouter", "outer": "fullouter",
	"leftanti": "leftanti", "anti": "leftanti", "leftantisemi": "leftanti",
	"rightanti": "rightanti", "rightantisemi": "rightanti",
	"leftsemi": "leftsemi", "semi": "leftsemi", "rightsemi": "rightsemi",
}

// paramString returns the value of an operator parameter as text, or "".
func paramString(params []*syntax.OpParam, name string) (string, syntax.Node) {
	for _, p := range params {
		if p.Name == name {
			switch v := p.Value.(type) {
			case *syntax.Ident:
				return v.Name, p
			case *syntax.Literal:
				if v.Kind == syntax.LitString {
					return syntax.StringValue(v.Text), p
				}
				return v.Text, p
			}
			return syntax.Print(p.Value), p
		}
	}
	return "", nil
}

func (c *checker) join(sc *scope, left plan.Node, o *syntax.Join) plan.Node {
	kindText, at := paramString(o.Params, "kind")
	kind, ok := joinKinds[kindText]
	if !ok {
		c.errorf(at, "unknown join kind '%s'", kindText)
	}
	right := c.tabular(sc, o.Right)
	j := &plan.Join{Left: left, Right: right, Kind: kind}
	if o.Where != nil {
		c.errorf(o.Where, "join ... where is not supported yet; use on")
	}
	for _, cond := range o.On {
		c.joinCondition(sc, j, cond)
	}
	c.joinSchema(j)
	return j
}

// joinCondition adds the equality keys of one `on` condition.
func (c *checker) joinCondition(sc *scope, j *plan.Join, cond syntax.Expr) {
	ls, rs := j.Left.Schema(), j.Right.Schema()
	switch x := cond.(type) {
	case *syntax.Ident:
		li, ri := ls.Index(x.Name), rs.Index(x.Name)
		if li < 0 || ri < 0 {
			c.errorf(x, "join key '%s' must exist on both sides", x.Name)
		}
		j.LeftKeys = append(j.LeftKeys, &plan.ColRef{Index: li, Name: x.Name, T: ls[li].Type})
		j.RightKeys = append(j.RightKeys, &plan.ColRef{Index: ri, Name: x.Name, T: rs[ri].Type})
		return
	case *syntax.Paren:
		c.joinCondition(sc, j, x.X)
		return
	case *syntax.Binary:
		switch x.Op {
		case "and":
			c.joinCondition(sc, j, x.L)
			c.joinCondition(sc, j, x.R)
			return
		case "==":
			l, lside := c.joinSide(sc, j, x.L)
			r, rside := c.joinSide(sc, j, x.R)
			if lside == rside {
				c.errorf(x, "a join condition compares $left with $right")
			}
			if lside == "right" {
				l, r = r, l
			}
			j.LeftKeys = append(j.LeftKeys, l)
			j.RightKeys = append(j.RightKeys, r)
			return
		}
	}
	c.errorf(cond, "join conditions are column names or $left.x == $right.y equalities")
}

// joinSide binds `$left.x` or `$right.x` and reports the side.
func (c *checker) joinSide(sc *scope, j *plan.Join, x syntax.Expr) (plan.Expr, string) {
	m, ok := x.(*syntax.Member)
	if ok {
		if id, ok := m.X.(*syntax.Ident); ok && (id.Name == "$left" || id.Name == "$right") {
			sch := j.Left.Schema()
			side := "left"
			if id.Name == "$right" {
				sch, side = j.Right.Schema(), "right"
			}
			i := sch.Index(m.Name.Name)
			if i < 0 {
				c.errorf(m.Name, "unknown column '%s' on the %s side of the join", m.Name.Name, side)
			}
			return &plan.ColRef{Index: i, Name: m.Name.Name, T: sch[i].Type}, side
		}
	}
	c.errorf(x, "expected $left.column or $right.column")
	return nil, ""
}

// joinSchema sets the output columns: left then right for most kinds,
// with right names that collide renamed (x becomes x1); one side only
// for semi and anti joins.
func (c *checker) joinSchema(j *plan.Join) {
	ls, rs := j.Left.Schema(), j.Right.Schema()
	switch j.Kind {
	case "leftsemi", "leftanti":
		j.Sch = append(vec.Schema(nil), ls...)
		for i := range ls {
			j.LeftCols = append(j.LeftCols, i)
			j.RightCols = append(j.RightCols, -1)
		}
		return
	case "rightsemi", "rightanti":
		j.Sch = append(vec.Schema(nil), rs...)
		for i := range rs {
			j.LeftCols = append(j.LeftCols, -1)
			j.RightCols = append(j.RightCols, i)
		}
		return
	}
	names := newNamer(ls)
	j.Sch = append(vec.Schema(nil), ls...)
	for i := range ls {
		j.LeftCols = append(j.LeftCols, i)
		j.RightCols = append(j.RightCols, -1)
	}
	for i, f := range rs {
		j.Sch = append(j.Sch, vec.Field{Name: names.unique(f.Name), Type: f.Type})
		j.LeftCols = append(j.LeftCols, -1)
		j.RightCols = append(j.RightCols, i)
	}
}

func (c *checker) lookup(sc *scope, left plan.Node, o *syntax.Lookup) plan.Node {
	kindText, at := paramString(o.Params, "kind")
	kind := "leftouter"
	switch kindText {
	case "", "leftouter":
	case "inner":
		kind = "inner"
	default:
		c.errorf(at, "lookup kind must be leftouter or inner")
	}
	right := c.tabular(sc, o.Right)
	j := &plan.Join{Left: left, Right: right, Kind: kind}
	for _, cond := range o.On {
		c.joinCondition(sc, j, cond)
	}
	// Output: left columns, then right columns that are not keys.
	ls, rs := left.Schema(), right.Schema()
	isKey := map[int]bool{}
	for _, k := range j.RightKeys {
		if r, ok := k.(*plan.ColRef); ok {
			isKey[r.Index] = true
		}
	}
	names := newNamer(ls)
	j.Sch = append(vec.Schema(nil), ls...)
	for i := range ls {
		j.LeftCols = append(j.LeftCols, i)
		j.RightCols = append(j.RightCols, -1)
	}
	for i, f := range rs {
		if isKey[i] {
			continue
		}
		j.Sch = append(j.Sch, vec.Field{Name: names.unique(f.Name), Type: f.Type})
		j.LeftCols = append(j.LeftCols, -1)
		j.RightCols = append(j.RightCols, i)
	}
	return j
}
