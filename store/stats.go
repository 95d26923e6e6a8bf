package store

import "github.com/idlogs/idlogs/store/segment"

// ColumnStats is the stored size of one column of a table's segments.
type ColumnStats = segment.ColumnSize

// ColumnStats returns the stored size of each column and shredded
// sub-column over the table's segments (the tail is not counted).
func (t *Table) ColumnStats() []ColumnStats {
	t.mu.RLock()
	segs := append([]*segRef(nil), t.segs...)
	for _, r := range segs {
		r.acquire()
	}
	t.mu.RUnlock()
	byName := map[string]int{}
	var out []ColumnStats
	for _, r := range segs {
		for _, c := range r.seg.ColumnSizes() {
			i, ok := byName[c.Name]
			if !ok {
				i = len(out)
				byName[c.Name] = i
				out = append(out, ColumnStats{Name: c.Name})
			}
			out[i].Data += c.Data
			out[i].Dict += c.Dict
			out[i].Filter += c.Filter
		}
		r.releaseRef()
	}
	return out
}
