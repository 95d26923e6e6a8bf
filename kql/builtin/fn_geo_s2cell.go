package builtin

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// S2 cell identifiers: the cube face projection, the Hilbert curve
// position of a cell on its face, and cell tokens, as in the S2 geometry
// library.

const (
	s2MaxLevel   = 30
	s2MaxSize    = 1 << s2MaxLevel
	s2PosBits    = 2*s2MaxLevel + 1
	s2LookupBits = 4
	s2SwapMask   = 1
	s2InvertMask = 2
)

// s2CellID is a cell: 3 face bits, 2 bits a level of Hilbert curve
// position, then a 1 marking the level.
type s2CellID uint64

var (
	s2PosToIJ = [4][4]int{
		{0, 1, 3, 2},
		{0, 2, 3, 1},
		{3, 2, 0, 1},
		{3, 1, 0, 2},
	}
	s2PosToOrientation = [4]int{s2SwapMask, 0, 0, s2InvertMask | s2SwapMask}
	s2LookupPos        [1 << (2*s2LookupBits + 2)]int
	s2LookupIJ         [1 << (2*s2LookupBits + 2)]int
)

func init() {
	for o := 0; o < 4; o++ {
		s2InitLookup(0, 0, 0, o, 0, o)
	}
}

// s2InitLookup fills the tables that map 4 bits of i and j to 8 bits of
// curve position and back, for each starting orientation.
func s2InitLookup(level, i, j, orig, pos, orientation int) {
	if level == s2LookupBits {
		ij := i<<s2LookupBits + j
		s2LookupPos[ij<<2+orig] = pos<<2 + orientation
		s2LookupIJ[pos<<2+orig] = ij<<2 + orientation
		return
	}
	r := s2PosToIJ[orientation]
	for k := 0; k < 4; k++ {
		s2InitLookup(level+1, i<<1+r[k]>>1, j<<1+r[k]&1, orig, pos<<2+k, orientation^s2PosToOrientation[k])
	}
}

// s2FromFaceIJ is the leaf cell at (i, j) on a face.
func s2FromFaceIJ(face, i, j int) s2CellID {
	n := uint64(face) << (s2PosBits - 1)
	b := face & s2SwapMask
	const mask = 1<<s2LookupBits - 1
	for k := 7; k >= 0; k-- {
		b += (i >> (k * s2LookupBits) & mask) << (s2LookupBits + 2)
		b += (j >> (k * s2LookupBits) & mask) << 2
		b = s2LookupPos[b]
		n |= uint64(b>>2) << (k * 2 * s2LookupBits)
		b &= s2SwapMask | s2InvertMask
	}
	return s2CellID(n*2 + 1)
}

// faceIJ is the cell's face and the (i, j) of a leaf cell inside it.
func (c s2CellID) faceIJ() (face, i, j int) {
	face = int(c >> s2PosBits)
	b := face & s2SwapMask
	nbits := s2MaxLevel - 7*s2LookupBits
	for k := 7; k >= 0; k-- {
		b += int(uint64(c)>>(k*2*s2LookupBits+1)&(1<<(2*nbits)-1)) << 2
		b = s2LookupIJ[b]
		i += b >> (s2LookupBits + 2) << (k * s2LookupBits)
		j += b >> 2 & (1<<s2LookupBits - 1) << (k * s2LookupBits)
		b &= s2SwapMask | s2InvertMask
		nbits = s2LookupBits
	}
	return face, i, j
}

func (c s2CellID) lsb() uint64 { return uint64(c) & -uint64(c) }

func (c s2CellID) level() int { return s2MaxLevel - bits.TrailingZeros64(uint64(c))/2 }

func (c s2CellID) valid() bool {
	return c>>s2PosBits < 6 && c.lsb()&0x1555555555555555 != 0
}

func (c s2CellID) parent(level int) s2CellID {
	lsb := uint64(1) << (2 * (s2MaxLevel - level))
	return s2CellID(uint64(c)&-lsb | lsb)
}

// token is the cell's hexadecimal id without trailing zeros.
func (c s2CellID) token() string {
	if c == 0 {
		return "X"
	}
	s := strconv.FormatUint(uint64(c), 16)
	s = strings.Repeat("0", 16-len(s)) + s
	return strings.TrimRight(s, "0")
}

// s2FromToken parses a token; ok is false when it is not a valid cell.
func s2FromToken(t string) (s2CellID, bool) {
	if len(t) == 0 || len(t) > 16 {
		return 0, false
	}
	v, err := strconv.ParseUint(t, 16, 64)
	if err != nil {
		return 0, false
	}
	c := s2CellID(v << (4 * (16 - len(t))))
	return c, c.valid()
}

// s2FaceXYZ is the cube face a direction points to.
func s2FaceXYZ(x, y, z float64) int {
	ax, ay, az := math.Abs(x), math.Abs(y), math.Abs(z)
	f, v := 0, x
	if ay > ax {
		f, v = 1, y
	}
	if az > math.Max(ax, ay) {
		f, v = 2, z
	}
	if v < 0 {
		f += 3
	}
	return f
}

// s2XYZToFaceUV projects a direction on its cube face.
func s2XYZToFaceUV(x, y, z float64) (int, float64, float64) {
	f := s2FaceXYZ(x, y, z)
	switch f {
	case 0:
		return f, y / x, z / x
	case 1:
		return f, -x / y, z / y
	case 2:
		return f, -x / z, -y / z
	case 3:
		return f, z / x, y / x
	case 4:
		return f, z / y, -x / y
	}
	return f, -y / z, -x / z
}

