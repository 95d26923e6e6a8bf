package exec

import (
	"math"
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() { registerPluginFunc("rolling_percentile", rollingPercentile) }

// rollingPercentile: per dimension values (in order of first appearance)
// and per bin of the index that has rows, the nearest-rank percentile of
// the values of that bin and the BinsPerWindow-1 bins before it.
func rollingPercentile(in *pluginInput) (*vec.Batch, error) {
	pct, size, bins := in.scalars[0].F, in.scalars[1], in.scalars[2].I
	vals, index, dims := in.cols[0], in.cols[1], in.cols[2:]
	out := newTableBuilder(in.n.Sch)
	if size.IsNull() || size.Type.Storage() == types.StoreInt && size.I <= 0 ||
		size.Type.Storage() == types.StoreFloat && !(size.F > 0) {
		return nil, errorText("BinSize must be positive")
	}
	group, first := groupRows(dims, in.rows.N)
	type binKey struct {
		g int
		b int64
	}
	byBin := map[binKey][]types.Value{}
	for r := 0; r < in.rows.N; r++ {
		if index.IsNull(r) || vals.IsNull(r) {
			continue
		}
		k := binKey{group[r], binNumber(index.Value(r), size)}
		byBin[k] = append(byBin[k], vals.Value(r))
	}
	keys := make([]binKey, 0, len(byBin))
	for k := range byBin {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].g < keys[j].g || keys[i].g == keys[j].g && keys[i].b < keys[j].b })
	for _, k := range keys {
		var window []types.Value
		for b := k.b - bins + 1; b <= k.b; b++ {
			window = append(window, byBin[binKey{k.g, b}]...)
		}
		row := append([]types.Value{binStart(k.b, size, index.Type)}, dimValues(dims, first[k.g])...)
		out.add(append(row, nearestRank(window, pct))...)
	}
	return out.build(), nil
}

// binNumber is the number of the bin of size holding v (bins start at 0).
func binNumber(v types.Value, size types.Value) int64 {
	if v.Type.Storage() == types.StoreFloat || size.Type.Storage() == types.StoreFloat {
		return int64(math.Floor(toFloat(v) / toFloat(size)))
	}
	return floorDiv(v.I, size.I)
}

// binStart is the first index value of bin b.
func binStart(b int64, size types.Value, t types.Type) types.Value {
	if size.Type.Storage() == types.StoreFloat {
		return types.Convert(types.NewReal(float64(b)*size.F), t)
	}
	return types.Value{Type: t, Valid: true, I: b * size.I, F: float64(b * size.I)}
}

// nearestRank returns the value at rank ceil(pct/100 * n) of vals.
func nearestRank(vals []types.Value, pct float64) types.Value {
	sort.Slice(vals, func(i, j int) bool { return types.Compare(vals[i], vals[j]) < 0 })
	rank := int(math.Ceil(pct / 100 * float64(len(vals))))
	if rank < 1 {
		rank = 1
	}
	return vals[rank-1]
}
