package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// AddBatch implements BatchAggState. A dictionary-encoded argument is
// hashed once per distinct string; without keys and predicate each
// distinct string of the batch is added once.
func (s *dcountState) AddBatch(gids []int32, ngroups int, args []*vec.Column, _ int64) {
	s.sketches = growTo(s.sketches, ngroups)
	c := args[0]
	if (c.Type == types.String || c.Type == types.Guid) && c.Codes != nil && !c.Const && c.Valid == nil {
		s.hasher.useDict(c.Dict)
		codes := c.Codes[:len(gids)]
		if s.pred < 0 && ngroups == 1 {
			s.addDistinctCodes(codes)
			return
		}
		for r, g := range gids {
			if s.pred < 0 || truthAt(args[s.pred], r) {
				s.sketches[g].add(s.hasher.codeHash(codes[r]), s.lv)
			}
		}
		return
	}
	for r, g := range gids {
		s.Add(int(g), args, r)
	}
}

// addDistinctCodes adds to the only sketch the hash of every code that
// occurs, once.
func (s *dcountState) addDistinctCodes(codes []uint32) {
	s.seen = growTo(s.seen[:0], len(s.hasher.dict))
	clear(s.seen)
	for _, code := range codes {
		if !s.seen[code] {
			s.seen[code] = true
			s.sketches[0].add(s.hasher.codeHash(code), s.lv)
		}
	}
}

// Merge implements MergeAggState.
func (s *dcountState) Merge(other AggState, into []int32, ngroups int) {
	o := other.(*dcountState)
	s.sketches = growTo(s.sketches, ngroups)
	for i, j := range into {
		s.sketches[j].merge(&o.sketches[i], s.lv)
	}
}

// AddBatch implements BatchAggState by rows: hll keeps a per-group flag
// that the dcount batch path does not maintain. hll does not merge: its
// exact sketches serialize in insertion order, which a merge would change.
func (s *hllState) AddBatch(gids []int32, ngroups int, args []*vec.Column, _ int64) {
	if ngroups > len(s.seen) {
		s.Add(ngroups-1, args, -1)
	}
	for r, g := range gids {
		s.Add(int(g), args, r)
	}
}
