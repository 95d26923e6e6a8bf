package store

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store/segment"
)

// Scan returns the table's rows as of now, restricted as far as the
// segments' block statistics allow by req. Blocks are decoded ahead on
// every core while the caller consumes earlier ones; batches come back in
// table order: segments, then the tail.
func (t *Table) Scan(req *plan.ScanRequest) (plan.BatchIterator, error) {
	t.mu.RLock()
	schema := t.schema
	segs := append([]*segRef(nil), t.segs...)
	tail := t.tail[:len(t.tail):len(t.tail)]
	for _, r := range segs {
		r.acquire()
	}
	t.mu.RUnlock()

	cols := req.Columns
	if cols == nil {
		cols = make([]int, len(schema))
		for i := range cols {
			cols[i] = i
		}
	}
	it := &scanIter{schema: schema, cols: cols, paths: req.Paths, segs: segs, limit: req.Limit, cache: t.s.cache}

	for _, r := range segs {
		info := r.seg.Info()
		if req.TimeColumn >= 0 && req.TimeColumn == t.timeCol && info.Rows > 0 &&
			(info.MaxTime < req.MinTime || info.MinTime >= req.MaxTime) {
			continue
		}
		sreq := req
		if !sameSchema(r.seg.Schema(), schema) {
			// Filter column indexes refer to the table's schema; an older
			// segment is read whole.
			sreq = &plan.ScanRequest{TimeColumn: -1}
		}
		for _, b := range r.seg.Blocks(sreq) {
			it.tasks = append(it.tasks, scanTask{seg: r.seg, id: r.meta.ID, block: b})
		}
	}
	for _, e := range tail {
		if req.TimeColumn >= 0 && !batchInRange(e.b, req) {
			continue
		}
		it.tasks = append(it.tasks, scanTask{batch: e.b})
	}
	it.results = make([]chan scanResult, len(it.tasks))
	it.window = 2 * runtime.GOMAXPROCS(0)
	return it, nil
}

// batchInRange reports whether some row of b may fall in req's time range.
func batchInRange(b *vec.Batch, req *plan.ScanRequest) bool {
	if req.TimeColumn >= len(b.Cols) {
		return true
	}
	c := b.Cols[req.TimeColumn]
	if c.Type != types.Datetime || c.Const || len(c.Ints) < b.N {
		return true
	}
	for i := 0; i < b.N; i++ {
		if v := c.Ints[i]; v >= req.MinTime && v < req.MaxTime && (c.Valid == nil || c.Valid[i]) {
			return true
		}
	}
	return false
}

type scanTask struct {
	seg   *segment.Segment
	id    uint64 // the segment's id, for the cache
	block int
	batch *vec.Batch // a tail batch, when seg is nil
}

type scanResult struct {
	b   *vec.Batch
	err error
}

type scanIter struct {
	schema   vec.Schema
	cols     []int
	paths    []plan.PathColumn
	segs     []*segRef
	tasks    []scanTask
	results  []chan scanResult
	window   int
	launched int
	next     int
	limit    int64
	returned int64
	wg       sync.WaitGroup
	closed   bool
	cache    *colCache
}

func (it *scanIter) Next() (*vec.Batch, error) {
	if it.closed || it.next >= len(it.tasks) || it.limit > 0 && it.returned >= it.limit {
		return nil, nil
	}
	for it.launched < len(it.tasks) && it.launched < it.next+it.window {
		it.launch(it.launched)
		it.launched++
	}
	r := <-it.results[it.next]
	it.results[it.next] = nil
	it.next++
	if r.err != nil {
		return nil, r.err
	}
	it.returned += int64(r.b.N)
	return r.b, nil
}

func (it *scanIter) launch(i int) {
	ch := make(chan scanResult, 1)
	it.results[i] = ch
	task := it.tasks[i]
	it.wg.Add(1)
	go func() {
		defer it.wg.Done()
		var r scanResult
		if task.seg == nil {
			r.b, r.err = projectTail(task.batch, it.cols, it.paths)
		} else {
			r.b, r.err = readBlock(task.seg, task.id, task.block, it.schema, it.cols, it.paths, it.cache)
		}
		ch <- r
	}()
}

