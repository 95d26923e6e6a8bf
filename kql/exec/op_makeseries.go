package exec

import (
	"fmt"
	"math"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.MakeSeries)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		m := n.(*plan.MakeSeries)
		return r.blocking(m.In, func(b *vec.Batch) (*vec.Batch, error) { return r.makeSeries(m, b) })
	})
}

// seriesCells groups rows by keys and bin: each (group, bin) is a cell
// whose aggregates are folded into states.
type seriesCells struct {
	groups    map[string]int
	groupKeys [][]types.Value
	cells     map[[2]int]int
	cellOf    [][2]int // group and bin of each cell
	states    []builtin.AggState
}

func (r *Runner) makeSeries(n *plan.MakeSeries, b *vec.Batch) (*vec.Batch, error) {
	axisCol, err := r.eval(n.Axis, b)
	if err != nil {
		return nil, err
	}
	ax, err := r.seriesAxis(n, axisCol)
	if err != nil {
		return nil, err
	}
	sc, err := r.seriesGroup(n, b, axisCol, ax)
	if err != nil {
		return nil, err
	}
	cells := cellBatch(n, sc)
	vals := make([]*vec.Column, len(n.Values))
	for i, e := range n.Values {
		if vals[i], err = r.eval(e, cells); err != nil {
			return nil, err
		}
	}
	return seriesOutput(n, sc, vals, ax), nil
}

// seriesGroup folds every row that falls in the axis range into its cell.
func (r *Runner) seriesGroup(n *plan.MakeSeries, b *vec.Batch, axisCol *vec.Column, ax *seriesAxis) (*seriesCells, error) {
	keyCols := make([]*vec.Column, len(n.Keys))
	var err error
	for i, k := range n.Keys {
		if keyCols[i], err = r.eval(k, b); err != nil {
			return nil, err
		}
	}
	argCols, err := r.aggArgs(n.Aggs, b)
	if err != nil {
		return nil, err
	}
	sc := &seriesCells{groups: map[string]int{}, cells: map[[2]int]int{}}
	for _, a := range n.Aggs {
		sc.states = append(sc.states, a.New())
	}
	var key []byte
	for row := 0; row < b.N; row++ {
		bin, ok := ax.index(axisCol.Value(row))
		if !ok {
			continue
		}
		key = key[:0]
		for _, kc := range keyCols {
			key = types.Key(key, kc.Value(row))
		}
		g, ok := sc.groups[string(key)]
		if !ok {
			g = len(sc.groupKeys)
			sc.groups[string(key)] = g
			vals := make([]types.Value, len(keyCols))
			for i, kc := range keyCols {
				vals[i] = kc.Value(row)
			}
			sc.groupKeys = append(sc.groupKeys, vals)
		}
		cell, ok := sc.cells[[2]int{g, bin}]
		if !ok {
			cell = len(sc.cellOf)
			sc.cells[[2]int{g, bin}] = cell
			sc.cellOf = append(sc.cellOf, [2]int{g, bin})
		}
		for i, s := range sc.states {
			s.Add(cell, argCols[i], row)
		}
	}
	return sc, nil
}

// aggArgs evaluates the arguments of aggregates over b.
func (r *Runner) aggArgs(aggs []*plan.AggCall, b *vec.Batch) ([][]*vec.Column, error) {
	args := make([][]*vec.Column, len(aggs))
	for i, a := range aggs {
		args[i] = make([]*vec.Column, len(a.Exprs))
		for j, e := range a.Exprs {
			c, err := r.eval(e, b)
			if err != nil {
				return nil, err
			}
			args[i][j] = c
		}
	}
	return args, nil
}

// cellBatch returns one row per cell: its keys and aggregate results.
func cellBatch(n *plan.MakeSeries, sc *seriesCells) *vec.Batch {
	builders := make([]*vec.Builder, len(n.CellSch))
	for i, f := range n.CellSch {
		builders[i] = vec.NewBuilder(f.Type, len(sc.cellOf))
	}
	for cell, gb := range sc.cellOf {
		col := 0
		for _, v := range sc.groupKeys[gb[0]] {
			builders[col].Append(fit(v, n.CellSch[col].Type))
			col++
		}
		for _, s := range sc.states {
			builders[col].Append(fit(s.Result(cell), n.CellSch[col].Type))
			col++
		}
	}
	out := &vec.Batch{N: len(sc.cellOf)}
	for _, bl := range builders {
		out.Cols = append(out.Cols, bl.Build())
	}
	return out
}

// seriesOutput builds one row per group of keys: the keys, one array per
// series with defaults where a bin has no cell, and the axis array.
func seriesOutput(n *plan.MakeSeries, sc *seriesCells, vals []*vec.Column, ax *seriesAxis) *vec.Batch {
	groupKeys := sc.groupKeys
	if len(groupKeys) == 0 && n.NonEmpty {
		groupKeys = [][]types.Value{make([]types.Value, len(n.Keys))}
		for i := range n.Keys {
			groupKeys[0][i] = types.NullOf(n.Sch[i].Type)
		}
	}
	series := make([][][]any, len(groupKeys))
	for g := range series {
		series[g] = make([][]any, len(n.Values))
		for i, d := range n.Defaults {
			arr := make([]any, ax.n)
			for k := range arr {
				arr[k] = types.ToDynamic(d)
			}
			series[g][i] = arr
		}
	}
	for cell, gb := range sc.cellOf {
		for i, c := range vals {
			series[gb[0]][i][gb[1]] = types.ToDynamic(c.Value(cell))
		}
	}
	axis := make([]any, ax.n)
	for k := range axis {
		axis[k] = ax.value(k)
	}
	builders := make([]*vec.Builder, len(n.Sch))
	for i, f := range n.Sch {
		builders[i] = vec.NewBuilder(f.Type, len(groupKeys))
	}
	for g, keys := range groupKeys {
		for i, v := range keys {
			builders[i].Append(fit(v, n.Sch[i].Type))
		}
		for i := range n.Values {
			builders[len(keys)+i].AppendAny(series[g][i])
		}
		builders[len(n.Sch)-1].AppendAny(axis)
	}
	out := &vec.Batch{N: len(groupKeys)}
	for _, bl := range builders {
		out.Cols = append(out.Cols, bl.Build())
	}
	return out
}

