package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// Densifying planar edges: points are added along each edge, in plain
// longitude and latitude, until the edge stays within a tolerance of the
// geodesic between its ends.

func init() {
	dyn, real := types.Dynamic, types.Real
	RegisterScalar(Fixed("geo_line_densify", true,
		Sig{Params: []types.Type{dyn, real, types.Long}, Min: 1, Ret: dyn, F: geoDensify("line")}))
	RegisterScalar(Fixed("geo_polygon_densify", true,
		Sig{Params: []types.Type{dyn, real, types.Long}, Min: 1, Ret: dyn, F: geoDensify("polygon")}))
}

// geoDensifyMaxDepth bounds how often an edge is halved.
const geoDensifyMaxDepth = 16

// geoDensify returns the function for lines or polygons; the tolerance
// is in meters, 10 when omitted, at least 0.1.
func geoDensify(kind string) RowFunc {
	return func(a []types.Value) types.Value {
		_, k, ok := parseGeoShape(a[0])
		tol := 10.0
		if len(a) > 1 && !a[1].IsNull() {
			var okT bool
			tol, okT = geoReal(a[1])
			ok = ok && okT
		}
		if !ok || k != kind || tol < 0.1 {
			return types.NullOf(types.Dynamic)
		}
		b := a[0].D.(*types.Bag)
		t, _ := b.Get("type")
		c, _ := b.Get("coordinates")
		out := &types.Bag{}
		out.Set("type", t)
		out.Set("coordinates", densifyNested(c, tol))
		return types.NewDynamic(out)
	}
}

// densifyNested walks the coordinate arrays down to lists of points.
func densifyNested(c any, tol float64) any {
	arr := c.([]any)
	if _, isPoint := geoCoords(arr[0]); isPoint {
		return densifyPath(arr, tol)
	}
	out := make([]any, len(arr))
	for i, x := range arr {
		out[i] = densifyNested(x, tol)
	}
	return out
}

func densifyPath(pts []any, tol float64) []any {
	out := []any{pts[0]}
	for i := 0; i+1 < len(pts); i++ {
		a, b := lonLatOf(pts[i]), lonLatOf(pts[i+1])
		out = densifyEdge(out, a, b, tol, 0)
		out = append(out, pts[i+1])
	}
	return out
}

func lonLatOf(p any) [2]float64 {
	a := p.([]any)
	x, _ := geoNumber(a[0])
	y, _ := geoNumber(a[1])
	return [2]float64{x, y}
}

// densifyEdge appends the points strictly between a and b.
func densifyEdge(out []any, a, b [2]float64, tol float64, depth int) []any {
	mid := [2]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
	geo := geoVecOf(a[0], a[1]).add(geoVecOf(b[0], b[1])).unit()
	if depth >= geoDensifyMaxDepth || geo.angle(geoVecOf(mid[0], mid[1]))*earthRadius <= tol {
		return out
	}
	out = densifyEdge(out, a, mid, tol, depth+1)
	out = append(out, []any{mid[0], mid[1]})
	return densifyEdge(out, mid, b, tol, depth+1)
}
