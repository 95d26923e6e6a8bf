package exec

import (
	"fmt"
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Helpers shared by the activity plugins (active_users_count,
// activity_counts_metrics, sliding_window_counts, funnel_sequence...).

// groupRows numbers the distinct value combinations of cols, row by row,
// in order of first appearance; it returns each row's group and each
// group's first row. Without columns every row is in group 0.
func groupRows(cols []*vec.Column, n int) (group []int, first []int) {
	index := map[string]int{}
	group = make([]int, n)
	var key []byte
	for r := 0; r < n; r++ {
		key = key[:0]
		for _, c := range cols {
			key = types.Key(key, c.Value(r))
		}
		g, ok := index[string(key)]
		if !ok {
			g = len(first)
			index[string(key)] = g
			first = append(first, r)
		}
		group[r] = g
	}
	return group, first
}

// valueKey is a map key for one value.
func valueKey(v types.Value) string { return string(types.Key(nil, v)) }

// binAt rounds t down to a multiple of step from start.
func binAt(t, start, step int64) int64 { return start + floorDiv(t-start, step)*step }

// dimValues returns the values of the dimension columns at row r.
func dimValues(dims []*vec.Column, r int) []types.Value {
	out := make([]types.Value, len(dims))
	for i, c := range dims {
		out[i] = c.Value(r)
	}
	return out
}

// sortedTimes returns the sorted distinct keys of a set of ticks.
func sortedTimes(set map[int64]bool) []int64 {
	out := make([]int64, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// positive checks that a step argument is a positive timespan.
func positive(v types.Value, what string) error {
	if v.IsNull() || v.I <= 0 {
		return fmt.Errorf("%s must be a positive timespan", what)
	}
	return nil
}

// errorText is an error with a fixed message.
func errorText(msg string) error { return fmt.Errorf("%s", msg) }
