package builtin

import (
	"math"
	"sync"

	"github.com/idlogs/idlogs/kql/types"
)

// GeoJSON shapes read from dynamic values, and vector geometry on the
// unit sphere that the line and polygon functions share.

// geoVec is a point on the unit sphere.
type geoVec [3]float64

func geoVecOf(lon, lat float64) geoVec {
	phi, theta := radians(lat), radians(lon)
	return geoVec{math.Cos(phi) * math.Cos(theta), math.Cos(phi) * math.Sin(theta), math.Sin(phi)}
}

func (v geoVec) lonLat() (float64, float64) {
	return degrees(math.Atan2(v[1], v[0])), degrees(math.Atan2(v[2], math.Hypot(v[0], v[1])))
}

func (v geoVec) dot(w geoVec) float64 { return v[0]*w[0] + v[1]*w[1] + v[2]*w[2] }
func (v geoVec) add(w geoVec) geoVec  { return geoVec{v[0] + w[0], v[1] + w[1], v[2] + w[2]} }
func (v geoVec) sub(w geoVec) geoVec  { return geoVec{v[0] - w[0], v[1] - w[1], v[2] - w[2]} }
func (v geoVec) mul(k float64) geoVec { return geoVec{v[0] * k, v[1] * k, v[2] * k} }
func (v geoVec) norm() float64        { return math.Sqrt(v.dot(v)) }

func (v geoVec) cross(w geoVec) geoVec {
	return geoVec{v[1]*w[2] - v[2]*w[1], v[2]*w[0] - v[0]*w[2], v[0]*w[1] - v[1]*w[0]}
}

func (v geoVec) unit() geoVec {
	n := v.norm()
	if n == 0 {
		return v
	}
	return v.mul(1 / n)
}

// angle is the central angle in radians between two unit vectors.
func (v geoVec) angle(w geoVec) float64 { return math.Atan2(v.cross(w).norm(), v.dot(w)) }

// geoShape is a parsed GeoJSON geometry: lines for LineString and
// MultiLineString, polygons (shell then holes) for Polygon and
// MultiPolygon.
type geoShape struct {
	lines    [][]geoVec
	polygons [][][]geoVec
}

// geoCoords reads a [lon, lat] pair.
func geoCoords(d any) (geoVec, bool) {
	a, ok := d.([]any)
	if !ok || len(a) != 2 {
		return geoVec{}, false
	}
	lon, ok1 := geoNumber(a[0])
	lat, ok2 := geoNumber(a[1])
	if !ok1 || !ok2 || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return geoVec{}, false
	}
	return geoVecOf(lon, lat), true
}

func geoNumber(d any) (float64, bool) {
	switch x := d.(type) {
	case float64:
		return x, !math.IsNaN(x)
	case int64:
		return float64(x), true
	}
	return 0, false
}

// geoLine reads a line of at least two points.
func geoLine(d any) ([]geoVec, bool) {
	a, ok := d.([]any)
	if !ok || len(a) < 2 {
		return nil, false
	}
	out := make([]geoVec, len(a))
	for i, c := range a {
		if out[i], ok = geoCoords(c); !ok {
			return nil, false
		}
	}
	return out, true
}

// geoRing reads a closed ring with at least three distinct vertices; the
// closing vertex is dropped.
func geoRing(d any) ([]geoVec, bool) {
	r, ok := geoLine(d)
	if !ok || len(r) < 4 || r[0] != r[len(r)-1] {
		return nil, false
	}
	r = r[:len(r)-1]
	distinct := map[geoVec]bool{}
	for _, v := range r {
		distinct[v] = true
	}
	return r, len(distinct) >= 3
}

func geoPolygon(d any) ([][]geoVec, bool) {
	a, ok := d.([]any)
	if !ok || len(a) == 0 {
		return nil, false
	}
	out := make([][]geoVec, len(a))
	for i, r := range a {
		if out[i], ok = geoRing(r); !ok {
			return nil, false
		}
	}
	return out, true
}

// lastShape remembers the most recent parse: a shape argument is most
// often one constant value seen on every row.
var lastShape struct {
	sync.Mutex
	bag   *types.Bag
	shape geoShape
	kind  string
	ok    bool
	projs [][]*ringProj
}

