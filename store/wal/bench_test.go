package wal

import (
	"fmt"
	"sync"
	"testing"
)

// BenchmarkAppend measures group-committed appends with real fsync on the
// disk holding the test's temporary directory, for 1 and 16 concurrent
// writers of 1 KiB and 256 KiB records.
func BenchmarkAppend(b *testing.B) {
	for _, c := range []struct{ writers, size int }{{1, 1 << 10}, {16, 1 << 10}, {1, 256 << 10}, {16, 256 << 10}} {
		writers, size := c.writers, c.size
		b.Run(fmt.Sprintf("writers=%d/size=%dKiB", writers, size>>10), func(b *testing.B) {
			l, err := Open(b.TempDir(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			rec := make([]byte, size)
			b.SetBytes(int64(size))
			b.ResetTimer()
			var wg sync.WaitGroup
			per := b.N / writers
			for w := range writers {
				n := per
				if w == 0 {
					n += b.N % writers
				}
				wg.Go(func() {
					for range n {
						if _, err := l.Append(rec); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}
