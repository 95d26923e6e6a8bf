package segment

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/idlogs/idlogs/kql/types"

	"github.com/idlogs/idlogs/kql/vec"
)

const benchRows = 200_000

func BenchmarkWrite(b *testing.B) {
	batch := newSigninGen(1).batch(benchRows)
	path := filepath.Join(b.TempDir(), "seg")
	var info *Info
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if info, err = Write(path, signinSchema, []*vec.Batch{batch}, WriteOptions{TimeColumn: 0}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(info.Bytes)
	b.ReportMetric(float64(info.Bytes)/benchRows, "bytes/row")
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadColumns decodes every column of every block ("all"), or
// every column but the dynamic ones ("scalar"); MB/s is of file bytes.
func BenchmarkReadColumns(b *testing.B) {
	s, info, _ := writeSegment(b, signinSchema, []*vec.Batch{newSigninGen(1).batch(benchRows)}, WriteOptions{TimeColumn: 0})
	for _, dyn := range []bool{true, false} {
		name := map[bool]string{true: "all", false: "scalar"}[dyn]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(info.Bytes)
			for i := 0; i < b.N; i++ {
				for blk := 0; blk < s.NumBlocks(); blk++ {
					for col, f := range s.Schema() {
						if f.Type == types.Dynamic && !dyn {
							continue
						}
						if _, err := s.ReadColumn(blk, col); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkReadPath decodes one shredded path of every block.
func BenchmarkReadPath(b *testing.B) {
	s, _, _ := writeSegment(b, signinSchema, []*vec.Batch{newSigninGen(1).batch(benchRows)}, WriteOptions{TimeColumn: 0})
	col := signinSchema.Index("DeviceDetail")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for blk := 0; blk < s.NumBlocks(); blk++ {
			if _, ok, err := s.ReadPath(blk, col, []string{"operatingSystem"}); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestSigninSize reports the bytes a row of synthetic sign-in data takes,
// by column, and fails when it grows far past the store's target.
func TestSigninSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200k rows")
	}
	s, info, _ := writeSegment(t, signinSchema, []*vec.Batch{newSigninGen(1).batch(benchRows)}, WriteOptions{TimeColumn: 0})
	perCol := map[string]int64{}
	names := s.columnNames()
	for _, blk := range s.ft.blocks {
		for i, c := range blk.cols {
			perCol[names[i]] += c.data.n + c.dict.n + c.filter.n
		}
	}
	keys := make([]string, 0, len(perCol))
	for k := range perCol {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return perCol[keys[i]] > perCol[keys[j]] })
	for _, k := range keys {
		t.Logf("%-45s %6.2f bytes/row", k, float64(perCol[k])/benchRows)
	}
	perRow := float64(info.Bytes) / benchRows
	t.Logf("total %.2f bytes/row (%d bytes, %d blocks)", perRow, info.Bytes, info.Blocks)
	if perRow > 80 {
		t.Errorf("%.2f bytes/row", perRow)
	}
}
