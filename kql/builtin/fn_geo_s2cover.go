package builtin

import (
	"math"
	"slices"

	"github.com/idlogs/idlogs/kql/types"
)

// Covering lines and polygons, optionally buffered by a radius, with S2
// cells of one level.

func init() {
	dyn := types.Dynamic
	params := []types.Type{dyn, types.Long, types.Real}
	RegisterScalar(Fixed("geo_polygon_to_s2cells", true,
		Sig{Params: params, Min: 1, Ret: dyn, F: geoToS2Cells("polygon")}))
	RegisterScalar(Fixed("geo_line_to_s2cells", true,
		Sig{Params: params, Min: 1, Ret: dyn, F: geoToS2Cells("line")}))
}

// s2CoverMaxCells is the most cells a covering may have.
const s2CoverMaxCells = 65536

// geoToS2Cells returns the covering function for lines or polygons: the
// level is 11 and the radius 0 meters when omitted.
func geoToS2Cells(kind string) RowFunc {
	return func(a []types.Value) types.Value {
		s, k, ok := parseGeoShape(a[0])
		level, radius := int64(11), 0.0
		if len(a) > 1 && !a[1].IsNull() {
			var okL bool
			level, okL = valueInt(a[1])
			ok = ok && okL
		}
		if len(a) > 2 && !a[2].IsNull() {
			var okR bool
			radius, okR = geoReal(a[2])
			ok = ok && okR
		}
		if !ok || k != kind || level < 0 || level > s2MaxLevel || radius < 0 {
			return types.NullOf(types.Dynamic)
		}
		cov := &s2Coverer{shape: s, level: int(level), radius: radius / earthRadius}
		cov.cover()
		if cov.overflow {
			return types.NullOf(types.Dynamic)
		}
		return types.NewDynamic(dynStrings(cov.tokens))
	}
}

// s2Coverer descends the cell hierarchy, keeping the cells of the target
// level within radius (radians) of the shape.
type s2Coverer struct {
	shape    geoShape
	level    int
	radius   float64
	tokens   []string
	overflow bool
}

// cover finds the cells level by level, so that a covering too large is
// known before its cells are listed.
func (c *s2Coverer) cover() {
	var frontier, found []s2CellID
	for f := uint64(0); f < 6; f++ {
		frontier = append(frontier, s2CellID(f<<s2PosBits|1<<(s2PosBits-1)))
	}
	count := 0
	for len(frontier) > 0 {
		var next []s2CellID
		for _, id := range frontier {
			near, inside := c.relate(id)
			switch {
			case !near:
			case id.level() == c.level || inside:
				found = append(found, id)
				count += 1 << (2 * (c.level - id.level()))
			default:
				lsb := id.lsb() >> 2
				for k := uint64(0); k < 4; k++ {
					next = append(next, s2CellID(uint64(id)-3*lsb+2*k*lsb))
				}
			}
			if count+len(next) > s2CoverMaxCells {
				c.overflow = true
				return
			}
		}
		frontier = next
	}
	slices.Sort(found)
	for _, id := range found {
		c.add(id, 1<<(2*(c.level-id.level())))
	}
}

// add appends the n descendants of id at the target level.
func (c *s2Coverer) add(id s2CellID, n int) {
	step := uint64(1) << (2 * (s2MaxLevel - c.level))
	first := uint64(id) - id.lsb() + step
	for k := 0; k < n; k++ {
		c.tokens = append(c.tokens, s2CellID(first+2*uint64(k)*step).token())
	}
}

// relate reports whether the cell is within the radius of the shape, and
// whether it lies wholly inside a polygon.
func (c *s2Coverer) relate(id s2CellID) (near, inside bool) {
	cell := s2CellRing(id)
	cellPolys := [][][]geoVec{{cell}}
	cellEdges := polygonEdges(cellPolys)
	paths := c.shape.lines
	cornersIn := false
	if c.shape.polygons != nil {
		paths = polygonEdges(c.shape.polygons)
		cornersIn = allInPolygons(cell, c.shape.polygons)
	}
	switch {
	case linesIntersect(paths, cellEdges):
		return true, false
	case cornersIn:
		return true, !anyInPolygons(paths, cellPolys)
	case anyInPolygons(paths, cellPolys) || anyInPolygons(cellEdges, c.shape.polygons):
		return true, false
	}
	return c.radius > 0 && pathsDistance(paths, cellEdges) <= c.radius, false
}

// allInPolygons reports whether every point is inside the polygons.
func allInPolygons(ps []geoVec, polys [][][]geoVec) bool {
	for _, p := range ps {
		if !inPolygons(p, polys) {
			return false
		}
	}
	return true
}

// s2CellRing is the cell's boundary as unit vectors.
func s2CellRing(id s2CellID) []geoVec {
	v := id.vertices()
	out := make([]geoVec, 4)
	for i, p := range v {
		out[i] = geoVecOf(p[0], p[1])
	}
	return out
}

// pathsDistance is the smallest angle between two sets of paths that do
// not cross.
func pathsDistance(l1, l2 [][]geoVec) float64 {
	best := math.Inf(1)
	for _, pair := range [2][2][][]geoVec{{l1, l2}, {l2, l1}} {
		for _, p := range pair[0] {
			for _, v := range p {
				best = math.Min(best, v.angle(closestOnLines(v, pair[1])))
			}
		}
	}
	return best
}
