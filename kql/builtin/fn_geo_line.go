package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Lines on the sphere: length, centroid, points along a line and the
// distance from a point to a line.

func init() {
	dyn, real := types.Dynamic, types.Real
	RegisterScalar(Fixed("geo_line_length", true, Sig{Params: []types.Type{dyn}, Ret: real, F: geoLineLength}))
	RegisterScalar(Fixed("geo_line_centroid", true, Sig{Params: []types.Type{dyn}, Ret: dyn, F: geoLineCentroid}))
	RegisterScalar(Fixed("geo_line_interpolate_point", true,
		Sig{Params: []types.Type{dyn, real}, Ret: dyn, F: geoLineInterpolatePoint}))
	RegisterScalar(Fixed("geo_line_locate_point", true,
		Sig{Params: []types.Type{dyn, real, real}, Ret: real, F: geoLineLocatePoint}))
	RegisterScalar(Fixed("geo_distance_point_to_line", true,
		Sig{Params: []types.Type{real, real, dyn}, Ret: real, F: geoDistancePointToLine}))
	RegisterScalar(Fixed("geo_closest_point_on_line", true,
		Sig{Params: []types.Type{real, real, dyn}, Ret: dyn, F: geoClosestPointOnLine}))
}

// lineAngle is a line's length in radians.
func lineAngle(l []geoVec) float64 {
	sum := 0.0
	for i := 0; i+1 < len(l); i++ {
		sum += l[i].angle(l[i+1])
	}
	return sum
}

func geoLineLength(a []types.Value) types.Value {
	lines, ok := geoLines(a[0])
	if !ok {
		return types.NullOf(types.Real)
	}
	sum := 0.0
	for _, l := range lines {
		sum += lineAngle(l)
	}
	return types.NewReal(sum * earthRadius)
}

// geoLineCentroid is the center of mass of the lines' arcs.
func geoLineCentroid(a []types.Value) types.Value {
	lines, ok := geoLines(a[0])
	if !ok {
		return types.NullOf(types.Dynamic)
	}
	var sum geoVec
	for _, l := range lines {
		for i := 0; i+1 < len(l); i++ {
			// The integral of position along an arc of angle w is its
			// midpoint direction scaled by 2 sin(w/2).
			w := l[i].angle(l[i+1])
			sum = sum.add(l[i].add(l[i+1]).unit().mul(2 * math.Sin(w/2)))
		}
	}
	if sum.norm() == 0 {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(geoVecPoint(sum.unit()))
}

// geoLineInterpolatePoint is the point a fraction of the way along a
// line.
func geoLineInterpolatePoint(a []types.Value) types.Value {
	lines, ok := geoLines(a[0])
	f, okF := geoReal(a[1])
	if !ok || !okF || len(lines) != 1 || f < 0 || f > 1 {
		return types.NullOf(types.Dynamic)
	}
	l := lines[0]
	rest := f * lineAngle(l)
	for i := 0; i+1 < len(l); i++ {
		w := l[i].angle(l[i+1])
		if rest <= w && w > 0 {
			return types.NewDynamic(geoVecPoint(slerp(l[i], l[i+1], rest/w)))
		}
		rest -= w
	}
	return types.NewDynamic(geoVecPoint(l[len(l)-1]))
}

// geoLineLocatePoint is the fraction of a line's length at which the
// point of the line closest to a given point lies.
func geoLineLocatePoint(a []types.Value) types.Value {
	lines, ok := geoLines(a[0])
	lon, lat, okP := geoPoint(a[1], a[2])
	if !ok || !okP || len(lines) != 1 {
		return types.NullOf(types.Real)
	}
	l, p := lines[0], geoVecOf(lon, lat)
	total := lineAngle(l)
	if total == 0 {
		return types.NullOf(types.Real)
	}
	best, bestAt, walked := math.Inf(1), 0.0, 0.0
	for i := 0; i+1 < len(l); i++ {
		q := closestOnArc(p, l[i], l[i+1])
		if d := p.angle(q); d < best {
			best, bestAt = d, walked+l[i].angle(q)
		}
		walked += l[i].angle(l[i+1])
	}
	return types.NewReal(bestAt / total)
}

func geoDistancePointToLine(a []types.Value) types.Value {
	lon, lat, okP := geoPoint(a[0], a[1])
	lines, ok := geoLines(a[2])
	if !ok || !okP {
		return types.NullOf(types.Real)
	}
	p := geoVecOf(lon, lat)
	return types.NewReal(p.angle(closestOnLines(p, lines)) * earthRadius)
}

func geoClosestPointOnLine(a []types.Value) types.Value {
	lon, lat, okP := geoPoint(a[0], a[1])
	lines, ok := geoLines(a[2])
	if !ok || !okP {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(geoVecPoint(closestOnLines(geoVecOf(lon, lat), lines)))
}
