package exec

import (
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() { registerPluginFunc("active_users_count", activeUsersCount) }

// activeUsersCount: an appearance at t is active when the id appears in
// at least ActivePeriodsCount distinct periods (bin(x, Period)) among its
// appearances x with t - LookbackWindow < x <= t. Appearances between
// Start and End are binned by Bin from Start; each bin counts its distinct
// active ids. Bins without active ids are left out.
func activeUsersCount(in *pluginInput) (*vec.Batch, error) {
	start, end, lookback, period := in.scalars[0], in.scalars[1], in.scalars[2], in.scalars[3]
	minPeriods, step := in.scalars[4], in.scalars[5]
	out := newTableBuilder(in.n.Sch)
	if start.IsNull() || end.IsNull() || lookback.IsNull() || minPeriods.IsNull() {
		return out.build(), nil
	}
	for _, s := range []struct {
		v    types.Value
		what string
	}{{period, "Period"}, {step, "Bin"}} {
		if err := positive(s.v, s.what); err != nil {
			return nil, err
		}
	}
	ids, times, dims := in.cols[0], in.cols[1], in.cols[2:]
	group, first := groupRows(append([]*vec.Column{ids}, dims...), in.rows.N)
	byGroup := make([][]int64, len(first))
	for r := 0; r < in.rows.N; r++ {
		if !times.IsNull(r) && !ids.IsNull(r) {
			byGroup[group[r]] = append(byGroup[group[r]], times.Int(r))
		}
	}
	dimGroup, dimFirst := groupRows(dims, in.rows.N)
	active := map[[2]int64]map[int]bool{} // (bin, dims group) -> id groups
	for g, ts := range byGroup {
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
		for i, t := range ts {
			if t < start.I || t > end.I || distinctPeriods(ts[:i+1], t-lookback.I, period.I) < minPeriods.I {
				continue
			}
			k := [2]int64{binAt(t, start.I, step.I), int64(dimGroup[first[g]])}
			if active[k] == nil {
				active[k] = map[int]bool{}
			}
			active[k][g] = true
		}
	}
	keys := make([][2]int64, 0, len(active))
	for k := range active {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		row := append([]types.Value{types.NewDatetime(k[0])}, dimValues(dims, dimFirst[k[1]])...)
		out.add(append(row, types.NewLong(int64(len(active[k]))))...)
	}
	return out.build(), nil
}

// distinctPeriods counts the distinct periods of the sorted times after
// from.
func distinctPeriods(ts []int64, from, period int64) int64 {
	n, last := int64(0), int64(0)
	for i := len(ts) - 1; i >= 0 && ts[i] > from; i-- {
		p := floorDiv(ts[i], period)
		if n == 0 || p != last {
			n, last = n+1, p
		}
	}
	return n
}
