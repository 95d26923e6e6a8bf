package builtin

import (
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Batch and merge paths of the basic aggregates. Each has a typed loop for
// the common column shape (plain storage, no null mask, no constant) and
// falls back to the row path for the rest.

// plain reports whether c stores one value per row without a null mask
// or dictionary, so its Ints, Floats or Strs can be indexed by row.
func plain(c *vec.Column) bool {
	return !c.Const && c.Valid == nil && c.Codes == nil && c.Type != types.Null
}

// RowCounter is the state of an aggregate that counts rows, whatever their
// values: count() and count(x). The executor may then fold a batch from how
// many rows each group has, without a group id per row.
type RowCounter interface {
	// CountsRows reports whether the state only counts rows.
	CountsRows() bool
	// AddRows adds n rows to group g.
	AddRows(g int, n int64)
}

// CountsRows implements RowCounter: count() and count(x) count every row.
func (s *countState) CountsRows() bool { return !s.pred }

// AddRows implements RowCounter.
func (s *countState) AddRows(g int, n int64) {
	s.n = growTo(s.n, g+1)
	s.n[g] += n
}

// AddBatch implements BatchAggState.
func (s *countState) AddBatch(gids []int32, ngroups int, args []*vec.Column, _ int64) {
	s.n = growTo(s.n, ngroups)
	n := s.n
	switch {
	case !s.pred && ngroups == 1:
		n[0] += int64(len(gids))
	case !s.pred:
		for _, g := range gids {
			n[g]++
		}
	case args[0].Type == types.Bool && plain(args[0]):
		for r, g := range gids {
			if args[0].Ints[r] != 0 {
				n[g]++
			}
		}
	default:
		for r, g := range gids {
			if truthAt(args[0], r) {
				n[g]++
			}
		}
	}
}

// Merge implements MergeAggState.
func (s *countState) Merge(other AggState, into []int32, ngroups int) {
	s.n = growTo(s.n, ngroups)
	for i, x := range other.(*countState).n {
		s.n[into[i]] += x
	}
}

// AddBatch implements BatchAggState.
func (s *sumState) AddBatch(gids []int32, ngroups int, args []*vec.Column, _ int64) {
	s.ints, s.reals = growTo(s.ints, ngroups), growTo(s.reals, ngroups)
	c := args[0]
	if !s.cond && plain(c) {
		switch {
		case c.Type.Storage() == types.StoreInt && s.t.Storage() == types.StoreInt:
			for r, g := range gids {
				s.ints[g] += c.Ints[r]
			}
			return
		case c.Type.Storage() == types.StoreFloat && s.t.Storage() == types.StoreFloat:
			for r, g := range gids {
				s.reals[g] += c.Floats[r]
			}
			return
		}
	}
	for r, g := range gids {
		s.Add(int(g), args, r)
	}
}

// Merge implements MergeAggState.
func (s *sumState) Merge(other AggState, into []int32, ngroups int) {
	o := other.(*sumState)
	s.ints, s.reals = growTo(s.ints, ngroups), growTo(s.reals, ngroups)
	for i, j := range into {
		s.ints[j] += o.ints[i]
		s.reals[j] += o.reals[i]
	}
}

// AddBatch implements BatchAggState. It records the position of each
// group's base, so that a merge keeps the base of the group's first value
// and rounds the average of ticks as one pass does.
func (s *avgState) AddBatch(gids []int32, ngroups int, args []*vec.Column, pos int64) {
	s.sum, s.n = growTo(s.sum, ngroups), growTo(s.n, ngroups)
	s.base, s.basePos = growTo(s.base, ngroups), growTo(s.basePos, ngroups)
	c := args[0]
	if !s.cond && plain(c) && !s.t.IsTicks() {
		switch c.Type.Storage() {
		case types.StoreFloat:
			for r, g := range gids {
				s.sum[g] += c.Floats[r]
				s.n[g]++
			}
			return
		case types.StoreInt:
			for r, g := range gids {
				s.sum[g] += float64(c.Ints[r])
				s.n[g]++
			}
			return
		}
	}
	for r, g := range gids {
		had := s.n[g]
		s.Add(int(g), args, r)
		if had == 0 && s.n[g] == 1 {
			s.basePos[g] = pos + int64(r)
		}
	}
}

// Merge implements MergeAggState. Tick offsets are whole numbers, summed
// exactly, so moving them onto the earlier base loses nothing.
func (s *avgState) Merge(other AggState, into []int32, ngroups int) {
	o := other.(*avgState)
	s.sum, s.n = growTo(s.sum, ngroups), growTo(s.n, ngroups)
	s.base, s.basePos = growTo(s.base, ngroups), growTo(s.basePos, ngroups)
	for i, j := range into {
		switch {
		case o.n[i] == 0:
		case s.n[j] == 0:
			s.sum[j], s.n[j], s.base[j], s.basePos[j] = o.sum[i], o.n[i], o.base[i], o.basePos[i]
		default:
			if o.basePos[i] < s.basePos[j] {
				s.sum[j] += float64(s.base[j]-o.base[i]) * float64(s.n[j])
				s.base[j], s.basePos[j] = o.base[i], o.basePos[i]
			}
			s.sum[j] += o.sum[i] + float64(o.base[i]-s.base[j])*float64(o.n[i])
			s.n[j] += o.n[i]
		}
	}
}

// AddBatch implements BatchAggState. It records the position of each
// group's extreme so that a merge breaks ties between values that compare
// equal (0 and -0) as one pass over the input would.
func (s *extremeState) AddBatch(gids []int32, ngroups int, args []*vec.Column, pos int64) {
	s.best, s.pos = growTo(s.best, ngroups), growTo(s.pos, ngroups)
	c := args[0]
	if !s.cond && plain(c) {
		switch c.Type.Storage() {
		case types.StoreInt:
			s.addInts(gids, c, pos)
			return
		case types.StoreFloat:
			for r, g := range gids {
				b := &s.best[g]
				if !b.Valid || compareNaNFirst(c.Floats[r], b.F)*s.dir > 0 {
					*b = types.Value{Type: c.Type, Valid: true, F: c.Floats[r]}
					s.pos[g] = pos + int64(r)
				}
			}
			return
		}
	}
	for r, g := range gids {
		if s.addRow(int(g), args, r) {
			s.pos[g] = pos + int64(r)
		}
	}
}

func (s *extremeState) addInts(gids []int32, c *vec.Column, pos int64) {
	for r, g := range gids {
		b := &s.best[g]
		x := c.Ints[r]
		if b.Valid && (s.dir > 0 && x <= b.I || s.dir < 0 && x >= b.I) {
			continue
		}
		*b = types.Value{Type: c.Type, Valid: true, I: x}
		s.pos[g] = pos + int64(r)
	}
}

// Merge implements MergeAggState.
func (s *extremeState) Merge(other AggState, into []int32, ngroups int) {
	o := other.(*extremeState)
	s.best, s.pos = growTo(s.best, ngroups), growTo(s.pos, ngroups)
	for i, j := range into {
		v := o.best[i]
		if !v.Valid {
			continue
		}
		if s.best[j].Valid {
			c := compareValues(v, s.best[j]) * s.dir
			if c < 0 || c == 0 && o.pos[i] >= s.pos[j] {
				continue
			}
		}
		s.best[j], s.pos[j] = v, o.pos[i]
	}
}

// compareValues compares two kept values as compareRow compares a row
// with a kept value.
func compareValues(a, b types.Value) int {
	if a.Type == b.Type {
		switch a.Type {
		case types.Bool, types.Int, types.Long, types.Datetime, types.Timespan:
			return types.CompareInts(a.I, b.I)
		case types.Real, types.Decimal:
			return compareNaNFirst(a.F, b.F)
		case types.String:
			return strings.Compare(a.S, b.S)
		}
	}
	return types.Compare(a, b)
}
