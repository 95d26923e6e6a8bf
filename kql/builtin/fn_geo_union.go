package builtin

import (
	"cmp"
	"math"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
)

// geo_union_polygons_array: the union of polygons with geodesic edges,
// found by splitting every edge where it meets another polygon's edges
// and keeping the pieces on the outside of all the other polygons.

func init() {
	RegisterScalar(Fixed("geo_union_polygons_array", true,
		Sig{Params: []types.Type{types.Dynamic}, Ret: types.Dynamic, F: geoUnionPolygonsArray}))
	RegisterScalar(Fixed("geo_simplify_polygons_array", true,
		Sig{Params: []types.Type{types.Dynamic, types.Real}, Min: 1, Ret: types.Dynamic, F: geoSimplifyPolygonsArray}))
	RegisterScalar(Fixed("geo_intersection_2polygons", true,
		Sig{Params: []types.Type{types.Dynamic, types.Dynamic}, Ret: types.Dynamic, F: geoIntersection2Polygons}))
}

func geoUnionPolygonsArray(a []types.Value) types.Value {
	arr, ok := a[0].D.([]any)
	if a[0].IsNull() || !ok || len(arr) == 0 {
		return types.NullOf(types.Dynamic)
	}
	o := geoOrigin{}
	var polys [][][]geoVec
	for _, x := range arr {
		v := types.NewDynamic(x)
		ps, ok := geoPolygons(v)
		if !ok {
			return types.NullOf(types.Dynamic)
		}
		o.addShape(v)
		polys = append(polys, ps...)
	}
	rings := chainRings(overlayArcs(orientPolygons(polys), false))
	if len(rings) == 0 {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(polygonsJSON(o, groupRings(rings)))
}

// ringSignedArea is positive for counterclockwise rings.
func ringSignedArea(r []geoVec) float64 {
	sum := 0.0
	for i := 1; i+1 < len(r); i++ {
		sum += triangleArea(r[0], r[i], r[i+1])
	}
	return sum
}

// orientPolygons makes shells counterclockwise and holes clockwise.
func orientPolygons(polys [][][]geoVec) [][][]geoVec {
	out := make([][][]geoVec, len(polys))
	for i, p := range polys {
		out[i] = make([][]geoVec, len(p))
		for j, r := range p {
			r = slices.Clone(r)
			if (ringSignedArea(r) < 0) == (j == 0) {
				slices.Reverse(r)
			}
			out[i][j] = r
		}
	}
	return out
}

// polyArc is a directed boundary arc of polygon poly.
type polyArc struct {
	arc  geoArc
	poly int
}

// splitArcs cuts each polygon's boundary arcs where other polygons'
// edges meet them.
func splitArcs(polys [][][]geoVec) []polyArc {
	var all []polyArc
	for i, p := range polys {
		for _, r := range p {
			for k := range r {
				all = append(all, polyArc{geoArc{r[k], r[(k+1)%len(r)]}, i})
			}
		}
	}
	caps := make([]geoCap, len(all))
	for i, e := range all {
		caps[i] = arcCap(e.arc)
	}
	var out []polyArc
	for i, e := range all {
		cuts := []geoVec{e.arc[0], e.arc[1]}
		for j, f := range all {
			if f.poly == e.poly || !caps[i].meets(caps[j]) {
				continue
			}
			arc, pt := arcOverlap(e.arc, f.arc)
			for _, c := range overlapPoints(arc, pt) {
				if !slices.Contains(cuts, c) {
					cuts = append(cuts, c)
				}
			}
		}
		slices.SortFunc(cuts[1:], func(x, y geoVec) int {
			return cmp.Compare(e.arc[0].angle(x), e.arc[0].angle(y))
		})
		for k := 0; k+1 < len(cuts); k++ {
			out = append(out, polyArc{geoArc{cuts[k], cuts[k+1]}, e.poly})
		}
	}
	return out
}

func overlapPoints(arc *geoArc, pt *geoVec) []geoVec {
	switch {
	case arc != nil:
		return arc[:]
	case pt != nil:
		return []geoVec{*pt}
	}
	return nil
}

// overlayArcs keeps the pieces of boundary outside every other polygon
// (for a union) or inside all of them (for an intersection); a piece
// shared by two polygons is kept once when both lie on the same side of
// it and dropped when they lie on opposite sides.
func overlayArcs(polys [][][]geoVec, intersect bool) []geoArc {
	pieces := splitArcs(polys)
	caps := make([]geoCap, len(polys))
	for i, p := range polys {
		caps[i] = ringCap(p[0])
	}
	first := map[geoArc]int{}
	for _, p := range pieces {
		if _, ok := first[p.arc]; !ok {
			first[p.arc] = p.poly
		}
	}
	var out []geoArc
	for _, p := range pieces {
		if j, ok := first[geoArc{p.arc[1], p.arc[0]}]; ok && j != p.poly {
			continue
		}
		if first[p.arc] != p.poly {
			continue
		}
		if keepPiece(p, polys, caps, intersect) {
			out = append(out, p.arc)
		}
	}
	return out
}

// keepPiece reports whether a piece's middle is strictly inside any
// other polygon (union: drop) or inside or on all of them (intersection:
// keep).
func keepPiece(p polyArc, polys [][][]geoVec, caps []geoCap, intersect bool) bool {
	mid := p.arc[0].add(p.arc[1]).unit()
	for j, q := range polys {
		if j == p.poly {
			continue
		}
		if !caps[j].meets(geoCap{mid, 0}) {
			if intersect {
				return false
			}
			continue
		}
		qs := [][][]geoVec{q}
		on := onPaths(mid, polygonEdges(qs))
		in := inPolygons(mid, qs)
		if intersect && !in && !on {
			return false
		}
		if !intersect && in && !on {
			return false
		}
	}
	return true
}

// chainRings follows directed arcs end to start into closed rings.
func chainRings(arcs []geoArc) [][]geoVec {
	used := make([]bool, len(arcs))
	var rings [][]geoVec
	for i := range arcs {
		if used[i] {
			continue
		}
		used[i] = true
		ring := []geoVec{arcs[i][0]}
		end := arcs[i][1]
		for end != ring[0] {
			j := slices.IndexFunc(arcs, func(a geoArc) bool { return a[0] == end })
			for k := range arcs {
				if !used[k] && arcs[k][0] == end {
					j = k
					break
				}
			}
			if j < 0 || used[j] {
				break
			}
			used[j] = true
			ring = append(ring, end)
			end = arcs[j][1]
		}
		if end == ring[0] && len(ring) >= 3 {
			rings = append(rings, ring)
		}
	}
	return rings
}

// groupRings makes polygons of counterclockwise shells, each with the
// clockwise holes inside it.
func groupRings(rings [][]geoVec) [][][]geoVec {
	var polys [][][]geoVec
	var holes [][]geoVec
	for _, r := range rings {
		if ringSignedArea(r) > 0 {
			polys = append(polys, [][]geoVec{r})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		for i, p := range polys {
			if inRing(h[0].add(h[1]).unit(), p[0]) {
				polys[i] = append(polys[i], h)
				break
			}
		}
	}
	return polys
}

// polygonsJSON is a Polygon for one polygon, else a MultiPolygon.
func polygonsJSON(o geoOrigin, polys [][][]geoVec) *types.Bag {
	coords := make([]any, len(polys))
	for i, p := range polys {
		rings := make([]any, len(p))
		for j, r := range p {
			pts := make([]any, 0, len(r)+1)
			for _, v := range append(r, r[0]) {
				pts = append(pts, o.coords(v))
			}
			rings[j] = pts
		}
		coords[i] = rings
	}
	b := &types.Bag{}
	if len(coords) == 1 {
		b.Set("type", "Polygon")
		b.Set("coordinates", coords[0])
		return b
	}
	b.Set("type", "MultiPolygon")
	b.Set("coordinates", coords)
	return b
}

// geoIntersection2Polygons is the area two polygons (or multipolygons)
// share; an empty GeometryCollection when they share none.
func geoIntersection2Polygons(a []types.Value) types.Value {
	p1, ok1 := geoPolygons(a[0])
	p2, ok2 := geoPolygons(a[1])
	if !ok1 || !ok2 {
		return types.NullOf(types.Dynamic)
	}
	o := geoOrigin{}
	o.addShape(a[0])
	o.addShape(a[1])
	var polys [][][]geoVec
	var contacts []geoVec
	for _, x := range p1 {
		for _, y := range p2 {
			rings := chainRings(overlayArcs(orientPolygons([][][]geoVec{x, y}), true))
			polys = append(polys, groupRings(rings)...)
			contacts = append(contacts, contactPoints(x, y)...)
		}
	}
	var points []geoVec
	for _, c := range contacts {
		if !slices.Contains(points, c) && !onPaths(c, polygonEdges(polys)) {
			points = append(points, c)
		}
	}
	var geoms []any
	if len(points) > 0 {
		geoms = append(geoms, geoPointsJSON(o, points))
	}
	if len(polys) > 0 {
		geoms = append(geoms, polygonsJSON(o, polys))
	}
	if len(geoms) == 1 {
		return types.NewDynamic(geoms[0])
	}
	b := &types.Bag{}
	b.Set("type", "GeometryCollection")
	b.Set("geometries", append([]any{}, geoms...))
	return types.NewDynamic(b)
}

// contactPoints are the points where two polygons' boundaries meet.
func contactPoints(x, y [][]geoVec) []geoVec {
	var out []geoVec
	for _, e := range pathArcs(polygonEdges([][][]geoVec{x})) {
		for _, f := range pathArcs(polygonEdges([][][]geoVec{y})) {
			if _, pt := arcOverlap(e, f); pt != nil {
				out = append(out, *pt)
			}
		}
	}
	return out
}

// geoSimplifyPolygonsArray is the union of the polygons simplified with
// a tolerance in meters (10 when omitted).
func geoSimplifyPolygonsArray(a []types.Value) types.Value {
	tol := 10.0
	if len(a) > 1 && !a[1].IsNull() {
		var ok bool
		if tol, ok = geoReal(a[1]); !ok {
			return types.NullOf(types.Dynamic)
		}
	}
	u := geoUnionPolygonsArray(a[:1])
	if u.IsNull() || tol < 0 {
		return types.NullOf(types.Dynamic)
	}
	return geoSimplify("polygon")([]types.Value{u, types.NewReal(tol)})
}

// geoCap is a spherical cap: the points within an angle of a center.
type geoCap struct {
	center geoVec
	angle  float64
}

// meets reports whether two caps may share a point, with a margin for
// rounding.
func (c geoCap) meets(d geoCap) bool {
	return c.center.angle(d.center) <= c.angle+d.angle+1e-9
}

// arcCap bounds an arc shorter than a half circle.
func arcCap(a geoArc) geoCap {
	m := a[0].add(a[1]).unit()
	return geoCap{m, math.Max(m.angle(a[0]), m.angle(a[1]))}
}

// ringCap bounds a ring within a hemisphere; larger rings get the whole
// sphere.
func ringCap(r []geoVec) geoCap {
	var c geoVec
	for _, v := range r {
		c = c.add(v)
	}
	c = c.unit()
	far := 0.0
	for _, v := range r {
		far = math.Max(far, c.angle(v))
	}
	if far >= math.Pi/2 {
		far = math.Pi
	}
	return geoCap{c, far}
}
