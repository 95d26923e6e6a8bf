package plan

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// MakeSeries aggregates rows into arrays along an axis: the make-series
// operator. Rows are grouped by Keys and by the bin of Axis; each group of
// keys becomes one output row whose series hold one element per bin (the
// value of the bin's aggregates, or the default for a bin without rows),
// followed by the array of bin values.
type MakeSeries struct {
	In   Node
	Keys []Expr
	Axis Expr
	// From and To bound the axis (To exclusive); a nil bound comes from the
	// data: the bin of the smallest value, the bin after the largest one.
	// Step is the bin size: a timespan, a long, or a real (then the bins
	// are real even on an integer axis). They are evaluated once, without
	// a row.
	From, To, Step Expr
	// InRange is the legacy `in range(start, stop, step)` form: bins are
	// aligned to 0 rather than to start, and stop is inclusive.
	InRange bool
	// NonEmpty (kind=nonempty) returns one row of defaults when no row
	// falls in the range.
	NonEmpty bool
	Aggs     []*AggCall
	// CellSch is the schema of one cell (a group of keys and a bin): the
	// keys followed by the aggregates' columns. Values, one per series, are
	// evaluated over cells; Defaults fill the bins without rows.
	CellSch  vec.Schema
	Values   []Expr
	Defaults []types.Value
	// Sch is the keys, the series (dynamic arrays) and the axis array.
	Sch vec.Schema
}

// MaxSeriesLength bounds the number of bins of a series.
const MaxSeriesLength = 1 << 20

// Schema returns the keys, the series and the axis column.
func (n *MakeSeries) Schema() vec.Schema { return n.Sch }

// Inputs returns the aggregated input.
func (n *MakeSeries) Inputs() []Node { return []Node{n.In} }

// WithInputs returns a copy reading from ins[0].
func (n *MakeSeries) WithInputs(ins []Node) Node {
	c := *n
	c.In = ins[0]
	return &c
}
