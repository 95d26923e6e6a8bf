package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// mvExpand binds mv-expand: each item's array (or bag) expands into rows.
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
