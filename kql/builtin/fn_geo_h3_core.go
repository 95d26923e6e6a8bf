package builtin

import "math"

// The H3 hexagonal grid: an icosahedron whose 20 faces carry a hexagonal
// ijk coordinate system each; 122 base cells at resolution 0 and aperture 7
// refinement down to resolution 15. A cell index packs the mode, the
// resolution, the base cell and one 3-bit digit per resolution.

const (
	h3NumBaseCells   = 122
	h3MaxRes         = 15
	h3InvalidBase    = 127
	h3Epsilon        = 1e-16
	h3Sqrt3Half      = 0.8660254037844386467637231707529361834714
	h3RSin60         = 1.1547005383792515290182975610039149112953
	h3Sqrt7          = 2.6457513110645905905016157536392604257102
	h3Ap7RotRads     = 0.333473172251832115336090755351601070065900389
	h3Res0UGnomonic  = 0.38196601125010500003
	h3MaxFaceCoord   = 2
	h3ModeCell       = 1
	h3DigitCenter    = 0
	h3DigitK         = 1
	h3DigitJ         = 2
	h3DigitJK        = 3
	h3DigitI         = 4
	h3DigitIK        = 5
	h3DigitIJ        = 6
	h3DigitInvalid   = 7
	h3OverageNone    = 0
	h3OverageEdge    = 1
	h3OverageNewFace = 2
	h3RadToDeg       = 180 / math.Pi
	h3DegToRad       = math.Pi / 180
)

type h3IJK struct{ i, j, k int }

type h3FaceIJK struct {
	face  int
	coord h3IJK
}

type h3LatLng struct{ lat, lng float64 }

type h3FaceOrient struct {
	face      int
	translate h3IJK
	ccwRot60  int
}

type h3BaseCellOrient struct{ baseCell, ccwRot60 int }

type h3BaseCellInfo struct {
	home     h3FaceIJK
	pentagon bool
	cwOffset [2]int
}

// h3UnitVecs are the ijk unit vectors of the direction digits.
var h3UnitVecs = [7]h3IJK{{0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 1}, {1, 0, 0}, {1, 0, 1}, {1, 1, 0}}

// h3AdjacentFaceDir gives the quadrant (1 ij, 2 ki, 3 jk) of face b seen
// from face a, 0 for the same face and -1 when not adjacent.
var h3AdjacentFaceDir = func() (t [20][20]int) {
	for a := range t {
		for b := range t[a] {
			t[a][b] = -1
		}
		for d, n := range h3FaceNeighbors[a] {
			t[a][n.face] = d
		}
	}
	return t
}()

// h3MaxDim and h3UnitScale are the overage distance and unit scale of the
// class II resolutions (index = resolution).
var (
	h3MaxDim    = [17]int{2, -1, 14, -1, 98, -1, 686, -1, 4802, -1, 33614, -1, 235298, -1, 1647086, -1, 11529602}
	h3UnitScale = [17]int{1, -1, 7, -1, 49, -1, 343, -1, 2401, -1, 16807, -1, 117649, -1, 823543, -1, 5764801}
)

func h3ClassIII(res int) bool { return res%2 == 1 }

func (c h3IJK) add(o h3IJK) h3IJK { return h3IJK{c.i + o.i, c.j + o.j, c.k + o.k} }
func (c h3IJK) sub(o h3IJK) h3IJK { return h3IJK{c.i - o.i, c.j - o.j, c.k - o.k} }
func (c h3IJK) scale(f int) h3IJK { return h3IJK{c.i * f, c.j * f, c.k * f} }
func (c h3IJK) isZero() bool      { return c.i == 0 && c.j == 0 && c.k == 0 }
func (c h3IJK) sum() int          { return c.i + c.j + c.k }
func (c h3IJK) combine(iv, jv, kv h3IJK) h3IJK {
	return iv.scale(c.i).add(jv.scale(c.j)).add(kv.scale(c.k)).normalize()
}

// normalize makes the components non-negative with at least one zero.
func (c h3IJK) normalize() h3IJK {
	if c.i < 0 {
		c.j -= c.i
		c.k -= c.i
		c.i = 0
	}
	if c.j < 0 {
		c.i -= c.j
		c.k -= c.j
		c.j = 0
	}
	if c.k < 0 {
		c.i -= c.k
		c.j -= c.k
		c.k = 0
	}
	m := min(c.i, c.j, c.k)
	if m > 0 {
		c.i -= m
		c.j -= m
		c.k -= m
	}
	return c
}

func (c h3IJK) upAp7() h3IJK {
	i, j := c.i-c.k, c.j-c.k
	return h3IJK{int(math.Round(float64(3*i-j) / 7)), int(math.Round(float64(i+2*j) / 7)), 0}.normalize()
}

func (c h3IJK) upAp7r() h3IJK {
	i, j := c.i-c.k, c.j-c.k
	return h3IJK{int(math.Round(float64(2*i+j) / 7)), int(math.Round(float64(3*j-i) / 7)), 0}.normalize()
}

