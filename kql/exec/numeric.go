package exec

import "github.com/idlogs/idlogs/kql/types"

// toFloat returns a number as a float64.
func toFloat(v types.Value) float64 {
	if v.Type.Storage() == types.StoreFloat {
		return v.F
	}
	return float64(v.I)
}

// floorDiv divides rounding toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
