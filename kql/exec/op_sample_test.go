package exec

import (
	"math/rand/v2"
	"sort"
	"testing"
)

func TestReservoir(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for _, tc := range []struct {
		n    int
		k    int64
		want int
	}{{0, 3, 0}, {2, 3, 2}, {10, 0, 0}, {10, 3, 3}, {1000, 1, 1}} {
		idx := reservoir(rng, tc.n, tc.k)
		if len(idx) != tc.want || !sort.IntsAreSorted(idx) {
			t.Errorf("reservoir(%d, %d) = %v", tc.n, tc.k, idx)
		}
		for i := 1; i < len(idx); i++ {
			if idx[i] == idx[i-1] {
				t.Errorf("reservoir(%d, %d) repeats %d", tc.n, tc.k, idx[i])
			}
		}
	}
	// Every row gets picked sometimes.
	hits := make([]int, 20)
	for i := 0; i < 2000; i++ {
		for _, j := range reservoir(rng, 20, 2) {
			hits[j]++
		}
	}
	for j, h := range hits {
		if h < 100 {
			t.Errorf("row %d picked %d times in 2000 samples of 2 out of 20", j, h)
		}
	}
}
