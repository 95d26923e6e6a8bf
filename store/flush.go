package store

import (
	"fmt"
	"time"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store/segment"
)

// Flush writes every table's tail to segments, then removes the WAL files
// that only hold flushed records.
func (s *Store) Flush() error {
	return s.flushTables(func(*Table) bool { return true })
}

func (s *Store) flushTables(due func(*Table) bool) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	if s.isClosed() {
		return ErrClosed
	}
	for _, t := range s.allTables() {
		if !due(t) {
			continue
		}
		// A tail larger than a merged segment (the WAL replayed after a
		// crash, or appends that outran flushing) is written a segment of
		// at most MergeRows rows at a time, each saved in the manifest
		// and its WAL dropped before the next: memory stays bounded, and
		// a process killed again while catching up keeps what it wrote.
		for {
			ok, more, err := t.flush(s.opt.MergeRows)
			if err != nil {
				return fmt.Errorf("flush %s: %v", t.name, err)
			}
			if !ok {
				break
			}
			if err := s.saveManifest(); err != nil {
				return err
			}
			if err := s.truncateWAL(); err != nil {
				return err
			}
			if !more {
				break
			}
		}
	}
	return nil
}

// truncateWAL removes the WAL files whose records are all in segments
// named by the saved manifest. The caller holds flushMu and has just saved
// the manifest.
func (s *Store) truncateWAL() error {
	s.appendMu.Lock()
	upTo := s.wal.LastLSN()
	for _, t := range s.allTables() {
		t.mu.RLock()
		// The tail is in the order appends finished, which concurrent
		// appends make different from LSN order: look at every entry.
		for _, e := range t.tail {
			if e.lsn <= upTo {
				upTo = e.lsn - 1
			}
		}
		t.mu.RUnlock()
	}
	s.appendMu.Unlock()
	return s.wal.Truncate(upTo)
}

// flush writes the oldest entries of the table's tail, up to limit rows
// (at least one entry), to one segment; it reports whether it wrote one
// and whether entries remain. The caller holds flushMu and saves the
// manifest afterwards.
func (t *Table) flush(limit int64) (wrote, more bool, err error) {
	t.mu.RLock()
	entries := t.tail
	schema := t.schema
	t.mu.RUnlock()
	if len(entries) == 0 {
		return false, false, nil
	}
	var n int64
	for i, e := range entries {
		if i > 0 && n+int64(e.b.N) > limit {
			entries, more = entries[:i], true
			break
		}
		n += int64(e.b.N)
	}
	batches := make([]*vec.Batch, len(entries))
	var lsns lsnSet
	var rows int64
	for i, e := range entries {
		batches[i] = e.b
		lsns.add(e.lsn)
		rows += int64(e.b.N)
	}
	ref, err := t.writeSegment(schema, batches, lsns)
	if err != nil {
		return false, false, err
	}
	t.mu.Lock()
	t.segs = append(t.segs, ref)
	rest := make([]tailEntry, len(t.tail)-len(entries))
	copy(rest, t.tail[len(entries):])
	t.tail = rest
	t.tailRows -= int(rows)
	close(t.flushed)
	t.flushed = make(chan struct{})
	t.mu.Unlock()
	return true, more, nil
}

func (t *Table) writeSegment(schema vec.Schema, batches []*vec.Batch, lsns lsnSet) (*segRef, error) {
	s := t.s
	id := s.newSegmentID()
	path := segPath(s.tableDir(t.name), id)
	timeCol := schema.Index(t.opt.TimeColumn)
	if t.opt.TimeColumn == "" {
		timeCol = -1
	}
	info, err := segment.Write(path, schema, batches, segment.WriteOptions{TimeColumn: timeCol, BlockRows: s.opt.BlockRows})
	if err != nil {
		return nil, err
	}
	seg, err := segment.Open(path)
	if err != nil {
		return nil, err
	}
	return s.newSegRef(manifestSegment{ID: id, Rows: info.Rows, LSNs: lsns}, seg, path), nil
}

// Merge rewrites runs of small segments of each table into larger ones:
// one run per table, as one pass of the background merger does.
func (s *Store) Merge() error {
	_, err := s.mergeOnce()
	return err
}

// Compact merges until no run of small segments is left, which the
// background merger would do over its next passes, and returns when the
// store is settled. Benchmarks and tools use it after a bulk load.
func (s *Store) Compact() error {
	for {
		merged, err := s.mergeOnce()
		if err != nil || !merged {
			return err
		}
	}
}

// mergeOnce merges one run of small segments per table and reports
// whether it merged any.
func (s *Store) mergeOnce() (bool, error) {
	s.mergeMu.Lock()
	defer s.mergeMu.Unlock()
	if s.isClosed() {
		return false, ErrClosed
	}
	merged := false
	for _, t := range s.allTables() {
		ok, err := t.merge()
		if err != nil {
			return false, fmt.Errorf("merge %s: %v", t.name, err)
		}
		merged = merged || ok
	}
	return merged, nil
}

// mergeFanIn is the fewest small segments that are worth merging before
// they reach the merged size together.
const mergeFanIn = 4