// Close waits for blocks being decoded and releases the segments.
func (it *scanIter) Close() {
	if it.closed {
		return
	}
	it.closed = true
	it.wg.Wait()
	for _, r := range it.segs {
		r.releaseRef()
	}
}

// projectTail returns the columns cols of a tail batch followed by the
// path columns, computed from the dynamic columns.
func projectTail(b *vec.Batch, cols []int, paths []plan.PathColumn) (*vec.Batch, error) {
	out := &vec.Batch{Cols: make([]*vec.Column, len(cols), len(cols)+len(paths)), N: b.N}
	for i, c := range cols {
		out.Cols[i] = b.Cols[c]
	}
	for _, p := range paths {
		c, err := plan.ExtractPath(b.Cols[p.Column], p)
		if err != nil {
			return nil, err
		}
		out.Cols = append(out.Cols, c)
	}
	return out, nil
}

// readBlock decodes block b of seg into a batch of the table columns cols
// (indexes into schema). Columns the segment does not have (added by a
// later AlterTable) are null. The path columns follow: from the segment's
// shredded sub-column of the path when it has one of the requested type,
// else computed from the dynamic column. Decoded columns are kept in cache
// (may be nil).
func readBlock(seg *segment.Segment, id uint64, b int, schema vec.Schema, cols []int, paths []plan.PathColumn, cache *colCache) (*vec.Batch, error) {
	segSchema := seg.Schema()
	n := seg.BlockRows(b)
	out := &vec.Batch{Cols: make([]*vec.Column, len(cols), len(cols)+len(paths)), N: n}
	same := sameSchema(segSchema, schema)
	column := func(c int) (*vec.Column, error) {
		j := c
		if !same {
			j = segSchema.Index(schema[c].Name)
		}
		if j < 0 {
			return vec.NewConst(types.NullOf(schema[c].Type), n), nil
		}
		key := cacheKey{seg: id, block: b, col: j}
		if col := cache.get(key); col != nil {
			return col, nil
		}
		col, err := seg.ReadColumn(b, j)
		if err != nil {
			return nil, err
		}
		cache.put(key, col)
		return col, nil
	}
	for i, c := range cols {
		col, err := column(c)
		if err != nil {
			return nil, err
		}
		out.Cols[i] = col
	}
	for _, p := range paths {
		col, err := readPath(seg, id, b, schema, same, p, cache, column)
		if err != nil {
			return nil, err
		}
		out.Cols = append(out.Cols, col)
	}
	return out, nil
}

// pathReads counts path columns answered from shredded sub-columns (for
// tests).
var pathReads atomic.Int64

// readPath returns path column p of block b.
func readPath(seg *segment.Segment, id uint64, b int, schema vec.Schema, same bool, p plan.PathColumn, cache *colCache, column func(int) (*vec.Column, error)) (*vec.Column, error) {
	j := p.Column
	if !same {
		j = seg.Schema().Index(schema[p.Column].Name)
	}
	key := cacheKey{seg: id, block: b, col: j, path: pathKey(p.Path) + "\x00" + p.As.String()}
	if j >= 0 {
		if col := cache.get(key); col != nil {
			return col, nil
		}
		// A shredded sub-column holds exactly col.path typed as its type
		// (and tostring's "" for a missing string), so it answers a
		// request of that same type.
		sub, ok, err := seg.ReadPath(b, j, p.Path)
		if err != nil {
			return nil, err
		}
		if ok && sub.Type == p.As {
			pathReads.Add(1)
			cache.put(key, sub)
			return sub, nil
		}
	}
	dyn, err := column(p.Column)
	if err != nil {
		return nil, err
	}
	col, err := plan.ExtractPath(dyn, p)
	if err != nil {
		return nil, err
	}
	if j >= 0 {
		cache.put(key, col)
	}
	return col, nil
}
