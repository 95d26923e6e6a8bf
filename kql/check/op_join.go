package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
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

// TableLister is implemented by catalogs that can list their tables, for
// union with wildcards.
type TableLister interface {
	TableNames() []string
}

func (c *checker) union(sc *scope, in plan.Node, o *syntax.Union) plan.Node {
	var ins []plan.Node
	var names []string
	if in != nil {
		ins, names = append(ins, in), append(names, "union_arg0")
	}
	for _, t := range o.Tables {
		switch t := t.(type) {
		case *syntax.Pattern:
			lister, ok := c.opts.Catalog.(TableLister)
			if !ok {
				continue
			}
			for _, n := range lister.TableNames() {
				if matchPattern(t.Text, n) {
					ins = append(ins, c.tableName(sc, t, n))
					names = append(names, n)
				}
			}
		case *syntax.Ident:
			ins = append(ins, c.tabular(sc, t))
			names = append(names, t.Name)
		default:
			ins = append(ins, c.tabular(sc, t))
			name := asName(t)
			if name == "" {
				name = "union_arg" + itoa(len(ins)-1)
			}
			names = append(names, name)
		}
	}
	kind, _ := paramString(o.Params, "kind")
	source, _ := paramString(o.Params, "withsource")
	return unionOf(ins, names, kind == "inner", source)
}

// asName returns the alias a union leg gives itself with a trailing
// `| as Name`, which withsource reports as the leg's source.
func asName(x syntax.Expr) string {
	for {
		switch e := x.(type) {
		case *syntax.Paren:
			x = e.X
			continue
		case *syntax.Pipe:
			if a, ok := e.Op.(*syntax.As); ok {
				return a.Alias.Name
			}
		}
		return ""
	}
}

// unionOf matches columns by name. Columns that share a name but not a
// type become one column per type, named `x_long`, `x_string`.
func unionOf(ins []plan.Node, names []string, inner bool, source string) *plan.Union {
	type key struct {
		name string
		t    types.Type
	}
	var order []key
	count := map[key]int{}
	typesOf := map[string]map[types.Type]bool{}
	for _, in := range ins {
		for _, f := range in.Schema() {
			k := key{f.Name, f.Type}
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
			if typesOf[f.Name] == nil {
				typesOf[f.Name] = map[types.Type]bool{}
			}
			typesOf[f.Name][f.Type] = true
		}
	}
	u := &plan.Union{Ins: ins, SourceColumn: -1, SourceNames: names}
	if source != "" {
		u.SourceColumn = 0
		u.Sch = append(u.Sch, vec.Field{Name: source, Type: types.String})
	}
	var keys []key
	for _, k := range order {
		if inner && count[k] < len(ins) {
			continue
		}
		keys = append(keys, k)
		name := k.name
		if len(typesOf[k.name]) > 1 {
			name = k.name + "_" + k.t.String()
		}
		u.Sch = append(u.Sch, vec.Field{Name: name, Type: k.t})
	}
	for _, in := range ins {
		m := make([]int, len(u.Sch))
		for j := range m {
			m[j] = -1
		}
		for i, f := range in.Schema() {
			for j, k := range keys {
				if k.name == f.Name && k.t == f.Type {
					m[j+len(u.Sch)-len(keys)] = i
				}
			}
		}
		u.Maps = append(u.Maps, m)
	}
	return u
}

func (c *checker) mvExpand(sc *scope, in plan.Node, o *syntax.MvExpand) plan.Node {
	sch := append(vec.Schema(nil), in.Schema()...)
	n := &plan.MvExpand{In: in}
	row := rowOf(in.Schema())
	for _, it := range o.Items {
		e := c.scalar(sc, row, it.Assign.Value)
		name := assignName(it.Assign)
		if name == "" {
			c.errorf(it, "mv-expand needs a column name for this expression")
		}
		t := types.Dynamic
		if it.To != nil {
			tt, ok := types.Lookup(it.To.Scalar)
			if !ok {
				c.errorf(it, "unknown type in to typeof()")
			}
			t = tt
		}
		target := sch.Index(name)
		if target < 0 {
			target = len(sch)
			sch = append(sch, vec.Field{Name: name, Type: t})
		} else {
			sch[target].Type = t
		}
		n.Exprs = append(n.Exprs, e)
		n.Targets = append(n.Targets, target)
		n.ToTypes = append(n.ToTypes, t)
	}
	// kind=array is the older spelling of bagexpansion=array.
	if v, _ := paramString(o.Params, "bagexpansion"); v == "array" {
		n.BagArray = true
	}
	if v, _ := paramString(o.Params, "kind"); v == "array" {
		n.BagArray = true
	}
	if v, _ := paramString(o.Params, "with_itemindex"); v != "" {
		n.IndexName = v
		sch = append(sch, vec.Field{Name: v, Type: types.Long})
	}
	n.Limit = -1
	if o.Limit != nil {
		n.Limit = c.count(sc, o.Limit)
	}
	n.Sch = sch
	return n
}
