package builtin

import "math"

// Grid traversal and cell boundaries of the H3 grid.

// h3RingDirections walk a ring counterclockwise; each ring starts one step
// in the i direction from the previous ring's start.
var h3RingDirections = [6]int{h3DigitJ, h3DigitJK, h3DigitK, h3DigitIK, h3DigitI, h3DigitIJ}

// Digit and carry tables for moving one step in a direction: current
// digit -> direction -> new digit or carried direction at the coarser
// resolution, for class II and class III resolutions.
var (
	h3NewDigitII = [7][7]int{
		{0, 1, 2, 3, 4, 5, 6}, {1, 4, 3, 6, 5, 2, 0}, {2, 3, 1, 4, 6, 0, 5}, {3, 6, 4, 5, 0, 1, 2},
		{4, 5, 6, 0, 2, 3, 1}, {5, 2, 0, 1, 3, 6, 4}, {6, 0, 5, 2, 1, 4, 3},
	}
	h3NewAdjII = [7][7]int{
		{0, 0, 0, 0, 0, 0, 0}, {0, 1, 0, 1, 0, 5, 0}, {0, 0, 2, 3, 0, 0, 2}, {0, 1, 3, 3, 0, 0, 0},
		{0, 0, 0, 0, 4, 4, 6}, {0, 5, 0, 0, 4, 5, 0}, {0, 0, 2, 0, 6, 0, 6},
	}
	h3NewDigitIII = [7][7]int{
		{0, 1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6, 0}, {2, 3, 4, 5, 6, 0, 1}, {3, 4, 5, 6, 0, 1, 2},
		{4, 5, 6, 0, 1, 2, 3}, {5, 6, 0, 1, 2, 3, 4}, {6, 0, 1, 2, 3, 4, 5},
	}
	h3NewAdjIII = [7][7]int{
		{0, 0, 0, 0, 0, 0, 0}, {0, 1, 0, 3, 0, 1, 0}, {0, 0, 2, 2, 0, 0, 6}, {0, 3, 2, 3, 0, 0, 0},
		{0, 0, 0, 0, 4, 5, 4}, {0, 1, 0, 0, 5, 5, 0}, {0, 0, 6, 0, 4, 0, 6},
	}
)

// neighbor moves one step in a direction, tracking the rotations between
// coordinate systems. ok is false when the step leaves a pentagon through
// its deleted direction.
func (h h3Index) neighbor(dir int, rotations *int) (h3Index, bool) {
	*rotations %= 6
	for i := 0; i < *rotations; i++ {
		dir = h3DigitCCW[dir]
	}
	cur, newRot := h.stepDigits(dir, rotations)
	if !h3BaseCells[cur.baseCell()].pentagon {
		for i := 0; i < newRot; i++ {
			cur = cur.rot60ccw()
		}
		*rotations = (*rotations + newRot) % 6
		return cur, true
	}
	cur, ok := cur.intoPentagon(h, newRot, rotations)
	*rotations = (*rotations + newRot) % 6
	return cur, ok
}

// stepDigits rewrites the digits for one step, carrying to coarser
// resolutions and across base cells; it returns the rotations into the new
// base cell's coordinate system.
func (h h3Index) stepDigits(dir int, rotations *int) (h3Index, int) {
	for r := h.res() - 1; r >= 0; r-- {
		old := h.digit(r + 1)
		var next int
		if h3ClassIII(r + 1) {
			h.setDigit(r+1, h3NewDigitII[old][dir])
			next = h3NewAdjII[old][dir]
		} else {
			h.setDigit(r+1, h3NewDigitIII[old][dir])
			next = h3NewAdjIII[old][dir]
		}
		if next == h3DigitCenter {
			return h, 0
		}
		dir = next
	}
	old := h.baseCell()
	nb, rot := int(h3BaseCellNeighbors[old][dir]), int(h3BaseCellNeighborRots[old][dir])
	if nb == h3InvalidBase {
		// The deleted k direction of a pentagon borders the ik neighbor.
		nb, rot = int(h3BaseCellNeighbors[old][h3DigitIK]), int(h3BaseCellNeighborRots[old][h3DigitIK])
		h = h.rot60ccw()
		*rotations++
	}
	h.setBaseCell(nb)
	return h, rot
}

