package exec

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMaskIndexes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 40; n++ {
		for _, density := range []float64{0, 0.05, 0.5, 1} {
			mask := make([]bool, n)
			var want []int
			for i := range mask {
				if rng.Float64() < density {
					mask[i] = true
					want = append(want, i)
				}
			}
			if got := maskIndexes(mask); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("maskIndexes(%v) = %v, want %v", mask, got, want)
			}
		}
	}
}
