package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// Simplifying lines and polygons with the Douglas-Peucker algorithm,
// measuring distances on the sphere.

func init() {
	dyn, real := types.Dynamic, types.Real
	RegisterScalar(Fixed("geo_line_simplify", true,
		Sig{Params: []types.Type{dyn, real}, Min: 1, Ret: dyn, F: geoSimplify("line")}))
	RegisterScalar(Fixed("geo_polygon_simplify", true,
		Sig{Params: []types.Type{dyn, real}, Min: 1, Ret: dyn, F: geoSimplify("polygon")}))
}

// geoSimplify returns the function for lines or polygons; the tolerance
// is in meters, 10 when omitted. A polygon simplified below three
// distinct vertices gives null.
func geoSimplify(kind string) RowFunc {
	return func(a []types.Value) types.Value {
		_, k, ok := parseGeoShape(a[0])
		tol := 10.0
		if len(a) > 1 && !a[1].IsNull() {
			var okT bool
			tol, okT = geoReal(a[1])
			ok = ok && okT
		}
		if !ok || k != kind || tol < 0 {
			return types.NullOf(types.Dynamic)
		}
		b := a[0].D.(*types.Bag)
		t, _ := b.Get("type")
		c, _ := b.Get("coordinates")
		sc, ok := simplifyNested(c, tol/earthRadius, kind == "polygon")
		if !ok {
			return types.NullOf(types.Dynamic)
		}
		out := &types.Bag{}
		out.Set("type", t)
		out.Set("coordinates", sc)
		return types.NewDynamic(out)
	}
}

// simplifyNested walks the coordinate arrays down to lists of points.
func simplifyNested(c any, tol float64, ring bool) (any, bool) {
	arr := c.([]any)
	if _, isPoint := geoCoords(arr[0]); isPoint {
		return simplifyPath(arr, tol, ring)
	}
	out := make([]any, len(arr))
	for i, x := range arr {
		var ok bool
		if out[i], ok = simplifyNested(x, tol, ring); !ok {
			return nil, false
		}
	}
	return out, true
}

func simplifyPath(pts []any, tol float64, ring bool) (any, bool) {
	vs := make([]geoVec, len(pts))
	for i, p := range pts {
		vs[i], _ = geoCoords(p)
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	douglasPeucker(vs, keep, 0, len(vs)-1, tol)
	var out []any
	distinct := map[geoVec]bool{}
	for i, k := range keep {
		if k {
			out = append(out, pts[i])
			distinct[vs[i]] = true
		}
	}
	if ring && len(distinct) < 3 {
		return nil, false
	}
	return out, true
}

// douglasPeucker marks the points between i and j to keep: the farthest
// from the arc i-j when farther than tol radians, recursively.
func douglasPeucker(vs []geoVec, keep []bool, i, j int, tol float64) {
	if j-i < 2 {
		return
	}
	far, farAt := -1.0, 0
	for k := i + 1; k < j; k++ {
		if d := vs[k].angle(closestOnArc(vs[k], vs[i], vs[j])); d > far {
			far, farAt = d, k
		}
	}
	if far <= tol {
		return
	}
	keep[farAt] = true
	douglasPeucker(vs, keep, i, farAt, tol)
	douglasPeucker(vs, keep, farAt, j, tol)
}