// intoPentagon finishes a step from orig that landed in a pentagon base
// cell: it rotates out of the deleted k subsequence and accounts for the
// pentagon's distortion.
func (cur h3Index) intoPentagon(orig h3Index, newRot int, rotations *int) (h3Index, bool) {
	oldBC, newBC := orig.baseCell(), cur.baseCell()
	adjusted := false
	if cur.leadingDigit() == h3DigitK {
		switch {
		case oldBC != newBC && h3IsCwOffset(newBC, h3BaseCells[oldBC].home.face):
			cur, adjusted = cur.rot60cw(), true
		case oldBC != newBC:
			cur, adjusted = cur.rot60ccw(), true
		case orig.leadingDigit() == h3DigitJK:
			cur = cur.rot60ccw()
			*rotations++
		case orig.leadingDigit() == h3DigitIK:
			cur = cur.rot60cw()
			*rotations += 5
		default:
			return 0, false
		}
	}
	for i := 0; i < newRot; i++ {
		cur = cur.rotPent60ccw()
	}
	if oldBC == newBC {
		return cur, true
	}
	if newBC == 4 || newBC == 117 {
		// Polar pentagons have all their neighbors in the i direction.
		if oldBC != 118 && oldBC != 8 && cur.leadingDigit() != h3DigitJK {
			*rotations++
		}
	} else if cur.leadingDigit() == h3DigitIK && !adjusted {
		*rotations++
	}
	return cur, true
}

// rings lists the cells within k steps, grouped by distance.
func (h h3Index) rings(k int) [][]h3Index {
	if out, ok := h.ringsUnsafe(k); ok {
		return out
	}
	return h.ringsSafe(k)
}

// ringsUnsafe walks the rings directly; it fails near pentagons.
func (h h3Index) ringsUnsafe(k int) ([][]h3Index, bool) {
	out := [][]h3Index{{h}}
	if h.isPentagon() {
		return nil, false
	}
	origin, rotations := h, 0
	for ring := 1; ring <= k; ring++ {
		var ok bool
		if origin, ok = origin.neighbor(h3DigitI, &rotations); !ok || origin.isPentagon() {
			return nil, false
		}
		cells := make([]h3Index, 0, 6*ring)
		for _, dir := range h3RingDirections {
			for i := 0; i < ring; i++ {
				if origin, ok = origin.neighbor(dir, &rotations); !ok {
					return nil, false
				}
				cells = append(cells, origin)
				if origin.isPentagon() {
					return nil, false
				}
			}
		}
		// The walk ends where it started; the start goes last as in
		// the disk order.
		out = append(out, cells)
	}
	return out, true
}

// ringsSafe finds the cells by a depth-first search that keeps them in
// an open-addressing table keyed by index; the rings list them in table
// order, as the reference implementation does.
func (h h3Index) ringsSafe(k int) [][]h3Index {
	size := 3*k*(k+1) + 1
	cells := make([]h3Index, size)
	dist := make([]int, size)
	var visit func(c h3Index, d int)
	visit = func(c h3Index, d int) {
		off := int(uint64(c) % uint64(size))
		for cells[off] != 0 && cells[off] != c {
			off = (off + 1) % size
		}
		if cells[off] == c && dist[off] <= d {
			return
		}
		cells[off], dist[off] = c, d
		if d >= k {
			return
		}
		for _, dir := range h3RingDirections {
			rot := 0
			if n, ok := c.neighbor(dir, &rot); ok {
				visit(n, d+1)
			}
		}
	}
	visit(h, 0)
	out := make([][]h3Index, k+1)
	for i, c := range cells {
		if c != 0 {
			out[dist[i]] = append(out[dist[i]], c)
		}
	}
	return out
}

// Substrate vertices of an origin-centered cell, ccw from the i axis, for
// class II and class III resolutions.
var (
	h3VertsCII  = [6]h3IJK{{2, 1, 0}, {1, 2, 0}, {0, 2, 1}, {0, 1, 2}, {1, 0, 2}, {2, 0, 1}}
	h3VertsCIII = [6]h3IJK{{5, 4, 0}, {1, 5, 0}, {0, 5, 4}, {0, 1, 5}, {4, 0, 5}, {5, 0, 1}}
)

// vertices gives the cell's vertices on the substrate grid and the
// substrate resolution.
func (f h3FaceIJK) vertices(res, n int) ([]h3FaceIJK, int) {
	verts := h3VertsCII[:n]
	if h3ClassIII(res) {
		verts = h3VertsCIII[:n]
	}
	c := f.coord.downAp3().downAp3r()
	if h3ClassIII(res) {
		c = c.downAp7r()
		res++
	}
	out := make([]h3FaceIJK, n)
	for i, v := range verts {
		out[i] = h3FaceIJK{f.face, c.add(v).normalize()}
	}
	return out, res
}

