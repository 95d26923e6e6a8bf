package builtin

import (
	"strconv"
)

// h3Index is a 64-bit H3 cell index: mode (bits 59-62), resolution (52-55),
// base cell (45-51) and 15 digits of 3 bits, resolution 1 first; digits
// past the resolution are 7.
type h3Index uint64

const h3Init h3Index = 0x00001fffffffffff

func (h h3Index) mode() int     { return int(h>>59) & 0xf }
func (h h3Index) res() int      { return int(h>>52) & 0xf }
func (h h3Index) baseCell() int { return int(h>>45) & 0x7f }

func (h h3Index) digit(r int) int { return int(h>>(3*(h3MaxRes-r))) & 7 }

func (h *h3Index) setDigit(r, d int) {
	shift := 3 * (h3MaxRes - r)
	*h = *h&^(7<<shift) | h3Index(d)<<shift
}

func (h *h3Index) setRes(r int) { *h = *h&^(0xf<<52) | h3Index(r)<<52 }

func (h *h3Index) setBaseCell(bc int) { *h = *h&^(0x7f<<45) | h3Index(bc)<<45 }

func h3NewIndex(res, baseCell int) h3Index {
	h := h3Init | h3ModeCell<<59
	h.setRes(res)
	h.setBaseCell(baseCell)
	return h
}

// String is the lower-case hexadecimal token of the index.
func (h h3Index) String() string { return strconv.FormatUint(uint64(h), 16) }

// h3Parse reads a cell token; ok is false for anything but a valid cell.
func h3Parse(s string) (h3Index, bool) {
	if len(s) == 0 || len(s) > 16 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, false
	}
	h := h3Index(v)
	return h, h.valid()
}

// valid reports whether h is a well-formed cell index.
func (h h3Index) valid() bool {
	if h>>63 != 0 || h.mode() != h3ModeCell || (h>>56)&7 != 0 {
		return false
	}
	bc, res := h.baseCell(), h.res()
	if bc >= h3NumBaseCells {
		return false
	}
	leading := true
	for r := 1; r <= h3MaxRes; r++ {
		d := h.digit(r)
		if r > res {
			if d != 7 {
				return false
			}
			continue
		}
		if d == h3DigitInvalid {
			return false
		}
		if leading && d != h3DigitCenter {
			if d == h3DigitK && h3BaseCells[bc].pentagon {
				return false
			}
			leading = false
		}
	}
	return true
}

func (h h3Index) leadingDigit() int {
	for r := 1; r <= h.res(); r++ {
		if d := h.digit(r); d != 0 {
			return d
		}
	}
	return h3DigitCenter
}

func (h h3Index) isPentagon() bool {
	return h3BaseCells[h.baseCell()].pentagon && h.leadingDigit() == h3DigitCenter
}

var (
	h3DigitCCW = [7]int{0, 5, 3, 1, 6, 4, 2}
	h3DigitCW  = [7]int{0, 3, 6, 2, 5, 1, 4}
)

func (h h3Index) rotate(table *[7]int) h3Index {
	for r := 1; r <= h.res(); r++ {
		h.setDigit(r, table[h.digit(r)])
	}
	return h
}

func (h h3Index) rot60ccw() h3Index { return h.rotate(&h3DigitCCW) }
func (h h3Index) rot60cw() h3Index  { return h.rotate(&h3DigitCW) }

// rotPent60ccw rotates a pentagon-based index, stepping over the deleted
// k subsequence.
func (h h3Index) rotPent60ccw() h3Index {
	found := false
	for r := 1; r <= h.res(); r++ {
		h.setDigit(r, h3DigitCCW[h.digit(r)])
		if !found && h.digit(r) != 0 {
			found = true
			if h.leadingDigit() == h3DigitK {
				h = h.rot60ccw()
			}
		}
	}
	return h
}

