package wal

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// TestConcurrentAppends appends from 8 goroutines with real fsync: every
// record is replayed exactly once, under the LSN its Append returned, and
// the LSNs are dense.
func TestConcurrentAppends(t *testing.T) {
	const writers, each = 8, 100
	dir := t.TempDir()
	l, err := Open(dir, Options{SegmentBytes: 4096, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	byLSN := map[uint64]uint32{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				id := uint32(w*each + i)
				lsn, err := l.Append(binary.LittleEndian.AppendUint32(nil, id))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				byLSN[lsn] = id
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	l.Close()

	l = openT(t, dir, Options{})
	defer l.Close()
	seen := map[uint32]bool{}
	next := uint64(1)
	err = l.Replay(0, func(lsn uint64, rec []byte) error {
		id := binary.LittleEndian.Uint32(rec)
		if lsn != next || seen[id] || byLSN[lsn] != id {
			t.Fatalf("LSN %d: record %d (want LSN %d, Append said record %d, seen before: %v)", lsn, id, next, byLSN[lsn], seen[id])
		}
		seen[id] = true
		next++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != writers*each {
		t.Fatalf("replayed %d records, want %d", len(seen), writers*each)
	}
}

func TestRollOver(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{SegmentBytes: 150})
	appendN(t, l, 30)
	l.Close()
	segs, _ := listSegments(dir)
	if len(segs) < 5 {
		t.Fatalf("%d files after 30 records of up to 55 bytes with 150-byte files", len(segs))
	}
	for _, s := range segs {
		st, _ := os.Stat(s.path)
		if st.Size() > 150+frameSize+40 {
			t.Errorf("%s is %d bytes", s.path, st.Size())
		}
	}
	l = openT(t, dir, Options{SegmentBytes: 150})
	defer l.Close()
	checkRange(t, replayAll(t, l, 0), 1, 30)
	checkRange(t, replayAll(t, l, 17), 18, 30)
}

func TestTruncate(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{SegmentBytes: 150})
	appendN(t, l, 30)
	segs, _ := listSegments(dir)
	upTo := segs[2].first - 1 // the last LSN of the second file
	for _, u := range []uint64{0, segs[1].first - 2, upTo} {
		if err := l.Truncate(u); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := listSegments(dir)
	if len(after) != len(segs)-2 || after[0] != segs[2] {
		t.Fatalf("after Truncate(%d): files %v, want %v", upTo, after, segs[2:])
	}
	checkRange(t, replayAll(t, l, 0), upTo+1, 30)
	l.Close()

	// Truncating everything keeps the sequence, across a reopen too.
	l = openT(t, dir, Options{SegmentBytes: 150})
	if err := l.Truncate(30); err != nil {
		t.Fatal(err)
	}
	after, _ = listSegments(dir)
	if len(after) != 1 || after[0].first != 31 {
		t.Fatalf("after truncating everything: files %v, want one starting at 31", after)
	}
	l.Close()
	l = openT(t, dir, Options{SegmentBytes: 150})
	defer l.Close()
	if l.LastLSN() != 30 {
		t.Fatalf("LastLSN = %d, want 30", l.LastLSN())
	}
	checkRange(t, replayAll(t, l, 0), 31, 30)
	appendN(t, l, 3)
	checkRange(t, replayAll(t, l, 0), 31, 33)
	if err := l.Truncate(30); err != nil { // nothing to remove
		t.Fatal(err)
	}
	checkRange(t, replayAll(t, l, 0), 31, 33)
}

// TestWriteFailurePoisons makes the file unwritable under the log: the
// failing Append and every later one report an error, and what was
// acknowledged before survives.
func TestWriteFailurePoisons(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{})
	appendN(t, l, 3)
	l.f.Close()
	if _, err := l.Append([]byte("x")); err == nil {
		t.Fatal("Append to a closed file succeeded")
	}
	if _, err := l.Append([]byte("y")); err == nil {
		t.Fatal("Append after a failed write succeeded")
	}
	if err := l.Truncate(10); err == nil {
		t.Fatal("Truncate after a failed write succeeded")
	}
	if l.LastLSN() != 3 {
		t.Fatalf("LastLSN = %d, want 3", l.LastLSN())
	}
	l = openT(t, dir, Options{})
	defer l.Close()
	checkRange(t, replayAll(t, l, 0), 1, 3)
	appendN(t, l, 1)
}

func TestEmptyNewFileAfterCrashedRoll(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{})
	appendN(t, l, 3)
	l.Close()
	// A roll that crashed after creating the file, before its header.
	if err := os.WriteFile(filepath.Join(dir, fileName(4)), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var lines logLines
	l = openT(t, dir, Options{Logf: lines.logf})
	defer l.Close()
	if lines.count() != 1 {
		t.Errorf("notices %q, want one", lines.lines)
	}
	checkRange(t, replayAll(t, l, 0), 1, 3)
	appendN(t, l, 2)
	checkRange(t, replayAll(t, l, 0), 1, 5)
}

// TestGroupCommit holds the first fsync until seven more Appends are
// queued: one more fsync then covers all seven.
func TestGroupCommit(t *testing.T) {
	l, err := Open(t.TempDir(), Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var syncs int
	release := make(chan struct{})
	l.syncFile = func(f *os.File) error {
		syncs++ // syncs are serialized by fileMu
		if syncs == 1 {
			<-release
		}
		return nil
	}
	var wg sync.WaitGroup
	wg.Go(func() { l.Append([]byte("first")) })
	for !queued(l, 1) {
		runtime.Gosched()
	}
	for range 7 {
		wg.Go(func() { l.Append([]byte("more")) })
	}
	for !queued(l, 8) {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if syncs != 2 || l.LastLSN() != 8 {
		t.Fatalf("%d fsyncs for 8 appends (LastLSN %d), want 2", syncs, l.LastLSN())
	}
}

// queued reports whether n Appends have been given an LSN.
func queued(l *Log, n uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next == n+1
}

func TestSkipTo(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{SegmentBytes: 100})
	appendN(t, l, 10)
	if err := l.SkipTo(4); err != nil { // not behind: nothing changes
		t.Fatal(err)
	}
	checkRange(t, replayAll(t, l, 0), 1, 10)
	if err := l.SkipTo(100); err != nil {
		t.Fatal(err)
	}
	if l.LastLSN() != 100 {
		t.Fatalf("LastLSN = %d, want 100", l.LastLSN())
	}
	segs, _ := listSegments(dir)
	if len(segs) != 1 || segs[0].first != 101 {
		t.Fatalf("files %v, want one starting at 101", segs)
	}
	l.Close()
	l = openT(t, dir, Options{})
	defer l.Close()
	if l.LastLSN() != 100 {
		t.Fatalf("LastLSN after reopen = %d, want 100", l.LastLSN())
	}
	if lsn, err := l.Append(payload(101)); err != nil || lsn != 101 {
		t.Fatalf("Append = %d, %v; want 101", lsn, err)
	}
	checkRange(t, replayAll(t, l, 0), 101, 101)
}

// TestBigAndSmallRecords appends records on both sides of bigRecord from
// several goroutines (the big ones are written from the callers' buffers,
// the small ones copied into the batch) across file roll-overs: every
// record replays whole, in LSN order, with its own bytes.
func TestBigAndSmallRecords(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, Options{SegmentBytes: 3 * bigRecord, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	body := func(id uint32) []byte {
		n := 8 + int(id%7)*100
		if id%3 == 0 {
			n = bigRecord + int(id)*1000
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(id) + byte(i)
		}
		binary.LittleEndian.PutUint32(b, id)
		return b
	}
	const writers, each = 4, 30
	var mu sync.Mutex
	byLSN := map[uint64]uint32{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				id := uint32(w*each + i)
				rec := body(id)
				lsn, err := l.Append(rec)
				if err != nil {
					t.Error(err)
					return
				}
				clear(rec) // the caller may reuse its buffer at once
				mu.Lock()
				byLSN[lsn] = id
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	l.Close()

	l = openT(t, dir, Options{})
	defer l.Close()
	next := uint64(1)
	err = l.Replay(0, func(lsn uint64, rec []byte) error {
		id := binary.LittleEndian.Uint32(rec)
		if lsn != next || byLSN[lsn] != id || string(rec) != string(body(id)) {
			t.Fatalf("LSN %d: record %d of %d bytes (want LSN %d, record %d)", lsn, id, len(rec), next, byLSN[lsn])
		}
		next++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := next - 1; got != writers*each {
		t.Fatalf("replayed %d records, want %d", got, writers*each)
	}
}
