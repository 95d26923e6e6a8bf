package builtin

import (
	"math"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
)

// Polygons on the sphere: containment, area, perimeter, centroid and the
// distance from a point to a polygon.

func init() {
	dyn, real := types.Dynamic, types.Real
	RegisterScalar(Fixed("geo_point_in_polygon", true,
		Sig{Params: []types.Type{real, real, dyn}, Ret: types.Bool, F: geoPointInPolygon}))
	RegisterScalar(Fixed("geo_polygon_area", true, Sig{Params: []types.Type{dyn}, Ret: real, F: geoPolygonArea}))
	RegisterScalar(Fixed("geo_polygon_perimeter", true, Sig{Params: []types.Type{dyn}, Ret: real, F: geoPolygonPerimeter}))
	RegisterScalar(Fixed("geo_polygon_centroid", true, Sig{Params: []types.Type{dyn}, Ret: dyn, F: geoPolygonCentroid}))
	RegisterScalar(Fixed("geo_distance_point_to_polygon", true,
		Sig{Params: []types.Type{real, real, dyn}, Ret: real, F: geoDistancePointToPolygon}))
	RegisterScalar(Fixed("geo_closest_point_on_polygon", true,
		Sig{Params: []types.Type{real, real, dyn}, Ret: dyn, F: geoClosestPointOnPolygon}))
}

// ringWinding is the total angle the ring turns around p: about ±2π when
// p is inside, about 0 when outside.
func ringWinding(p geoVec, r []geoVec) float64 {
	sum := 0.0
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		sum += math.Atan2(p.dot(a.cross(b)), a.dot(b)-p.dot(a)*p.dot(b))
	}
	return sum
}

// inRing reports whether p is inside the ring. Rings within a hemisphere
// are tested exactly in a gnomonic projection about their center, where
// geodesic edges are straight; larger ones by winding.
func inRing(p geoVec, r []geoVec) bool {
	if rp := newRingProj(r); rp != nil {
		return rp.contains(p)
	}
	return math.Abs(ringWinding(p, r)) > math.Pi
}

// ringProj is a ring in the gnomonic projection about its center c,
// with axes e1 and e2.
type ringProj struct {
	c, e1, e2 geoVec
	xs, ys    []float64
}

// newRingProj projects a ring; nil when it reaches past the hemisphere
// about its center.
func newRingProj(r []geoVec) *ringProj {
	var c geoVec
	for _, v := range r {
		c = c.add(v)
	}
	c = c.unit()
	e1 := c.cross(geoVec{0, 0, 1})
	if e1.norm() < 1e-9 {
		e1 = c.cross(geoVec{1, 0, 0})
	}
	e1 = e1.unit()
	rp := &ringProj{c: c, e1: e1, e2: c.cross(e1), xs: make([]float64, len(r)), ys: make([]float64, len(r))}
	for i, v := range r {
		if v.dot(c) <= 0 {
			return nil
		}
		rp.xs[i], rp.ys[i] = rp.proj(v)
	}
	return rp
}

func (rp *ringProj) proj(v geoVec) (float64, float64) {
	d := v.dot(rp.c)
	return v.dot(rp.e1) / d, v.dot(rp.e2) / d
}

// contains casts a ray in the projection and counts edge crossings.
func (rp *ringProj) contains(p geoVec) bool {
	if p.dot(rp.c) <= 0 {
		return false
	}
	px, py := rp.proj(p)
	in := false
	n := len(rp.xs)
	for i := range n {
		ax, ay := rp.xs[i], rp.ys[i]
		bx, by := rp.xs[(i+1)%n], rp.ys[(i+1)%n]
		if (ay > py) != (by > py) && px < ax+(py-ay)*(bx-ax)/(by-ay) {
			in = !in
		}
	}
	return in
}

// inPolygons reports whether p is inside a shell and none of its holes.
func inPolygons(p geoVec, polys [][][]geoVec) bool {
	for _, poly := range polys {
		if !inRing(p, poly[0]) {
			continue
		}
		inHole := false
		for _, h := range poly[1:] {
			inHole = inHole || inRing(p, h)
		}
		if !inHole {
			return true
		}
	}
	return false
}

func geoPointInPolygon(a []types.Value) types.Value {
	lon, lat, okP := geoPoint(a[0], a[1])
	polys, ok := geoPolygons(a[2])
	if !ok || !okP {
		return types.NullOf(types.Bool)
	}
	return types.NewBool(geoShapeContains(a[2], geoVecOf(lon, lat), polys))
}

// triangleArea is the signed area of a spherical triangle.
func triangleArea(a, b, c geoVec) float64 {
	return 2 * math.Atan2(a.dot(b.cross(c)), 1+a.dot(b)+b.dot(c)+c.dot(a))
}

// ringArea is the area the ring encloses, in steradians.
func ringArea(r []geoVec) float64 {
	sum := 0.0
	for i := 1; i+1 < len(r); i++ {
		sum += triangleArea(r[0], r[i], r[i+1])
	}
	sum = math.Abs(sum)
	return math.Min(sum, 4*math.Pi-sum)
}

