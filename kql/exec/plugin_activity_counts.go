package exec

import (
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerPluginFunc("activity_counts_metrics", activityCountsMetrics)
	registerPluginFunc("sliding_window_counts", slidingWindowCounts)
}

// activityRows is the common input of the activity plugins: rows with a
// time and id, grouped by dimension values.
type activityRows struct {
	in       *pluginInput
	dims     []*vec.Column
	dimGroup []int
	dimFirst []int
}

func newActivityRows(in *pluginInput) *activityRows {
	a := &activityRows{in: in, dims: in.cols[2:]}
	a.dimGroup, a.dimFirst = groupRows(a.dims, in.rows.N)
	return a
}

// each calls f for the rows with a time and an id.
func (a *activityRows) each(f func(r int, t int64, id string, dim int)) {
	ids, times := a.in.cols[0], a.in.cols[1]
	for r := 0; r < a.in.rows.N; r++ {
		if !times.IsNull(r) && !ids.IsNull(r) {
			f(r, times.Int(r), valueKey(ids.Value(r)), a.dimGroup[r])
		}
	}
}

// window is the key of one output row: a bin start and a dimension group.
type window struct {
	t   int64
	dim int
}

// emit writes one output row per window in time, then dimension, order.
func (a *activityRows) emit(keys []window, counts func(w window) []int64) *vec.Batch {
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].t < keys[j].t || keys[i].t == keys[j].t && keys[i].dim < keys[j].dim
	})
	out := newTableBuilder(a.in.n.Sch)
	for _, w := range keys {
		row := append([]types.Value{types.NewDatetime(w.t)}, dimValues(a.dims, a.dimFirst[w.dim])...)
		for _, c := range counts(w) {
			row = append(row, types.NewLong(c))
		}
		out.add(row...)
	}
	return out.build()
}

// activityCountsMetrics: per window of Step from Start (windows up to
// End's), per dimensions: rows, distinct ids, ids not seen in earlier
// windows, and distinct ids of all windows so far. Windows without rows
// are left out.
func activityCountsMetrics(in *pluginInput) (*vec.Batch, error) {
	start, end, step := in.scalars[0], in.scalars[1], in.scalars[2]
	if err := positive(step, "Step"); err != nil {
		return nil, err
	}
	a := newActivityRows(in)
	if start.IsNull() || end.IsNull() {
		return a.emit(nil, nil), nil
	}
	rows := map[window]int64{}
	ids := map[window]map[string]bool{}
	a.each(func(_ int, t int64, id string, dim int) {
		b := binAt(t, start.I, step.I)
		if t < start.I || b > end.I {
			return
		}
		w := window{b, dim}
		rows[w]++
		if ids[w] == nil {
			ids[w] = map[string]bool{}
		}
		ids[w][id] = true
	})
	keys := make([]window, 0, len(rows))
	for w := range rows {
		keys = append(keys, w)
	}
	seen := map[int]map[string]bool{} // dimension group -> ids so far
	return a.emit(keys, func(w window) []int64 {
		if seen[w.dim] == nil {
			seen[w.dim] = map[string]bool{}
		}
		fresh := int64(0)
		for id := range ids[w] {
			if !seen[w.dim][id] {
				seen[w.dim][id] = true
				fresh++
			}
		}
		return []int64{rows[w], int64(len(ids[w])), fresh, int64(len(seen[w.dim]))}
	}), nil
}

// slidingWindowCounts: per bin of Bin from Start to End, per dimensions,
// the rows and distinct ids of the LookbackWindow (a whole number of
// bins) ending with that bin. Bins without rows are left out.
func slidingWindowCounts(in *pluginInput) (*vec.Batch, error) {
	start, end, lookback, step := in.scalars[0], in.scalars[1], in.scalars[2], in.scalars[3]
	if err := positive(step, "Bin"); err != nil {
		return nil, err
	}
	a := newActivityRows(in)
	if start.IsNull() || end.IsNull() || lookback.IsNull() {
		return a.emit(nil, nil), nil
	}
	span := lookback.I / step.I
	if span < 1 {
		span = 1
	}
	rows := map[window]int64{}
	ids := map[window]map[string]bool{}
	a.each(func(_ int, t int64, id string, dim int) {
		b := binAt(t, start.I, step.I)
		for k := int64(0); k < span; k++ {
			bk := b + k*step.I
			if bk < start.I || bk > end.I {
				continue
			}
			w := window{bk, dim}
			rows[w]++
			if ids[w] == nil {
				ids[w] = map[string]bool{}
			}
			ids[w][id] = true
		}
	})
	keys := make([]window, 0, len(rows))
	for w := range rows {
		keys = append(keys, w)
	}
	return a.emit(keys, func(w window) []int64 { return []int64{rows[w], int64(len(ids[w]))} }), nil
}
