package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// H3 cell functions. Cells are hexadecimal index tokens; invalid tokens or
// out-of-range arguments give null (an empty string for the string-valued
// functions). Points and polygons are GeoJSON dynamic values with
// [longitude, latitude] coordinates.
func init() {
	str, long, real, dyn := types.String, types.Long, types.Real, types.Dynamic
	RegisterScalar(
		Fixed("geo_point_to_h3cell", false, Sig{Params: []types.Type{real, real, long}, Ret: str, Min: 2, F: geoPointToH3Cell}),
		Fixed("geo_h3cell_level", false, Sig{Params: []types.Type{str}, Ret: types.Int, F: geoH3CellLevel}),
		Fixed("geo_h3cell_parent", false, Sig{Params: []types.Type{str, long}, Ret: str, Min: 1, F: geoH3CellParent}),
		Fixed("geo_h3cell_children", false, Sig{Params: []types.Type{str, long}, Ret: dyn, Min: 1, F: geoH3CellChildren}),
		Fixed("geo_h3cell_neighbors", false, Sig{Params: []types.Type{str}, Ret: dyn, F: geoH3CellNeighbors}),
		Fixed("geo_h3cell_rings", false, Sig{Params: []types.Type{str, long}, Ret: dyn, F: geoH3CellRings}),
		Fixed("geo_h3cell_to_central_point", false, Sig{Params: []types.Type{str}, Ret: dyn, F: geoH3CellToCentralPoint}),
		Fixed("geo_h3cell_to_polygon", false, Sig{Params: []types.Type{str}, Ret: dyn, F: geoH3CellToPolygon}),
	)
}

// h3MaxChildrenDepth bounds how many levels below a cell children are listed.
const (
	h3MaxChildrenDepth = 5
	h3MaxRingDistance  = 142
)

var h3NullString = types.NewString("")

func geoPointToH3Cell(args []types.Value) types.Value {
	lng, lat := args[0].F, args[1].F
	res := int64(6)
	if len(args) > 2 {
		if args[2].IsNull() {
			return h3NullString
		}
		res = args[2].I
	}
	if res < 0 || res > h3MaxRes || math.IsNaN(lng) || math.IsNaN(lat) ||
		lng < -180 || lng > 180 || lat < -90 || lat > 90 {
		return h3NullString
	}
	h := h3LatLngToCell(lat, lng, int(res))
	if h == 0 {
		return h3NullString
	}
	return types.NewString(h.String())
}

func geoH3CellLevel(args []types.Value) types.Value {
	h, ok := h3Parse(args[0].S)
	if !ok {
		return types.NullOf(types.Int)
	}
	return types.NewInt(int32(h.res()))
}

func geoH3CellParent(args []types.Value) types.Value {
	h, ok := h3Parse(args[0].S)
	if !ok {
		return h3NullString
	}
	res := int64(h.res() - 1)
	if len(args) > 1 {
		if args[1].IsNull() {
			return h3NullString
		}
		res = args[1].I
	}
	if res < 0 || res > int64(h.res()) {
		return h3NullString
	}
	return types.NewString(h.parent(int(res)).String())
}

func geoH3CellChildren(args []types.Value) types.Value {
	h, ok := h3Parse(args[0].S)
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	res := int64(h.res() + 1)
	if len(args) > 1 {
		if args[1].IsNull() {
			return types.NullOf(types.Dynamic)
		}
		res = args[1].I
	}
	if res < int64(h.res()) || res > h3MaxRes || res-int64(h.res()) > h3MaxChildrenDepth {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(h3Tokens(h.children(int(res))))
}

func h3Tokens(cells []h3Index) []any {
	out := make([]any, len(cells))
	for i, c := range cells {
		out[i] = c.String()
	}
	return out
}

func geoH3CellNeighbors(args []types.Value) types.Value {
	h, ok := h3Parse(args[0].S)
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(h3Tokens(h.rings(1)[1]))
}

func geoH3CellRings(args []types.Value) types.Value {
	h, ok := h3Parse(args[0].S)
	if !ok || args[1].I < 0 || args[1].I > h3MaxRingDistance {
		return types.NullOf(types.Dynamic)
	}
	rings := h.rings(int(args[1].I))
	out := make([]any, len(rings))
	for i, r := range rings {
		out[i] = h3Tokens(r)
	}
	return types.NewDynamic(out)
}

func geoH3CellToCentralPoint(args []types.Value) types.Value {
	h, ok := h3Parse(args[0].S)
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	lat, lng := h.center()
	return types.NewDynamic(&types.Bag{Keys: []string{"type", "coordinates"}, Vals: []any{"Point", []any{lng, lat}}})
}

func geoH3CellToPolygon(args []types.Value) types.Value {
	h, ok := h3Parse(args[0].S)
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	verts := h.boundary()
	ring := make([]any, 0, len(verts)+1)
	for _, v := range verts {
		ring = append(ring, []any{v.lng * h3RadToDeg, v.lat * h3RadToDeg})
	}
	ring = append(ring, ring[0])
	return types.NewDynamic(&types.Bag{Keys: []string{"type", "coordinates"}, Vals: []any{"Polygon", []any{ring}}})
}
