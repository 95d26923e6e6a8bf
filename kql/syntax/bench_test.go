package syntax

import "testing"

// BenchmarkParse parses every corpus query once per iteration; the MB/s it
// reports is parser throughput over real-world query text.
func BenchmarkParse(b *testing.B) {
	var queries []string
	var total int64
	for _, r := range loadCorpus(b) {
		src, _ := r.parseInput()
		queries = append(queries, src)
		total += int64(len(src))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range queries {
			Parse(q)
		}
	}
}
