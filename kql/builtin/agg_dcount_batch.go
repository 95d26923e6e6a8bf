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
		if s.pred < 0 {
			s.addCodeRuns(gids, codes)
			return
		}
		for r, g := range gids {
			if truthAt(args[s.pred], r) {
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

// addCodeRuns adds each row's code to its group's sketch, once per run
// of consecutive rows of one group: rows grouped by a time bin come in
// long runs, and a user signs in many times a day, so most rows repeat a
// code their run already added (a sketch is unchanged by a hash it has).
// Short runs are added row by row.
func (s *dcountState) addCodeRuns(gids []int32, codes []uint32) {
	const minRun = 64
	s.seen = growTo(s.seen[:0], len(s.hasher.dict))
	clear(s.seen)
	for start := 0; start < len(gids); {
		g := gids[start]
		end := start + 1
		for end < len(gids) && gids[end] == g {
			end++
		}
		sk := &s.sketches[g]
		if end-start < minRun {
			for _, code := range codes[start:end] {
				sk.add(s.hasher.codeHash(code), s.lv)
			}
			start = end
			continue
		}
		touched := s.touched[:0]
		for _, code := range codes[start:end] {
			if !s.seen[code] {
				s.seen[code] = true
				touched = append(touched, code)
				sk.add(s.hasher.codeHash(code), s.lv)
			}
		}
		for _, code := range touched {
			s.seen[code] = false
		}
		s.touched = touched
		start = end
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
