package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// Whether lines and polygons intersect, with geodesic edges.

func init() {
	dyn := types.Dynamic
	RegisterScalar(Fixed("geo_intersects_2lines", true,
		Sig{Params: []types.Type{dyn, dyn}, Ret: types.Bool, F: geoIntersects2Lines}))
	RegisterScalar(Fixed("geo_intersects_2polygons", true,
		Sig{Params: []types.Type{dyn, dyn}, Ret: types.Bool, F: geoIntersects2Polygons}))
	RegisterScalar(Fixed("geo_intersects_line_with_polygon", true,
		Sig{Params: []types.Type{dyn, dyn}, Ret: types.Bool, F: geoIntersectsLineWithPolygon}))
}

// geoTouch is the angle in radians under which points count as the same
// (about a tenth of a millimeter).
const geoTouch = 1e-11

// onArc reports whether p, on the great circle through a and b, lies
// between them (or within geoTouch of an end).
func onArc(p, a, b geoVec) bool {
	n := a.cross(b)
	eps := -geoTouch * n.norm()
	return a.cross(p).dot(n) >= eps && p.cross(b).dot(n) >= eps
}

// arcsIntersect reports whether the arcs ab and cd cross or touch.
func arcsIntersect(a, b, c, d geoVec) bool {
	for _, t := range [4][3]geoVec{{a, c, d}, {b, c, d}, {c, a, b}, {d, a, b}} {
		if t[0].angle(closestOnArc(t[0], t[1], t[2])) < geoTouch {
			return true
		}
	}
	x := a.cross(b).cross(c.cross(d))
	if x.norm() == 0 {
		return false
	}
	x = x.unit()
	for _, s := range [2]geoVec{x, x.mul(-1)} {
		if onArc(s, a, b) && onArc(s, c, d) {
			return true
		}
	}
	return false
}

// linesIntersect reports whether any edges of two sets of paths meet.
func linesIntersect(l1, l2 [][]geoVec) bool {
	for _, p := range l1 {
		for i := 0; i+1 < len(p); i++ {
			for _, q := range l2 {
				for j := 0; j+1 < len(q); j++ {
					if arcsIntersect(p[i], p[i+1], q[j], q[j+1]) {
						return true
					}
				}
			}
		}
	}
	return false
}

// anyInPolygons reports whether a vertex of the paths is inside the
// polygons.
func anyInPolygons(paths [][]geoVec, polys [][][]geoVec) bool {
	for _, p := range paths {
		for _, v := range p {
			if inPolygons(v, polys) {
				return true
			}
		}
	}
	return false
}

func geoIntersects2Lines(a []types.Value) types.Value {
	l1, ok1 := geoLines(a[0])
	l2, ok2 := geoLines(a[1])
	if !ok1 || !ok2 {
		return types.NullOf(types.Bool)
	}
	return types.NewBool(linesIntersect(l1, l2))
}

func geoIntersects2Polygons(a []types.Value) types.Value {
	p1, ok1 := geoPolygons(a[0])
	p2, ok2 := geoPolygons(a[1])
	if !ok1 || !ok2 {
		return types.NullOf(types.Bool)
	}
	e1, e2 := polygonEdges(p1), polygonEdges(p2)
	return types.NewBool(linesIntersect(e1, e2) || anyInPolygons(e1, p2) || anyInPolygons(e2, p1))
}

func geoIntersectsLineWithPolygon(a []types.Value) types.Value {
	l, ok1 := geoLines(a[0])
	p, ok2 := geoPolygons(a[1])
	if !ok1 || !ok2 {
		return types.NullOf(types.Bool)
	}
	return types.NewBool(linesIntersect(l, polygonEdges(p)) || anyInPolygons(l, p))
}
