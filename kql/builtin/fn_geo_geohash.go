package builtin

import (
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// Geohash cells: encoding points, cell centers, cell rectangles and
// neighbors.

const geohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

func init() {
	RegisterScalar(Fixed("geo_point_to_geohash", true,
		Sig{Params: []types.Type{types.Real, types.Real, types.Long}, Min: 2, Ret: types.String, F: geoPointToGeohash}))
	RegisterScalar(Fixed("geo_geohash_to_central_point", true,
		Sig{Params: []types.Type{types.String}, Ret: types.Dynamic, F: geohashFunc(geohashCenter)}))
	RegisterScalar(Fixed("geo_geohash_to_polygon", true,
		Sig{Params: []types.Type{types.String}, Ret: types.Dynamic, F: geohashFunc(geohashPolygon)}))
	RegisterScalar(Fixed("geo_geohash_neighbors", true,
		Sig{Params: []types.Type{types.String}, Ret: types.Dynamic, F: geohashFunc(geohashNeighbors)}))
}

// geoPointToGeohash encodes a point at an accuracy of 1 to 18 characters
// (5 when omitted); invalid input gives an empty string.
func geoPointToGeohash(a []types.Value) types.Value {
	lon, lat, ok := geoPoint(a[0], a[1])
	acc := int64(5)
	if len(a) > 2 {
		var okAcc bool
		acc, okAcc = valueInt(a[2])
		ok = ok && okAcc
	}
	if !ok || acc < 1 || acc > 18 {
		return types.NewString("")
	}
	return types.NewString(geohashEncode(lon, lat, int(acc)))
}

// geohashEncode interleaves longitude and latitude bisections, longitude
// first, five bits a character.
func geohashEncode(lon, lat float64, n int) string {
	lo := [2]float64{-180, -90}
	hi := [2]float64{180, 90}
	pt := [2]float64{lon, lat}
	var sb strings.Builder
	bit, ch, axis := 0, 0, 0
	for sb.Len() < n {
		mid := (lo[axis] + hi[axis]) / 2
		ch <<= 1
		if pt[axis] >= mid {
			ch |= 1
			lo[axis] = mid
		} else {
			hi[axis] = mid
		}
		axis ^= 1
		if bit++; bit == 5 {
			sb.WriteByte(geohashAlphabet[ch])
			bit, ch = 0, 0
		}
	}
	return sb.String()
}

// geohashBox decodes a geohash to its cell's bounds: west, south, east,
// north.
func geohashBox(h string) (box [4]float64, ok bool) {
	if len(h) < 1 || len(h) > 18 {
		return box, false
	}
	lo := [2]float64{-180, -90}
	hi := [2]float64{180, 90}
	axis := 0
	for i := 0; i < len(h); i++ {
		v := strings.IndexByte(geohashAlphabet, lowerASCII(h[i]))
		if v < 0 {
			return box, false
		}
		for b := 4; b >= 0; b-- {
			mid := (lo[axis] + hi[axis]) / 2
			if v>>b&1 == 1 {
				lo[axis] = mid
			} else {
				hi[axis] = mid
			}
			axis ^= 1
		}
	}
	return [4]float64{lo[0], lo[1], hi[0], hi[1]}, true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// geohashFunc lifts a function of a valid geohash to a row function
// giving null for invalid ones.
func geohashFunc(f func(h string, box [4]float64) any) RowFunc {
	return func(a []types.Value) types.Value {
		if a[0].IsNull() {
			return types.NullOf(types.Dynamic)
		}
		box, ok := geohashBox(a[0].S)
		if !ok {
			return types.NullOf(types.Dynamic)
		}
		return dynValue(f(a[0].S, box))
	}
}

func geohashCenter(_ string, b [4]float64) any {
	return geoJSONPoint((b[0]+b[2])/2, (b[1]+b[3])/2)
}

func geohashPolygon(_ string, b [4]float64) any {
	return geoJSONPolygon([][2]float64{{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}})
}

// geohashNeighborSteps are the neighbor offsets in cells (east, north),
// in the order Kusto lists them.
var geohashNeighborSteps = [8][2]float64{{-1, -1}, {-1, 1}, {1, -1}, {0, 1}, {-1, 0}, {1, 1}, {1, 0}, {0, -1}}

// geohashNeighbors lists the cells around a cell at the same accuracy,
// wrapping around the antimeridian and leaving out those past a pole.
func geohashNeighbors(h string, b [4]float64) any {
	w, ht := b[2]-b[0], b[3]-b[1]
	cx, cy := (b[0]+b[2])/2, (b[1]+b[3])/2
	out := []any{}
	for _, s := range geohashNeighborSteps {
		y := cy + s[1]*ht
		if y < -90 || y > 90 {
			continue
		}
		x := cx + s[0]*w
		if x > 180 {
			x -= 360
		} else if x < -180 {
			x += 360
		}
		out = append(out, geohashEncode(x, y, len(h)))
	}
	return out
}
