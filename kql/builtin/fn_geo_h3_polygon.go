package builtin

import (
	"math"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
)

// geo_polygon_to_h3cells: the cells whose centers lie inside a GeoJSON
// polygon or multipolygon (edges taken as straight lines in longitude and
// latitude) or within an optional radius in meters of it, sorted by index.
func init() {
	RegisterScalar(Fixed("geo_polygon_to_h3cells", false,
		Sig{Params: []types.Type{types.Dynamic, types.Long, types.Real}, Ret: types.Dynamic, Min: 1, F: geoPolygonToH3Cells}))
}

// h3MaxPolygonCells is the largest cell list geo_polygon_to_h3cells returns.
const h3MaxPolygonCells = 61680

// h3Ring is a closed ring of [lng, lat] points (first point repeated last).
type h3Ring [][2]float64

// h3Polygon is an outer ring followed by holes.
type h3Polygon []h3Ring

func geoPolygonToH3Cells(args []types.Value) types.Value {
	null := types.NullOf(types.Dynamic)
	res := int64(6)
	if len(args) > 1 {
		if args[1].IsNull() {
			return null
		}
		res = args[1].I
	}
	radius := 0.0
	if len(args) > 2 {
		radius = args[2].F
		if args[2].IsNull() || !(radius >= 0) || math.IsInf(radius, 1) {
			return null
		}
	}
	polys, ok := h3ParseGeoJSONPolygons(args[0].D)
	if !ok || res < 0 || res > h3MaxRes {
		return null
	}
	cells, ok := h3PolygonCells(polys, int(res), radius)
	if !ok {
		return null
	}
	return types.NewDynamic(h3Tokens(cells))
}

// h3ParseGeoJSONPolygons reads a GeoJSON Polygon or MultiPolygon.
func h3ParseGeoJSONPolygons(d any) ([]h3Polygon, bool) {
	bag, ok := d.(*types.Bag)
	if !ok {
		return nil, false
	}
	kind, _ := bag.Get("type")
	coords, _ := bag.Get("coordinates")
	arr, ok := coords.([]any)
	if !ok || len(arr) == 0 {
		return nil, false
	}
	switch kind {
	case "Polygon":
		p, ok := h3ParsePolygon(arr)
		return []h3Polygon{p}, ok
	case "MultiPolygon":
		out := make([]h3Polygon, 0, len(arr))
		for _, a := range arr {
			pa, ok := a.([]any)
			if !ok {
				return nil, false
			}
			p, ok := h3ParsePolygon(pa)
			if !ok {
				return nil, false
			}
			out = append(out, p)
		}
		return out, true
	}
	return nil, false
}

func h3ParsePolygon(rings []any) (h3Polygon, bool) {
	if len(rings) == 0 {
		return nil, false
	}
	p := make(h3Polygon, 0, len(rings))
	for _, r := range rings {
		pts, ok := r.([]any)
		if !ok || len(pts) < 4 {
			return nil, false
		}
		ring := make(h3Ring, len(pts))
		for i, pt := range pts {
			if ring[i], ok = h3ParsePoint(pt); !ok {
				return nil, false
			}
		}
		if ring[0] != ring[len(ring)-1] {
			return nil, false
		}
		p = append(p, ring)
	}
	return p, true
}

func h3ParsePoint(pt any) ([2]float64, bool) {
	xy, ok := pt.([]any)
	if !ok || len(xy) != 2 {
		return [2]float64{}, false
	}
	var out [2]float64
	for i, c := range xy {
		switch n := c.(type) {
		case int64:
			out[i] = float64(n)
		case float64:
			out[i] = n
		default:
			return out, false
		}
	}
	if math.Abs(out[0]) > 180 || math.Abs(out[1]) > 90 {
		return out, false
	}
	return out, true
}

// contains reports whether a point lies inside the outer ring and outside
// the holes (even-odd rule).
func (p h3Polygon) contains(lng, lat float64) bool {
	in := false
	for _, r := range p {
		if r.contains(lng, lat) {
			in = !in
		}
	}
	return in
}

func (r h3Ring) contains(lng, lat float64) bool {
	in := false
	for i := 1; i < len(r); i++ {
		a, b := r[i-1], r[i]
		if (a[1] > lat) != (b[1] > lat) && lng < (b[0]-a[0])*(lat-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// h3PolygonCells flood-fills from the cells along the polygons' edges;
// ok is false when the cells exceed the limit.
func h3PolygonCells(polys []h3Polygon, res int, radius float64) ([]h3Index, bool) {
	step := 10 / math.Pow(h3Sqrt7, float64(res)) / 4 // degrees, under half an edge
	var queue []h3Index
	seen := map[h3Index]bool{}
	for _, p := range polys {
		for _, r := range p {
			for i := 1; i < len(r); i++ {
				a, b := r[i-1], r[i]
				n := int(math.Ceil(math.Hypot(b[0]-a[0], b[1]-a[1]) / step))
				if n > 4*h3MaxPolygonCells {
					return nil, false
				}
				for j := 0; j <= n; j++ {
					t := float64(j) / float64(max(n, 1))
					c := h3LatLngToCell(a[1]+t*(b[1]-a[1]), a[0]+t*(b[0]-a[0]), res)
					if !seen[c] {
						seen[c] = true
						queue = append(queue, c)
					}
				}
			}
		}
	}
	inside := func(c h3Index) bool {
		lat, lng := c.center()
		for _, p := range polys {
			if p.contains(lng, lat) || radius > 0 && p.within(lng, lat, radius) {
				return true
			}
		}
		return false
	}
	edge := len(queue)
	var out []h3Index
	for i := 0; i < len(queue); i++ {
		c := queue[i]
		in := inside(c)
		if in {
			if out = append(out, c); len(out) > h3MaxPolygonCells {
				return nil, false
			}
		}
		if !in && i >= edge {
			continue
		}
		for _, n := range c.rings(1)[1] {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	slices.Sort(out)
	return out, true
}

// h3EarthRadiusM is the mean earth radius in meters.
const h3EarthRadiusM = 6371008.8

// within reports whether a point lies within radius meters of one of the
// polygon's edges, measured in a local equirectangular projection.
func (p h3Polygon) within(lng, lat, radius float64) bool {
	scale := h3EarthRadiusM * h3DegToRad
	kx := math.Cos(lat*h3DegToRad) * scale
	project := func(q [2]float64) (float64, float64) {
		dl := q[0] - lng
		if dl > 180 {
			dl -= 360
		} else if dl < -180 {
			dl += 360
		}
		return dl * kx, (q[1] - lat) * scale
	}
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			ax, ay := project(r[i-1])
			bx, by := project(r[i])
			if h3SegmentDist(ax, ay, bx, by) <= radius {
				return true
			}
		}
	}
	return false
}

// h3SegmentDist is the distance from the origin to the segment a-b.
func h3SegmentDist(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}
