package wal

import (
	"errors"
	"fmt"
	"os"
	"slices"
)

// Append writes rec as the next record and returns its LSN once the record
// is durable. The caller may reuse rec once Append returns.
//
// Concurrent Appends are group-committed. The first caller to find no flush
// running becomes the flusher: it takes every record queued so far, writes
// them with one write and one fsync, then wakes the others. Records queued
// meanwhile form the next batch, written by one of their own callers, so no
// caller flushes more than once on behalf of others.
func (l *Log) Append(rec []byte) (uint64, error) {
	if len(rec) > MaxRecord {
		return 0, fmt.Errorf("wal: record of %d bytes exceeds the limit of %d", len(rec), MaxRecord)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, ErrClosed
	}
	if l.err != nil {
		return 0, l.err
	}
	lsn := l.next
	l.next++
	if len(rec) >= bigRecord {
		l.pending = appendFrameHeader(l.pending, lsn, rec)
		l.big = append(l.big, bigRef{at: len(l.pending), rec: rec})
	} else {
		l.pending = appendFrame(l.pending, lsn, rec)
	}
	for {
		switch {
		case l.durable >= lsn:
			return lsn, nil
		case l.err != nil:
			return 0, l.err
		case !l.flushing:
			l.flush()
		default:
			l.cond.Wait()
		}
	}
}

// maxSpare is the largest batch buffer kept for reuse; a burst of big
// records should not pin its memory for good.
const maxSpare = 8 << 20

// flush writes and syncs the queued records. It is called with mu held and
// releases it while doing I/O.
func (l *Log) flush() {
	l.flushing = true
	batch, big, last := l.pending, l.big, l.next-1
	l.pending, l.big = l.spare[:0], nil
	l.mu.Unlock()

	err := l.writeBatch(batch, big, last)

	l.mu.Lock()
	if cap(batch) <= maxSpare {
		l.spare = batch[:0]
	}
	l.flushing = false
	if err != nil {
		l.err = fmt.Errorf("wal: log is unusable after a failed write: %w", err)
	} else {
		l.durable = last
	}
	l.cond.Broadcast()
}

// writeBatch appends the framed records batch (with the big records at
// their places), whose last LSN is last, to the active file (starting a new
// file first if this one is full) and syncs it.
func (l *Log) writeBatch(batch []byte, big []bigRef, last uint64) error {
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	total := int64(len(batch))
	for _, b := range big {
		total += int64(len(b.rec))
	}
	if l.size > headerSize && l.size+total > l.opt.SegmentBytes {
		if err := l.roll(); err != nil {
			return err
		}
	}
	prev := 0
	for _, b := range big {
		if err := l.write(batch[prev:b.at]); err != nil {
			return err
		}
		if err := l.write(b.rec); err != nil {
			return err
		}
		prev = b.at
	}
	if err := l.write(batch[prev:]); err != nil {
		return err
	}
	if err := l.sync(l.f); err != nil {
		return err
	}
	l.written = last
	return nil
}

// write appends p to the active file. It is called with fileMu held.
func (l *Log) write(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return err
}

// roll starts a new active file for the records after l.written. It is
// called with fileMu held; the old file is already synced.
func (l *Log) roll() error {
	f, path, err := l.createFile(l.written + 1)
	if err != nil {
		return err
	}
	old := l.f
	l.f, l.size = f, headerSize
	l.files = append(l.files, segment{first: l.written + 1, path: path})
	return old.Close()
}

// Truncate removes the files whose records all have LSN <= upTo. When that
// includes the active file, a new empty one takes its place, so the LSN
// sequence continues.
func (l *Log) Truncate(upTo uint64) error {
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	active := l.files[len(l.files)-1]
	if l.written >= active.first && upTo >= l.written {
		if err := l.roll(); err != nil {
			l.poison(err)
			return err
		}
	}
	n := 0
	for n < len(l.files)-1 && l.files[n+1].first-1 <= upTo {
		if err := os.Remove(l.files[n].path); err != nil {
			l.files = l.files[n:]
			return err
		}
		n++
	}
	l.files = l.files[n:]
	if n == 0 {
		return nil
	}
	return l.syncDir()
}

// SkipTo makes the log continue after LSN last when it is behind it: the
// store calls it at start-up with the LSN its segments hold data up to, so
// that a log directory lost or restored from an older copy can never hand out
// an LSN the segments already cover. The log's records, all older, are
// removed. It must be called before the first Append.
func (l *Log) SkipTo(last uint64) error {
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	if err := l.usable(); err != nil {
		return err
	}
	l.mu.Lock()
	behind, idle := l.durable < last, l.next == l.durable+1
	l.mu.Unlock()
	if !behind {
		return nil
	}
	if !idle {
		return errors.New("wal: SkipTo called while appends are in flight")
	}
	l.written = last
	if err := l.roll(); err != nil {
		l.poison(err)
		return err
	}
	l.mu.Lock()
	l.durable, l.next = last, last+1
	l.mu.Unlock()
	for _, s := range l.files[:len(l.files)-1] {
		if err := os.Remove(s.path); err != nil {
			return err
		}
	}
	l.files = l.files[len(l.files)-1:]
	return l.syncDir()
}

func (l *Log) usable() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	return l.err
}

func (l *Log) poison(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = fmt.Errorf("wal: log is unusable after a failed write: %w", err)
	}
	l.cond.Broadcast()
}

// Replay calls fn for every record with LSN > after, in LSN order, and stops
// at the first error fn returns. rec is valid only during the call. Replay
// must be called before the first Append.
func (l *Log) Replay(after uint64, fn func(lsn uint64, rec []byte) error) error {
	l.fileMu.Lock()
	files := slices.Clone(l.files)
	l.fileMu.Unlock()
	for i, s := range files {
		if i+1 < len(files) && files[i+1].first-1 <= after {
			continue
		}
		data, err := os.ReadFile(s.path)
		if err != nil {
			return err
		}
		if err := checkHeader(data, s.first); err != nil {
			return fmt.Errorf("wal: %s: %v", s.path, err)
		}
		r, err := scan(data[headerSize:], s.first, func(lsn uint64, rec []byte) error {
			if lsn <= after {
				return nil
			}
			return fn(lsn, rec)
		})
		if err != nil {
			return err
		}
		if r.bad != nil {
			return fmt.Errorf("wal: %s: corrupt record at offset %d (LSN %d): %v", s.path, headerSize+r.end, r.last+1, r.bad)
		}
	}
	return nil
}
