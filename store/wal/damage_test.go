package wal

import (
	"os"
	"path/filepath"
	"testing"
)

// oneFileLog writes a log of n records in a single file and returns the
// file's bytes and the end offset of each record.
func oneFileLog(t *testing.T, n int) (data []byte, ends []int) {
	t.Helper()
	dir := t.TempDir()
	l := openT(t, dir, Options{})
	appendN(t, l, n)
	l.Close()
	data, err := os.ReadFile(filepath.Join(dir, fileName(1)))
	if err != nil {
		t.Fatal(err)
	}
	off := headerSize
	for lsn := uint64(1); lsn <= uint64(n); lsn++ {
		off += frameSize + len(payload(lsn))
		ends = append(ends, off)
	}
	if off != len(data) {
		t.Fatalf("file is %d bytes, want %d", len(data), off)
	}
	return data, ends
}

// reopenWith writes data as the only log file, opens the log and checks
// that it holds records 1..want and wrote wantLines notices; then that
// appending continues at want+1 and survives another reopen.
func reopenWith(t *testing.T, data []byte, want uint64, wantLines int) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fileName(1)), data, 0o644); err != nil {
		t.Fatal(err)
	}
	var lines logLines
	l := openT(t, dir, Options{Logf: lines.logf})
	if lines.count() != wantLines {
		t.Errorf("%d notices %q, want %d", lines.count(), lines.lines, wantLines)
	}
	if l.LastLSN() != want {
		t.Fatalf("LastLSN = %d, want %d", l.LastLSN(), want)
	}
	checkRange(t, replayAll(t, l, 0), 1, want)
	appendN(t, l, 1)
	l.Close()
	l = openT(t, dir, Options{Logf: lines.logf})
	defer l.Close()
	if lines.count() != wantLines {
		t.Errorf("notices on a clean reopen: %q", lines.lines[wantLines:])
	}
	checkRange(t, replayAll(t, l, 0), 1, want+1)
}

// TestTornTail cuts the file at every length: the log keeps exactly the
// complete records and says so when it cut something off.
func TestTornTail(t *testing.T) {
	data, ends := oneFileLog(t, 4)
	for size := 0; size <= len(data); size++ {
		want, lines := uint64(0), 1
		if size == headerSize {
			lines = 0
		}
		for i, end := range ends {
			if end <= size {
				want = uint64(i + 1)
			}
			if end == size {
				lines = 0
			}
		}
		reopenWith(t, data[:size:size], want, lines)
		if t.Failed() {
			t.Fatalf("file cut to %d bytes", size)
		}
	}
}

// TestFlippedLastRecord damages each byte of the last record: the record is
// dropped with a notice.
func TestFlippedLastRecord(t *testing.T) {
	data, ends := oneFileLog(t, 5)
	for off := ends[3]; off < ends[4]; off++ {
		bad := append([]byte(nil), data...)
		bad[off] ^= 0x10
		reopenWith(t, bad, 4, 1)
		if t.Failed() {
			t.Fatalf("byte %d flipped", off)
		}
	}
}

// TestFlippedMiddleRecord damages the checksum, LSN and payload of a record
// that is followed by a good one: that is lost data, not a torn tail.
func TestFlippedMiddleRecord(t *testing.T) {
	data, ends := oneFileLog(t, 5)
	for off := ends[1] + 4; off < ends[2]; off++ {
		bad := append([]byte(nil), data...)
		bad[off] ^= 0x10
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, fileName(1)), bad, 0o644)
		if _, err := Open(dir, Options{NoSync: true, Logf: t.Logf}); err == nil {
			t.Fatalf("byte %d flipped: Open succeeded", off)
		}
	}
}

// TestFlippedEarlierFile damages each byte of a file that is not the last:
// Open fails.
func TestFlippedEarlierFile(t *testing.T) {
	dir := t.TempDir()
	l := openT(t, dir, Options{SegmentBytes: 200})
	appendN(t, l, 20)
	l.Close()
	segs, _ := listSegments(dir)
	if len(segs) < 2 {
		t.Fatalf("%d files, want at least 2", len(segs))
	}
	data, _ := os.ReadFile(segs[0].path)
	for off := range data {
		bad := append([]byte(nil), data...)
		bad[off] ^= 0x01
		os.WriteFile(segs[0].path, bad, 0o644)
		if _, err := Open(dir, Options{NoSync: true, Logf: t.Logf}); err == nil {
			t.Fatalf("byte %d of %s flipped: Open succeeded", off, segs[0].path)
		}
	}
	os.WriteFile(segs[0].path, data, 0o644)
	l = openT(t, dir, Options{})
	defer l.Close()
	checkRange(t, replayAll(t, l, 0), 1, 20)
}

// TestZeroedTail covers a crash after the file grew but before its new
// blocks were written: they read back as zeros.
func TestZeroedTail(t *testing.T) {
	data, _ := oneFileLog(t, 3)
	reopenWith(t, append(data, make([]byte, 4096)...), 3, 1)
}
