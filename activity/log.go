package activity

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/idlogs/idlogs/store/wal"
)

// Log is the activity log: the durable outbox between the tenant, which
// emits records, and the diagnostics router, which delivers them. It
// implements Sink.
//
// # Sequence numbers
//
// Every record gets a sequence number: dense, starting at 1, in the order
// Emit calls were committed and, within a call, in the call's order.
// Readers name their position by the last sequence number they consumed.
//
// # Files
//
// The log is a store/wal log. One Emit call (or several concurrent calls
// committed together) is one WAL record:
//
//	first sequence number (uint64 LE) | receive time (int64 LE, Unix ns) |
//	count (uint32 LE) | count × (length (uint32 LE) | record JSON)
//
// Emit has its own group commit on top of the WAL: one goroutine at a time
// writes everything pending as one WAL record, so WAL order is sequence
// order, and every Emit returns once its records are on disk (fsync).
//
// # Readers
//
// store/wal replays only before the first append, so readers do not replay
// through it while the log is open for writing; they read in two tiers:
//
//   - the window: the most recent entries (Options.WindowEntries), kept
//     decoded in memory as they are committed. A reader that keeps up (the
//     normal case) is served from here without touching the disk;
//   - older entries are read from the files with wal.Replay, starting at the
//     WAL record that holds the wanted sequence number (an in-memory index
//     maps WAL records to their first sequence number) and stopping as soon
//     as the batch is full or the window is reached. Replay only visits
//     records already durable, so it never meets the active file's unwritten
//     tail. Such a read decodes up to 8192 entries and keeps them, so the
//     next Reads of the reader (and of others reading the same stretch, as
//     the destinations of one setting do) come from memory.
//
// Truncate drops whole files below a sequence number every reader has
// passed; the last WAL record is always kept, so the numbering survives a
// restart of a fully consumed log.
type Log struct {
	wal *wal.Log
	opt LogOptions

	// mu guards everything below; cond signals a finished commit.
	mu       sync.Mutex
	cond     sync.Cond
	next     uint64 // sequence number of the next record
	durable  uint64 // every record <= durable is committed
	pending  []byte // encoded records not yet committed
	pendN    uint32
	flushing bool
	closed   bool
	err      error
	notify   chan struct{} // closed and replaced on every commit
	window   []Entry       // the last committed entries, contiguous, ending at durable
	catchUp  []Entry       // the entries last read from the files, contiguous
	index    []batchPos    // WAL records of the retained files, in order
	now      func() time.Time
	pendRecs []Record // decoded copies of pending, for the window
}

// Entry is one record of the log with its position.
type Entry struct {
	// Seq is the record's sequence number.
	Seq uint64
	// Received is when the log committed the record (the "receive time"
	// destinations file it under).
	Received time.Time
	Record   Record
}

// batchPos locates one WAL record: its LSN and first sequence number.
type batchPos struct {
	lsn, first uint64
}

// LogOptions configures a Log.
type LogOptions struct {
	// WindowEntries is how many recent entries stay in memory for readers;
	// 65536 when zero.
	WindowEntries int
	// SegmentBytes is the size of the log's files; 8 MiB when zero.
	SegmentBytes int64
	// NoSync skips fsync: nothing is durable. For tests and benchmarks.
	NoSync bool
	// Logf receives notices about torn tails cut at open; log.Printf when
	// nil.
	Logf func(format string, args ...any)
	// Now is the clock of receive times; time.Now when nil.
	Now func() time.Time
}

// ErrLogClosed is returned by operations on a closed Log.
var ErrLogClosed = errors.New("activity: log is closed")

// ErrTruncated is returned by Read for a position whose entries were
// dropped by Truncate.
var ErrTruncated = errors.New("activity: entries were truncated")

const batchHeader = 8 + 8 + 4

// OpenLog opens or creates the activity log in dir, cutting a torn tail
// left by a crash.
func OpenLog(dir string, opt LogOptions) (*Log, error) {
	if opt.WindowEntries <= 0 {
		opt.WindowEntries = 1 << 16
	}
	if opt.SegmentBytes <= 0 {
		opt.SegmentBytes = 8 << 20
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	w, err := wal.Open(dir, wal.Options{SegmentBytes: opt.SegmentBytes, NoSync: opt.NoSync, Logf: opt.Logf})
	if err != nil {
		return nil, fmt.Errorf("activity: open log: %w", err)
	}
	l := &Log{wal: w, opt: opt, now: opt.Now, notify: make(chan struct{})}
	l.cond.L = &l.mu
	last := uint64(0)
	err = w.Replay(0, func(lsn uint64, rec []byte) error {
		first, _, n, err := decodeHeader(rec)
		if err != nil {
			return fmt.Errorf("WAL record %d: %w", lsn, err)
		}
		if last != 0 && first != last+1 {
			return fmt.Errorf("WAL record %d starts at sequence %d, want %d", lsn, first, last+1)
		}
		l.index = append(l.index, batchPos{lsn: lsn, first: first})
		last = first + uint64(n) - 1
		return nil
	})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("activity: open log in %s: %w", dir, err)
	}
	l.durable, l.next = last, last+1
	return l, nil
}