// parseGeoShape reads a GeoJSON geometry: its kind is "line" or
// "polygon". Parsed shapes are shared and must not be modified.
func parseGeoShape(v types.Value) (geoShape, string, bool) {
	b, isBag := v.D.(*types.Bag)
	if v.IsNull() || !isBag {
		return geoShape{}, "", false
	}
	lastShape.Lock()
	defer lastShape.Unlock()
	if lastShape.bag != b {
		lastShape.shape, lastShape.kind, lastShape.ok = parseGeoBag(b)
		lastShape.bag, lastShape.projs = b, nil
	}
	return lastShape.shape, lastShape.kind, lastShape.ok
}

// shapeProjections are the ring projections of the polygons parsed from
// v, computed once while v is the remembered shape.
func shapeProjections(v types.Value, polys [][][]geoVec) [][]*ringProj {
	b, _ := v.D.(*types.Bag)
	lastShape.Lock()
	defer lastShape.Unlock()
	if lastShape.bag == b && lastShape.projs != nil {
		return lastShape.projs
	}
	projs := make([][]*ringProj, len(polys))
	for i, poly := range polys {
		projs[i] = make([]*ringProj, len(poly))
		for j, r := range poly {
			projs[i][j] = newRingProj(r)
		}
	}
	if lastShape.bag == b {
		lastShape.projs = projs
	}
	return projs
}

func parseGeoBag(b *types.Bag) (geoShape, string, bool) {
	var s geoShape
	t, _ := b.Get("type")
	c, _ := b.Get("coordinates")
	typ, _ := t.(string)
	arr, isArr := c.([]any)
	if !isArr {
		return s, "", false
	}
	switch typ {
	case "LineString":
		l, ok := geoLine(arr)
		s.lines = [][]geoVec{l}
		return s, "line", ok
	case "MultiLineString":
		for _, x := range arr {
			l, ok := geoLine(x)
			if !ok {
				return s, "", false
			}
			s.lines = append(s.lines, l)
		}
		return s, "line", len(s.lines) > 0
	case "Polygon":
		p, ok := geoPolygon(arr)
		s.polygons = [][][]geoVec{p}
		return s, "polygon", ok
	case "MultiPolygon":
		for _, x := range arr {
			p, ok := geoPolygon(x)
			if !ok {
				return s, "", false
			}
			s.polygons = append(s.polygons, p)
		}
		return s, "polygon", len(s.polygons) > 0
	}
	return s, "", false
}

// geoLines reads a line or multiline; ok is false for anything else.
func geoLines(v types.Value) ([][]geoVec, bool) {
	s, kind, ok := parseGeoShape(v)
	return s.lines, ok && kind == "line"
}

// geoPolygons reads a polygon or multipolygon.
func geoPolygons(v types.Value) ([][][]geoVec, bool) {
	s, kind, ok := parseGeoShape(v)
	return s.polygons, ok && kind == "polygon"
}

// geoVecPoint is a GeoJSON point at a unit vector.
func geoVecPoint(v geoVec) *types.Bag {
	return geoJSONPoint(v.lonLat())
}

// closestOnArc is the point of the arc from a to b closest to p.
func closestOnArc(p, a, b geoVec) geoVec {
	n := a.cross(b)
	if n.norm() == 0 {
		return a
	}
	n = n.unit()
	q := p.sub(n.mul(p.dot(n)))
	if q.norm() > 0 {
		q = q.unit()
		// q lies within the arc when it is on the inner side of both ends.
		if a.cross(q).dot(n) >= 0 && q.cross(b).dot(n) >= 0 {
			return q
		}
	}
	if p.angle(a) <= p.angle(b) {
		return a
	}
	return b
}

// closestOnLines is the point of the lines closest to p.
func closestOnLines(p geoVec, lines [][]geoVec) geoVec {
	best, bestAngle := lines[0][0], math.Inf(1)
	for _, l := range lines {
		for i := 0; i+1 < len(l); i++ {
			q := closestOnArc(p, l[i], l[i+1])
			if d := p.angle(q); d < bestAngle {
				best, bestAngle = q, d
			}
		}
	}
	return best
}

// slerp is the point a fraction t of the way along the arc from a to b.
func slerp(a, b geoVec, t float64) geoVec {
	w := a.angle(b)
	if w == 0 {
		return a
	}
	s := math.Sin(w)
	return a.mul(math.Sin((1-t)*w) / s).add(b.mul(math.Sin(t*w) / s)).unit()
}
