package exec

import (
	"math"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// binKey is a grouping key bin(column, size) (or floor) over a long,
// datetime or timespan column with a constant positive size. The int
// grouper folds it straight from the column, without a column of bins.
type binKey struct {
	col  int
	size int64
	t    types.Type
}

// matchBinKey reports whether e is a key binKey can fold.
func matchBinKey(e plan.Expr) (*binKey, bool) {
	c, ok := e.(*plan.Call)
	if !ok || c.Name != "bin" && c.Name != "floor" || len(c.Args) != 2 {
		return nil, false
	}
	switch c.T {
	case types.Long, types.Datetime, types.Timespan:
	default:
		return nil, false
	}
	col, ok1 := c.Args[0].(*plan.ColRef)
	size, ok2 := c.Args[1].(*plan.Const)
	if !ok1 || !ok2 || col.T != c.T || !size.V.Valid || size.V.I <= 0 {
		return nil, false
	}
	if want := c.T; want == types.Datetime && size.V.Type != types.Timespan || want != types.Datetime && size.V.Type != want {
		return nil, false
	}
	return &binKey{col: col.Index, size: size.V.I, t: c.T}, true
}

// assignBins groups the n rows of c (plain: no nulls, not constant) by
// bin, looking a bin up once per run of rows in it.
func (g *intGrouper) assignBins(c *vec.Column, k *binKey, n int, gids []int32) {
	lo, hi := int64(1), int64(0) // the last bin, [lo, hi); empty at first
	id := int32(-1)
	for r, x := range c.Ints[:n] {
		if x >= lo && x < hi {
			gids[r] = id
			continue
		}
		q := x / k.size
		if x%k.size < 0 {
			q--
		}
		lo = q * k.size
		if hi = lo + k.size; hi < lo {
			hi = math.MaxInt64
		}
		id = g.id(k.t, lo)
		gids[r] = id
	}
}