func decodeHeader(rec []byte) (first uint64, received time.Time, n uint32, err error) {
	if len(rec) < batchHeader {
		return 0, time.Time{}, 0, errors.New("short batch header")
	}
	first = binary.LittleEndian.Uint64(rec)
	received = time.Unix(0, int64(binary.LittleEndian.Uint64(rec[8:]))).UTC()
	n = binary.LittleEndian.Uint32(rec[16:])
	if first == 0 || n == 0 {
		return 0, time.Time{}, 0, errors.New("empty batch")
	}
	return first, received, n, nil
}

// decodeBatch calls fn for each record of one WAL record with a sequence
// number after after.
func decodeBatch(rec []byte, after uint64, fn func(e Entry) bool) error {
	first, received, n, err := decodeHeader(rec)
	if err != nil {
		return err
	}
	p := rec[batchHeader:]
	for i := range n {
		if len(p) < 4 {
			return errors.New("truncated batch")
		}
		sz := binary.LittleEndian.Uint32(p)
		if uint64(len(p)-4) < uint64(sz) {
			return errors.New("truncated batch")
		}
		e := Entry{Seq: first + uint64(i), Received: received}
		if e.Seq <= after {
			p = p[4+sz:]
			continue
		}
		if err := decodeRecord(p[4:4+sz], &e.Record); err != nil {
			return fmt.Errorf("record %d: %w", e.Seq, err)
		}
		p = p[4+sz:]
		if !fn(e) {
			return nil
		}
	}
	return nil
}

// Emit appends recs and returns once they are durable. It implements Sink.
func (l *Log) Emit(ctx context.Context, recs ...Record) error {
	if len(recs) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// enc starts with room for the WAL record's header (filled in by
	// commit), so that it can become the pending record without a copy.
	size := batchHeader
	for i := range recs {
		size += 4 + recs[i].jsonSize()
	}
	enc := make([]byte, batchHeader, size)
	for i := range recs {
		at := len(enc)
		enc = append(enc, 0, 0, 0, 0)
		var err error
		if enc, err = recs[i].AppendJSON(enc); err != nil {
			return fmt.Errorf("activity: encode record %d: %w", i, err)
		}
		binary.LittleEndian.PutUint32(enc[at:], uint32(len(enc)-at-4))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrLogClosed
	}
	if l.err != nil {
		return l.err
	}
	if len(l.pending)+len(enc) > wal.MaxRecord {
		return fmt.Errorf("activity: %d bytes of records exceed the log's limit", len(enc)-batchHeader)
	}
	if len(l.pending) == 0 {
		l.pending = enc
	} else {
		l.pending = append(l.pending, enc[batchHeader:]...)
	}
	l.pendRecs = append(l.pendRecs, recs...)
	l.pendN += uint32(len(recs))
	last := l.next + uint64(len(recs)) - 1
	l.next = last + 1
	for {
		switch {
		case l.durable >= last:
			return nil
		case l.err != nil:
			return l.err
		case !l.flushing:
			l.commit()
		default:
			l.cond.Wait()
		}
	}
}

// commit writes everything pending as one WAL record. Called with mu held;
// releases it while writing.
func (l *Log) commit() {
	l.flushing = true
	first := l.durable + 1
	n, rec, recs := l.pendN, l.pending, l.pendRecs
	l.pending, l.pendRecs, l.pendN = nil, nil, 0
	received := l.now().UTC()
	l.mu.Unlock()

	binary.LittleEndian.PutUint64(rec, first)
	binary.LittleEndian.PutUint64(rec[8:], uint64(received.UnixNano()))
	binary.LittleEndian.PutUint32(rec[16:], n)
	lsn, err := l.wal.Append(rec)

	l.mu.Lock()
	l.flushing = false
	if err != nil {
		l.err = fmt.Errorf("activity: log is unusable after a failed write: %w", err)
		l.cond.Broadcast()
		return
	}
	l.index = append(l.index, batchPos{lsn: lsn, first: first})
	for i := range recs {
		l.window = append(l.window, Entry{Seq: first + uint64(i), Received: received, Record: recs[i]})
	}
	if over := len(l.window) - l.opt.WindowEntries; over > 0 {
		// Reslicing leaves the dropped entries' space behind; append
		// copies only the live ones when it next grows the array.
		clear(l.window[:over])
		l.window = l.window[over:]
	}
	l.durable = first + uint64(n) - 1
	close(l.notify)
	l.notify = make(chan struct{})
	l.cond.Broadcast()
}

