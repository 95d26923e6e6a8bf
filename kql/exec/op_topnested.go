package exec

import (
	"sort"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.TopNested)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		t := n.(*plan.TopNested)
		return r.blocking(t.In, func(b *vec.Batch) (*vec.Batch, error) { return r.topNested(t, b) })
	})
}

// topNestedRun holds the evaluated columns of every level and collects
// the output rows.
type topNestedRun struct {
	r    *Runner
	n    *plan.TopNested
	of   []*vec.Column
	args [][][]*vec.Column // level, aggregate, argument
	out  [][]types.Value
}

func (r *Runner) topNested(n *plan.TopNested, b *vec.Batch) (*vec.Batch, error) {
	t := &topNestedRun{r: r, n: n}
	for _, lv := range n.Levels {
		of, err := r.eval(lv.Of, b)
		if err != nil {
			return nil, err
		}
		t.of = append(t.of, of)
		args, err := r.aggArgs(lv.Aggs, b)
		if err != nil {
			return nil, err
		}
		t.args = append(t.args, args)
	}
	rows := make([]int, b.N)
	for i := range rows {
		rows[i] = i
	}
	if err := t.level(0, rows, nil); err != nil {
		return nil, err
	}
	builders := make([]*vec.Builder, len(n.Sch))
	for i, f := range n.Sch {
		builders[i] = vec.NewBuilder(f.Type, len(t.out))
	}
	for _, row := range t.out {
		for i, v := range row {
			builders[i].Append(fit(v, n.Sch[i].Type))
		}
	}
	out := &vec.Batch{N: len(t.out)}
	for _, bl := range builders {
		out.Cols = append(out.Cols, bl.Build())
	}
	return out, nil
}

// level emits the rows for the groups of level lv among rows; prefix holds
// the columns of the levels above.
func (t *topNestedRun) level(lv int, rows []int, prefix []types.Value) error {
	if lv == len(t.n.Levels) {
		t.out = append(t.out, prefix)
		return nil
	}
	l := t.n.Levels[lv]
	keys, members, vals, err := t.groups(lv, rows)
	if err != nil {
		return err
	}
	order := rankGroups(vals, l.Asc)
	if l.N >= 0 && int64(len(order)) > l.N {
		order = order[:l.N]
	}
	kept := make([]bool, len(keys))
	for _, g := range order {
		kept[g] = true
		if err := t.level(lv+1, members[g], with(prefix, keys[g], vals[g])); err != nil {
			return err
		}
	}
	if !t.othersBelow(lv) {
		return nil
	}
	var rest []int
	for g, m := range members {
		if !kept[g] {
			rest = append(rest, m...)
		}
	}
	if len(rest) == 0 {
		return nil
	}
	sort.Ints(rest)
	return t.others(lv, rest, prefix)
}

// others emits the row of the rows not kept at level lv: this level and
// every level below it aggregate all of them under their others value, or
// are null for levels without one.
func (t *topNestedRun) others(lv int, rows []int, prefix []types.Value) error {
	for ; lv < len(t.n.Levels); lv++ {
		l := t.n.Levels[lv]
		key, val := types.NullOf(types.Null), types.NullOf(types.Null)
		if l.Others != nil {
			all := make([]int, len(rows))
			_, _, vals, err := t.groupsBy(lv, rows, all)
			if err != nil {
				return err
			}
			key, val = *l.Others, vals[0]
		}
		prefix = with(prefix, key, val)
	}
	t.out = append(t.out, prefix)
	return nil
}

// othersBelow reports whether level lv or a level below it has others.
func (t *topNestedRun) othersBelow(lv int) bool {
	for _, l := range t.n.Levels[lv:] {
		if l.Others != nil {
			return true
		}
	}
	return false
}

func with(prefix []types.Value, key, val types.Value) []types.Value {
	return append(append(append([]types.Value(nil), prefix...), key), val)
}

// groups groups rows by the level's value.
func (t *topNestedRun) groups(lv int, rows []int) ([]types.Value, [][]int, []types.Value, error) {
	of := t.of[lv]
	ids := make([]int, len(rows))
	index := map[string]int{}
	var key []byte
	for i, row := range rows {
		key = types.Key(key[:0], of.Value(row))
		g, ok := index[string(key)]
		if !ok {
			g = len(index)
			index[string(key)] = g
		}
		ids[i] = g
	}
	return t.groupsBy(lv, rows, ids)
}

// groupsBy aggregates rows into the groups ids assigns them (dense,
// numbered in order of first row) and returns each group's value of the
// level, its rows and its aggregate.
func (t *topNestedRun) groupsBy(lv int, rows, ids []int) ([]types.Value, [][]int, []types.Value, error) {
	l := t.n.Levels[lv]
	var keys []types.Value
	var members [][]int
	states := make([]builtin.AggState, len(l.Aggs))
	for i, a := range l.Aggs {
		states[i] = a.New()
	}
	for i, row := range rows {
		g := ids[i]
		if g == len(keys) {
			keys = append(keys, t.of[lv].Value(row))
			members = append(members, nil)
		}
		members[g] = append(members[g], row)
		for a, s := range states {
			s.Add(g, t.args[lv][a], row)
		}
	}
	cells := &vec.Batch{N: len(keys)}
	for a, s := range states {
		bl := vec.NewBuilder(l.AggSch[a].Type, len(keys))
		for g := range keys {
			bl.Append(fit(s.Result(g), l.AggSch[a].Type))
		}
		cells.Cols = append(cells.Cols, bl.Build())
	}
	by, err := t.r.eval(l.By, cells)
	if err != nil {
		return nil, nil, nil, err
	}
	vals := make([]types.Value, len(keys))
	for g := range vals {
		vals[g] = by.Value(g)
	}
	return keys, members, vals, nil
}

// rankGroups orders groups by value, largest first unless asc; nulls come
// last when descending and first when ascending, as in sort.
func rankGroups(vals []types.Value, asc bool) []int {
	order := make([]int, len(vals))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := vals[order[x]], vals[order[y]]
		switch an, bn := a.IsNull(), b.IsNull(); {
		case an && bn:
			return false
		case an:
			return asc
		case bn:
			return !asc
		}
		c := types.Compare(a, b)
		if asc {
			return c < 0
		}
		return c > 0
	})
	return order
}
