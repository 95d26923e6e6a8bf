package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// S2 cell functions: point to cell token, cell center, cell polygon and
// neighbors.

func init() {
	RegisterScalar(Fixed("geo_point_to_s2cell", true,
		Sig{Params: []types.Type{types.Real, types.Real, types.Long}, Min: 2, Ret: types.String, F: geoPointToS2Cell}))
	RegisterScalar(Fixed("geo_s2cell_to_central_point", true,
		Sig{Params: []types.Type{types.String}, Ret: types.Dynamic, F: s2CellFunc(s2CellCenter)}))
	RegisterScalar(Fixed("geo_s2cell_to_polygon", true,
		Sig{Params: []types.Type{types.String}, Ret: types.Dynamic, F: s2CellFunc(s2CellPolygon)}))
	RegisterScalar(Fixed("geo_s2cell_neighbors", true,
		Sig{Params: []types.Type{types.String}, Ret: types.Dynamic, F: s2CellFunc(s2CellNeighbors)}))
}

// geoPointToS2Cell is the token of the cell of a level from 0 to 30 (11
// when omitted) holding a point; invalid input gives an empty string.
func geoPointToS2Cell(a []types.Value) types.Value {
	lon, lat, ok := geoPoint(a[0], a[1])
	level := int64(11)
	if len(a) > 2 {
		var okLevel bool
		level, okLevel = valueInt(a[2])
		ok = ok && okLevel
	}
	if !ok || level < 0 || level > s2MaxLevel {
		return types.NewString("")
	}
	return types.NewString(s2FromLonLat(lon, lat).parent(int(level)).token())
}

// s2CellFunc lifts a function of a valid cell to a row function giving
// null for invalid tokens.
func s2CellFunc(f func(c s2CellID) any) RowFunc {
	return func(a []types.Value) types.Value {
		c, ok := s2FromToken(a[0].S)
		if a[0].IsNull() || !ok {
			return types.NullOf(types.Dynamic)
		}
		return dynValue(f(c))
	}
}

func s2CellCenter(c s2CellID) any {
	return geoJSONPoint(c.center())
}

func s2CellPolygon(c s2CellID) any {
	v := c.vertices()
	return geoJSONPolygon(v[:])
}

// s2NeighborOrder is the order Kusto lists the neighbors in, as indexes
// into S2's own order.
var s2NeighborOrder = [8]int{7, 0, 1, 2, 3, 5, 4, 6}

func s2CellNeighbors(c s2CellID) any {
	ns := c.allNeighbors()
	out := make([]any, 0, len(ns))
	seen := map[s2CellID]bool{c: true}
	for _, k := range s2NeighborOrder {
		if n := ns[k]; !seen[n] {
			seen[n] = true
			out = append(out, n.token())
		}
	}
	return out
}
