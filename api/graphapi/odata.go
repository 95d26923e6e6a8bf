package graphapi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/kql/types"
)

// filter is a parsed OData $filter of the form the report and identity
// protection lists serve: comparisons joined by "and", each
//
//	<property> eq|ne|gt|ge|lt|le <literal>
//	signInEventTypes/any(t: t eq '<type>' [or t eq '<type>' ...])
//	signInEventTypes/any(t: t ne '<type>')
//
// where a property may be a path (status/errorCode) and a literal is a
// quoted string, a DateTimeOffset (unquoted, as Graph writes it:
// 2026-05-01T12:00:00Z), a number, true, false or null. Parentheses may
// group. "or" is accepted only inside any(): it is what Graph's report APIs
// accept too.
type filter struct {
	conds []cond
	// kinds are the sign-in event types signInEventTypes/any(...) allows;
	// nil when the filter does not name them.
	kinds []string
}

// cond is one comparison.
type cond struct {
	prop string
	op   string
	// lit is the literal: string, time.Time, float64, bool or nil.
	lit any
}

// filterError is a $filter the routes cannot serve: the message is the
// answer's.
type filterError struct{ msg string }

func (e *filterError) Error() string { return e.msg }

func parseFilter(s string) (*filter, error) {
	toks, err := lexFilter(s)
	if err != nil {
		return nil, err
	}
	p := &filterParser{toks: toks}
	f := &filter{}
	if len(toks) > 0 {
		if err := p.conj(f); err != nil {
			return nil, err
		}
	}
	if p.i < len(p.toks) {
		return nil, &filterError{fmt.Sprintf("Invalid filter clause: unexpected '%s' at position %d.", p.toks[p.i].text, p.toks[p.i].pos+1)}
	}
	return f, nil
}

type filterTok struct {
	text string
	kind byte // 'i' identifier or keyword, 's' string, 'l' other literal, or the punctuation itself
	pos  int
}

func lexFilter(s string) ([]filterTok, error) {
	var out []filterTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')' || c == ':' || c == ',':
			out = append(out, filterTok{string(c), c, i})
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, &filterError{fmt.Sprintf("Invalid filter clause: unterminated string at position %d.", i+1)}
			}
			out = append(out, filterTok{b.String(), 's', i})
			i = j + 1
		default:
			kind, stop := byte('i'), " \t():,'"
			if c >= '0' && c <= '9' || c == '-' || c == '+' {
				// A date and time holds colons.
				kind, stop = 'l', " \t(),'"
			}
			j := i
			for j < len(s) && !strings.ContainsRune(stop, rune(s[j])) {
				j++
			}
			out = append(out, filterTok{s[i:j], kind, i})
			i = j
		}
	}
	return out, nil
}

type filterParser struct {
	toks []filterTok
	i    int
}

func (p *filterParser) peek() filterTok {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return filterTok{text: "end of filter", pos: -1}
}

func (p *filterParser) next() filterTok { t := p.peek(); p.i++; return t }

func (p *filterParser) keyword(k string) bool {
	if t := p.peek(); t.kind == 'i' && strings.EqualFold(t.text, k) {
		p.i++
		return true
	}
	return false
}

func (p *filterParser) expect(kind byte) (filterTok, error) {
	t := p.next()
	if t.kind != kind {
		return t, &filterError{fmt.Sprintf("Invalid filter clause: expected '%c', found '%s'.", kind, t.text)}
	}
	return t, nil
}

func (p *filterParser) conj(f *filter) error {
	for {
		if err := p.primary(f); err != nil {
			return err
		}
		if p.keyword("or") {
			return &filterError{"Invalid filter clause: idlogs supports 'or' only inside signInEventTypes/any(...)."}
		}
		if !p.keyword("and") {
			return nil
		}
	}
}

