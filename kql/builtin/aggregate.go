package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// AggState accumulates one aggregate for many groups. Groups are numbered
// densely from 0; Add may be called with a group number one past the
// highest seen so far, and the state grows.
//
// One goroutine uses a state at a time.
type AggState interface {
	// Add folds row r of the argument columns into group g. With r < 0 it
	// only makes group g exist (summarize without keys over no rows).
	Add(g int, args []*vec.Column, r int)
	// Result returns the aggregate's value for group g (groups that never
	// saw a row are not asked for).
	Result(g int) types.Value
}

// MultiAggState is an AggState whose aggregate produces several columns
// (arg_max(x, *), percentiles(x, 50, 90)).
type MultiAggState interface {
	AggState
	// Results returns group g's value for each output column.
	Results(g int) []types.Value
}

// ResultAtState is a MultiAggState that returns one output column's value
// at a time, so that output can be built column by column without a
// slice per group.
type ResultAtState interface {
	MultiAggState
	// ResultAt returns group g's value for output column i.
	ResultAt(g, i int) types.Value
}

// Aggregate is an aggregation function usable in summarize, make-series
// and top-nested.
type Aggregate struct {
	Name string
	// Prefix names the output column: `Prefix_Arg` (make_list(x) gives
	// list_x); empty means the function's name.
	Prefix string
	// ColumnName, when set, names the output column instead of Prefix from
	// the names derived from the arguments ("" for an argument without
	// one): covariance(x, y) gives covariance_x_y, take_anyif(x, p) gives x.
	// An empty result leaves the column to be named Column1, Column2, ...
	ColumnName func(argNames []string) string
	// Outputs, when set, returns how many columns the aggregate produces
	// for its arguments, and the suffix of each column's name
	// (percentiles(x, 50, 90) gives "_50", "_90"); nil means one column.
	Outputs func(args []Arg) []string
	// Bind checks the arguments and returns the result type and a factory
	// for states.
	Bind func(args []Arg) (types.Type, func() AggState, error)
}

var aggregates = map[string]*Aggregate{}

// RegisterAggregate adds aggregation functions to the registry.
func RegisterAggregate(fs ...*Aggregate) {
	for _, f := range fs {
		if _, dup := aggregates[f.Name]; dup {
			panic("builtin: duplicate aggregate " + f.Name)
		}
		aggregates[f.Name] = f
	}
}

// LookupAggregate returns the aggregation function named name.
func LookupAggregate(name string) (*Aggregate, bool) {
	f, ok := aggregates[name]
	return f, ok
}

// AggregateNames returns the names of all aggregation functions, sorted.
func AggregateNames() []string { return sortedKeys(aggregates) }

// BatchAggState is an AggState that folds a whole batch in one call, so
// that the per-row work is a typed loop rather than an interface call per
// row. The executor uses AddBatch when a state has it and Add otherwise;
// one state sees only one of the two.
type BatchAggState interface {
	AggState
	// AddBatch folds row r of the argument columns into group gids[r] for
	// every r < len(gids). Groups below ngroups exist afterwards, whether
	// or not a row reached them. pos is the position of the batch's first
	// row in the input: states that keep a row break ties by position.
	AddBatch(gids []int32, ngroups int, args []*vec.Column, pos int64)
}

// MergeAggState is a BatchAggState whose partial states, each fed a
// disjoint part of the input, combine into the state of the whole input.
// The result does not depend on how the input was split, except for the
// rounding of sums of reals, which are added in another order.
type MergeAggState interface {
	BatchAggState
	// Merge folds group i of other, a state of the same aggregate built
	// with AddBatch, into group into[i] of s. Groups below ngroups exist
	// afterwards.
	Merge(other AggState, into []int32, ngroups int)
}

// growTo extends s to length n.
func growTo[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		return s[:n]
	}
	out := make([]T, n, max(n, 2*cap(s)))
	copy(out, s)
	return out
}
