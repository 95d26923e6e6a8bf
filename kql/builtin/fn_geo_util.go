package builtin

import (
	"math"

	"github.com/idlogs/idlogs/kql/types"
)

// Helpers shared by the geospatial functions: coordinate checks, the
// spherical Earth model and GeoJSON values.

// earthRadius is the radius in meters of the sphere Kusto computes on.
const earthRadius = 6371010.0

// geoReal reads a real argument; ok is false for null.
func geoReal(v types.Value) (float64, bool) {
	if v.IsNull() {
		return 0, false
	}
	if v.Type != types.Real {
		v = types.Convert(v, types.Real)
		if v.IsNull() {
			return 0, false
		}
	}
	return v.F, !math.IsNaN(v.F)
}

// geoPoint reads a longitude and latitude argument pair and checks their
// ranges.
func geoPoint(lon, lat types.Value) (float64, float64, bool) {
	x, ok1 := geoReal(lon)
	y, ok2 := geoReal(lat)
	if !ok1 || !ok2 || x < -180 || x > 180 || y < -90 || y > 90 {
		return 0, 0, false
	}
	return x, y, true
}

func radians(d float64) float64 { return d * math.Pi / 180 }
func degrees(r float64) float64 { return r * 180 / math.Pi }

// centralAngle is the angle in radians between two points given in
// degrees (haversine formula).
func centralAngle(lon1, lat1, lon2, lat2 float64) float64 {
	p1, p2 := radians(lat1), radians(lat2)
	dp, dl := p2-p1, radians(lon2-lon1)
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * math.Asin(math.Sqrt(math.Min(1, a)))
}

// geoJSONPoint builds a GeoJSON point.
func geoJSONPoint(lon, lat float64) *types.Bag {
	b := &types.Bag{}
	b.Set("type", "Point")
	b.Set("coordinates", []any{lon, lat})
	return b
}

// geoJSONPolygon builds a GeoJSON polygon with one ring of [lon, lat]
// pairs, closed by repeating the first vertex.
func geoJSONPolygon(ring [][2]float64) *types.Bag {
	coords := make([]any, 0, len(ring)+1)
	for _, p := range ring {
		coords = append(coords, []any{p[0], p[1]})
	}
	coords = append(coords, []any{ring[0][0], ring[0][1]})
	b := &types.Bag{}
	b.Set("type", "Polygon")
	b.Set("coordinates", []any{coords})
	return b
}

// dynValue wraps a dynamic result, nil meaning null.
func dynValue(d any) types.Value {
	if d == nil {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(d)
}

// dynStrings makes a dynamic array of strings.
func dynStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
