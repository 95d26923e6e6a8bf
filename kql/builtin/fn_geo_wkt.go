package builtin

import (
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// geo_from_wkt: Well-Known Text geometries to GeoJSON.

func init() {
	RegisterScalar(Fixed("geo_from_wkt", true,
		Sig{Params: []types.Type{types.String}, Ret: types.Dynamic, F: geoFromWKT}))
}

func geoFromWKT(a []types.Value) types.Value {
	p := &wktParser{src: a[0].S}
	g, ok := p.geometry()
	p.skip()
	if !ok || p.pos != len(p.src) {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(g)
}

// wktParser reads WKT text.
type wktParser struct {
	src string
	pos int
}

// wktTypes names the GeoJSON type of each WKT geometry and the nesting
// of coordinate lists it has.
var wktTypes = map[string]struct {
	name  string
	depth int
}{
	"POINT":           {"Point", 0},
	"LINESTRING":      {"LineString", 1},
	"POLYGON":         {"Polygon", 2},
	"MULTIPOINT":      {"MultiPoint", 1},
	"MULTILINESTRING": {"MultiLineString", 2},
	"MULTIPOLYGON":    {"MultiPolygon", 3},
}

func (p *wktParser) skip() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *wktParser) word() string {
	p.skip()
	start := p.pos
	for p.pos < len(p.src) && (p.src[p.pos] >= 'A' && p.src[p.pos] <= 'Z' || p.src[p.pos] >= 'a' && p.src[p.pos] <= 'z') {
		p.pos++
	}
	return strings.ToUpper(p.src[start:p.pos])
}

func (p *wktParser) eat(c byte) bool {
	p.skip()
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *wktParser) geometry() (*types.Bag, bool) {
	w := p.word()
	out := &types.Bag{}
	if w == "GEOMETRYCOLLECTION" {
		out.Set("type", "GeometryCollection")
		geoms := []any{}
		if !p.eat('(') {
			return nil, false
		}
		for {
			g, ok := p.geometry()
			if !ok {
				return nil, false
			}
			geoms = append(geoms, g)
			if !p.eat(',') {
				break
			}
		}
		out.Set("geometries", geoms)
		return out, p.eat(')')
	}
	t, ok := wktTypes[w]
	if !ok {
		return nil, false
	}
	c, ok := p.coords(t.depth, w == "MULTIPOINT")
	out.Set("type", t.name)
	out.Set("coordinates", c)
	return out, ok
}

// coords reads a point (depth 0) or a parenthesized list of depth-1
// items; loosePoints allows MULTIPOINT's points with or without
// parentheses.
func (p *wktParser) coords(depth int, loosePoints bool) (any, bool) {
	if depth == 0 {
		paren := p.eat('(')
		x, ok1 := p.number()
		y, ok2 := p.number()
		if !ok1 || !ok2 || paren && !p.eat(')') {
			return nil, false
		}
		return []any{x, y}, true
	}
	if !p.eat('(') {
		return nil, false
	}
	var out []any
	for {
		var c any
		var ok bool
		if depth == 1 && loosePoints {
			c, ok = p.coords(0, false)
		} else if depth == 1 {
			x, ok1 := p.number()
			y, ok2 := p.number()
			c, ok = []any{x, y}, ok1 && ok2
		} else {
			c, ok = p.coords(depth-1, loosePoints)
		}
		if !ok {
			return nil, false
		}
		out = append(out, c)
		if !p.eat(',') {
			break
		}
	}
	return out, p.eat(')')
}

func (p *wktParser) number() (float64, bool) {
	p.skip()
	start := p.pos
	for p.pos < len(p.src) && strings.IndexByte("+-.0123456789eE", p.src[p.pos]) >= 0 {
		p.pos++
	}
	f, err := strconv.ParseFloat(p.src[start:p.pos], 64)
	return f, err == nil
}
