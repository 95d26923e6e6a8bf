package wal

import (
	"fmt"
	"sync"
	"testing"
)

// BenchmarkAppend measures group-committed appends with real fsync on the
// disk holding the test's temporary directory, for 1 and 16 concurrent
// writers of 1 KiB records.
func BenchmarkAppend(b *testing.B) {
	const size = 1024
	for _, writers := range []int{1, 16} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			l, err := Open(b.TempDir(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			rec := make([]byte, size)
			b.SetBytes(size)
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