// Last returns the sequence number of the last committed record (0 for a
// log that never held one).
func (l *Log) Last() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.durable
}

// First returns the sequence number of the oldest record still in the
// files, or Last()+1 when there is none.
func (l *Log) First() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.index) == 0 {
		return l.durable + 1
	}
	return l.index[0].first
}

// Read returns up to max entries with sequence numbers after after, in
// order; none when after is the last. The entries' records are shared with
// other readers and must not be modified. Read is safe for concurrent use
// with Emit and other Reads.
func (l *Log) Read(after uint64, max int) ([]Entry, error) {
	if max <= 0 {
		max = 1000
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, ErrLogClosed
	}
	durable := l.durable
	if after >= durable {
		l.mu.Unlock()
		return nil, nil
	}
	if len(l.window) > 0 && after+1 >= l.window[0].Seq {
		i := int(after + 1 - l.window[0].Seq)
		j := min(i+max, len(l.window))
		out := append([]Entry(nil), l.window[i:j]...)
		l.mu.Unlock()
		return out, nil
	}
	if c := l.catchUp; len(c) > 0 && after+1 >= c[0].Seq && after+1 <= c[len(c)-1].Seq {
		i := int(after + 1 - c[0].Seq)
		out := slices.Clip(c[i:min(i+max, len(c))])
		l.mu.Unlock()
		return out, nil
	}
	k := sort.Search(len(l.index), func(i int) bool { return l.index[i].first > after+1 }) - 1
	if k < 0 {
		l.mu.Unlock()
		return nil, fmt.Errorf("%w: position %d is before the oldest retained record", ErrTruncated, after)
	}
	lsn := l.index[k].lsn
	stopAt := durable
	if len(l.window) > 0 {
		stopAt = l.window[0].Seq - 1
	}
	l.mu.Unlock()
	// Read ahead: the next Read of this reader, and the other pairs
	// reading the same stretch, are served from memory.
	ahead := uint64(catchUpEntries)
	if uint64(max) > ahead {
		ahead = uint64(max)
	}
	out, err := l.readFiles(lsn, after, min(ahead, stopAt-after))
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.catchUp = out
	l.mu.Unlock()
	return slices.Clip(out[:min(max, len(out))]), nil
}

// catchUpEntries is how many entries a Read from the files decodes.
const catchUpEntries = 8192

var errEnough = errors.New("enough")

// readFiles reads n entries after after from the files, starting at the
// WAL record lsn.
func (l *Log) readFiles(lsn, after, n uint64) ([]Entry, error) {
	out := make([]Entry, 0, n)
	err := l.wal.Replay(lsn-1, func(_ uint64, rec []byte) error {
		var derr error
		derr = decodeBatch(rec, after, func(e Entry) bool {
			out = append(out, e)
			return uint64(len(out)) < n
		})
		if derr != nil {
			return derr
		}
		if uint64(len(out)) >= n {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, fmt.Errorf("activity: read log after %d: %w", after, err)
	}
	return out, nil
}

// Wait blocks until the log holds an entry after after, ctx ends (its
// error is returned) or the log is closed.
func (l *Log) Wait(ctx context.Context, after uint64) error {
	for {
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			return ErrLogClosed
		}
		if l.durable > after {
			l.mu.Unlock()
			return nil
		}
		ch := l.notify
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Truncate lets the log drop files whose records all have sequence numbers
// <= upTo; the caller promises no reader will ask for them again. The last
// WAL record is always kept.
func (l *Log) Truncate(upTo uint64) error {
	l.mu.Lock()
	// The WAL record k can go when the next one starts at or before
	// upTo+1; the last one always stays.
	k := sort.Search(len(l.index), func(i int) bool { return l.index[i].first > upTo+1 }) - 2
	if k < 0 {
		l.mu.Unlock()
		return nil
	}
	lsn := l.index[k].lsn
	l.mu.Unlock()
	// WAL record k ends before index[k+1].first-1 <= upTo, so every WAL
	// record < index[k+1].lsn may go.
	if err := l.wal.Truncate(lsn); err != nil {
		return fmt.Errorf("activity: truncate log: %w", err)
	}
	l.mu.Lock()
	l.index = l.index[k+1:]
	l.mu.Unlock()
	return nil
}

// Close waits for commits in flight and closes the log; waiting readers
// return ErrLogClosed.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrLogClosed
	}
	l.closed = true
	for l.flushing || len(l.pending) > 0 && l.err == nil {
		l.cond.Wait()
	}
	close(l.notify)
	l.notify = make(chan struct{})
	l.mu.Unlock()
	return l.wal.Close()
}