func geoPolygonArea(a []types.Value) types.Value {
	polys, ok := geoPolygons(a[0])
	if !ok {
		return types.NullOf(types.Real)
	}
	sum := 0.0
	for _, poly := range polys {
		sum += ringArea(poly[0])
		for _, h := range poly[1:] {
			sum -= ringArea(h)
		}
	}
	if sum <= 0 {
		return types.NullOf(types.Real)
	}
	return types.NewReal(sum * earthRadius * earthRadius)
}

func geoPolygonPerimeter(a []types.Value) types.Value {
	polys, ok := geoPolygons(a[0])
	if !ok {
		return types.NullOf(types.Real)
	}
	sum := 0.0
	for _, poly := range polys {
		for _, r := range poly {
			sum += lineAngle(append(slices.Clone(r), r[0]))
		}
	}
	return types.NewReal(sum * earthRadius)
}

// trueCentroid is the integral of position over a spherical triangle,
// signed by its orientation.
func trueCentroid(a, b, c geoVec) geoVec {
	ra, rb, rc := sinc(b.angle(c)), sinc(c.angle(a)), sinc(a.angle(b))
	x := geoVec{a[0], b[0] - a[0], c[0] - a[0]}
	y := geoVec{a[1], b[1] - a[1], c[1] - a[1]}
	z := geoVec{a[2], b[2] - a[2], c[2] - a[2]}
	r := geoVec{ra, rb - ra, rc - ra}
	return geoVec{y.cross(z).dot(r), z.cross(x).dot(r), x.cross(y).dot(r)}.mul(0.5)
}

// sinc is w / sin(w), 1 at 0.
func sinc(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w / math.Sin(w)
}

// ringCentroid is the integral of position over the ring's interior.
func ringCentroid(r []geoVec) geoVec {
	var sum geoVec
	for i := 1; i+1 < len(r); i++ {
		sum = sum.add(trueCentroid(r[0], r[i], r[i+1]))
	}
	if sum.dot(r[0]) < 0 {
		sum = sum.mul(-1)
	}
	return sum
}

// geoPolygonCentroid is the centroid of the area the polygons cover,
// overlapping polygons of a multipolygon counting once.
func geoPolygonCentroid(a []types.Value) types.Value {
	polys, ok := geoPolygons(a[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	if len(polys) > 1 {
		polys = groupRings(chainRings(overlayArcs(orientPolygons(polys), false)))
	}
	var sum geoVec
	for _, poly := range polys {
		sum = sum.add(ringCentroid(poly[0]))
		for _, h := range poly[1:] {
			sum = sum.sub(ringCentroid(h))
		}
	}
	if sum.norm() == 0 {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(geoVecPoint(sum.unit()))
}

// polygonEdges are the rings of the polygons as closed lines.
func polygonEdges(polys [][][]geoVec) [][]geoVec {
	var out [][]geoVec
	for _, poly := range polys {
		for _, r := range poly {
			out = append(out, append(append([]geoVec(nil), r...), r[0]))
		}
	}
	return out
}

// closestOnPolygons is p itself when inside, else the nearest boundary
// point.
func closestOnPolygons(p geoVec, polys [][][]geoVec) geoVec {
	if inPolygons(p, polys) {
		return p
	}
	return closestOnLines(p, polygonEdges(polys))
}

func geoDistancePointToPolygon(a []types.Value) types.Value {
	lon, lat, okP := geoPoint(a[0], a[1])
	polys, ok := geoPolygons(a[2])
	if !ok || !okP {
		return types.NullOf(types.Real)
	}
	p := geoVecOf(lon, lat)
	return types.NewReal(p.angle(closestOnPolygons(p, polys)) * earthRadius)
}

func geoClosestPointOnPolygon(a []types.Value) types.Value {
	lon, lat, okP := geoPoint(a[0], a[1])
	polys, ok := geoPolygons(a[2])
	if !ok || !okP {
		return types.NullOf(types.Dynamic)
	}
	p := geoVecOf(lon, lat)
	q := closestOnPolygons(p, polys)
	if q == p {
		return types.NewDynamic(geoJSONPoint(lon, lat))
	}
	return types.NewDynamic(geoVecPoint(q))
}

// geoShapeContains is inPolygons with the rings' projections kept with
// the parsed shape, for a polygon tested against many points.
func geoShapeContains(v types.Value, p geoVec, polys [][][]geoVec) bool {
	projs := shapeProjections(v, polys)
	for i, poly := range polys {
		if !ringHas(projs[i][0], p, poly[0]) {
			continue
		}
		inHole := false
		for j, h := range poly[1:] {
			inHole = inHole || ringHas(projs[i][j+1], p, h)
		}
		if !inHole {
			return true
		}
	}
	return false
}

func ringHas(rp *ringProj, p geoVec, r []geoVec) bool {
	if rp != nil {
		return rp.contains(p)
	}
	return math.Abs(ringWinding(p, r)) > math.Pi
}
