package builtin

import (
	"cmp"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
)

// Intersections and unions of lines, and lines clipped by polygons, with
// geodesic edges.

func init() {
	dyn := types.Dynamic
	RegisterScalar(Fixed("geo_intersection_2lines", true,
		Sig{Params: []types.Type{dyn, dyn}, Ret: dyn, F: geoIntersection2Lines}))
	RegisterScalar(Fixed("geo_intersection_line_with_polygon", true,
		Sig{Params: []types.Type{dyn, dyn}, Ret: dyn, F: geoIntersectionLineWithPolygon}))
	RegisterScalar(Fixed("geo_union_lines_array", true,
		Sig{Params: []types.Type{dyn}, Ret: dyn, F: geoUnionLinesArray}))
}

// pathArcs lists the arcs of paths, leaving out repeated ones in either
// direction.
func pathArcs(paths [][]geoVec) []geoArc {
	seen := map[geoArc]bool{}
	var out []geoArc
	for _, p := range paths {
		for i := 0; i+1 < len(p); i++ {
			a := geoArc{p[i], p[i+1]}
			if a[0] == a[1] || seen[a] || seen[geoArc{a[1], a[0]}] {
				continue
			}
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

func geoUnionLinesArray(a []types.Value) types.Value {
	arr, ok := a[0].D.([]any)
	if a[0].IsNull() || !ok || len(arr) == 0 {
		return types.NullOf(types.Dynamic)
	}
	o := geoOrigin{}
	var paths [][]geoVec
	for _, x := range arr {
		v := types.NewDynamic(x)
		lines, ok := geoLines(v)
		if !ok {
			return types.NullOf(types.Dynamic)
		}
		o.addShape(v)
		paths = append(paths, lines...)
	}
	return types.NewDynamic(geoResult(o, chainArcs(pathArcs(paths)), nil))
}

// arcOverlap is what two arcs share: an arc, a point, or nothing.
func arcOverlap(p, q geoArc) (arc *geoArc, pt *geoVec) {
	n1, n2 := p[0].cross(p[1]), q[0].cross(q[1])
	x := n1.cross(n2)
	if x.norm() > geoTouch*n1.norm()*n2.norm() {
		x = x.unit()
		for _, s := range [2]geoVec{x, x.mul(-1)} {
			if onArc(s, p[0], p[1]) && onArc(s, q[0], q[1]) {
				return nil, snapTo(s, p[0], p[1], q[0], q[1])
			}
		}
		return nil, nil
	}
	// On one great circle: the ends of either arc lying on the other.
	var ends []geoVec
	for _, t := range [4][3]geoVec{{p[0], q[0], q[1]}, {p[1], q[0], q[1]}, {q[0], p[0], p[1]}, {q[1], p[0], p[1]}} {
		if t[0].angle(closestOnArc(t[0], t[1], t[2])) < geoTouch && !slices.Contains(ends, t[0]) {
			ends = append(ends, t[0])
		}
	}
	switch len(ends) {
	case 0:
		return nil, nil
	case 1:
		return nil, &ends[0]
	}
	return &geoArc{ends[0], ends[1]}, nil
}

// snapTo returns the given vertex the point lies on, if any, so results
// keep input coordinates.
func snapTo(s geoVec, vs ...geoVec) *geoVec {
	for _, v := range vs {
		if s.angle(v) < geoTouch {
			return &v
		}
	}
	return &s
}

func geoIntersection2Lines(a []types.Value) types.Value {
	l1, ok1 := geoLines(a[0])
	l2, ok2 := geoLines(a[1])
	if !ok1 || !ok2 {
		return types.NullOf(types.Dynamic)
	}
	o := geoOrigin{}
	o.addShape(a[0])
	o.addShape(a[1])
	var arcs []geoArc
	var points []geoVec
	for _, p := range pathArcs(l1) {
		for _, q := range pathArcs(l2) {
			arc, pt := arcOverlap(p, q)
			if arc != nil {
				arcs = append(arcs, *arc)
			} else if pt != nil && !slices.Contains(points, *pt) {
				points = append(points, *pt)
			}
		}
	}
	paths := chainArcs(arcs)
	points = slices.DeleteFunc(points, func(v geoVec) bool { return onPaths(v, paths) })
	return types.NewDynamic(geoResult(o, paths, points))
}

// onPaths reports whether v lies on one of the paths.
func onPaths(v geoVec, paths [][]geoVec) bool {
	return len(paths) > 0 && v.angle(closestOnLines(v, paths)) < geoTouch
}

// geoIntersectionLineWithPolygon clips lines to the polygons: each arc is
// split where it crosses a polygon edge, and the pieces whose middles are
// inside are kept.
func geoIntersectionLineWithPolygon(a []types.Value) types.Value {
	lines, ok1 := geoLines(a[0])
	polys, ok2 := geoPolygons(a[1])
	if !ok1 || !ok2 {
		return types.NullOf(types.Dynamic)
	}
	o := geoOrigin{}
	o.addShape(a[0])
	o.addShape(a[1])
	edges := pathArcs(polygonEdges(polys))
	var arcs []geoArc
	for _, arc := range pathArcs(lines) {
		cuts := []geoVec{arc[0], arc[1]}
		for _, e := range edges {
			if _, pt := arcOverlap(arc, e); pt != nil && !slices.Contains(cuts, *pt) {
				cuts = append(cuts, *pt)
			}
		}
		slices.SortFunc(cuts[1:], func(x, y geoVec) int {
			return cmp.Compare(arc[0].angle(x), arc[0].angle(y))
		})
		for i := 0; i+1 < len(cuts); i++ {
			if inPolygons(cuts[i].add(cuts[i+1]).unit(), polys) {
				arcs = append(arcs, geoArc{cuts[i], cuts[i+1]})
			}
		}
	}
	return types.NewDynamic(geoResult(o, chainArcs(arcs), nil))
}
