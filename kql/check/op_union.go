package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

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
