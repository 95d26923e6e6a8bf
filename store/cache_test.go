package store

import (
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// TestCacheCountsSharedDictOnce: blocks sharing a segment dictionary
// charge it once, and forgetting the last of them releases it.
func TestCacheCountsSharedDictOnce(t *testing.T) {
	dict := []string{"alpha", "beta", "gamma"}
	col := func() *vec.Column {
		return &vec.Column{Type: types.String, N: 2, Dict: dict, Codes: []uint32{0, 2}}
	}
	c := newColCache(1 << 20)
	a, b := col(), col()
	c.put(cacheKey{seg: 1, block: 0}, a)
	one := c.used
	c.put(cacheKey{seg: 1, block: 1}, b)
	if want := one + columnBytes(b); c.used != want {
		t.Errorf("two blocks use %d bytes, want %d (the dictionary once)", c.used, want)
	}
	c.put(cacheKey{seg: 2, block: 0}, &vec.Column{Type: types.Long, N: 1, Ints: []int64{7}})
	c.dropSegment(1)
	if want := columnBytes(&vec.Column{Type: types.Long, N: 1, Ints: []int64{7}}); c.used != want || len(c.dicts) != 0 {
		t.Errorf("after dropping the segment: %d bytes, %d dictionaries; want %d, 0", c.used, len(c.dicts), want)
	}
	small := newColCache(4 * columnBytes(a))
	small.put(cacheKey{seg: 1, block: 0}, a) // too large with its dictionary: not kept
	if small.used != 0 {
		t.Errorf("a column over a quarter of the limit is cached (%d bytes)", small.used)
	}
}
