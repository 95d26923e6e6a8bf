package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.TopNested)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.topNested(sc, in, op.(*syntax.TopNested))
	})
}

func (c *checker) topNested(sc *scope, in plan.Node, o *syntax.TopNested) plan.Node {
	if in == nil {
		c.errorf(o, "top-nested needs an input table")
	}
	n := &plan.TopNested{In: in}
	names := newNamer(nil)
	for _, l := range o.Levels {
		lv, of, by := c.topNestedLevel(sc, in, l)
		ofName := uniqueOrColumn(names, assignName(l.Of))
		byName := "aggregated_" + ofName
		if len(l.By.Names) == 1 {
			byName = l.By.Names[0].Name
		}
		n.Sch = append(n.Sch, vec.Field{Name: ofName, Type: of}, vec.Field{Name: names.unique(byName), Type: by})
		n.Levels = append(n.Levels, lv)
	}
	return n
}

// topNestedLevel binds one level and returns it with the types of its two
// columns.
func (c *checker) topNestedLevel(sc *scope, in plan.Node, l *syntax.TopNestedLevel) (*plan.TopNestedLevel, types.Type, types.Type) {
	lv := &plan.TopNestedLevel{N: -1, Asc: l.Order == "asc"}
	if l.N != nil {
		lv.N = c.rowCount(sc, l.N)
	}
	if l.Of.Tuple || l.By.Tuple {
		c.errorf(l, "top-nested levels take one value and one aggregation")
	}
	lv.Of = c.scalar(sc, rowOf(in.Schema()), l.Of.Value)
	of := resultType(lv.Of.Type())
	if l.Others != nil {
		v := c.constant(sc, l.Others)
		if v.Type != of {
			cv := types.Convert(v, of)
			if cv.IsNull() && !v.IsNull() {
				c.errorf(l.Others, "the others value of type %s does not fit the %s column", v.Type, of)
			}
			v = cv
		}
		lv.Others = &v
	}
	ab := &aggBinder{c: c, sc: sc, in: in.Schema()}
	lv.By = ab.bind(l.By.Value)
	lv.Aggs, lv.AggSch = ab.aggs, ab.outCols
	return lv, of, resultType(lv.By.Type())
}
