package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Buffers: polygons holding every point within a radius of a point, a
// line or a polygon. Lines and polygons are buffered as the union of the
// shape, a circle about each vertex and a band along each edge.

func init() {
	real := types.Real
	RegisterScalar(Fixed("geo_point_buffer", true,
		Sig{Params: []types.Type{real, real, real, real}, Min: 3, Ret: types.Dynamic, F: geoPointBuffer}))
	RegisterScalar(Fixed("geo_line_buffer", true,
		Sig{Params: []types.Type{types.Dynamic, real, real}, Min: 2, Ret: types.Dynamic, F: geoShapeBuffer("line")}))
	RegisterScalar(Fixed("geo_polygon_buffer", true,
		Sig{Params: []types.Type{types.Dynamic, real, real}, Min: 2, Ret: types.Dynamic, F: geoShapeBuffer("polygon")}))
}

// geoBufferMaxVertices bounds the vertices of a buffer polygon.
const geoBufferMaxVertices = 4096

// geoPointBuffer circumscribes a regular polygon about the circle of the
// radius, with as many vertices as keep its corners within the tolerance
// (10 meters when omitted) of the circle.
func geoPointBuffer(a []types.Value) types.Value {
	lon, lat, ok := geoPoint(a[0], a[1])
	r, okR := geoReal(a[2])
	tol := 10.0
	if len(a) > 3 && !a[3].IsNull() {
		var okT bool
		tol, okT = geoReal(a[3])
		ok = ok && okT
	}
	if !ok || !okR || !validBuffer(r, tol) {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(geoJSONPolygon(circleRing(lon, lat, r, tol, geoBufferMaxVertices)))
}

func validBuffer(r, tol float64) bool {
	return r > 0 && tol >= r*1e-6 && r < math.Pi*earthRadius
}

// circleRing is a regular polygon of at most maxN vertices about the
// circle of radius r meters, its corners within tol of the circle.
func circleRing(lon, lat, r, tol float64, maxN int) [][2]float64 {
	tol = math.Min(tol, r*0.999)
	n := int(math.Ceil(math.Pi / math.Acos(r/(r+tol))))
	n = max(8, min(maxN, n))
	outer := (r / math.Cos(math.Pi/float64(n))) / earthRadius
	ring := make([][2]float64, n)
	for k := range ring {
		// Counterclockwise: bearings decrease from north.
		ring[k] = destination(lon, lat, -2*math.Pi*float64(k)/float64(n), outer)
	}
	return ring
}

// geoBufferCircleVertices bounds the vertices of each circle in a line
// or polygon buffer, which is a union of many of them.
const geoBufferCircleVertices = 128

// geoShapeBuffer returns the buffer function for lines or polygons; the
// tolerance is 0.1 meters when omitted.
func geoShapeBuffer(kind string) RowFunc {
	return func(a []types.Value) types.Value {
		s, k, ok := parseGeoShape(a[0])
		r, okR := geoReal(a[1])
		tol := 0.1
		if len(a) > 2 && !a[2].IsNull() {
			var okT bool
			tol, okT = geoReal(a[2])
			ok = ok && okT
		}
		if !ok || !okR || k != kind || !validBuffer(r, tol) {
			return types.NullOf(types.Dynamic)
		}
		paths := s.lines
		parts := s.polygons
		if kind == "polygon" {
			paths = polygonEdges(s.polygons)
		}
		for _, p := range paths {
			parts = append(parts, bufferParts(p, r, tol)...)
		}
		o := geoOrigin{}
		o.addShape(a[0])
		rings := chainRings(overlayArcs(orientPolygons(parts), false))
		if len(rings) == 0 {
			return types.NullOf(types.Dynamic)
		}
		return types.NewDynamic(polygonsJSON(o, groupRings(rings)))
	}
}

// bufferParts are the circles about a path's vertices and the bands
// along its edges.
func bufferParts(p []geoVec, r, tol float64) [][][]geoVec {
	var out [][][]geoVec
	d := r / earthRadius
	for i, v := range p {
		lon, lat := v.lonLat()
		c := circleRing(lon, lat, r, tol, geoBufferCircleVertices)
		ring := make([]geoVec, len(c))
		for k, x := range c {
			ring[k] = geoVecOf(x[0], x[1])
		}
		out = append(out, [][]geoVec{ring})
		if i+1 == len(p) || v == p[i+1] {
			continue
		}
		n := v.cross(p[i+1]).unit()
		side := func(u geoVec, s float64) geoVec { return u.mul(math.Cos(d)).add(n.mul(s * math.Sin(d))) }
		out = append(out, [][]geoVec{{side(v, -1), side(p[i+1], -1), side(p[i+1], 1), side(v, 1)}})
	}
	return out
}

// destination is the point an angle d (radians) from a point along the
// initial bearing az.
func destination(lon, lat, az, d float64) [2]float64 {
	p, l := radians(lat), radians(lon)
	p2 := math.Asin(math.Sin(p)*math.Cos(d) + math.Cos(p)*math.Sin(d)*math.Cos(az))
	l2 := l + math.Atan2(math.Sin(az)*math.Sin(d)*math.Cos(p), math.Cos(d)-math.Sin(p)*math.Sin(p2))
	x := math.Remainder(degrees(l2), 360)
	return [2]float64{x, degrees(p2)}
}
