package check

import (
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// find filters the tables listed in `in (...)` (or all tables) by a
// predicate, bound per table as search does, and shapes the rows:
//
//   - project-smart (the default): the columns the predicate names and the
//     columns every remaining table has (same name and type), then a
//     `pack_` bag of each row's other columns;
//   - project A, B:type, pack_all(): the listed columns (null where a table
//     lacks one, converted to the given type), and with pack_all() a
//     `pack_` bag of the other columns.
//
// The first column, `source_` or the withsource= name, names the table.
func init() {
	registerOperator((*syntax.Find)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.find(sc, in, op.(*syntax.Find))
	})
}

// findTable is one table that find keeps, with its filtered rows.
type findTable struct {
	name string
	node plan.Node
	sch  vec.Schema
}

func (c *checker) find(sc *scope, in plan.Node, o *syntax.Find) plan.Node {
	if in != nil {
		c.errorf(o, "find starts a query; to filter a piped input use search or where")
	}
	source, _ := paramString(o.Params, "withsource")
	if source == "" {
		source = "source_"
	}
	srcs, names := c.searchSources(sc, nil, o.Tables, o)
	var tables []findTable
	used := map[string]bool{}
	var missing *syntax.Error
	for i, src := range srcs {
		b := &searchBinder{c: c, sc: sc, sch: src.Schema()}
		pred := b.bind(o.Pred)
		if missing == nil {
			missing = b.missing
		}
		if isBool(pred, false) {
			continue
		}
		for n := range b.used {
			used[n] = true
		}
		if !isBool(pred, true) {
			src = &plan.Filter{In: src, Pred: pred}
		}
		tables = append(tables, findTable{name: names[i], node: src, sch: src.Schema()})
	}
	if len(tables) == 0 && missing != nil {
		c.errs = append(c.errs, missing)
		panic(bailout{})
	}
	var out vec.Schema
	pack := false
	if o.Project != nil {
		out, pack = c.findProjectList(tables, o.Project)
	} else {
		out, pack = findSmartColumns(tables, used)
	}
	var ins []plan.Node
	var kept []string
	for _, t := range tables {
		ins, kept = append(ins, c.findShape(t, out, pack)), append(kept, t.name)
	}
	return unionOf(ins, kept, false, source)
}

// findSmartColumns picks project-smart's columns: named by the predicate
// or common to every table. A column with several types becomes one
// column per type, named Col_type.
func findSmartColumns(tables []findTable, used map[string]bool) (vec.Schema, bool) {
	type key struct {
		name string
		t    types.Type
	}
	count := map[key]int{}
	for _, t := range tables {
		for _, f := range t.sch {
			count[key{f.Name, f.Type}]++
		}
	}
	var out vec.Schema
	seen := map[key]bool{}
	typesOf := map[string]int{}
	pack := false
	for _, t := range tables {
		for _, f := range t.sch {
			k := key{f.Name, f.Type}
			if !used[f.Name] && count[k] < len(tables) {
				pack = true
				continue
			}
			if !seen[k] {
				seen[k] = true
				typesOf[f.Name]++
				out = append(out, f)
			}
		}
	}
	for i, f := range out {
		if typesOf[f.Name] > 1 {
			out[i].Name = f.Name + "_" + f.Type.String()
		}
	}
	return out, pack
}

// findProjectList reads `project A, B:type, pack_all()`.
func (c *checker) findProjectList(tables []findTable, items []syntax.Expr) (vec.Schema, bool) {
	var out vec.Schema
	pack := false
	for _, x := range items {
		switch x := x.(type) {
		case *syntax.Ident:
			out = append(out, vec.Field{Name: x.Name, Type: c.findColumnType(tables, x)})
		case *syntax.ColumnDeclExpr:
			t, ok := types.Lookup(typeRefName(x.Decl.Type))
			if !ok {
				c.errorf(x, "unknown type for column %s", x.Decl.Name.Name)
			}
			out = append(out, vec.Field{Name: x.Decl.Name.Name, Type: t})
		case *syntax.Call:
			if funcName(x) != "pack_all" || len(x.Args) != 0 {
				c.errorf(x, "find's project list takes column names, Name:type and pack_all()")
			}
			pack = true
		default:
			c.errorf(x, "find's project list takes column names, Name:type and pack_all()")
		}
	}
	return out, pack
}

// findColumnType is the one type of a projected column in the tables.
func (c *checker) findColumnType(tables []findTable, id *syntax.Ident) types.Type {
	var found []types.Type
	for _, t := range tables {
		if i := t.sch.Index(id.Name); i >= 0 && (len(found) == 0 || found[0] != t.sch[i].Type) {
			found = append(found, t.sch[i].Type)
		}
	}
	switch {
	case len(found) == 0 && len(tables) > 0:
		c.errorf(id, "unknown column '%s'", id.Name)
	case len(found) == 0:
		return types.String
	case len(found) > 1:
		c.errorf(id, "column '%s' has several types in the tables searched; give one: %s:type", id.Name, id.Name)
	}
	return found[0]
}

// findShape projects one table's rows to find's output columns.
func (c *checker) findShape(t findTable, out vec.Schema, pack bool) plan.Node {
	p := &plan.Project{In: t.node, Sch: append(vec.Schema(nil), out...)}
	taken := map[int]bool{}
	for _, f := range out {
		p.Exprs = append(p.Exprs, c.findColumn(t.sch, f, taken))
	}
	if pack {
		var names []string
		var args []plan.Expr
		for i, f := range t.sch {
			if !taken[i] {
				names = append(names, f.Name)
				args = append(args, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
			}
		}
		p.Exprs = append(p.Exprs, packColumns(names, args))
		p.Sch = append(p.Sch, vec.Field{Name: "pack_", Type: types.Dynamic})
	}
	return p
}

// findColumn reads output column f from a table: the column of that name
// (or, for a Col_type column, of that name and type), converted to f's
// type; null when the table has none.
func (c *checker) findColumn(sch vec.Schema, f vec.Field, taken map[int]bool) plan.Expr {
	for i, g := range sch {
		if g.Name == f.Name || g.Type == f.Type && g.Name+"_"+g.Type.String() == f.Name {
			taken[i] = true
			var e plan.Expr = &plan.ColRef{Index: i, Name: g.Name, T: g.Type}
			if g.Type != f.Type {
				e = convertValues(e, f.Type)
			}
			return e
		}
	}
	return &plan.Const{V: types.NullOf(f.Type)}
}

// packColumns builds a bag of the named values of args for each row.
func packColumns(names []string, args []plan.Expr) plan.Expr {
	fn := &builtin.Scalar{Name: "pack_all"}
	kernel := builtin.RowKernel(types.Dynamic, func(vals []types.Value) types.Value {
		bag := &types.Bag{}
		for i, v := range vals {
			bag.Set(names[i], types.ToDynamic(v))
		}
		return types.NewDynamic(bag)
	})
	return &plan.Call{Name: fn.Name, Fn: fn, Kernel: kernel, Args: args, T: types.Dynamic}
}

// convertValues converts e to t with Kusto's to*() rules.
func convertValues(e plan.Expr, t types.Type) plan.Expr {
	fn := &builtin.Scalar{Name: "to" + t.String()}
	kernel := builtin.RowKernel(t, func(vals []types.Value) types.Value { return types.Convert(vals[0], t) })
	return &plan.Call{Name: fn.Name, Fn: fn, Kernel: kernel, Args: []plan.Expr{e}, T: t}
}
