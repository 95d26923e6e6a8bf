package wal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// logLines collects the lines a Log writes through Options.Logf.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (c *logLines) logf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, fmt.Sprintf(format, args...))
}

func (c *logLines) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.lines)
}

func openT(t testing.TB, dir string, opt Options) *Log {
	t.Helper()
	opt.NoSync = true
	if opt.Logf == nil {
		opt.Logf = t.Logf
	}
	l, err := Open(dir, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return l
}

// payload is the test record for lsn: distinct, of varying length
// (including empty).
func payload(lsn uint64) []byte {
	return bytes.Repeat([]byte{byte(lsn)}, int(lsn*7%40))
}

func appendN(t testing.TB, l *Log, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		want := l.LastLSN() + 1
		lsn, err := l.Append(payload(want))
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		if lsn != want {
			t.Fatalf("Append gave LSN %d, want %d", lsn, want)
		}
	}
}

// replayAll returns the LSNs replayed after after, checking each payload.
func replayAll(t testing.TB, l *Log, after uint64) []uint64 {
	t.Helper()
	var got []uint64
	err := l.Replay(after, func(lsn uint64, rec []byte) error {
		if !bytes.Equal(rec, payload(lsn)) {
			t.Errorf("LSN %d: payload %x, want %x", lsn, rec, payload(lsn))
		}
		got = append(got, lsn)
		return nil
	})
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	return got
}

// checkRange fails unless got is lo, lo+1, ..., hi.
func checkRange(t testing.TB, got []uint64, lo, hi uint64) {
	t.Helper()
	if hi < lo && len(got) == 0 {
		return
	}
	ok := uint64(len(got)) == hi-lo+1
	for i := 0; ok && i < len(got); i++ {
		ok = got[i] == lo+uint64(i)
	}
	if !ok {
		t.Fatalf("replayed LSNs %v, want %d..%d", got, lo, hi)
	}
}

func TestReopenReplay(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{})
	checkRange(t, replayAll(t, l, 0), 1, 0)
	appendN(t, l, 50)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = openT(t, dir, Options{})
	if l.LastLSN() != 50 {
		t.Fatalf("LastLSN after reopen = %d, want 50", l.LastLSN())
	}
	checkRange(t, replayAll(t, l, 0), 1, 50)
	checkRange(t, replayAll(t, l, 20), 21, 50)
	checkRange(t, replayAll(t, l, 50), 51, 50)
	appendN(t, l, 5)
	l.Close()
	l = openT(t, dir, Options{})
	defer l.Close()
	checkRange(t, replayAll(t, l, 0), 1, 55)
}

func TestReplayStopsAtError(t *testing.T) {
	l := openT(t, t.TempDir(), Options{})
	defer l.Close()
	appendN(t, l, 10)
	stop := fmt.Errorf("stop")
	n := 0
	err := l.Replay(0, func(lsn uint64, rec []byte) error {
		n++
		if lsn == 4 {
			return stop
		}
		return nil
	})
	if err != stop || n != 4 {
		t.Fatalf("Replay returned %v after %d records, want stop after 4", err, n)
	}
}

func TestClosed(t *testing.T) {
	l := openT(t, t.TempDir(), Options{})
	l.Close()
	if _, err := l.Append(nil); err != ErrClosed {
		t.Errorf("Append after Close: %v, want ErrClosed", err)
	}
	if err := l.Truncate(1); err != ErrClosed {
		t.Errorf("Truncate after Close: %v, want ErrClosed", err)
	}
	if err := l.Close(); err != ErrClosed {
		t.Errorf("second Close: %v, want ErrClosed", err)
	}
}

func TestOtherFilesIgnored(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"notes.txt", "1.wal", "00000000000000000000.wal", "0000000000000000000x.wal"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := openT(t, dir, Options{})
	defer l.Close()
	appendN(t, l, 3)
	checkRange(t, replayAll(t, l, 0), 1, 3)
}

func TestMissingFileIsError(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{SegmentBytes: 100})
	appendN(t, l, 20)
	l.Close()
	segs, _ := listSegments(dir)
	if len(segs) < 3 {
		t.Fatalf("%d files, want at least 3", len(segs))
	}
	os.Remove(segs[1].path)
	if _, err := Open(dir, Options{NoSync: true}); err == nil || !strings.Contains(err.Error(), "previous file ends") {
		t.Fatalf("Open with a missing file: %v, want an error about the gap", err)
	}
}