// merge merges one run of consecutive small segments, if there is one.
// The caller holds mergeMu; flushes, retention and DropTable may run
// meanwhile, so the run is put in place only if every segment of it is
// still the table's and the table is still the store's.
func (t *Table) merge() (bool, error) {
	s := t.s
	run, schema := t.mergeRun()
	if run == nil {
		return false, nil
	}
	for _, r := range run {
		r.acquire()
	}
	defer func() {
		for _, r := range run {
			r.releaseRef()
		}
	}()
	var batches []*vec.Batch
	var lsns lsnSet
	for _, r := range run {
		bs, err := readAll(r.seg, r.meta.ID, schema)
		if err != nil {
			return false, err
		}
		batches = append(batches, bs...)
		lsns.union(r.meta.LSNs)
	}
	ref, err := t.writeSegment(schema, batches, lsns)
	if err != nil {
		if !s.isLive(t) {
			return false, nil // dropped while merging: its directory is gone
		}
		return false, err
	}
	if afterMergeWrite != nil {
		afterMergeWrite()
	}
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	inRun := map[*segRef]bool{}
	for _, r := range run {
		inRun[r] = true
	}
	live := s.isLive(t)
	t.mu.Lock()
	present := 0
	for _, r := range t.segs {
		if inRun[r] {
			present++
		}
	}
	if !live || present != len(run) {
		t.mu.Unlock()
		ref.drop()
		return false, nil
	}
	var keep []*segRef
	placed := false
	for _, r := range t.segs {
		if inRun[r] {
			if !placed {
				keep = append(keep, ref)
				placed = true
			}
			continue
		}
		keep = append(keep, r)
	}
	t.segs = keep
	t.mu.Unlock()
	s.dropAfterSave(run...)
	return true, s.saveManifest()
}

// afterMergeWrite, when set by a test, runs between a merge's write of its
// segment and its swap.
var afterMergeWrite func()

// mergeRun picks the first run of consecutive small segments worth
// merging, or nil, and the schema to write it with.
func (t *Table) mergeRun() ([]*segRef, vec.Schema) {
	limit := t.s.opt.MergeRows
	t.mu.RLock()
	segs := append([]*segRef(nil), t.segs...)
	schema := t.schema
	t.mu.RUnlock()
	var run []*segRef
	var runRows int64
	for _, r := range segs {
		if r.meta.Rows >= limit/2 || runRows+r.meta.Rows > limit {
			if len(run) >= mergeFanIn || len(run) >= 2 && runRows >= limit/2 {
				break
			}
			run, runRows = nil, 0
			if r.meta.Rows >= limit/2 {
				continue
			}
		}
		run = append(run, r)
		runRows += r.meta.Rows
	}
	if !(len(run) >= mergeFanIn || len(run) >= 2 && runRows >= limit/2) {
		return nil, nil
	}
	return run, schema
}

// readAll decodes every block of seg laid out for schema.
func readAll(seg *segment.Segment, id uint64, schema vec.Schema) ([]*vec.Batch, error) {
	cols := make([]int, len(schema))
	for i := range cols {
		cols[i] = i
	}
	var out []*vec.Batch
	for b := 0; b < seg.NumBlocks(); b++ {
		batch, err := readBlock(seg, id, b, schema, cols, nil, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, batch)
	}
	return out, nil
}

// ApplyRetention drops the segments whose rows are all older than their
// table's retention.
func (s *Store) ApplyRetention() error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	if s.isClosed() {
		return ErrClosed
	}
	now := s.opt.Now()
	dropped := false
	for _, t := range s.allTables() {
		t.mu.Lock()
		if t.opt.Retention <= 0 || t.timeCol < 0 {
			t.mu.Unlock()
			continue
		}
		cutoff := types.TicksFromTime(now.Add(-t.opt.Retention))
		var keep, gone []*segRef
		for _, r := range t.segs {
			if info := r.seg.Info(); info.Rows > 0 && info.MaxTime < cutoff {
				gone = append(gone, r)
			} else {
				keep = append(keep, r)
			}
		}
		t.segs = keep
		t.mu.Unlock()
		s.dropAfterSave(gone...)
		dropped = dropped || len(gone) > 0
	}
	if !dropped {
		return nil
	}
	return s.saveManifest()
}

func (s *Store) kick() {
	if s.kickCh == nil {
		return
	}
	select {
	case s.kickCh <- struct{}{}:
	default:
	}
}

// background flushes full or old tails and applies retention until the
// store closes; it wakes the merger after each pass.
func (s *Store) background() {
	defer s.bg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	lastRetention := time.Time{}
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		case <-s.kickCh:
		}
		now := time.Now()
		err := s.flushTables(func(t *Table) bool {
			t.mu.RLock()
			defer t.mu.RUnlock()
			return t.tailRows >= s.opt.FlushRows || len(t.tail) > 0 && now.Sub(t.tail[0].added) >= s.opt.FlushInterval
		})
		if err == nil && now.Sub(lastRetention) >= time.Minute {
			err = s.ApplyRetention()
			lastRetention = now
		}
		if err != nil && err != ErrClosed {
			s.opt.Logf("store: %v", err)
		}
		select {
		case s.mergeCh <- struct{}{}:
		default:
		}
	}
}

// merger merges small segments whenever a flush pass has run, one run
// per table at a time, until nothing is left to merge or the store closes.
func (s *Store) merger() {
	defer s.bg.Done()
	for {
		select {
		case <-s.stop:
			return
		case <-s.mergeCh:
		}
		for {
			select {
			case <-s.stop:
				return
			default:
			}
			merged, err := s.mergeOnce()
			if err != nil && err != ErrClosed {
				s.opt.Logf("store: %v", err)
			}
			if err != nil || !merged {
				break
			}
		}
	}
}
