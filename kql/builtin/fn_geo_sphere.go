package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Distances and directions between points on the sphere.

func init() {
	reals := func(n int) []types.Type {
		ps := make([]types.Type, n)
		for i := range ps {
			ps[i] = types.Real
		}
		return ps
	}
	RegisterScalar(Fixed("geo_distance_2points", true, Sig{Params: reals(4), Ret: types.Real, F: geoDistance2Points}))
	RegisterScalar(Fixed("geo_point_in_circle", true, Sig{Params: reals(5), Ret: types.Bool, F: geoPointInCircle}))
	RegisterScalar(Fixed("geo_azimuth", true, Sig{Params: reals(4), Ret: types.Real, F: geoAzimuth}))
	RegisterScalar(Fixed("geo_angle", true, Sig{Params: reals(6), Ret: types.Real, F: geoAngle}))
}

// geoDistance2Points is the shortest distance in meters between two
// points.
func geoDistance2Points(a []types.Value) types.Value {
	x1, y1, ok1 := geoPoint(a[0], a[1])
	x2, y2, ok2 := geoPoint(a[2], a[3])
	if !ok1 || !ok2 {
		return types.NullOf(types.Real)
	}
	return types.NewReal(earthRadius * centralAngle(x1, y1, x2, y2))
}

// geoPointInCircle reports whether a point lies within radius meters of a
// center.
func geoPointInCircle(a []types.Value) types.Value {
	x, y, ok1 := geoPoint(a[0], a[1])
	cx, cy, ok2 := geoPoint(a[2], a[3])
	r, ok3 := geoReal(a[4])
	if !ok1 || !ok2 || !ok3 || r < 0 {
		return types.NullOf(types.Bool)
	}
	return types.NewBool(earthRadius*centralAngle(x, y, cx, cy) <= r)
}

// geoAzimuth is the initial bearing in radians, clockwise from north, of
// the great circle from the first point to the second; null when the
// points coincide.
func geoAzimuth(a []types.Value) types.Value {
	x1, y1, ok1 := geoPoint(a[0], a[1])
	x2, y2, ok2 := geoPoint(a[2], a[3])
	if !ok1 || !ok2 || centralAngle(x1, y1, x2, y2) == 0 {
		return types.NullOf(types.Real)
	}
	p1, p2, dl := radians(y1), radians(y2), radians(x2-x1)
	az := math.Atan2(math.Sin(dl)*math.Cos(p2), math.Cos(p1)*math.Sin(p2)-math.Sin(p1)*math.Cos(p2)*math.Cos(dl))
	if az < 0 {
		az += 2 * math.Pi
	}
	return types.NewReal(az)
}

// geoAngle is the clockwise angle in radians at the second point from the
// direction of the first point to the direction of the third; null when
// either coincides with the second.
func geoAngle(a []types.Value) types.Value {
	az1 := geoAzimuth([]types.Value{a[2], a[3], a[0], a[1]})
	az2 := geoAzimuth([]types.Value{a[2], a[3], a[4], a[5]})
	if az1.IsNull() || az2.IsNull() {
		return types.NullOf(types.Real)
	}
	d := az2.F - az1.F
	if d < 0 {
		d += 2 * math.Pi
	}
	return types.NewReal(d)
}
