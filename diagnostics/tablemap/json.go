package tablemap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// The properties object of a record is read once, member by member, without
// building a tree of it: a member whose key names no column is skipped, a
// member bound for a string column is taken as its JSON text, and only members
// bound for dynamic columns are decoded into dynamic values.

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

// scanner reads one JSON document.
type scanner struct {
	s []byte
	i int
}

func (p *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("properties: offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *scanner) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// member is one member of an object: its key (still quoted when escaped is
// set) and its value as raw JSON at offset off of the document.
type member struct {
	key     []byte
	keyOff  int
	escaped bool
	val     []byte
	off     int
	// spaced reports whitespace outside strings in val.
	spaced bool
}

// begin starts reading an object. It reports false for a document that is
// empty or null, which stands for no properties.
func (p *scanner) begin() (bool, error) {
	p.space()
	if p.i == len(p.s) {
		return false, nil
	}
	if bytes.HasPrefix(p.s[p.i:], []byte("null")) {
		p.i += 4
		p.space()
		if p.i < len(p.s) {
			return false, p.errorf("unexpected %q after null", p.s[p.i])
		}
		return false, nil
	}
	if p.s[p.i] != '{' {
		return false, fmt.Errorf("properties is not a JSON object")
	}
	p.i++
	return true, nil
}

// next reads the next member of the object begun with begin; ok is false
// after the last one.
func (p *scanner) next(m *member, first bool) (ok bool, err error) {
	p.space()
	if p.i == len(p.s) {
		return false, p.errorf("unexpected end of JSON")
	}
	if p.s[p.i] == '}' {
		p.i++
		p.space()
		if p.i < len(p.s) {
			return false, p.errorf("unexpected %q after the object", p.s[p.i])
		}
		return false, nil
	}
	if !first {
		if p.s[p.i] != ',' {
			return false, p.errorf("expected ',' or '}' after an object member")
		}
		p.i++
		p.space()
	}
	if p.i == len(p.s) || p.s[p.i] != '"' {
		return false, p.errorf("expected a string key")
	}
	start := p.i
	esc, err := p.skipString()
	if err != nil {
		return false, err
	}
	m.key, m.keyOff, m.escaped = p.s[start+1:p.i-1], start+1, esc
	if esc {
		m.key = p.s[start:p.i]
	}
	p.space()
	if p.i == len(p.s) || p.s[p.i] != ':' {
		return false, p.errorf("expected ':' after an object key")
	}
	p.i++
	p.space()
	start = p.i
	m.spaced = false
	if err := p.skipValue(0, &m.spaced); err != nil {
		return false, err
	}
	m.val, m.off = p.s[start:p.i], start
	return true, nil
}

// skipString moves past a string starting at p.i, reporting whether it
// holds escapes.
func (p *scanner) skipString() (escaped bool, err error) {
	p.i++
	for {
		j := bytes.IndexByte(p.s[p.i:], '"')
		if j < 0 {
			p.i = len(p.s)
			return false, p.errorf("unterminated string")
		}
		seg := p.s[p.i : p.i+j]
		if bytes.IndexByte(seg, '\\') < 0 {
			if hasControl(seg) {
				return false, p.errorf("control character in a string")
			}
			p.i += j + 1
			return escaped, nil
		}
		// Walk the segment: the quote may be escaped.
		escaped = true
		for p.i < len(p.s) {
			c := p.s[p.i]
			switch {
			case c == '"':
				p.i++
				return true, nil
			case c == '\\':
				p.i += 2
			case c < 0x20:
				return false, p.errorf("control character in a string")
			default:
				p.i++
			}
		}
		return false, p.errorf("unterminated string")
	}
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// skipValue moves past one value, checking its structure.
func (p *scanner) skipValue(depth int, spaced *bool) error {
	if depth > maxDepth {
		return p.errorf("exceeded max depth")
	}
	if p.i == len(p.s) {
		return p.errorf("unexpected end of JSON")
	}
	switch c := p.s[p.i]; {
	case c == '"':
		_, err := p.skipString()
		return err
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		p.i++
		for n := 0; ; n++ {
			p.spaceNoting(spaced)
			if p.i == len(p.s) {
				return p.errorf("unexpected end of JSON")
			}
			if p.s[p.i] == end {
				p.i++
				return nil
			}
			if n > 0 {
				if p.s[p.i] != ',' {
					return p.errorf("expected ',' or '%c'", end)
				}
				p.i++
				p.spaceNoting(spaced)
			}
			if c == '{' {
				if p.i == len(p.s) || p.s[p.i] != '"' {
					return p.errorf("expected a string key")
				}
				if _, err := p.skipString(); err != nil {
					return err
				}
				p.spaceNoting(spaced)
				if p.i == len(p.s) || p.s[p.i] != ':' {
					return p.errorf("expected ':' after an object key")
				}
				p.i++
				p.spaceNoting(spaced)
			}
			if err := p.skipValue(depth+1, spaced); err != nil {
				return err
			}
		}
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := p.i
		for p.i < len(p.s) && isNumberByte(p.s[p.i]) {
			p.i++
		}
		if !validNumber(p.s[start:p.i]) {
			return p.errorf("invalid number %q", p.s[start:p.i])
		}
		return nil
	default:
		return p.errorf("unexpected %q", c)
	}
}

func (p *scanner) spaceNoting(spaced *bool) {
	if j := p.i; j < len(p.s) {
		p.space()
		if p.i != j {
			*spaced = true
		}
	}
}

func (p *scanner) literal(word string) error {
	if !bytes.HasPrefix(p.s[p.i:], []byte(word)) {
		return p.errorf("invalid literal")
	}
	p.i += len(word)
	return nil
}

// validNumber reports whether b follows JSON's number grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// unquote returns the text of a JSON string value (quotes included in raw).
func unquote(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return string(raw[1 : len(raw)-1])
	}
	return s
}

// jval is a member's value as raw JSON, with the same bytes as text
// sharing the memory of the record's properties, so that strings taken
// from it cost no copy.
type jval struct {
	raw  []byte
	text string
	// spaced reports whitespace outside strings.
	spaced bool
}

// str returns the text of a JSON string value.
func (v jval) str() string {
	if bytes.IndexByte(v.raw, '\\') < 0 {
		return v.text[1 : len(v.text)-1]
	}
	return unquote(v.raw)
}

// jsonText returns a value as a string column holds it: a string's text,
// anything else as compact JSON text.
func (v jval) jsonText() string {
	if v.raw[0] == '"' {
		return v.str()
	}
	if v.spaced {
		var b bytes.Buffer
		if json.Compact(&b, v.raw) == nil {
			return b.String()
		}
	}
	return v.text
}

// decode decodes a checked JSON value, given as text, into a dynamic
// value of package types: nil, bool, int64 (integers that fit), float64,
// string, []any and *types.Bag with keys in order, a repeated key keeping
// its last value. Strings without escapes share the memory of text.
func (d *decoder) decode(text string) any {
	d.s, d.i = text, 0
	return d.value()
}

// decoder decodes JSON that scanner has already checked. Its zero value
// is ready; reusing one saves the growth of its stacks.
type decoder struct {
	s string
	i int
	// keys and vals hold the members of the objects being read, innermost
	// last, so that a finished object's slices are allocated at their size.
	keys []string
	vals []any
	// Slabs the finished bags take their memory from, a few allocations
	// for many bags: all of a batch's bags live as long as the batch.
	bags    []types.Bag
	keySlab []string
	valSlab []any
}

const slabSize = 1024

func (d *decoder) bag() *types.Bag {
	if len(d.bags) == cap(d.bags) {
		d.bags = make([]types.Bag, 0, slabSize/8)
	}
	d.bags = d.bags[:len(d.bags)+1]
	return &d.bags[len(d.bags)-1]
}

// takeKeys copies keys into the slab, capped so that appending to the
// result cannot overwrite another bag's keys.
func (d *decoder) takeKeys(keys []string) []string {
	if len(keys) > slabSize/4 {
		return slices.Clone(keys)
	}
	if cap(d.keySlab)-len(d.keySlab) < len(keys) {
		d.keySlab = make([]string, 0, slabSize)
	}
	n := len(d.keySlab)
	d.keySlab = append(d.keySlab, keys...)
	return d.keySlab[n:len(d.keySlab):len(d.keySlab)]
}

func (d *decoder) takeVals(vals []any) []any {
	if len(vals) > slabSize/4 {
		return slices.Clone(vals)
	}
	if cap(d.valSlab)-len(d.valSlab) < len(vals) {
		d.valSlab = make([]any, 0, slabSize)
	}
	n := len(d.valSlab)
	d.valSlab = append(d.valSlab, vals...)
	return d.valSlab[n:len(d.valSlab):len(d.valSlab)]
}

func (d *decoder) space() {
	for d.i < len(d.s) && (d.s[d.i] == ' ' || d.s[d.i] == '\t' || d.s[d.i] == '\n' || d.s[d.i] == '\r') {
		d.i++
	}
}

func (d *decoder) value() any {
	d.space()
	switch c := d.s[d.i]; {
	case c == '"':
		return d.str()
	case c == '{':
		return d.object()
	case c == '[':
		d.i++
		arr := []any{}
		for {
			d.space()
			if d.s[d.i] == ']' {
				d.i++
				return arr
			}
			if d.s[d.i] == ',' {
				d.i++
			}
			arr = append(arr, d.value())
		}
	case c == 't':
		d.i += 4
		return true
	case c == 'f':
		d.i += 5
		return false
	case c == 'n':
		d.i += 4
		return nil
	default:
		start := d.i
		for d.i < len(d.s) && isNumberByte(d.s[d.i]) {
			d.i++
		}
		return number(d.s[start:d.i])
	}
}

func (d *decoder) object() any {
	d.i++
	mark := len(d.keys)
	for {
		d.space()
		if d.s[d.i] == '}' {
			d.i++
			break
		}
		if d.s[d.i] == ',' {
			d.i++
			d.space()
		}
		k := d.str()
		d.space()
		d.i++ // ':'
		v := d.value()
		if j := slices.Index(d.keys[mark:], k); j >= 0 {
			d.vals[mark+j] = v
			continue
		}
		d.keys = append(d.keys, k)
		d.vals = append(d.vals, v)
	}
	bag := d.bag()
	bag.Keys = d.takeKeys(d.keys[mark:])
	bag.Vals = d.takeVals(d.vals[mark:])
	clear(d.vals[mark:])
	d.keys, d.vals = d.keys[:mark], d.vals[:mark]
	return bag
}

func (d *decoder) str() string {
	start := d.i
	d.i++
	escaped := false
	for d.s[d.i] != '"' {
		if d.s[d.i] == '\\' {
			escaped = true
			d.i++
		}
		d.i++
	}
	d.i++
	if !escaped {
		return d.s[start+1 : d.i-1]
	}
	return unquote([]byte(d.s[start:d.i]))
}

// number is a JSON number as a dynamic value: int64 when it is an integer
// that fits, float64 otherwise.
func number(s string) any {
	if strings.IndexAny(s, ".eE") >= 0 {
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f
}
