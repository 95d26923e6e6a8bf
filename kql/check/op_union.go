package check

import (
	"strings"

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
	fuzzyText, _ := paramString(o.Params, "isfuzzy")
	fuzzy := strings.EqualFold(fuzzyText, "true")
	var missing *syntax.Error
	for _, t := range o.Tables {
		if fuzzy {
			if _, ok := t.(*syntax.Pattern); !ok {
				leg, err := c.fuzzyLeg(sc, t)
				if err != nil {
					if missing == nil {
						missing = err
					}
					continue
				}
				ins, names = append(ins, leg), append(names, legName(t, len(ins)))
				continue
			}
		}
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
		default:
			ins = append(ins, c.tabular(sc, t))
			names = append(names, legName(t, len(ins)-1))
		}
	}
	if len(ins) == 0 && missing != nil {
		// No leg resolved: the query fails with the first missing table.
		c.errs = append(c.errs, missing)
		panic(bailout{})
	}
	kind, _ := paramString(o.Params, "kind")
	source, _ := paramString(o.Params, "withsource")
	return unionOf(ins, names, kind == "inner", source)
}

// legName is the name withsource reports for the union leg t at index i:
// a table's name, a leg's `as` alias, or union_arg<i>.
func legName(t syntax.Expr, i int) string {
	if id, ok := t.(*syntax.Ident); ok {
		return id.Name
	}
	if name := asName(t); name != "" {
		return name
	}
	return "union_arg" + itoa(i)
}

// fuzzyLeg binds a leg of `union isfuzzy=true`. A leg that refers to a
// table or tabular function that does not exist is left out of the union, as Kusto's fuzzy
// resolution reduces the legs to the tables that exist; fuzzyLeg then
// returns the error instead of reporting it. Any other error is reported
// as usual.
func (c *checker) fuzzyLeg(sc *scope, t syntax.Expr) (n plan.Node, missing *syntax.Error) {
	nerr, depth := len(c.errs), c.depth
	c.unknownTable = false
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if _, ok := r.(bailout); ok && c.unknownTable && len(c.errs) == nerr+1 {
			n, missing = nil, c.errs[nerr]
			c.errs, c.depth, c.unknownTable = c.errs[:nerr], depth, false
			return
		}
		panic(r)
	}()
	return c.tabular(sc, t), nil
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
