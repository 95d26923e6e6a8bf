package segment

import (
	"slices"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Shredding: the paths of a dynamic column that hold a scalar in many rows
// of the segment are also stored as typed sub-columns, so that queries
// reading DeviceDetail.operatingSystem need not decode whole bags. A path
// qualifies when it is present in at least shredMinShare of the rows and
// every non-null value at it is a scalar of one type; a path whose values
// mix ints and reals is kept as a dynamic sub-column. Only nested property
// bags are followed, not arrays, down to shredMaxDepth keys.
const (
	shredMinShare = 0.3
	shredMaxDepth = 4
	shredSample   = 16384 // rows at most that choosePaths looks at
)

// shreddable reports whether t may be the type of a sub-column.
func shreddable(t types.Type) bool {
	switch t {
	case types.String, types.Long, types.Real, types.Bool, types.Datetime, types.Timespan, types.Dynamic:
		return true
	}
	return false
}

// scalarType is the sub-column type of a scalar dynamic value; ok=false
// for null, arrays, bags and guids.
func scalarType(v any) (types.Type, bool) {
	switch v.(type) {
	case string:
		return types.String, true
	case int64:
		return types.Long, true
	case float64:
		return types.Real, true
	case bool:
		return types.Bool, true
	case types.DatetimeVal:
		return types.Datetime, true
	case types.TimespanVal:
		return types.Timespan, true
	}
	return types.Null, false
}

// pathStat counts how a path occurs; the stats of a column form a trie.
type pathStat struct {
	kids    map[string]*pathStat
	present int // rows with a non-null value
	t       types.Type
	mixed   bool // values of two numeric types
	bad     bool // a non-scalar or a second non-numeric type
}

// choosePaths picks at most limit paths of the dynamic column c to shred.
func choosePaths(c *vec.Column, limit int) []shredPath {
	if limit <= 0 || c.N == 0 {
		return nil
	}
	// The paths are chosen from a sample of rows spread over the column:
	// any choice is correct (values a sub-column cannot hold stay in the
	// bags), the sample only has to find the common paths.
	step := max(1, c.N/shredSample)
	sampled := 0
	root := &pathStat{}
	for i := 0; i < c.N; i += step {
		sampled++
		if c.IsNull(i) {
			continue
		}
		if b, ok := c.Any(i).(*types.Bag); ok && b != nil {
			root.walk(b, 0)
		}
	}
	type cand struct {
		path []string
		st   *pathStat
	}
	var cands []cand
	var collect func(n *pathStat, prefix []string)
	collect = func(n *pathStat, prefix []string) {
		for k, kid := range n.kids {
			path := append(slices.Clip(prefix), k)
			if !kid.bad && float64(kid.present) >= shredMinShare*float64(sampled) {
				cands = append(cands, cand{path, kid})
			}
			collect(kid, path)
		}
	}
	collect(root, nil)
	slices.SortFunc(cands, func(a, b cand) int {
		if a.st.present != b.st.present {
			return b.st.present - a.st.present
		}
		return slices.Compare(a.path, b.path)
	})
	var out []shredPath
	for _, p := range cands[:min(limit, len(cands))] {
		t := p.st.t
		if p.st.mixed {
			t = types.Dynamic
		}
		out = append(out, shredPath{path: p.path, t: t})
	}
	return out
}

// walk counts the properties of b, a value at the path of n.
func (n *pathStat) walk(b *types.Bag, depth int) {
	for i, k := range b.Keys {
		if !firstKey(b.Keys, i) {
			continue // a path lookup sees the first property of a name
		}
		v := b.Vals[i]
		if v == nil {
			continue
		}
		p := n.kids[k]
		if p == nil {
			if n.kids == nil {
				n.kids = map[string]*pathStat{}
			}
			p = &pathStat{t: types.Null}
			n.kids[k] = p
		}
		if sub, ok := v.(*types.Bag); ok && sub != nil && depth+1 < shredMaxDepth {
			p.walk(sub, depth+1)
		}
		p.present++
		t, ok := scalarType(v)
		switch {
		case !ok:
			p.bad = true
		case p.t == types.Null || p.t == t:
			p.t = t
		case isNumber(p.t) && isNumber(t):
			p.mixed = true
		default:
			p.bad = true
		}
	}
}

func isNumber(t types.Type) bool { return t == types.Long || t == types.Real }

// extractPaths builds the sub-columns of ps from the dynamic column c.
// A missing or null value is null, except in a string sub-column, where
// it is "" as tostring() gives.
func extractPaths(c *vec.Column, ps []shredPath) []*vec.Column {
	if len(ps) == 0 {
		return nil
	}
	trie := shredTrie(ps)
	bs := make([]*vec.Builder, len(ps))
	for j, p := range ps {
		bs[j] = vec.NewBuilder(p.t, c.N)
	}
	vals := make([]any, len(ps))
	for i := 0; i < c.N; i++ {
		clear(vals)
		if !c.IsNull(i) {
			trie.collect(c.Any(i), vals)
		}
		for j, v := range vals {
			if ps[j].t == types.Dynamic {
				bs[j].AppendAny(v)
				continue
			}
			appendScalar(bs[j], ps[j].t, v)
		}
	}
	out := make([]*vec.Column, len(ps))
	for j, b := range bs {
		out[j] = b.Build()
	}
	return out
}

// appendScalar appends v to the sub-column of type t: its value when it is
// a scalar of that type, else null.
func appendScalar(b *vec.Builder, t types.Type, v any) {
	switch x := v.(type) {
	case string:
		if t == types.String {
			b.AppendString(x)
			return
		}
	case int64:
		if t == types.Long {
			b.AppendInt(x)
			return
		}
	case float64:
		if t == types.Real {
			b.AppendFloat(x)
			return
		}
	case bool:
		if t == types.Bool {
			b.AppendInt(int64(b2i(x)))
			return
		}
	case types.DatetimeVal:
		if t == types.Datetime {
			b.AppendInt(int64(x))
			return
		}
	case types.TimespanVal:
		if t == types.Timespan {
			b.AppendInt(int64(x))
			return
		}
	}
	b.AppendNull()
}

// collect stores in vals[slot] the value at each shredded path below n of
// d, as KQL's d.a.b finds it (the first property of a name).
func (n *shredNode) collect(d any, vals []any) {
	b, ok := d.(*types.Bag)
	if !ok || b == nil {
		return
	}
	for i, k := range b.Keys {
		kid := n.kids[k]
		if kid == nil || !firstKey(b.Keys, i) {
			continue
		}
		if kid.slot >= 0 {
			vals[kid.slot] = b.Vals[i]
		}
		if kid.kids != nil {
			kid.collect(b.Vals[i], vals)
		}
	}
}

// shredNode is a node of the trie of a dynamic column's shredded paths.
type shredNode struct {
	kids map[string]*shredNode
	slot int // index of the path ending here in the column's list, or -1
	t    types.Type
}

// shredTrie returns the trie of ps, nil when ps is empty.
func shredTrie(ps []shredPath) *shredNode {
	if len(ps) == 0 {
		return nil
	}
	root := &shredNode{slot: -1}
	for i, p := range ps {
		n := root
		for _, k := range p.path {
			c := n.kids[k]
			if c == nil {
				if n.kids == nil {
					n.kids = map[string]*shredNode{}
				}
				c = &shredNode{slot: -1}
				n.kids[k] = c
			}
			n = c
		}
		if n.slot < 0 {
			n.slot, n.t = i, p.t
		}
	}
	return root
}

// child returns the node of key k below n, nil when none.
func (n *shredNode) child(k string) *shredNode {
	if n == nil {
		return nil
	}
	return n.kids[k]
}

// holds reports whether v is stored in the sub-column of n as it is.
func (n *shredNode) holds(v any) bool {
	t, ok := scalarType(v)
	return ok && (n.t == types.Dynamic || t == n.t)
}
