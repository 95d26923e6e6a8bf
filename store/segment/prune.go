package segment

import (
	"slices"
	"strings"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
)

// Blocks returns the blocks that may hold rows matching req: those whose
// time column overlaps the requested range and for which no conjunct of
// req.Filter is known false from the block's statistics, dictionary or
// term filter. It is conservative: when unsure it keeps the block.
func (s *Segment) Blocks(req *plan.ScanRequest) []int {
	var out []int
	shared := &dictMatches{}
	for b := range s.ft.blocks {
		v := &blockView{s: s, b: b, req: req, matches: shared}
		if req == nil || v.mayMatch(req) {
			out = append(out, b)
		}
	}
	return out
}

// blockView answers questions about one block, loading dictionaries and
// term filters on first use. A chunk that cannot be read answers "maybe":
// the scan that follows reports the error.
type blockView struct {
	s       *Segment
	b       int
	req     *plan.ScanRequest
	dicts   map[int][]string
	filters map[int]*bloom
	matches *dictMatches // shared by the blocks of one Blocks call
}

// dictMatches holds, for each predicate on a column with a segment
// dictionary, the codes of the values it holds for, computed once for all
// blocks.
type dictMatches struct {
	m map[matchKey][]uint32
}

type matchKey struct {
	col int
	op  string
	k   string
}

// codes returns the codes of column col's segment dictionary for whose
// values pred holds; ok=false when the dictionary cannot be read.
func (d *dictMatches) codes(s *Segment, key matchKey, pred func(string) bool) ([]uint32, bool) {
	if c, ok := d.m[key]; ok {
		return c, c != nil
	}
	if d.m == nil {
		d.m = map[matchKey][]uint32{}
	}
	values, _, err := s.segDict(key.col)
	var codes []uint32
	if err == nil {
		codes = []uint32{}
		for i, v := range values {
			if pred(v) {
				codes = append(codes, uint32(i))
			}
		}
	}
	d.m[key] = codes
	return codes, codes != nil
}