// h3FromFaceIJK builds the index of the cell at a face coordinate.
func h3FromFaceIJK(f h3FaceIJK, res int) h3Index {
	h := h3NewIndex(res, 0)
	ijk := f.coord
	for r := res - 1; r >= 0; r-- {
		last := ijk
		var center h3IJK
		if h3ClassIII(r + 1) {
			ijk = ijk.upAp7()
			center = ijk.downAp7()
		} else {
			ijk = ijk.upAp7r()
			center = ijk.downAp7r()
		}
		h.setDigit(r+1, last.sub(center).normalize().toDigit())
	}
	if ijk.i > h3MaxFaceCoord || ijk.j > h3MaxFaceCoord || ijk.k > h3MaxFaceCoord {
		return 0
	}
	o := h3FaceIjkBaseCells[f.face][ijk.i][ijk.j][ijk.k]
	h.setBaseCell(o.baseCell)
	if h3BaseCells[o.baseCell].pentagon {
		if h.leadingDigit() == h3DigitK {
			if h3IsCwOffset(o.baseCell, f.face) {
				h = h.rot60cw()
			} else {
				h = h.rot60ccw()
			}
		}
		for i := 0; i < o.ccwRot60; i++ {
			h = h.rotPent60ccw()
		}
		return h
	}
	for i := 0; i < o.ccwRot60; i++ {
		h = h.rot60ccw()
	}
	return h
}

func h3IsCwOffset(bc, face int) bool {
	c := h3BaseCells[bc].cwOffset
	return c[0] == face || c[1] == face
}

// h3LatLngToCell finds the cell holding a point given in degrees.
func h3LatLngToCell(latDeg, lngDeg float64, res int) h3Index {
	g := h3LatLng{latDeg * h3DegToRad, lngDeg * h3DegToRad}
	face, x, y := h3GeoToHex2d(g, res)
	return h3FromFaceIJK(h3FaceIJK{face, h3Hex2dToIJK(x, y)}, res)
}

// faceIJK finds the face coordinate of the cell's center, moved onto the
// face that holds it.
func (h h3Index) faceIJK() h3FaceIJK {
	bc := h.baseCell()
	pent := h3BaseCells[bc].pentagon
	if pent && h.leadingDigit() == h3DigitIK {
		h = h.rot60cw()
	}
	f := h3BaseCells[bc].home
	res := h.res()
	overage := pent || (res > 0 && !f.coord.isZero())
	for r := 1; r <= res; r++ {
		if h3ClassIII(r) {
			f.coord = f.coord.downAp7()
		} else {
			f.coord = f.coord.downAp7r()
		}
		f.coord = f.coord.neighbor(h.digit(r))
	}
	if !overage {
		return f
	}
	orig := f.coord
	adjRes := res
	if h3ClassIII(res) {
		f.coord = f.coord.downAp7r()
		adjRes++
	}
	pentLeading4 := pent && h.leadingDigit() == h3DigitI
	if f.adjustOverage(adjRes, pentLeading4, false) != h3OverageNone {
		if pent {
			for f.adjustOverage(adjRes, false, false) != h3OverageNone {
			}
		}
		if adjRes != res {
			f.coord = f.coord.upAp7r()
		}
	} else if adjRes != res {
		f.coord = orig
	}
	return f
}

// center is the cell's center point in degrees (lat, lng).
func (h h3Index) center() (lat, lng float64) {
	g := h.faceIJK().toGeo(h.res())
	return g.lat * h3RadToDeg, g.lng * h3RadToDeg
}

// parent is the containing cell at a coarser resolution.
func (h h3Index) parent(res int) h3Index {
	p := h
	p.setRes(res)
	for r := res + 1; r <= h3MaxRes; r++ {
		p.setDigit(r, 7)
	}
	return p
}

// children lists the cells at a finer resolution, in index order.
func (h h3Index) children(res int) []h3Index {
	out := []h3Index{h}
	for r := h.res() + 1; r <= res; r++ {
		next := make([]h3Index, 0, len(out)*7)
		for _, c := range out {
			c.setRes(r)
			pent := c.isPentagonAt(r - 1)
			for d := 0; d < 7; d++ {
				if pent && d == h3DigitK {
					continue
				}
				cc := c
				cc.setDigit(r, d)
				next = append(next, cc)
			}
		}
		out = next
	}
	return out
}

// isPentagonAt reports whether the index's prefix down to resolution r is
// a pentagon (base cell pentagon with all digits zero).
func (h h3Index) isPentagonAt(r int) bool {
	if !h3BaseCells[h.baseCell()].pentagon {
		return false
	}
	for i := 1; i <= r; i++ {
		if h.digit(i) != 0 {
			return false
		}
	}
	return true
}