var compareOps = map[string]bool{"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true}

func (p *filterParser) primary(f *filter) error {
	if p.peek().kind == '(' {
		p.i++
		if err := p.conj(f); err != nil {
			return err
		}
		_, err := p.expect(')')
		return err
	}
	prop := p.next()
	if prop.kind != 'i' {
		return &filterError{fmt.Sprintf("Invalid filter clause: expected a property, found '%s'.", prop.text)}
	}
	if strings.EqualFold(prop.text, "signInEventTypes/any") {
		return p.anyEventType(f)
	}
	op := p.next()
	if !compareOps[strings.ToLower(op.text)] {
		return &filterError{fmt.Sprintf("Invalid filter clause: expected a comparison after '%s', found '%s'.", prop.text, op.text)}
	}
	lit, err := p.literal()
	if err != nil {
		return err
	}
	f.conds = append(f.conds, cond{prop: prop.text, op: strings.ToLower(op.text), lit: lit})
	return nil
}

func (p *filterParser) literal() (any, error) {
	t := p.next()
	switch t.kind {
	case 's':
		return t.text, nil
	case 'l':
		if tm, err := time.Parse(time.RFC3339Nano, t.text); err == nil {
			return tm.UTC(), nil
		}
		if n, err := strconv.ParseFloat(t.text, 64); err == nil {
			return n, nil
		}
	case 'i':
		switch strings.ToLower(t.text) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
	}
	return nil, &filterError{fmt.Sprintf("Invalid filter clause: '%s' is not a literal (a quoted string, a date and time such as 2026-05-01T12:00:00Z, a number, true, false or null).", t.text)}
}

// anyEventType parses the lambda of signInEventTypes/any after its name.
func (p *filterParser) anyEventType(f *filter) error {
	if _, err := p.expect('('); err != nil {
		return err
	}
	v, err := p.expect('i')
	if err != nil {
		return err
	}
	if _, err := p.expect(':'); err != nil {
		return err
	}
	var eq, ne []string
	for depth := 0; ; {
		for p.peek().kind == '(' {
			p.i++
			depth++
		}
		if t := p.next(); t.kind != 'i' || !strings.EqualFold(t.text, v.text) {
			return &filterError{fmt.Sprintf("Invalid filter clause: expected '%s' in signInEventTypes/any, found '%s'.", v.text, t.text)}
		}
		op := strings.ToLower(p.next().text)
		val, err := p.expect('s')
		if err != nil {
			return err
		}
		kind, ok := eventType(val.text)
		if !ok || op != "eq" && op != "ne" {
			return &filterError{fmt.Sprintf("Invalid filter clause: signInEventTypes/any takes %s eq '<type>' with the types interactiveUser, nonInteractiveUser, servicePrincipal and managedIdentity.", v.text)}
		}
		if op == "eq" {
			eq = append(eq, kind)
		} else {
			ne = append(ne, kind)
		}
		for depth > 0 && p.peek().kind == ')' {
			p.i++
			depth--
		}
		if !p.keyword("or") {
			if depth != 0 {
				return &filterError{"Invalid filter clause: unbalanced parentheses in signInEventTypes/any."}
			}
			break
		}
	}
	if _, err := p.expect(')'); err != nil {
		return err
	}
	if len(ne) > 0 && len(eq) > 0 || len(ne) > 1 {
		return &filterError{"Invalid filter clause: signInEventTypes/any takes either 'eq' comparisons joined by 'or' or one 'ne' comparison."}
	}
	kinds := eq
	if len(ne) == 1 {
		kinds = nil
		for _, k := range eventTypes {
			if k != ne[0] {
				kinds = append(kinds, k)
			}
		}
	}
	if f.kinds != nil {
		// Two any() clauses joined by and: a sign-in has one event type.
		var both []string
		for _, k := range kinds {
			if containsFold(f.kinds, k) {
				both = append(both, k)
			}
		}
		kinds = both
		if kinds == nil {
			kinds = []string{}
		}
	}
	f.kinds = kinds
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// timeRange takes the conditions on the time property prop out of f and
// returns the range they allow in ticks: min <= t < max (max 0: no bound).
// Only gt, ge, lt, le and eq with a date and time are taken.
func (f *filter) timeRange(prop string) (lo, hi int64, err error) {
	lo, hi = 0, math.MaxInt64
	kept := f.conds[:0]
	for _, c := range f.conds {
		if !strings.EqualFold(c.prop, prop) {
			kept = append(kept, c)
			continue
		}
		tm, ok := c.lit.(time.Time)
		if !ok || c.op == "ne" {
			return 0, 0, &filterError{fmt.Sprintf("Invalid filter clause: %s compares with eq, gt, ge, lt or le to a date and time such as 2026-05-01T12:00:00Z.", prop)}
		}
		x := types.TicksFromTime(tm)
		switch c.op {
		case "gt":
			lo = max(lo, x+1)
		case "ge":
			lo = max(lo, x)
		case "lt":
			hi = min(hi, x)
		case "le":
			hi = min(hi, x+1)
		case "eq":
			lo, hi = max(lo, x), min(hi, x+1)
		}
	}
	f.conds = kept
	if hi == math.MaxInt64 {
		hi = 0
	}
	return lo, hi, nil
}

// match reports whether the resource m meets every condition of f.
func (f *filter) match(m map[string]any) bool {
	for _, c := range f.conds {
		if !c.match(lookupPath(m, c.prop)) {
			return false
		}
	}
	return true
}

// lookupPath reads a property path (a/b/c) of m, matching names without
// regard to case as Graph does.
func lookupPath(m map[string]any, path string) any {
	var v any = m
	for _, name := range strings.Split(path, "/") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v, ok = obj[name]
		if !ok {
			v = nil
			for k, x := range obj {
				if strings.EqualFold(k, name) {
					v = x
					break
				}
			}
		}
	}
	return v
}

func (c cond) match(v any) bool {
	cmp, ok := compareLit(v, c.lit)
	if !ok {
		return c.op == "ne"
	}
	switch c.op {
	case "eq":
		return cmp == 0
	case "ne":
		return cmp != 0
	case "gt":
		return cmp > 0
	case "ge":
		return cmp >= 0
	case "lt":
		return cmp < 0
	}
	return cmp <= 0 // le
}

// compareLit compares a resource's value with a literal; false when they
// do not compare (other types, a missing value).
func compareLit(v, lit any) (int, bool) {
	switch l := lit.(type) {
	case nil:
		if v == nil {
			return 0, true
		}
		return 1, true
	case string:
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(strings.ToLower(s), strings.ToLower(l)), true
	case time.Time:
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, false
		}
		return t.Compare(l), true
	case float64:
		n, ok := v.(float64)
		if !ok {
			return 0, false
		}
		switch {
		case n < l:
			return -1, true
		case n > l:
			return 1, true
		}
		return 0, true
	case bool:
		b, ok := v.(bool)
		if !ok {
			return 0, false
		}
		if b == l {
			return 0, true
		}
		return 1, true
	}
	return 0, false
}
