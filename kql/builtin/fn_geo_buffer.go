package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// geo_point_buffer: a polygon holding every point within a radius of a
// point.

func init() {
	real := types.Real
	RegisterScalar(Fixed("geo_point_buffer", true,
		Sig{Params: []types.Type{real, real, real, real}, Min: 3, Ret: types.Dynamic, F: geoPointBuffer}))
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
	if !ok || !okR || r <= 0 || tol < r*1e-6 || r >= math.Pi*earthRadius {
		return types.NullOf(types.Dynamic)
	}
	tol = math.Min(tol, r*0.999)
	n := int(math.Ceil(math.Pi / math.Acos(r/(r+tol))))
	n = max(8, min(geoBufferMaxVertices, n))
	outer := (r / math.Cos(math.Pi/float64(n))) / earthRadius
	ring := make([][2]float64, n)
	for k := range ring {
		// Counterclockwise: bearings decrease from north.
		ring[k] = destination(lon, lat, -2*math.Pi*float64(k)/float64(n), outer)
	}
	return types.NewDynamic(geoJSONPolygon(ring))
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
