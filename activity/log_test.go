package activity

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

func rec(id string) Record {
	return Record{
		Time:       time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC),
		ResourceID: ResourceIDOf("t1"),
		Category:   SignInLogs,
		TenantID:   "t1",
		Properties: json.RawMessage(`{"id":"` + id + `"}`),
	}
}

func openLogT(t *testing.T, dir string, opt LogOptions) *Log {
	t.Helper()
	if opt.Logf == nil {
		opt.Logf = t.Logf
	}
	l, err := OpenLog(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func emitN(t *testing.T, l *Log, from, n int) {
	t.Helper()
	for i := range n {
		if err := l.Emit(context.Background(), rec(fmt.Sprint(from+i))); err != nil {
			t.Fatal(err)
		}
	}
}

// readAll reads every entry after after in batches of max.
func readAll(t *testing.T, l *Log, after uint64, max int) []Entry {
	t.Helper()
	var out []Entry
	for {
		es, err := l.Read(after, max)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			return out
		}
		if len(es) > max {
			t.Fatalf("Read(%d, %d) returned %d entries", after, max, len(es))
		}
		out = append(out, es...)
		after = es[len(es)-1].Seq
	}
}

// checkSeq checks that es are the records id from..to with sequence
// numbers equal to their ids.
func checkSeq(t *testing.T, es []Entry, from, to int) {
	t.Helper()
	if len(es) != to-from+1 {
		t.Fatalf("%d entries, want %d..%d", len(es), from, to)
	}
	for i, e := range es {
		want := from + i
		if e.Seq != uint64(want) || e.Record.ID() != fmt.Sprint(want) {
			t.Fatalf("entry %d: seq %d id %q, want %d", i, e.Seq, e.Record.ID(), want)
		}
	}
}

func TestLogReadFromWindowAndFiles(t *testing.T) {
	dir := t.TempDir()
	l := openLogT(t, dir, LogOptions{WindowEntries: 8, SegmentBytes: 400})
	emitN(t, l, 1, 50)
	if l.Last() != 50 {
		t.Fatalf("Last = %d", l.Last())
	}
	for _, max := range []int{1, 3, 100} {
		checkSeq(t, readAll(t, l, 0, max), 1, 50)
		checkSeq(t, readAll(t, l, 17, max), 18, 50)
	}
	l.Close()
	l = openLogT(t, dir, LogOptions{WindowEntries: 8, SegmentBytes: 400})
	checkSeq(t, readAll(t, l, 0, 7), 1, 50)
	emitN(t, l, 51, 5)
	checkSeq(t, readAll(t, l, 40, 4), 41, 55)
	l.Close()
	// A first read from the middle of the files.
	l = openLogT(t, dir, LogOptions{WindowEntries: 8, SegmentBytes: 400})
	defer l.Close()
	emitN(t, l, 56, 1)
	checkSeq(t, readAll(t, l, 33, 5), 34, 56)
}

func TestLogEmitManyInOneCall(t *testing.T) {
	l := openLogT(t, t.TempDir(), LogOptions{WindowEntries: 4})
	defer l.Close()
	recs := []Record{rec("1"), rec("2"), rec("3")}
	if err := l.Emit(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
	emitN(t, l, 4, 1)
	checkSeq(t, readAll(t, l, 0, 2), 1, 4)
}

func TestLogTornTail(t *testing.T) {
	dir := t.TempDir()
	l := openLogT(t, dir, LogOptions{})
	emitN(t, l, 1, 10)
	l.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.wal"))
	sort.Strings(files)
	last := files[len(files)-1]
	st, _ := os.Stat(last)
	// A partial record at the end, as a crash mid-write leaves it.
	f, err := os.OpenFile(last, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{200, 0, 0, 0, 1, 2, 3})
	f.Close()
	l = openLogT(t, dir, LogOptions{})
	checkSeq(t, readAll(t, l, 0, 100), 1, 10)
	emitN(t, l, 11, 2)
	l.Close()
	// And a cut through the last record.
	st2, _ := os.Stat(last)
	if err := os.Truncate(last, st2.Size()-3); err != nil {
		t.Fatal(err)
	}
	_ = st
	l = openLogT(t, dir, LogOptions{})
	defer l.Close()
	checkSeq(t, readAll(t, l, 0, 100), 1, 11)
	emitN(t, l, 12, 1)
	checkSeq(t, readAll(t, l, 0, 100), 1, 12)
}

func TestLogConcurrentEmitAndRead(t *testing.T) {
	l := openLogT(t, t.TempDir(), LogOptions{WindowEntries: 64, SegmentBytes: 2048})
	defer l.Close()
	const writers, each = 8, 200
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := l.Emit(context.Background(), rec(fmt.Sprintf("%d-%d", w, i))); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	readers := make([]map[string]bool, 3)
	for r := range readers {
		seen := map[string]bool{}
		readers[r] = seen
		wg.Go(func() {
			after := uint64(0)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			for after < writers*each {
				if err := l.Wait(ctx, after); err != nil {
					t.Error(err)
					return
				}
				es, err := l.Read(after, 1+r*37)
				if err != nil {
					t.Error(err)
					return
				}
				for _, e := range es {
					if e.Seq != after+1 || seen[e.Record.ID()] {
						t.Errorf("reader %d: seq %d (%s) after %d", r, e.Seq, e.Record.ID(), after)
						return
					}
					seen[e.Record.ID()] = true
					after = e.Seq
				}
			}
		})
	}
	wg.Wait()
	for r, seen := range readers {
		if len(seen) != writers*each {
			t.Errorf("reader %d saw %d records", r, len(seen))
		}
	}
}

func TestLogTruncate(t *testing.T) {
	dir := t.TempDir()
	l := openLogT(t, dir, LogOptions{WindowEntries: 4, SegmentBytes: 300})
	emitN(t, l, 1, 40)
	before, _ := filepath.Glob(filepath.Join(dir, "*.wal"))
	if err := l.Truncate(25); err != nil {
		t.Fatal(err)
	}
	after, _ := filepath.Glob(filepath.Join(dir, "*.wal"))
	if len(after) >= len(before) {
		t.Fatalf("Truncate(25) left %d of %d files", len(after), len(before))
	}
	first := l.First()
	if first > 26 || first < 2 {
		t.Fatalf("First = %d after Truncate(25)", first)
	}
	checkSeq(t, readAll(t, l, 25, 3), 26, 40)
	if _, err := l.Read(0, 10); err == nil && first > 1 {
		t.Fatal("Read before the truncated position succeeded")
	}
	// Truncating everything keeps the numbering across a restart.
	if err := l.Truncate(40); err != nil {
		t.Fatal(err)
	}
	l.Close()
	l = openLogT(t, dir, LogOptions{WindowEntries: 4, SegmentBytes: 300})
	defer l.Close()
	if l.Last() != 40 {
		t.Fatalf("Last = %d after reopening a truncated log, want 40", l.Last())
	}
	emitN(t, l, 41, 3)
	checkSeq(t, readAll(t, l, 40, 2), 41, 43)
}

func TestLogWaitEndsWithContext(t *testing.T) {
	l := openLogT(t, t.TempDir(), LogOptions{})
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx, 0); err != context.Canceled {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	emitN(t, l, 1, 1)
	if err := l.Wait(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
}