// s2FaceUVToXYZ is the (unnormalized) direction of a face point.
func s2FaceUVToXYZ(f int, u, v float64) (float64, float64, float64) {
	switch f {
	case 0:
		return 1, u, v
	case 1:
		return -u, 1, v
	case 2:
		return -u, -v, 1
	case 3:
		return -1, -v, -u
	case 4:
		return v, -1, -u
	}
	return v, u, -1
}

// s2UVToST and s2STToUV are S2's quadratic projection, which makes cells
// of a level closer in area.
func s2UVToST(u float64) float64 {
	if u >= 0 {
		return 0.5 * math.Sqrt(1+3*u)
	}
	return 1 - 0.5*math.Sqrt(1-3*u)
}

func s2STToUV(s float64) float64 {
	if s >= 0.5 {
		return (4*s*s - 1) / 3
	}
	return (1 - 4*(1-s)*(1-s)) / 3
}

func s2STToIJ(s float64) int {
	return max(0, min(s2MaxSize-1, int(math.Floor(s2MaxSize*s))))
}

// s2FromLonLat is the leaf cell holding a point given in degrees.
func s2FromLonLat(lon, lat float64) s2CellID {
	phi, theta := radians(lat), radians(lon)
	x, y, z := math.Cos(phi)*math.Cos(theta), math.Cos(phi)*math.Sin(theta), math.Sin(phi)
	f, u, v := s2XYZToFaceUV(x, y, z)
	return s2FromFaceIJ(f, s2STToIJ(s2UVToST(u)), s2STToIJ(s2UVToST(v)))
}

// s2LonLat converts a face point to longitude and latitude in degrees.
func s2LonLat(f int, u, v float64) (float64, float64) {
	x, y, z := s2FaceUVToXYZ(f, u, v)
	return degrees(math.Atan2(y, x)), degrees(math.Atan2(z, math.Hypot(x, y)))
}

// bounds is the cell's face and its (i, j) range [lo, lo+size).
func (c s2CellID) bounds() (face, i, j, size int) {
	face, i, j = c.faceIJ()
	size = 1 << (s2MaxLevel - c.level())
	return face, i &^ (size - 1), j &^ (size - 1), size
}

// vertices are the cell's corners in degrees, counterclockwise from
// (u, v) low-low.
func (c s2CellID) vertices() [4][2]float64 {
	f, i, j, size := c.bounds()
	u0, u1 := s2STToUV(float64(i)/s2MaxSize), s2STToUV(float64(i+size)/s2MaxSize)
	v0, v1 := s2STToUV(float64(j)/s2MaxSize), s2STToUV(float64(j+size)/s2MaxSize)
	var out [4][2]float64
	for k, uv := range [4][2]float64{{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}} {
		out[k][0], out[k][1] = s2LonLat(f, uv[0], uv[1])
	}
	return out
}

// center is the cell's center in degrees (the middle of its (s, t)
// range).
func (c s2CellID) center() (float64, float64) {
	f, i, j, size := c.bounds()
	s := (float64(i) + float64(size)/2) / s2MaxSize
	t := (float64(j) + float64(size)/2) / s2MaxSize
	return s2LonLat(f, s2STToUV(s), s2STToUV(t))
}

// s2FromFaceIJWrap is the leaf cell at (i, j), which may lie just past
// the face's edge, moved onto the neighboring face.
func s2FromFaceIJWrap(f, i, j int) s2CellID {
	i = max(-1, min(s2MaxSize, i))
	j = max(-1, min(s2MaxSize, j))
	const limit = 1 + 2.220446049250313e-16
	u := max(-limit, min(limit, (2*float64(i-s2MaxSize/2)+1)/s2MaxSize))
	v := max(-limit, min(limit, (2*float64(j-s2MaxSize/2)+1)/s2MaxSize))
	f, u, v = s2XYZToFaceUV(s2FaceUVToXYZ(f, u, v))
	return s2FromFaceIJ(f, s2STToIJ(0.5*(u+1)), s2STToIJ(0.5*(v+1)))
}

func s2FromFaceIJSame(f, i, j int, same bool) s2CellID {
	if same {
		return s2FromFaceIJ(f, i, j)
	}
	return s2FromFaceIJWrap(f, i, j)
}

// allNeighbors are the cells of the same level touching the cell, edges
// and corners, in S2's order.
func (c s2CellID) allNeighbors() []s2CellID {
	f, i, j, size := c.bounds()
	level := c.level()
	in := func(x int) bool { return x >= 0 && x < s2MaxSize }
	var out []s2CellID
	add := func(i, j int, same bool) {
		out = append(out, s2FromFaceIJSame(f, i, j, same).parent(level))
	}
	for k := -size; ; k += size {
		same := true
		switch {
		case k < 0:
			same = j+k >= 0
		case k >= size:
			same = j+k < s2MaxSize
		default:
			add(i+k, j-size, j-size >= 0)
			add(i+k, j+size, j+size < s2MaxSize)
		}
		add(i-size, j+k, same && in(i-size))
		add(i+size, j+k, same && in(i+size))
		if k >= size {
			break
		}
	}
	return out
}