// h3FaceEdge gives the face edge (in substrate hex2d coordinates) towards
// an adjacent face quadrant.
func h3FaceEdge(adjRes, dir int) (x0, y0, x1, y1 float64) {
	m := float64(h3MaxDim[adjRes])
	v := [3][2]float64{{3 * m, 0}, {-1.5 * m, 3 * h3Sqrt3Half * m}, {-1.5 * m, -3 * h3Sqrt3Half * m}}
	a, b := v[2], v[0] // ki
	switch dir {
	case 1:
		a, b = v[0], v[1]
	case 3:
		a, b = v[1], v[2]
	}
	return a[0], a[1], b[0], b[1]
}

// h3Intersect intersects the lines p0-p1 and p2-p3.
func h3Intersect(p0x, p0y, p1x, p1y, p2x, p2y, p3x, p3y float64) (float64, float64) {
	s1x, s1y := p1x-p0x, p1y-p0y
	s2x, s2y := p3x-p2x, p3y-p2y
	t := (s2x*(p0y-p2y) - s2y*(p0x-p2x)) / (-s2x*s1y + s1x*s2y)
	return p0x + t*s1x, p0y + t*s1y
}

func h3Near(ax, ay, bx, by float64) bool {
	const eps = 1.1920929e-07 // single precision epsilon
	return math.Abs(ax-bx) < eps && math.Abs(ay-by) < eps
}

// boundary lists the cell's vertices (degrees lat, lng), counterclockwise,
// with extra vertices where an edge crosses an icosahedron edge.
func (h h3Index) boundary() []h3LatLng {
	f := h.faceIJK()
	res := h.res()
	if h.isPentagon() {
		return f.pentBoundary(res)
	}
	verts, adjRes := f.vertices(res, 6)
	var out []h3LatLng
	lastFace, lastOverage := -1, 0
	for vert := 0; vert <= 6; vert++ {
		v := vert % 6
		fv := verts[v]
		overage := fv.adjustOverage(adjRes, false, true)
		if h3ClassIII(res) && vert > 0 && fv.face != lastFace && lastOverage != h3OverageEdge {
			x0, y0 := verts[(v+5)%6].coord.toHex2d()
			x1, y1 := verts[v].coord.toHex2d()
			face2 := lastFace
			if lastFace == f.face {
				face2 = fv.face
			}
			ex0, ey0, ex1, ey1 := h3FaceEdge(adjRes, h3AdjacentFaceDir[f.face][face2])
			ix, iy := h3Intersect(x0, y0, x1, y1, ex0, ey0, ex1, ey1)
			if !h3Near(x0, y0, ix, iy) && !h3Near(x1, y1, ix, iy) {
				out = append(out, h3Hex2dToGeo(ix, iy, f.face, adjRes, true))
			}
		}
		if vert < 6 {
			x, y := fv.coord.toHex2d()
			out = append(out, h3Hex2dToGeo(x, y, fv.face, adjRes, true))
		}
		lastFace, lastOverage = fv.face, overage
	}
	return out
}

// pentBoundary lists a pentagon's vertices; class III pentagon edges all
// cross icosahedron edges.
func (f h3FaceIJK) pentBoundary(res int) []h3LatLng {
	verts, adjRes := f.vertices(res, 5)
	var out []h3LatLng
	var last h3FaceIJK
	for vert := 0; vert <= 5; vert++ {
		fv := verts[vert%5]
		for fv.adjustOverage(adjRes, false, true) == h3OverageNewFace {
		}
		if h3ClassIII(res) && vert > 0 {
			x0, y0 := last.coord.toHex2d()
			dir := h3AdjacentFaceDir[fv.face][last.face]
			o := h3FaceNeighbors[fv.face][dir]
			tmp := h3FaceIJK{o.face, fv.coord}
			for i := 0; i < o.ccwRot60; i++ {
				tmp.coord = tmp.coord.rot60ccw()
			}
			tmp.coord = tmp.coord.add(o.translate.scale(h3UnitScale[adjRes] * 3)).normalize()
			x1, y1 := tmp.coord.toHex2d()
			ex0, ey0, ex1, ey1 := h3FaceEdge(adjRes, h3AdjacentFaceDir[tmp.face][fv.face])
			ix, iy := h3Intersect(x0, y0, x1, y1, ex0, ey0, ex1, ey1)
			out = append(out, h3Hex2dToGeo(ix, iy, tmp.face, adjRes, true))
		}
		if vert < 5 {
			x, y := fv.coord.toHex2d()
			out = append(out, h3Hex2dToGeo(x, y, fv.face, adjRes, true))
		}
		last = fv
	}
	return out
}