func (c h3IJK) downAp7() h3IJK  { return c.combine(h3IJK{3, 0, 1}, h3IJK{1, 3, 0}, h3IJK{0, 1, 3}) }
func (c h3IJK) downAp7r() h3IJK { return c.combine(h3IJK{3, 1, 0}, h3IJK{0, 3, 1}, h3IJK{1, 0, 3}) }
func (c h3IJK) downAp3() h3IJK  { return c.combine(h3IJK{2, 0, 1}, h3IJK{1, 2, 0}, h3IJK{0, 1, 2}) }
func (c h3IJK) downAp3r() h3IJK { return c.combine(h3IJK{2, 1, 0}, h3IJK{0, 2, 1}, h3IJK{1, 0, 2}) }
func (c h3IJK) rot60ccw() h3IJK { return c.combine(h3IJK{1, 1, 0}, h3IJK{0, 1, 1}, h3IJK{1, 0, 1}) }
func (c h3IJK) rot60cw() h3IJK  { return c.combine(h3IJK{1, 0, 1}, h3IJK{1, 1, 0}, h3IJK{0, 1, 1}) }

func (c h3IJK) neighbor(digit int) h3IJK {
	if digit > h3DigitCenter && digit < h3DigitInvalid {
		return c.add(h3UnitVecs[digit]).normalize()
	}
	return c
}

func (c h3IJK) toDigit() int {
	c = c.normalize()
	for d, u := range h3UnitVecs {
		if u == c {
			return d
		}
	}
	return h3DigitInvalid
}

func (c h3IJK) toHex2d() (x, y float64) {
	i, j := float64(c.i-c.k), float64(c.j-c.k)
	return i - 0.5*j, j * h3Sqrt3Half
}

// h3Hex2dToIJK finds the ijk coordinate of the hexagon holding (x, y).
func h3Hex2dToIJK(x, y float64) h3IJK {
	a1, a2 := math.Abs(x), math.Abs(y)
	x2 := a2 * h3RSin60
	x1 := a1 + x2/2
	m1, m2 := int(x1), int(x2)
	r1, r2 := x1-float64(m1), x2-float64(m2)
	var h h3IJK
	switch {
	case r1 < 0.5 && r1 < 1.0/3:
		h.i, h.j = m1, m2
		if r2 >= (1+r1)/2 {
			h.j = m2 + 1
		}
	case r1 < 0.5:
		h.j = m2
		if r2 >= 1-r1 {
			h.j = m2 + 1
		}
		h.i = m1
		if 1-r1 <= r2 && r2 < 2*r1 {
			h.i = m1 + 1
		}
	case r1 < 2.0/3:
		h.j = m2
		if r2 >= 1-r1 {
			h.j = m2 + 1
		}
		h.i = m1 + 1
		if 2*r1-1 < r2 && r2 < 1-r1 {
			h.i = m1
		}
	default:
		h.i, h.j = m1+1, m2
		if r2 >= r1/2 {
			h.j = m2 + 1
		}
	}
	if x < 0 {
		if h.j%2 == 0 {
			h.i -= 2 * (h.i - h.j/2)
		} else {
			h.i -= 2*(h.i-(h.j+1)/2) + 1
		}
	}
	if y < 0 {
		h.i -= (2*h.j + 1) / 2
		h.j = -h.j
	}
	return h.normalize()
}

func h3PosAngle(a float64) float64 {
	t := a
	if a < 0 {
		t = a + 2*math.Pi
	}
	if a >= 2*math.Pi {
		t -= 2 * math.Pi
	}
	return t
}

func h3ConstrainLng(lng float64) float64 {
	for lng > math.Pi {
		lng -= 2 * math.Pi
	}
	for lng < -math.Pi {
		lng += 2 * math.Pi
	}
	return lng
}

func h3Azimuth(p1, p2 h3LatLng) float64 {
	return math.Atan2(math.Cos(p2.lat)*math.Sin(p2.lng-p1.lng),
		math.Cos(p1.lat)*math.Sin(p2.lat)-math.Sin(p1.lat)*math.Cos(p2.lat)*math.Cos(p2.lng-p1.lng))
}

func h3Clamp1(v float64) float64 { return math.Max(-1, math.Min(1, v)) }

