package plan

import (
	"github.com/idlogs/idlogs/kql/types"
)

// rulePushTimeRange turns comparisons of a datetime column with constants
// in a filter above a scan (`TimeGenerated > datetime(...)`,
// `between (a .. b)`) into the scan's time range.
var rulePushTimeRange = Rule{Name: "push_time_range", Apply: func(n Node, env *Env) (Node, bool) {
	f, ok := n.(*Filter)
	if !ok {
		return n, false
	}
	s, ok := f.In.(*Scan)
	if !ok || s.Req.TimeColumn >= 0 || s.Req.Columns != nil {
		return n, false
	}
	col, lo, hi := -1, int64(types.MinDatetime), int64(types.MaxDatetime)+1
	for _, c := range conjuncts(f.Pred) {
		ci, l, h, ok := timeBounds(c)
		if !ok || col >= 0 && ci != col {
			continue
		}
		col = ci
		lo, hi = max(lo, l), min(hi, h)
	}
	if col < 0 {
		return n, false
	}
	sc := *s
	sc.Req.TimeColumn, sc.Req.MinTime, sc.Req.MaxTime = col, lo, hi
	return &Filter{In: &sc, Pred: f.Pred}, true
}}

// timeBounds recognises `col OP const` and `col between (a .. b)` over a
// datetime column and returns the half-open range [lo, hi) it allows.
func timeBounds(e Expr) (col int, lo, hi int64, ok bool) {
	c, isCall := e.(*Call)
	if !isCall {
		return 0, 0, 0, false
	}
	lo, hi = types.MinDatetime, types.MaxDatetime+1
	switch c.Name {
	case "between":
		r, ok1 := c.Args[0].(*ColRef)
		a, ok2 := isConst(c.Args[1])
		b, ok3 := isConst(c.Args[2])
		if !ok1 || !ok2 || !ok3 || r.T != types.Datetime || a.Type != types.Datetime || !a.Valid || !b.Valid {
			return 0, 0, 0, false
		}
		end := b.I
		if b.Type == types.Timespan {
			end = a.I + b.I
		} else if b.Type != types.Datetime {
			return 0, 0, 0, false
		}
		return r.Index, a.I, end + 1, true
	case ">", ">=", "<", "<=", "==":
	default:
		return 0, 0, 0, false
	}
	op := c.Name
	r, okr := c.Args[0].(*ColRef)
	v, okv := isConst(c.Args[1])
	if !okr {
		// const OP col: mirror the operator.
		r, okr = c.Args[1].(*ColRef)
		v, okv = isConst(c.Args[0])
		op = map[string]string{">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "=="}[op]
	}
	if !okr || !okv || r.T != types.Datetime || v.Type != types.Datetime || !v.Valid {
		return 0, 0, 0, false
	}
	switch op {
	case ">":
		lo = v.I + 1
	case ">=":
		lo = v.I
	case "<":
		hi = v.I
	case "<=":
		hi = v.I + 1
	case "==":
		lo, hi = v.I, v.I+1
	}
	return r.Index, lo, hi, true
}