// anyValue reports whether pred (identified by op and k) may hold for a
// value of the block's column col. It answers from the block's dictionary
// or the code bitmap of a segment dictionary; known is false for other
// blocks, and when a chunk cannot be read.
func (v *blockView) anyValue(col int, op, k string, pred func(string) bool) (may, known bool) {
	switch v.meta(col).enc {
	case encDict:
		if d := v.dict(col); d != nil {
			return anyString(d, pred), true
		}
	case encSegDict, encMapped:
		codes, ok := v.matches.codes(v.s, matchKey{col, op, k}, pred)
		if !ok {
			return false, false
		}
		used, err := v.s.readUsed(v.b, col)
		if err != nil {
			return false, false
		}
		for _, c := range codes {
			if used[c>>3]&(1<<(c&7)) != 0 {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

func (v *blockView) meta(col int) *colMeta { return &v.s.ft.blocks[v.b].cols[col] }

func (v *blockView) dict(col int) []string {
	if d, ok := v.dicts[col]; ok {
		return d
	}
	if v.dicts == nil {
		v.dicts = map[int][]string{}
	}
	d, err := v.s.readDict(v.meta(col))
	if err != nil {
		d = nil
	}
	v.dicts[col] = d
	return d
}

func (v *blockView) filter(col int) *bloom {
	if f, ok := v.filters[col]; ok {
		return f
	}
	if v.filters == nil {
		v.filters = map[int]*bloom{}
	}
	var f *bloom
	if v.meta(col).filter.n > 0 {
		f, _ = v.s.readFilter(v.meta(col))
	}
	v.filters[col] = f
	return f
}

func (v *blockView) mayMatch(req *plan.ScanRequest) bool {
	if v.s.ft.blocks[v.b].rows == 0 {
		return false
	}
	if tc := req.TimeColumn; tc >= 0 && tc < len(v.s.ft.schema) && v.s.ft.schema[tc].Type == types.Datetime {
		st := &v.meta(tc).st
		if !st.hasMinMax || st.maxI < req.MinTime || st.minI >= req.MaxTime {
			return false
		}
	}
	for _, e := range req.Filter {
		if !v.may(e) {
			return false
		}
	}
	return true
}

// may reports whether e may be true for a row of the block.
func (v *blockView) may(e plan.Expr) bool {
	c, ok := e.(*plan.Call)
	if !ok {
		return true
	}
	switch c.Name {
	case "__and":
		for _, a := range c.Args {
			if !v.may(a) {
				return false
			}
		}
		return true
	case "__or":
		for _, a := range c.Args {
			if v.may(a) {
				return true
			}
		}
		return len(c.Args) == 0
	case "==", "!=", "<", "<=", ">", ">=":
		return v.mayCompareCall(c)
	case "between":
		return v.mayBetween(c)
	case "in", "in~":
		return v.mayIn(c)
	case "has_any", "has_all":
		return v.mayHasAnyAll(c)
	case "isnull", "isnotnull", "isempty", "isnotempty":
		if len(c.Args) == 1 {
			if col, ok := v.column(c.Args[0]); ok {
				return v.mayNullTest(col, c.Name)
			}
		}
		return true
	}
	if _, known := textOps[strings.TrimPrefix(c.Name, "!")]; known && len(c.Args) == 2 {
		col, okc := v.column(c.Args[0])
		k, okk := constOf(c.Args[1])
		if okc && okk && k.Type == types.String && v.typ(col) == types.String {
			return v.mayText(col, c.Name, k.S)
		}
	}
	return true
}

// column returns the column e reads when e is a plain column reference,
// or a path (d.a.b, d["a"]) of a dynamic column stored as a sub-column.
func (v *blockView) column(e plan.Expr) (int, bool) {
	var path []string
	for {
		c, ok := e.(*plan.Call)
		if !ok || c.Name != "__index" || len(c.Args) != 2 {
			break
		}
		k, ok := c.Args[1].(*plan.Const)
		if !ok || k.V.Type != types.String || !k.V.Valid {
			return 0, false
		}
		path = append([]string{k.V.S}, path...)
		e = c.Args[0]
	}
	r, ok := e.(*plan.ColRef)
	if ok && path == nil && v.req != nil && r.Index >= len(v.s.ft.schema) && r.Index-len(v.s.ft.schema) < len(v.req.Paths) {
		return v.pathColumn(v.req.Paths[r.Index-len(v.s.ft.schema)], r.T)
	}
	if !ok || r.Index < 0 || r.Index >= len(v.s.ft.schema) || v.s.ft.schema[r.Index].Type != r.T ||
		r.Name != "" && v.s.ft.schema[r.Index].Name != r.Name {
		return 0, false // not this segment's column: a request for another schema
	}
	if path == nil {
		return r.Index, true
	}
	for j, p := range v.s.ft.shred[r.Index] {
		if slices.Equal(p.path, path) {
			return v.s.firstShred[r.Index] + j, true
		}
	}
	return 0, false
}

// pathColumn returns the sub-column that holds path column p of the scan
// request (plan.ScanRequest.Paths), when the segment shredded that path:
// with exactly the requested type, or any type for a dynamic request.
func (v *blockView) pathColumn(p plan.PathColumn, t types.Type) (int, bool) {
	if p.Column < 0 || p.Column >= len(v.s.ft.schema) || v.s.ft.schema[p.Column].Type != types.Dynamic || p.As != t {
		return 0, false
	}
	for j, sp := range v.s.ft.shred[p.Column] {
		// A dynamic request (d.a.b) reads the sub-column as the d.a.b form
		// does; a converted one (tostring(d.a.b)) needs that exact type.
		if slices.Equal(sp.path, p.Path) && (sp.t == p.As || p.As == types.Dynamic) {
			return v.s.firstShred[p.Column] + j, true
		}
	}
	return 0, false
}

// typ is the type of column col (a schema column or a sub-column).
func (v *blockView) typ(col int) types.Type {
	if col < len(v.s.ft.schema) {
		return v.s.ft.schema[col].Type
	}
	return v.s.colTypes[col]
}

// isPath reports whether col is a shredded sub-column. A path that is
// missing is null, but reads as "" in a string sub-column: predicates
// that tell null from "" cannot use it.
func (v *blockView) isPath(col int) bool { return col >= len(v.s.ft.schema) }

func constOf(e plan.Expr) (types.Value, bool) {
	k, ok := e.(*plan.Const)
	if !ok || k.V.IsNull() {
		return types.Value{}, false
	}
	return k.V, true
}

// mirrored is the operator with its operands swapped.
var mirrored = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (v *blockView) mayCompareCall(c *plan.Call) bool {
	if len(c.Args) != 2 {
		return true
	}
	op := c.Name
	col, okc := v.column(c.Args[0])
	k, okk := constOf(c.Args[1])
	if !okc {
		col, okc = v.column(c.Args[1])
		k, okk = constOf(c.Args[0])
		op = mirrored[op]
	}
	if !okc || !okk {
		return true
	}
	return v.mayCompare(col, op, k)
}

func (v *blockView) mayBetween(c *plan.Call) bool {
	if len(c.Args) != 3 {
		return true
	}
	col, okc := v.column(c.Args[0])
	lo, ok1 := constOf(c.Args[1])
	hi, ok2 := constOf(c.Args[2])
	if !okc || !ok1 || !ok2 {
		return true
	}
	if lo.Type == types.Datetime && hi.Type == types.Timespan {
		hi = types.NewDatetime(lo.I + hi.I)
	}
	return v.mayCompare(col, ">=", lo) && v.mayCompare(col, "<=", hi)
}

// flattenConsts returns the constants of args, expanding dynamic arrays as
// in and has_any do; ok=false when one is not a constant.
func flattenConsts(args []plan.Expr) ([]types.Value, bool) {
	var out []types.Value
	for _, a := range args {
		k, ok := a.(*plan.Const)
		if !ok {
			return nil, false
		}
		if k.V.Type == types.Dynamic {
			arr, isArr := k.V.D.([]any)
			if !isArr {
				return nil, false
			}
			for _, e := range arr {
				out = append(out, types.FromDynamic(e))
			}
			continue
		}
		out = append(out, k.V)
	}
	return out, true
}

func (v *blockView) mayIn(c *plan.Call) bool {
	if len(c.Args) < 1 {
		return true
	}
	col, okc := v.column(c.Args[0])
	list, okl := flattenConsts(c.Args[1:])
	if !okc || !okl {
		return true
	}
	t := v.typ(col)
	for _, k := range list {
		if k.IsNull() {
			continue
		}
		switch {
		case c.Name == "in":
			if v.mayCompare(col, "==", k) {
				return true
			}
		case t == types.String && k.Type == types.String:
			if v.mayText(col, "=~", k.S) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

func (v *blockView) mayHasAnyAll(c *plan.Call) bool {
	if len(c.Args) < 1 {
		return true
	}
	col, okc := v.column(c.Args[0])
	list, okl := flattenConsts(c.Args[1:])
	if !okc || !okl || v.typ(col) != types.String {
		return true
	}
	all := c.Name == "has_all"
	if len(list) == 0 {
		return all
	}
	for _, k := range list {
		if k.Type != types.String {
			return true
		}
		if m := v.mayText(col, "has", k.S); m != all {
			return m
		}
	}
	return all
}

// mayNullTest answers isnull, isnotnull, isempty and isnotempty from null
// counts and string statistics. Strings are never null and empty when "";
// a string sub-column reads "" for a missing path, so there "" may be null.
func (v *blockView) mayNullTest(col int, name string) bool {
	m := v.meta(col)
	rows := int64(v.s.ft.blocks[v.b].rows)
	t := v.typ(col)
	if t == types.String {
		someEmpty := m.st.hasMinMax && m.st.minS == ""
		allEmpty := m.st.hasMax && m.st.maxS == ""
		switch {
		case name == "isempty", name == "isnull" && v.isPath(col):
			return someEmpty
		case name == "isnotempty":
			return !allEmpty
		case name == "isnull":
			return false
		}
		return true
	}
	if t == types.Dynamic && !v.isPath(col) && (name == "isempty" || name == "isnotempty") {
		return true // "" strings inside dynamic values count as empty
	}
	if name == "isnull" || name == "isempty" {
		return m.nulls > 0
	}
	return m.nulls < rows
}