// seriesAxis is the range of bins of a series: n bins of size step from
// start, kept as integers (ticks for datetimes and timespans) or as reals.
type seriesAxis struct {
	t      types.Type
	float  bool
	i0, di int64
	f0, df float64
	n      int
}

// index returns the bin of an axis value, or false when it is null or
// outside the range.
func (a *seriesAxis) index(v types.Value) (int, bool) {
	if v.IsNull() || a.n == 0 {
		return 0, false
	}
	if a.float {
		q := math.Floor((toFloat(v) - a.f0) / a.df)
		if !(q >= 0 && q < float64(a.n)) {
			return 0, false
		}
		return int(q), true
	}
	if v.I < a.i0 {
		return 0, false
	}
	k := (v.I - a.i0) / a.di
	if k >= int64(a.n) {
		return 0, false
	}
	return int(k), true
}

// value returns the axis value of bin k as a dynamic array element.
func (a *seriesAxis) value(k int) any {
	if a.float {
		return a.f0 + float64(k)*a.df
	}
	x := a.i0 + int64(k)*a.di
	switch a.t {
	case types.Datetime:
		return types.DatetimeVal(x)
	case types.Timespan:
		return types.TimespanVal(x)
	}
	return x
}

// seriesAxis evaluates from, to and step; a missing bound comes from the
// smallest or largest axis value.
func (r *Runner) seriesAxis(n *plan.MakeSeries, axis *vec.Column) (*seriesAxis, error) {
	a := &seriesAxis{t: n.Axis.Type(), float: n.Step.Type().Storage() == types.StoreFloat}
	one := &vec.Batch{N: 1}
	var bounds [3]types.Value
	for i, e := range []plan.Expr{n.From, n.To, n.Step} {
		if e == nil {
			continue
		}
		c, err := r.eval(e, one)
		if err != nil {
			return nil, err
		}
		bounds[i] = c.Value(0)
	}
	from, to, step := bounds[0], bounds[1], bounds[2]
	if step.IsNull() || step.I <= 0 && !a.float || a.float && !(step.F > 0) {
		return nil, fmt.Errorf("make-series: the step must be positive, got %s", step)
	}
	lo, hi, any := axisExtent(axis)
	if !any && (from.IsNull() || to.IsNull()) {
		return a, nil // no bins without data to bound them
	}
	if from.IsNull() {
		from = lo
	}
	align := n.InRange || n.From == nil
	if a.float {
		a.setFloat(toFloat(from), to, toFloat(hi), step.F, align, n.InRange)
	} else {
		a.setInt(from.I, to, hi.I, step.I, align, n.InRange)
	}
	if a.n > plan.MaxSeriesLength {
		return nil, fmt.Errorf("make-series: %d bins exceed the limit of %d", a.n, plan.MaxSeriesLength)
	}
	return a, nil
}

// axisExtent returns the smallest and largest non-null values of c.
func axisExtent(c *vec.Column) (lo, hi types.Value, any bool) {
	for i := 0; i < c.N; i++ {
		v := c.Value(i)
		if v.IsNull() || v.Type.Storage() == types.StoreFloat && math.IsNaN(v.F) {
			continue
		}
		if !any || types.Compare(v, lo) < 0 {
			lo = v
		}
		if !any || types.Compare(v, hi) > 0 {
			hi = v
		}
		any = true
	}
	return lo, hi, any
}

// setInt sets the bins of an integer axis. Bins start at from, or at
// from's bin aligned to 0 when align; they end before to, with to when
// inclusive (the legacy in-range form), or after the bin of max without to.
func (a *seriesAxis) setInt(from int64, to types.Value, max, step int64, align, inclusive bool) {
	if align {
		from = floorDiv(from, step) * step
	}
	a.i0, a.di = from, step
	var n int64
	switch {
	case to.IsNull():
		n = floorDiv(max-from, step) + 1
	case inclusive:
		n = floorDiv(to.I-from, step) + 1
	default:
		n = floorDiv(to.I-from+step-1, step)
	}
	a.n = int(clamp(n))
}

// setFloat is setInt for a real axis.
func (a *seriesAxis) setFloat(from float64, to types.Value, max, step float64, align, inclusive bool) {
	if align {
		from = math.Floor(from/step) * step
	}
	a.f0, a.df = from, step
	var n float64
	switch {
	case to.IsNull():
		n = math.Floor((max-from)/step) + 1
	case inclusive:
		n = math.Floor((toFloat(to)-from)/step) + 1
	default:
		n = math.Ceil((toFloat(to) - from) / step)
	}
	if math.IsNaN(n) {
		n = 0
	}
	a.n = int(clamp(int64(math.Min(n, plan.MaxSeriesLength+1))))
}

func clamp(n int64) int64 {
	if n < 0 {
		return 0
	}
	if n > plan.MaxSeriesLength+1 {
		return plan.MaxSeriesLength + 1
	}
	return n
}
