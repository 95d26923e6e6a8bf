package store

import (
	"container/list"
	"strings"
	"sync"

	"github.com/idlogs/idlogs/kql/vec"
)

// colCache keeps recently decoded column blocks, bounded by an estimate of
// their bytes in memory, so that repeated queries over the same data do not
// decompress it again. Columns are immutable once decoded, so one cached
// column may be shared by many scans. The blocks of a column with a
// segment dictionary share its Dict, which is counted once.
type colCache struct {
	mu    sync.Mutex
	limit int64
	used  int64
	lru   *list.List // front: most recent; values are *cacheEntry
	items map[cacheKey]*list.Element
	dicts map[*string]*sharedDict // by the first element of a Dict
}

// sharedDict counts the cached columns that hold one Dict.
type sharedDict struct {
	refs int
	size int64
}

type cacheKey struct {
	seg   uint64
	block int
	col   int
	path  string // joined path of a shredded sub-column, or ""
}

type cacheEntry struct {
	key  cacheKey
	col  *vec.Column
	size int64 // without the Dict
}

func newColCache(limit int64) *colCache {
	return &colCache{limit: limit, lru: list.New(), items: map[cacheKey]*list.Element{}, dicts: map[*string]*sharedDict{}}
}

func pathKey(path []string) string { return strings.Join(path, "\x00") }

func (c *colCache) get(k cacheKey) *vec.Column {
	if c == nil || c.limit <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*cacheEntry).col
	}
	return nil
}

func (c *colCache) put(k cacheKey, col *vec.Column) {
	if c == nil || c.limit <= 0 {
		return
	}
	size := columnBytes(col)
	c.mu.Lock()
	defer c.mu.Unlock()
	dict := c.dictShare(col)
	if size+dict > c.limit/4 {
		return
	}
	if _, ok := c.items[k]; ok {
		return
	}
	c.items[k] = c.lru.PushFront(&cacheEntry{key: k, col: col, size: size})
	c.used += size
	if len(col.Dict) > 0 {
		d := c.dicts[&col.Dict[0]]
		if d == nil {
			d = &sharedDict{size: dict}
			c.dicts[&col.Dict[0]] = d
			c.used += dict
		}
		d.refs++
	}
	for c.used > c.limit {
		e := c.lru.Back()
		c.lru.Remove(e)
		c.forget(e.Value.(*cacheEntry))
	}
}

// dictShare is what caching col adds for its Dict: nothing when another
// cached column holds the same Dict.
func (c *colCache) dictShare(col *vec.Column) int64 {
	if len(col.Dict) == 0 || c.dicts[&col.Dict[0]] != nil {
		return 0
	}
	var n int64
	for _, s := range col.Dict {
		n += 16 + int64(len(s))
	}
	return n
}

// forget drops the accounting of an entry removed from the list.
func (c *colCache) forget(ce *cacheEntry) {
	delete(c.items, ce.key)
	c.used -= ce.size
	if len(ce.col.Dict) == 0 {
		return
	}
	if d := c.dicts[&ce.col.Dict[0]]; d != nil {
		if d.refs--; d.refs == 0 {
			delete(c.dicts, &ce.col.Dict[0])
			c.used -= d.size
		}
	}
}

// dropSegment forgets the blocks of a segment that is going away.
func (c *colCache) dropSegment(seg uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if k.seg == seg {
			c.lru.Remove(e)
			c.forget(e.Value.(*cacheEntry))
		}
	}
}

// columnBytes estimates the memory a decoded column holds, but for its
// Dict (see dictShare).
func columnBytes(c *vec.Column) int64 {
	n := int64(64)
	n += int64(len(c.Ints))*8 + int64(len(c.Floats))*8 + int64(len(c.Codes))*4 + int64(len(c.Valid))
	for _, s := range c.Strs {
		n += 16 + int64(len(s))
	}
	// Dynamic values: a rough per-value cost of their boxes, maps and
	// slices; they are the most expensive columns to decode and to keep.
	n += int64(len(c.Anys)) * 96
	return n
}
