package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// rolling_percentile(ValueColumn, Percentile, IndexColumn, BinSize,
// BinsPerWindow [, dim, ...]) gives, per bin of the index column (and
// dimension values), the percentile of the values in the window of
// BinsPerWindow bins ending with it, in a column named
// rolling_<BinsPerWindow>_percentile_<ValueColumn>_<Percentile>.
func init() { registerPlugin("rolling_percentile", bindRollingPercentile) }

func bindRollingPercentile(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 5, -1)
	sch := in.Schema()
	val := c.columnArg(sch, args.pos[0], "the value column")
	idx := c.columnArg(sch, args.pos[2], "the index column")
	it, vt := sch[idx].Type, sch[val].Type
	if !it.IsNumeric() && !it.IsTicks() {
		c.errorf(args.pos[2], "the index column must be numeric, datetime or timespan, not %s", it)
	}
	if !vt.IsNumeric() && !vt.IsTicks() {
		c.errorf(args.pos[0], "the value column must be numeric, datetime or timespan, not %s", vt)
	}
	pct := c.constArg(sc, args.pos[1], types.Real, types.Value{}, "the percentile")
	if pct.F < 0 || pct.F > 100 {
		c.errorf(args.pos[1], "the percentile must be between 0 and 100")
	}
	bins := c.constArg(sc, args.pos[4], types.Long, types.Value{}, "BinsPerWindow")
	if bins.I < 1 {
		c.errorf(args.pos[4], "BinsPerWindow must be at least 1")
	}
	sizeType := it
	if it == types.Datetime {
		sizeType = types.Timespan
	}
	dims := c.columnsArgs(sch, args.pos[5:], "a dimension")
	n := &plan.Plugin{Name: "rolling_percentile", In: in, ColsOnly: true, Cols: append([]int{val, idx}, dims...),
		Scalars: []plan.Expr{&plan.Const{V: pct}, c.scalarArg(sc, args.pos[3], sizeType, "BinSize"), &plan.Const{V: bins}}}
	n.Sch = vec.Schema{sch[idx]}
	for _, d := range dims {
		n.Sch = append(n.Sch, sch[d])
	}
	name := "rolling_" + bins.String() + "_percentile_" + sch[val].Name + "_" + c.constant(sc, args.pos[1]).String()
	n.Sch = append(n.Sch, vec.Field{Name: name, Type: vt})
	return n
}
