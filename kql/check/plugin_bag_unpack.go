package check

import (
	"sort"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict]
// [, ignoredProperties]) [: OutputSchema] turns the top-level properties
// of a dynamic column into columns.
func init() { registerPlugin("bag_unpack", bindBagUnpack) }

// bagUnpackArgs are bag_unpack's options.
type bagUnpackArgs struct {
	col      int
	prefix   string
	conflict string // error, replace_source, keep_source
	ignored  map[string]bool
}

func bindBagUnpack(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	a := c.bagUnpackArgs(sc, in.Schema(), o)
	n := &plan.BagUnpack{In: in, Col: a.col}
	if o.Schema != nil {
		c.bagUnpackDeclared(n, a, o.Schema)
		return n
	}
	pre := c.materialize(o, in)
	n.In = pre
	c.bagUnpackInferred(o, n, a, pre.Rows)
	return n
}

func (c *checker) bagUnpackArgs(sc *scope, sch vec.Schema, o *syntax.Evaluate) bagUnpackArgs {
	args := splitArgs(o.Call)
	c.argCount(args, 1, 4)
	a := bagUnpackArgs{col: c.columnArg(sch, args.pos[0], "bag_unpack's first argument"), ignored: map[string]bool{}}
	if t := sch[a.col].Type; t != types.Dynamic {
		c.errorf(args.pos[0], "bag_unpack expects a dynamic column, not %s", t)
	}
	a.prefix = c.constArg(sc, args.get(1, "OutputColumnPrefix"), types.String, types.NewString(""), "the column prefix").S
	conflict := args.get(2, "columnsConflict")
	a.conflict = c.constArg(sc, conflict, types.String, types.NewString("error"), "columnsConflict").S
	switch a.conflict {
	case "error", "replace_source", "keep_source":
	default:
		c.errorf(conflict, "columnsConflict must be 'error', 'replace_source' or 'keep_source'")
	}
	if x := args.get(3, "ignoredProperties"); x != nil {
		v := c.constArg(sc, x, types.Dynamic, types.NullOf(types.Dynamic), "ignoredProperties")
		arr, ok := v.D.([]any)
		if !ok && !v.IsNull() {
			c.errorf(x, "ignoredProperties must be a dynamic array of property names")
		}
		for _, p := range arr {
			a.ignored[types.FromDynamic(p).String()] = true
		}
	}
	return a
}

// bagUnpackDeclared builds the output from a declared schema. With `*`
// the input columns other than the unpacked one come first. A declared
// column reads the bag property of its name (less the prefix), unless it
// names an input column and columnsConflict is not replace_source.
func (c *checker) bagUnpackDeclared(n *plan.BagUnpack, a bagUnpackArgs, t *syntax.TypeRef) {
	star, cols := c.declaredSchema(t)
	sch := n.In.Schema()
	declared := map[string]bool{}
	for _, d := range cols {
		declared[d.name] = true
	}
	if star {
		for i, f := range sch {
			if i != a.col && !declared[f.Name] {
				n.Src, n.Keys, n.Sch = append(n.Src, i), append(n.Keys, ""), append(n.Sch, f)
			}
		}
	}
	for _, d := range cols {
		src, key := -1, d.name
		if i := sch.Index(d.name); i >= 0 && i != a.col && a.conflict != "replace_source" {
			src, key = i, ""
		} else if len(d.name) >= len(a.prefix) && d.name[:len(a.prefix)] == a.prefix {
			key = d.name[len(a.prefix):]
		}
		n.Src, n.Keys = append(n.Src, src), append(n.Keys, key)
		n.Sch = append(n.Sch, vec.Field{Name: d.name, Type: d.t})
	}
}

// bagUnpackInferred builds the output from the data: the input columns
// other than the unpacked one, then one column per distinct property in
// name order, typed by the property's values (dynamic when they differ).
func (c *checker) bagUnpackInferred(o *syntax.Evaluate, n *plan.BagUnpack, a bagUnpackArgs, rows *vec.Batch) {
	props := bagProperties(rows.Cols[a.col], rows.N, a.ignored)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sch := n.In.Schema()
	fromBag := map[string]bool{}
	for _, k := range keys {
		fromBag[a.prefix+k] = true
	}
	for i, f := range sch {
		if i == a.col {
			continue
		}
		if fromBag[f.Name] {
			switch a.conflict {
			case "error":
				c.errorf(o, "bag_unpack: the property '%s' collides with an existing column; set columnsConflict='replace_source' or 'keep_source'", f.Name)
			case "replace_source":
				continue
			case "keep_source":
				delete(fromBag, f.Name)
			}
		}
		n.Src, n.Keys, n.Sch = append(n.Src, i), append(n.Keys, ""), append(n.Sch, f)
	}
	for _, k := range keys {
		if fromBag[a.prefix+k] {
			n.Src, n.Keys = append(n.Src, -1), append(n.Keys, k)
			n.Sch = append(n.Sch, vec.Field{Name: a.prefix + k, Type: props[k]})
		}
	}
}

// bagProperties returns the top-level properties of the bags in col and
// the type of each: the one type of its non-null values, or dynamic.
func bagProperties(col *vec.Column, n int, ignored map[string]bool) map[string]types.Type {
	props := map[string]types.Type{}
	seen := map[string]bool{}
	for r := 0; r < n; r++ {
		bag, ok := col.Value(r).D.(*types.Bag)
		if !ok {
			continue
		}
		for i, k := range bag.Keys {
			if ignored[k] {
				continue
			}
			if _, ok := props[k]; !ok {
				props[k] = types.Dynamic
			}
			if bag.Vals[i] == nil {
				continue
			}
			t := dynamicKind(bag.Vals[i])
			switch {
			case !seen[k]:
				props[k], seen[k] = t, true
			case props[k] != t:
				props[k] = types.Dynamic
			}
		}
	}
	return props
}

// dynamicKind is the scalar type a dynamic value holds (dynamic for
// arrays and bags).
func dynamicKind(d any) types.Type {
	t := types.FromDynamic(d).Type
	if t == types.Null {
		return types.Dynamic
	}
	return t
}
