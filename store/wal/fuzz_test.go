package wal

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReplay writes arbitrary bytes as the only log file: Open and Replay
// never panic, and a log that opens accepts appends that replay after it.
func FuzzReplay(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		dir := f.TempDir()
		l, err := Open(dir, Options{NoSync: true})
		if err != nil {
			f.Fatal(err)
		}
		appendN(f, l, n)
		l.Close()
		data, _ := os.ReadFile(filepath.Join(dir, fileName(1)))
		f.Add(data)
	}
	f.Add([]byte("IDLWAL\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, fileName(1)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := Open(dir, Options{NoSync: true, Logf: func(string, ...any) {}})
		if err != nil {
			return
		}
		defer l.Close()
		n := uint64(0)
		if err := l.Replay(0, func(lsn uint64, rec []byte) error { n++; return nil }); err != nil {
			t.Fatalf("Replay after a successful Open: %v", err)
		}
		if n != l.LastLSN() {
			t.Fatalf("replayed %d records, LastLSN %d", n, l.LastLSN())
		}
		lsn, err := l.Append([]byte("next"))
		if err != nil || lsn != n+1 {
			t.Fatalf("Append = %d, %v; want LSN %d", lsn, err, n+1)
		}
	})
}
