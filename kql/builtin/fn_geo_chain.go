package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
)

// Building GeoJSON results from pieces of geodesic geometry: arcs are
// chained into paths, and vertices keep the coordinates they were given
// in when they come from the input.

// geoArc is a piece of a great circle between two points.
type geoArc [2]geoVec

// geoOrigin maps input vertices to their given longitude and latitude.
type geoOrigin map[geoVec][2]float64

// addCoords records the points of a GeoJSON coordinates array.
func (o geoOrigin) addCoords(c any) {
	arr, ok := c.([]any)
	if !ok || len(arr) == 0 {
		return
	}
	if v, isPoint := geoCoords(arr); isPoint {
		x, _ := geoNumber(arr[0])
		y, _ := geoNumber(arr[1])
		o[v] = [2]float64{x, y}
		return
	}
	for _, x := range arr {
		o.addCoords(x)
	}
}

// addShape records the vertices of a GeoJSON value.
func (o geoOrigin) addShape(v types.Value) {
	if b, ok := v.D.(*types.Bag); ok {
		c, _ := b.Get("coordinates")
		o.addCoords(c)
	}
}

func (o geoOrigin) coords(v geoVec) []any {
	if p, ok := o[v]; ok {
		return []any{p[0], p[1]}
	}
	lon, lat := v.lonLat()
	return []any{lon, lat}
}

// chainArcs joins arcs sharing end points into paths, in input order.
func chainArcs(arcs []geoArc) [][]geoVec {
	used := make([]bool, len(arcs))
	var paths [][]geoVec
	for i := range arcs {
		if used[i] {
			continue
		}
		used[i] = true
		path := []geoVec{arcs[i][0], arcs[i][1]}
		for grown := true; grown; {
			grown = false
			for j := range arcs {
				if used[j] {
					continue
				}
				if p, ok := extendPath(path, arcs[j]); ok {
					path, used[j], grown = p, true, true
				}
			}
		}
		paths = append(paths, path)
	}
	return paths
}

// extendPath adds an arc at either end of a path when it touches it.
func extendPath(path []geoVec, a geoArc) ([]geoVec, bool) {
	first, last := path[0], path[len(path)-1]
	switch {
	case a[0] == last:
		return append(path, a[1]), true
	case a[1] == last:
		return append(path, a[0]), true
	case a[1] == first:
		return append([]geoVec{a[0]}, path...), true
	case a[0] == first:
		return append([]geoVec{a[1]}, path...), true
	}
	return path, false
}

// geoResult builds the GeoJSON of paths and points: a single kind as
// (Multi)LineString or (Multi)Point, both as a GeometryCollection, and
// nothing as an empty GeometryCollection.
func geoResult(o geoOrigin, paths [][]geoVec, points []geoVec) *types.Bag {
	var geoms []any
	if len(paths) > 0 {
		geoms = append(geoms, geoPathsJSON(o, paths))
	}
	if len(points) > 0 {
		geoms = append(geoms, geoPointsJSON(o, points))
	}
	if len(geoms) == 1 {
		return geoms[0].(*types.Bag)
	}
	b := &types.Bag{}
	b.Set("type", "GeometryCollection")
	if geoms == nil {
		geoms = []any{}
	}
	b.Set("geometries", geoms)
	return b
}

func geoPathsJSON(o geoOrigin, paths [][]geoVec) *types.Bag {
	lines := make([]any, len(paths))
	for i, p := range paths {
		pts := make([]any, len(p))
		for j, v := range p {
			pts[j] = o.coords(v)
		}
		lines[i] = pts
	}
	b := &types.Bag{}
	if len(lines) == 1 {
		b.Set("type", "LineString")
		b.Set("coordinates", lines[0])
		return b
	}
	b.Set("type", "MultiLineString")
	b.Set("coordinates", lines)
	return b
}

func geoPointsJSON(o geoOrigin, points []geoVec) *types.Bag {
	b := &types.Bag{}
	if len(points) == 1 {
		b.Set("type", "Point")
		b.Set("coordinates", o.coords(points[0]))
		return b
	}
	pts := make([]any, len(points))
	for i, v := range points {
		pts[i] = o.coords(v)
	}
	b.Set("type", "MultiPoint")
	b.Set("coordinates", pts)
	return b
}
