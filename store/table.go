package store

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store/rowcodec"
	"github.com/idlogs/idlogs/store/segment"
)

// Table is one table of a store. It implements plan.Table, so KQL queries
// read it directly; Append adds rows durably.
type Table struct {
	s    *Store
	name string
	// createdLSN is the WAL position when the table was created.
	createdLSN uint64

	mu      sync.RWMutex
	schema  vec.Schema
	opt     TableOptions
	timeCol int
	segs    []*segRef
	tail    []tailEntry
	// tailRows counts the rows in tail.
	tailRows int
	// flushed is closed, and replaced, whenever a flush shrinks the tail:
	// appends waiting for room in a full tail watch it.
	flushed chan struct{}
	// recordBytesPerRow is the size per row of the table's last WAL
	// record: the next record's buffer is reserved at once rather than
	// grown (and copied) many times.
	recordBytesPerRow atomic.Int64
}

// tailEntry is one acknowledged batch that is not yet in a segment.
type tailEntry struct {
	lsn   uint64
	b     *vec.Batch
	added time.Time
}

// segRef is a live segment of a table. Scans hold a reference while they
// read it; a segment that a merge or retention removed is closed and its
// file deleted when the last reference goes.
type segRef struct {
	cache   *colCache
	meta    manifestSegment
	seg     *segment.Segment
	path    string
	refs    atomic.Int64
	removed atomic.Bool
}

func (s *Store) newSegRef(meta manifestSegment, seg *segment.Segment, path string) *segRef {
	r := &segRef{meta: meta, seg: seg, path: path, cache: s.cache}
	r.refs.Store(1) // the table's own reference
	return r
}

func (r *segRef) acquire() { r.refs.Add(1) }

func (r *segRef) releaseRef() {
	if r.refs.Add(-1) == 0 {
		r.seg.Close()
		if r.removed.Load() {
			r.cache.dropSegment(r.meta.ID)
			os.Remove(r.path)
		}
	}
}

// drop removes the segment from use: its file is deleted once no scan
// reads it.
func (r *segRef) drop() {
	r.removed.Store(true)
	r.releaseRef()
}

func newTable(s *Store, name string, schema vec.Schema, opt TableOptions) *Table {
	t := &Table{s: s, name: name, flushed: make(chan struct{})}
	t.setSchema(schema, opt.Retention)
	t.opt.TimeColumn = opt.TimeColumn
	t.timeCol = schema.Index(opt.TimeColumn)
	return t
}

// Name returns the table's name.
func (t *Table) Name() string { return t.name }

// Schema returns the table's columns.
func (t *Table) Schema() vec.Schema {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.schema
}

// Options returns the table's options.
func (t *Table) Options() TableOptions {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.opt
}

// setSchema installs a wider schema and widens the tail batches to it.
func (t *Table) setSchema(schema vec.Schema, retention time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.schema
	t.schema = append(vec.Schema(nil), schema...)
	t.opt.Retention = retention
	if t.opt.TimeColumn != "" {
		t.timeCol = t.schema.Index(t.opt.TimeColumn)
	}
	for i, e := range t.tail {
		t.tail[i].b = widen(old, t.schema, e.b)
	}
}

// widen returns b (with schema from) laid out for schema to, whose columns
// are a superset: new columns are null.
func widen(from, to vec.Schema, b *vec.Batch) *vec.Batch {
	if sameSchema(from, to) {
		return b
	}
	cols := make([]*vec.Column, len(to))
	for i, f := range to {
		if j := from.Index(f.Name); j >= 0 {
			cols[i] = b.Cols[j]
		} else {
			cols[i] = vec.NewConst(types.NullOf(f.Type), b.N)
		}
	}
	return &vec.Batch{Cols: cols, N: b.N}
}

// Append adds the rows of b to the table. It returns once the rows are
// durable; they are queryable from that moment. The batch is accepted whole
// or rejected whole: its columns must match the table's schema in number
// and type (a column of type null stands for all-null rows of any type).
// The caller must not modify b afterwards.
func (t *Table) Append(ctx context.Context, b *vec.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b == nil || b.N == 0 {
		return nil
	}
	s := t.s
	if err := t.waitForRoom(ctx); err != nil {
		return err
	}
	s.appendMu.RLock()
	defer s.appendMu.RUnlock()
	if s.isClosed() {
		return ErrClosed
	}
	t.mu.RLock()
	schema := t.schema
	t.mu.RUnlock()
	b, err := conformBatch(schema, b)
	if err != nil {
		return fmt.Errorf("table %s: %v", t.name, err)
	}
	buf := recordBufs.Get().(*[]byte)
	dst := slices.Grow((*buf)[:0], int(t.recordBytesPerRow.Load())*b.N*9/8)
	rec := rowcodec.Encode(dst, t.name, schema, b)
	t.recordBytesPerRow.Store(int64(len(rec) / b.N))
	lsn, err := s.wal.Append(rec) // copies rec
	*buf = rec
	recordBufs.Put(buf)
	if err != nil {
		return fmt.Errorf("table %s: %v", t.name, err)
	}
	full := t.addTail(lsn, b)
	if full {
		s.kick()
	}
	return nil
}

