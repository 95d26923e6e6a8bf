package fileimport

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkReadTableCSV reads a Log Analytics SigninLogs export of 10,000
// rows (the fixture's row with distinct ids), both passes.
func BenchmarkReadTableCSV(b *testing.B) {
	data, err := os.ReadFile("testdata/SigninLogs.csv")
	if err != nil {
		b.Fatal(err)
	}
	header, row, _ := strings.Cut(string(data), "\n")
	var buf bytes.Buffer
	buf.WriteString(header + "\n")
	for i := range 10000 {
		buf.WriteString(strings.Replace(row, "7d3f5a2b-1c4e-4f6a-8b7c-9d0e1f2a3b4c", fmt.Sprintf("7d3f5a2b-1c4e-4f6a-8b7c-%012d", i), 1))
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for range b.N {
		n := 0
		if _, err := Read("SigninLogs.csv", buf.Bytes(), Options{}, func(Item) error { n++; return nil }); err != nil || n != 10000 {
			b.Fatal(err, n)
		}
	}
}
