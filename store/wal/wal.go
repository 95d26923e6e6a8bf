// Package wal is the workspace store's write-ahead log: records are appended
// with group commit and acknowledged only once they are on disk, replayed at
// start-up, and dropped file by file once the data they carry has been
// flushed to segments.
//
// # Files
//
// The log is a directory of files named by the LSN (log sequence number) of
// their first record, "%020d.wal". LSNs are dense: file k+1 starts right
// after the last record of file k. A file that holds no records yet still
// names the next LSN, so the sequence survives Truncate and restart. Other
// names in the directory are ignored.
//
// A file is a 16-byte header followed by records:
//
//	header  magic "IDLWAL\x00\x01" (8 bytes) | first LSN (uint64 LE)
//	record  length (uint32 LE, payload bytes) | CRC32-C (uint32 LE) over LSN and payload |
//	        LSN (uint64 LE) | payload
//
// # Recovery
//
// Open reads every file. A crash can leave the last file with a torn tail: a
// partial record, or a record whose checksum does not match. That tail is
// cut off (with one line through Options.Logf), because none of it was ever
// acknowledged. A bad record that is followed by a good one (the next LSN,
// right where the bad record's length says it ends), or any damage to an
// earlier file, is not a torn write but lost data, and Open fails.
//
// # Failure
//
// A failed write or fsync poisons the Log: the failed Append and every later
// one return the error, because after a failed fsync the kernel may have
// dropped dirty pages and nothing written since the last good fsync can be
// vouched for. The store must reopen the log (which recovers what reached
// the disk) to continue.
package wal

import (
	"errors"
	"log"
	"os"
	"sync"
)

// Options configures a Log.
type Options struct {
	// SegmentBytes is the size at which the log starts a new file; 64 MiB
	// when zero. A file can exceed it by at most one group-committed batch.
	SegmentBytes int64
	// NoSync skips fsync. For tests only: nothing is durable.
	NoSync bool
	// Logf receives notices about torn tails cut off by Open; log.Printf
	// when nil.
	Logf func(format string, args ...any)
}

// DefaultSegmentBytes is the file size used when Options.SegmentBytes is 0.
const DefaultSegmentBytes = 64 << 20

// MaxRecord is the largest payload Append accepts.
const MaxRecord = 1 << 30

// ErrClosed is returned by operations on a closed Log.
var ErrClosed = errors.New("wal: log is closed")

// Log is an open write-ahead log. Append, Truncate and LastLSN may be called
// concurrently; Replay must come before the first Append.
type Log struct {
	dir string
	opt Options

	// mu guards the group-commit state below; cond signals a finished
	// flush.
	mu       sync.Mutex
	cond     sync.Cond
	next     uint64   // LSN the next Append gets
	durable  uint64   // every LSN <= durable is on disk
	pending  []byte   // framed records with LSNs (durable, next) not yet written
	big      []bigRef // records of pending written from their callers' buffers
	spare    []byte   // the buffer of the previous flush, reused
	flushing bool     // an Append is writing and syncing a batch
	closed   bool
	err      error // sticky: the write or sync failure that poisoned the log

	// fileMu guards the files; it is taken before mu, never after.
	fileMu  sync.Mutex
	f       *os.File // the active (last) file, open for appending
	size    int64    // bytes in the active file
	written uint64   // LSN of the last record written to a file
	files   []segment

	// syncFile makes a file's data durable; tests replace it to observe
	// group commit.
	syncFile func(*os.File) error
}

// bigRecord is the size from which Append writes a record from the
// caller's buffer rather than copying it into the batch: the caller waits
// for the flush anyway, and copying a batch of tens of megabytes into fresh
// memory costs more than a second write call.
const bigRecord = 256 << 10

// bigRef is a record that goes into the file after pending[:at], whose
// last bytes are its frame header.
type bigRef struct {
	at  int
	rec []byte
}

// segment is one file of the log.
type segment struct {
	first uint64 // LSN of its first record
	path  string
}

// Open opens the log in dir, creating dir and an empty log if needed. It
// checks every record; see the package comment for how damage is handled.
func Open(dir string, opt Options) (*Log, error) {
	if opt.SegmentBytes <= 0 {
		opt.SegmentBytes = DefaultSegmentBytes
	}
	if opt.Logf == nil {
		opt.Logf = log.Printf
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	l := &Log{dir: dir, opt: opt, syncFile: datasync}
	l.cond.L = &l.mu
	if err := l.recover(); err != nil {
		return nil, err
	}
	return l, nil
}

// LastLSN returns the LSN of the last durable record: after Open, the last
// record on disk; 0 for a log that never held one.
func (l *Log) LastLSN() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.durable
}

// Close waits for Appends in flight and closes the log. Later calls return
// ErrClosed.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closed = true
	for l.flushing || len(l.pending) > 0 && l.err == nil {
		l.cond.Wait()
	}
	l.mu.Unlock()
	l.fileMu.Lock()
	defer l.fileMu.Unlock()
	return l.f.Close()
}