// waitForRoom returns once the table's tail is below MaxTailRows, waking
// the background flush while it waits. A batch is let in whatever its size
// when the tail has room, so the bound may be passed by one batch per
// concurrent append.
func (t *Table) waitForRoom(ctx context.Context) error {
	s := t.s
	if s.stop == nil {
		return nil // no background flush to wait for
	}
	for {
		t.mu.RLock()
		full := t.tailRows >= s.opt.MaxTailRows
		ch := t.flushed
		t.mu.RUnlock()
		if !full {
			return nil
		}
		s.kick()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.stop:
			return ErrClosed
		}
	}
}

// recordBufs holds encoding buffers for WAL records: a batch of 64 Ki
// sign-in rows encodes to tens of megabytes, too much to grow afresh for
// every append.
var recordBufs = sync.Pool{New: func() any { return new([]byte) }}

// conform checks a replayed batch, written with schema from, and lays it
// out for the table's current schema.
func (t *Table) conform(from vec.Schema, b *vec.Batch) (*vec.Batch, error) {
	t.mu.RLock()
	schema := t.schema
	t.mu.RUnlock()
	for _, f := range from {
		i := schema.Index(f.Name)
		if i < 0 || schema[i].Type != f.Type {
			return nil, fmt.Errorf("column %s:%s is not in table %s", f.Name, f.Type, t.name)
		}
	}
	b, err := conformBatch(from, b)
	if err != nil {
		return nil, err
	}
	return widen(from, schema, b), nil
}

// conformBatch checks that b has the columns of schema, or of a schema
// before columns were added to it (the missing ones are null), and
// replaces null-typed columns by typed null columns.
func conformBatch(schema vec.Schema, b *vec.Batch) (*vec.Batch, error) {
	if len(b.Cols) > len(schema) {
		return nil, fmt.Errorf("batch has %d columns, the table has %d", len(b.Cols), len(schema))
	}
	var out *vec.Batch
	if len(b.Cols) < len(schema) {
		// A batch laid out before AlterTable added columns (which it only
		// ever adds at the end) reads them as null.
		out = &vec.Batch{Cols: append(make([]*vec.Column, 0, len(schema)), b.Cols...), N: b.N}
		for _, f := range schema[len(b.Cols):] {
			out.Cols = append(out.Cols, vec.NewConst(types.NullOf(f.Type), b.N))
		}
		b = out
	}
	for i, c := range b.Cols {
		if c == nil || c.N != b.N {
			return nil, fmt.Errorf("column %s has %d rows, the batch has %d", schema[i].Name, colLen(c), b.N)
		}
		if c.Type == schema[i].Type {
			continue
		}
		if c.Type != types.Null {
			return nil, fmt.Errorf("column %s is %s, the table's column is %s", schema[i].Name, c.Type, schema[i].Type)
		}
		if out == nil {
			out = &vec.Batch{Cols: append([]*vec.Column(nil), b.Cols...), N: b.N}
		}
		out.Cols[i] = vec.NewConst(types.NullOf(schema[i].Type), b.N)
	}
	if out != nil {
		return out, nil
	}
	return b, nil
}

func colLen(c *vec.Column) int {
	if c == nil {
		return 0
	}
	return c.N
}

// addTail adds an acknowledged batch to the tail and reports whether the
// tail is due for a flush.
func (t *Table) addTail(lsn uint64, b *vec.Batch) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tail = append(t.tail, tailEntry{lsn: lsn, b: b, added: time.Now()})
	t.tailRows += b.N
	return t.tailRows >= t.s.opt.FlushRows
}

// covered reports whether a segment holds the rows of WAL record lsn.
func (t *Table) covered(lsn uint64) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, r := range t.segs {
		if r.meta.LSNs.has(lsn) {
			return true
		}
	}
	return false
}

// Rows returns the number of rows in the table.
func (t *Table) Rows() int64 { return t.Stats().Rows }

// Stats describe a table's storage.
type Stats struct {
	Rows         int64
	TailRows     int64
	Segments     int
	SegmentBytes int64
}

// Stats returns the table's storage statistics.
func (t *Table) Stats() Stats {
	t.mu.RLock()
	defer t.mu.RUnlock()
	st := Stats{TailRows: int64(t.tailRows), Segments: len(t.segs)}
	st.Rows = st.TailRows
	for _, r := range t.segs {
		st.Rows += r.meta.Rows
		st.SegmentBytes += r.seg.Info().Bytes
	}
	return st
}

func (t *Table) manifestEntry() manifestTable {
	t.mu.RLock()
	defer t.mu.RUnlock()
	mt := manifestTable{
		Name:       t.name,
		Columns:    schemaToManifest(t.schema),
		TimeColumn: t.opt.TimeColumn,
		CreatedLSN: t.createdLSN,
		Retention:  int64(t.opt.Retention / time.Second),
		Segments:   []manifestSegment{},
	}
	for _, r := range t.segs {
		mt.Segments = append(mt.Segments, r.meta)
	}
	return mt
}

// release drops the table's references to its segments without deleting
// their files (the store is closing).
func (t *Table) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.segs {
		r.releaseRef()
	}
	t.segs = nil
}

// dropAll deletes the table's segments (the table was dropped).
func (t *Table) dropAll() {
	t.mu.Lock()
	segs := t.segs
	t.segs, t.tail, t.tailRows = nil, nil, 0
	close(t.flushed)
	t.flushed = make(chan struct{})
	t.mu.Unlock()
	for _, r := range segs {
		r.drop()
	}
	os.Remove(t.s.tableDir(t.name))
}
