package store

import (
	"encoding/json"
	"fmt"
	"sort"
)

// lsnSet is a set of WAL sequence numbers kept as sorted, disjoint,
// non-adjacent closed ranges. The batches of one table arrive with
// increasing LSNs interleaved with other tables' batches, so a segment's
// set is a few ranges rather than one.
type lsnSet []lsnRange

type lsnRange struct{ Lo, Hi uint64 }

// add inserts lsn, which is usually above every member.
func (s *lsnSet) add(lsn uint64) {
	r := *s
	if n := len(r); n > 0 && r[n-1].Hi < lsn {
		if r[n-1].Hi+1 == lsn {
			r[n-1].Hi = lsn
		} else {
			*s = append(r, lsnRange{lsn, lsn})
		}
		return
	}
	if len(r) == 0 {
		*s = append(r, lsnRange{lsn, lsn})
		return
	}
	s.union(lsnSet{{lsn, lsn}})
}

// union adds every member of o.
func (s *lsnSet) union(o lsnSet) {
	all := append(append(lsnSet{}, *s...), o...)
	sort.Slice(all, func(i, j int) bool { return all[i].Lo < all[j].Lo })
	var out lsnSet
	for _, r := range all {
		if n := len(out); n > 0 && r.Lo <= out[n-1].Hi+1 {
			if r.Hi > out[n-1].Hi {
				out[n-1].Hi = r.Hi
			}
			continue
		}
		out = append(out, r)
	}
	*s = out
}

// has reports whether lsn is a member.
func (s lsnSet) has(lsn uint64) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i].Hi >= lsn })
	return i < len(s) && s[i].Lo <= lsn
}

// MarshalJSON writes the ranges as [[lo,hi],...].
func (s lsnSet) MarshalJSON() ([]byte, error) {
	out := make([][2]uint64, len(s))
	for i, r := range s {
		out[i] = [2]uint64{r.Lo, r.Hi}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads [[lo,hi],...] and checks the ranges are ordered.
func (s *lsnSet) UnmarshalJSON(data []byte) error {
	var in [][2]uint64
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	out := make(lsnSet, len(in))
	for i, r := range in {
		if r[0] > r[1] || i > 0 && r[0] <= in[i-1][1] {
			return fmt.Errorf("LSN ranges out of order at %v", r)
		}
		out[i] = lsnRange{r[0], r[1]}
	}
	*s = out
	return nil
}