// h3AzDistance finds the point at an azimuth and great circle distance
// (radians) from p1.
func h3AzDistance(p1 h3LatLng, az, dist float64) h3LatLng {
	if dist < h3Epsilon {
		return p1
	}
	az = h3PosAngle(az)
	var p2 h3LatLng
	if az < h3Epsilon || math.Abs(az-math.Pi) < h3Epsilon {
		if az < h3Epsilon {
			p2.lat = p1.lat + dist
		} else {
			p2.lat = p1.lat - dist
		}
		if pole, ok := h3Pole(p2.lat); ok {
			return pole
		}
		p2.lng = h3ConstrainLng(p1.lng)
		return p2
	}
	p2.lat = math.Asin(h3Clamp1(math.Sin(p1.lat)*math.Cos(dist) + math.Cos(p1.lat)*math.Sin(dist)*math.Cos(az)))
	if pole, ok := h3Pole(p2.lat); ok {
		return pole
	}
	sinlng := h3Clamp1(math.Sin(az) * math.Sin(dist) / math.Cos(p2.lat))
	coslng := h3Clamp1((math.Cos(dist) - math.Sin(p1.lat)*math.Sin(p2.lat)) / math.Cos(p1.lat) / math.Cos(p2.lat))
	p2.lng = h3ConstrainLng(p1.lng + math.Atan2(sinlng, coslng))
	return p2
}

func h3Pole(lat float64) (h3LatLng, bool) {
	switch {
	case math.Abs(lat-math.Pi/2) < h3Epsilon:
		return h3LatLng{math.Pi / 2, 0}, true
	case math.Abs(lat+math.Pi/2) < h3Epsilon:
		return h3LatLng{-math.Pi / 2, 0}, true
	}
	return h3LatLng{}, false
}

// h3GeoToHex2d finds the face nearest to g and g's 2D hex coordinates on
// it at resolution res.
func h3GeoToHex2d(g h3LatLng, res int) (face int, x, y float64) {
	r := math.Cos(g.lat)
	p := [3]float64{math.Cos(g.lng) * r, math.Sin(g.lng) * r, math.Sin(g.lat)}
	sqd := math.Inf(1)
	for f, c := range h3FaceCenterPoint {
		d := (c[0]-p[0])*(c[0]-p[0]) + (c[1]-p[1])*(c[1]-p[1]) + (c[2]-p[2])*(c[2]-p[2])
		if d < sqd {
			face, sqd = f, d
		}
	}
	dist := math.Acos(1 - sqd/2)
	if dist < h3Epsilon {
		return face, 0, 0
	}
	theta := h3PosAngle(h3FaceAxesAzI[face] - h3PosAngle(h3Azimuth(h3FaceCenterGeo[face], g)))
	if h3ClassIII(res) {
		theta = h3PosAngle(theta - h3Ap7RotRads)
	}
	dist = math.Tan(dist) / h3Res0UGnomonic
	for i := 0; i < res; i++ {
		dist *= h3Sqrt7
	}
	return face, dist * math.Cos(theta), dist * math.Sin(theta)
}

// h3Hex2dToGeo converts 2D hex coordinates on a face back to a point;
// substrate grids are the finer vertex grids of the boundary code.
func h3Hex2dToGeo(x, y float64, face, res int, substrate bool) h3LatLng {
	r := math.Hypot(x, y)
	if r < h3Epsilon {
		return h3FaceCenterGeo[face]
	}
	theta := math.Atan2(y, x)
	for i := 0; i < res; i++ {
		r /= h3Sqrt7
	}
	if substrate {
		r /= 3
		if h3ClassIII(res) {
			r /= h3Sqrt7
		}
	}
	r = math.Atan(r * h3Res0UGnomonic)
	if !substrate && h3ClassIII(res) {
		theta = h3PosAngle(theta + h3Ap7RotRads)
	}
	theta = h3PosAngle(h3FaceAxesAzI[face] - theta)
	return h3AzDistance(h3FaceCenterGeo[face], theta, r)
}

func (f h3FaceIJK) toGeo(res int) h3LatLng {
	x, y := f.coord.toHex2d()
	return h3Hex2dToGeo(x, y, f.face, res, false)
}

// adjustOverage moves a class II coordinate that lies past its face's
// edge onto the neighboring face.
func (f *h3FaceIJK) adjustOverage(res int, pentLeading4, substrate bool) int {
	maxDim := h3MaxDim[res]
	if substrate {
		maxDim *= 3
	}
	s := f.coord.sum()
	if substrate && s == maxDim {
		return h3OverageEdge
	}
	if s <= maxDim {
		return h3OverageNone
	}
	overage := h3OverageNewFace
	var orient h3FaceOrient
	switch {
	case f.coord.k > 0 && f.coord.j > 0:
		orient = h3FaceNeighbors[f.face][3]
	case f.coord.k > 0:
		orient = h3FaceNeighbors[f.face][2]
		if pentLeading4 {
			origin := h3IJK{maxDim, 0, 0}
			f.coord = f.coord.sub(origin).rot60cw().add(origin)
		}
	default:
		orient = h3FaceNeighbors[f.face][1]
	}
	f.face = orient.face
	for i := 0; i < orient.ccwRot60; i++ {
		f.coord = f.coord.rot60ccw()
	}
	unit := h3UnitScale[res]
	if substrate {
		unit *= 3
	}
	f.coord = f.coord.add(orient.translate.scale(unit)).normalize()
	if substrate && f.coord.sum() == maxDim {
		overage = h3OverageEdge
	}
	return overage
}
