package exec_test

import (
	"fmt"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// TestCountByDictionaryKey checks that count() by a dictionary-encoded
// string key (folded from per-code row counts) gives the same groups, in
// the same order, as the same strings stored plainly (a group id per row),
// over several batches and both workers, with a dictionary small next to a
// batch and one too large for the per-code fold.
func TestCountByDictionaryKey(t *testing.T) {
	const n = 100_000
	for _, distinct := range []int{7, 300, 60_000} {
		dict := make([]string, distinct)
		for i := range dict {
			dict[i] = fmt.Sprintf("app-%05d", (i*7919)%distinct)
		}
		codes := make([]uint32, n)
		strs := make([]string, n)
		ids := make([]int64, n)
		for r := range n {
			// Skewed: low codes are frequent, and new codes keep appearing.
			c := uint32((r * r / 7) % (1 + r%distinct))
			codes[r], strs[r], ids[r] = c, dict[c], int64(r)
		}
		sch := vec.Schema{{Name: "R", Type: types.Long}, {Name: "S", Type: types.String}}
		coded := &engine.MemTable{TableName: "T", Sch: sch, Data: &vec.Batch{N: n, Cols: []*vec.Column{
			{Type: types.Long, N: n, Ints: ids}, {Type: types.String, N: n, Dict: dict, Codes: codes}}}}
		plain := &engine.MemTable{TableName: "T", Sch: sch, Data: &vec.Batch{N: n, Cols: []*vec.Column{
			{Type: types.Long, N: n, Ints: ids}, {Type: types.String, N: n, Strs: strs}}}}
		for _, q := range []string{
			"T | summarize c = count(), r = count(R) by S",
			"T | where R % 3 != 0 | summarize count() by S | take 1000000",
			"T | summarize c = count(), m = max(R) by S",
		} {
			got, err := queryText(engine.Catalog{"T": coded}, q)
			if err != nil {
				t.Fatalf("%d distinct, %s: %v", distinct, q, err)
			}
			want, err := queryText(engine.Catalog{"T": plain}, q)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%d distinct, %s: dictionary-encoded key gives\n%.400s\nplain key gives\n%.400s", distinct, q, got, want)
			}
		}
	}
}
