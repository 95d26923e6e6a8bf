package segment

import (
	"math"
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
)

// textOps are the string predicates a block can rule out, evaluated as
// kql/builtin does (case-insensitive forms lowercase both sides).
var textOps = map[string]func(s, t string) bool{
	"has":           func(s, t string) bool { return builtin.FindTerm(strings.ToLower(s), strings.ToLower(t), true, true) },
	"has_cs":        func(s, t string) bool { return builtin.FindTerm(s, t, true, true) },
	"hasprefix":     func(s, t string) bool { return builtin.FindTerm(strings.ToLower(s), strings.ToLower(t), true, false) },
	"hasprefix_cs":  func(s, t string) bool { return builtin.FindTerm(s, t, true, false) },
	"contains":      func(s, t string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(t)) },
	"contains_cs":   strings.Contains,
	"startswith":    func(s, t string) bool { return strings.HasPrefix(strings.ToLower(s), strings.ToLower(t)) },
	"startswith_cs": strings.HasPrefix,
	"=~":            strings.EqualFold,
}

// cmpClass is how a column's values compare with a constant.
type cmpClass int

const (
	cmpNone cmpClass = iota // not understood: keep the block
	cmpInt
	cmpFloat
	cmpString
)

func classify(t types.Type, k types.Value) cmpClass {
	switch {
	case t.IsInteger() && k.Type.IsInteger(),
		(t == types.Datetime || t == types.Timespan || t == types.Bool) && k.Type == t:
		return cmpInt
	case (t == types.Real || t == types.Decimal) && k.Type.IsNumeric():
		return cmpFloat
	case (t == types.String || t == types.Guid) && k.Type == t:
		return cmpString
	}
	return cmpNone
}

// mayCompare reports whether `col op k` may hold for a row of the block.
// Null rows satisfy only != (a value is never equal to null).
func (v *blockView) mayCompare(col int, op string, k types.Value) bool {
	m := v.meta(col)
	st := &m.st
	class := classify(v.typ(col), k)
	if class == cmpNone || op == "!=" && class == cmpString && v.isPath(col) {
		return true
	}
	if op == "!=" && (m.nulls > 0 || st.hasNaN) {
		return true
	}
	if class == cmpString {
		if may, known := v.anyValue(col, op, k.S, func(s string) bool { return cmpHolds(op, strings.Compare(s, k.S)) }); known {
			return may
		}
	}
	if !st.hasMinMax {
		return op == "!=" && v.s.ft.blocks[v.b].rows > int(m.nulls)
	}
	var lo, hi int // comparisons of min and max with k
	switch class {
	case cmpInt:
		lo, hi = types.CompareInts(st.minI, k.I), types.CompareInts(st.maxI, k.I)
	case cmpFloat:
		f := k.F
		if k.Type.IsInteger() {
			f = float64(k.I)
		}
		if math.IsNaN(f) {
			return op == "!="
		}
		lo, hi = cmpFloat64(st.minF, f), cmpFloat64(st.maxF, f)
	case cmpString:
		lo, hi = strings.Compare(st.minS, k.S), 1
		if st.hasMax {
			hi = strings.Compare(st.maxS, k.S)
		} else if op == "!=" {
			return true
		}
		if op == "==" && lo <= 0 && hi >= 0 && m.filter.n > 0 && k.Type == types.String {
			return v.mayText(col, "has_cs", k.S) && v.mayText(col, "contains_cs", k.S)
		}
	}
	switch op {
	case "==":
		return lo <= 0 && hi >= 0
	case "!=":
		return !(lo == 0 && hi == 0)
	case "<":
		return lo < 0
	case "<=":
		return lo <= 0
	case ">":
		return hi > 0
	case ">=":
		return hi >= 0
	}
	return true
}

func cmpFloat64(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpHolds(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return true
}

func anyString(ss []string, f func(string) bool) bool {
	for _, s := range ss {
		if f(s) {
			return true
		}
	}
	return false
}

// mayText reports whether the string predicate op (a key of textOps,
// possibly negated with "!") may hold for a value of string column col.
func (v *blockView) mayText(col int, op, t string) bool {
	m := v.meta(col)
	negated := strings.HasPrefix(op, "!")
	base := strings.TrimPrefix(op, "!")
	f := textOps[base]
	if f == nil {
		return true
	}
	if m.enc != encPlain {
		may, known := v.anyValue(col, op, t, func(s string) bool { return f(s, t) != negated })
		return may || !known
	}
	if negated {
		return true
	}
	if base == "startswith_cs" && !mayHavePrefix(&m.st, t) {
		return false
	}
	fl := v.filter(col)
	if fl == nil {
		return true
	}
	lower, folded := strings.ToLower(t), foldASCII(t)
	switch base {
	case "has":
		return fl.mayHaveTerms(lower, false)
	case "has_cs":
		return fl.mayHaveTerms(folded, false)
	case "hasprefix":
		return fl.mayHaveTerms(lower, true)
	case "hasprefix_cs":
		return fl.mayHaveTerms(folded, true)
	case "contains", "startswith":
		return fl.mayContain(lower)
	case "contains_cs", "startswith_cs":
		return fl.mayContain(folded)
	case "=~":
		// EqualFold and ToLower agree on ASCII text only.
		if !m.st.ascii || !isASCII(t) {
			return true
		}
		return fl.mayHaveTerms(lower, false) && fl.mayContain(lower)
	}
	return true
}

// mayHavePrefix reports whether a value between the block's min and max
// may start with t.
func mayHavePrefix(st *stats, t string) bool {
	if !st.hasMinMax {
		return false
	}
	if st.hasMax && st.maxS < t {
		return false
	}
	return !(st.minS > t && !strings.HasPrefix(st.minS, t))
}
