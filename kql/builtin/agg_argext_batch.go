package builtin

import (
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// rowBatch is the scratch of a row-keeping state's batch path: the row of
// the batch that currently wins each group, and the groups it touched.
// Values are copied once per touched group at the end of the batch, not
// once per winning row.
type rowBatch struct {
	win     []int32 // row+1 of the batch's winner per group, 0 for none
	how     []uint8 // rowWeak or rowFinal for that winner
	keyI    []int64 // the current best key of integer-keyed groups
	touched []int32
	rows    []int32 // scratch: the winning row of each touched group
	// cols holds the kept rows by column once the state is fed batches
	// of columns (arg_max, arg_min); vals is not used then.
	cols []groupCol
	// from and fromRow, set by a merge into a columnar state, point each
	// group at its kept row in a merged part instead of copying it; a
	// merged state is only read.
	from    []*rowState
	fromRow []int32
}

// growTo makes groups below n exist.
func (s *rowState) growTo(n int) {
	if len(s.has) >= n {
		return
	}
	s.has = growTo(s.has, n)
	s.pos = growTo(s.pos, n)
	if s.cols != nil {
		for i := range s.cols {
			s.cols[i].grow(n)
		}
	} else {
		s.vals = growTo(s.vals, n*s.n)
	}
	s.win = growTo(s.win, n)
	s.how = growTo(s.how, n)
	s.keyI = growTo(s.keyI, n)
}

// pick makes row r the batch's winner for group g.
func (s *rowState) pick(g int32, r int, how uint8) {
	if s.win[g] == 0 {
		s.touched = append(s.touched, g)
	}
	s.win[g], s.how[g] = int32(r+1), how
}

// flush copies the values of every touched group's winning row into the
// columns of kept rows, column by column.
func (s *rowState) flush(args []*vec.Column, pos int64) {
	s.rows = s.rows[:0]
	for _, g := range s.touched {
		r := s.win[g] - 1
		s.rows = append(s.rows, r)
		s.has[g], s.pos[g], s.win[g] = s.how[g], pos+int64(r), 0
	}
	for i, c := range args {
		s.cols[i].set(c, s.touched, s.rows)
	}
	if k := &s.cols[0]; args[0].Type.Storage() == types.StoreInt && len(k.ints) > 0 {
		for _, g := range s.touched {
			s.keyI[g] = k.ints[g]
		}
	}
	s.touched = s.touched[:0]
}

// columnar switches an empty state to keeping rows by column.
func (s *rowState) columnar() {
	if s.cols == nil && len(s.has) == 0 {
		s.cols = make([]groupCol, s.n)
	}
}

// value returns argument i of group g's kept row.
func (s *rowState) value(g, i int) types.Value {
	if g < len(s.from) && s.from[g] != nil {
		return s.from[g].value(int(s.fromRow[g]), i)
	}
	if s.cols != nil {
		return s.cols[i].value(g)
	}
	return s.vals[g*s.n+i]
}

// state returns how group g is held, counting the batch's winner.
func (s *rowState) state(g int32) uint8 {
	if s.win[g] != 0 {
		return s.how[g]
	}
	return s.has[g]
}

// AddBatch implements BatchAggState.
func (s *argExtremeState) AddBatch(gids []int32, ngroups int, args []*vec.Column, pos int64) {
	s.columnar()
	if s.cols == nil { // rows were added one at a time before
		for r, g := range gids {
			s.Add(int(g), args, r)
		}
		return
	}
	s.growTo(ngroups)
	k := args[0]
	if plain(k) && k.Type.Storage() == types.StoreInt {
		s.addIntKeys(gids, k.Ints)
	} else {
		for r, g := range gids {
			s.addRow(g, k, r)
		}
	}
	s.flush(args, pos)
}

func (s *argExtremeState) addIntKeys(gids []int32, keys []int64) {
	for r, g := range gids {
		x := keys[r]
		if s.state(g) == rowFinal {
			if cur := s.keyI[g]; s.dir > 0 && x <= cur || s.dir < 0 && x >= cur {
				continue
			}
		}
		s.pick(g, r, rowFinal)
		s.keyI[g] = x
	}
}

func (s *argExtremeState) addRow(g int32, k *vec.Column, r int) {
	st := s.state(g)
	if k.IsNull(r) {
		if st == rowNone {
			s.pick(g, r, rowWeak)
		}
		return
	}
	if st == rowFinal {
		var c int
		if w := s.win[g]; w != 0 {
			c = compareRows(k, r, int(w-1))
		} else {
			c = compareRow(k, r, s.value(int(g), 0))
		}
		if c*s.dir <= 0 {
			return
		}
	}
	s.pick(g, r, rowFinal)
}

// compareRows compares rows a and b (neither null) of c as compareRow
// compares a row with a kept value.
func compareRows(c *vec.Column, a, b int) int {
	switch c.Type {
	case types.Bool, types.Int, types.Long, types.Datetime, types.Timespan:
		return types.CompareInts(c.Int(a), c.Int(b))
	case types.Real, types.Decimal:
		return compareNaNFirst(c.Float(a), c.Float(b))
	case types.String:
		return strings.Compare(c.Str(a), c.Str(b))
	}
	return compareValues(c.Value(a), c.Value(b))
}

// Merge implements MergeAggState: the larger (smaller) key wins, and
// between equal keys the row that came first, as in one pass.
func (s *argExtremeState) Merge(other AggState, into []int32, ngroups int) {
	o := other.(*argExtremeState)
	s.columnar()
	s.mergeRows(&o.rowState, into, ngroups, func(i, j int) int {
		return compareValues(o.value(i, 0), s.value(j, 0)) * s.dir
	})
}

// mergeRows folds group i of o into group into[i] of s. A kept row beats a
// weak one; between two of the same kind, better decides (> 0 takes o's
// row), then the earlier position.
func (s *rowState) mergeRows(o *rowState, into []int32, ngroups int, better func(i, j int) int) {
	s.growTo(ngroups)
	for i, j32 := range into {
		j := int(j32)
		oh, sh := o.has[i], s.has[j]
		take := false
		switch {
		case oh == rowNone:
		case sh == rowNone || oh > sh:
			take = true
		case oh == sh:
			c := 0
			if oh == rowFinal && better != nil {
				c = better(i, j)
			}
			take = c > 0 || c == 0 && o.pos[i] < s.pos[j]
		}
		if take {
			s.copyRow(j, o, i)
			s.has[j], s.pos[j], s.keyI[j] = oh, o.pos[i], o.keyI[i]
		}
	}
}

// AddBatch implements BatchAggState.
func (s *anyState) AddBatch(gids []int32, ngroups int, args []*vec.Column, pos int64) {
	s.growTo(ngroups)
	for r, g := range gids {
		if s.has[g] != rowFinal && s.addRow(int(g), args, r) {
			s.pos[g] = pos + int64(r)
		}
	}
}

// Merge implements MergeAggState: a non-empty value beats an empty one,
// then the earlier row wins.
func (s *anyState) Merge(other AggState, into []int32, ngroups int) {
	s.mergeRows(&other.(*anyState).rowState, into, ngroups, nil)
}

// AddBatch implements BatchAggState.
func (s *setState) AddBatch(gids []int32, ngroups int, args []*vec.Column, _ int64) {
	if ngroups > 0 && len(s.lists) < ngroups {
		s.Add(ngroups-1, args, -1)
	}
	for r, g := range gids {
		s.Add(int(g), args, r)
	}
}

// copyRow makes group i of o group j's kept row. A columnar state points
// at the row rather than copying it.
func (s *rowState) copyRow(j int, o *rowState, i int) {
	if s.cols == nil {
		for a := 0; a < s.n; a++ {
			s.vals[j*s.n+a] = o.value(i, a)
		}
		return
	}
	if i < len(o.from) && o.from[i] != nil {
		o, i = o.from[i], int(o.fromRow[i])
	}
	s.from, s.fromRow = growTo(s.from, len(s.has)), growTo(s.fromRow, len(s.has))
	s.from[j], s.fromRow[j] = o, int32(i)
}
