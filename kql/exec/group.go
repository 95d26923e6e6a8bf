package exec

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// grouper assigns dense group ids to rows by their key values and
// remembers each group's key values. Ids are given in order of first
// appearance.
type grouper interface {
	// assign writes the group id of each of the n rows to gids.
	assign(keys []*vec.Column, n int, gids []int32)
	// keyRows returns the key values of every group, by group id.
	keyRows() [][]types.Value
}

// newGrouper picks a grouper for the key types.
func newGrouper(keyTypes []types.Type) grouper {
	if len(keyTypes) == 1 {
		switch keyTypes[0].Storage() {
		case types.StoreInt:
			return &intGrouper{null: -1, last: -1}
		case types.StoreString:
			return &stringGrouper{ids: map[string]int32{}, last: -1}
		}
	}
	return &valueGrouper{ids: map[string]int32{}}
}

// valueGrouper groups by the canonical encoding of all key values.
type valueGrouper struct {
	ids  map[string]int32
	rows [][]types.Value
	buf  []byte
}

func (g *valueGrouper) assign(keys []*vec.Column, n int, gids []int32) {
	for r := 0; r < n; r++ {
		g.buf = g.buf[:0]
		for _, k := range keys {
			g.buf = types.Key(g.buf, k.Value(r))
		}
		id, ok := g.ids[string(g.buf)]
		if !ok {
			id = int32(len(g.rows))
			g.ids[string(g.buf)] = id
			vals := make([]types.Value, len(keys))
			for i, k := range keys {
				vals[i] = k.Value(r)
			}
			g.rows = append(g.rows, vals)
		}
		gids[r] = id
	}
}

func (g *valueGrouper) keyRows() [][]types.Value { return g.rows }

// intGrouper groups by one integer-stored key (long, datetime, bins) in an
// open-addressing table; a run of equal keys, as bin(TimeGenerated, ...)
// gives over time-ordered rows, is looked up once.
type intGrouper struct {
	tab     intTable
	null    int32
	rows    [][]types.Value
	lastKey int64
	last    int32 // group of lastKey, -1 before the first key
}

func (g *intGrouper) assign(keys []*vec.Column, n int, gids []int32) {
	k := keys[0]
	if k.Const || k.Valid != nil || k.Type == types.Null {
		for r := 0; r < n; r++ {
			if k.IsNull(r) {
				gids[r] = g.nullID(k.Type)
				continue
			}
			gids[r] = g.id(k.Type, k.Int(r))
		}
		return
	}
	for r, x := range k.Ints[:n] {
		if x == g.lastKey && g.last >= 0 {
			gids[r] = g.last
			continue
		}
		gids[r] = g.id(k.Type, x)
	}
}

func (g *intGrouper) nullID(t types.Type) int32 {
	if g.null < 0 {
		g.null = int32(len(g.rows))
		g.rows = append(g.rows, []types.Value{types.NullOf(t)})
	}
	return g.null
}

func (g *intGrouper) id(t types.Type, x int64) int32 {
	id, ok := g.tab.get(x)
	if !ok {
		id = int32(len(g.rows))
		g.tab.put(x, id)
		g.rows = append(g.rows, []types.Value{{Type: t, Valid: true, I: x}})
	}
	g.lastKey, g.last = x, id
	return id
}

func (g *intGrouper) keyRows() [][]types.Value { return g.rows }

// intTable maps int64 keys to group ids by linear probing.
type intTable struct {
	keys []int64
	ids  []int32 // id+1; 0 marks an empty slot
	n    int
	mask uint64
}

func intHash(x int64) uint64 { return uint64(x) * 0x9E3779B97F4A7C15 }

func (t *intTable) get(x int64) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	for i := intHash(x) >> 32 & t.mask; ; i = (i + 1) & t.mask {
		switch {
		case t.ids[i] == 0:
			return 0, false
		case t.keys[i] == x:
			return t.ids[i] - 1, true
		}
	}
}

// put adds x, which the table does not hold, with group id.
func (t *intTable) put(x int64, id int32) {
	if (t.n+1)*2 > len(t.ids) {
		t.resize()
	}
	for i := intHash(x) >> 32 & t.mask; ; i = (i + 1) & t.mask {
		if t.ids[i] == 0 {
			t.keys[i], t.ids[i] = x, id+1
			t.n++
			return
		}
	}
}

func (t *intTable) resize() {
	keys, ids := t.keys, t.ids
	size := max(16, 2*len(ids))
	t.keys, t.ids, t.mask, t.n = make([]int64, size), make([]int32, size), uint64(size-1), 0
	for i, id := range ids {
		if id != 0 {
			t.put(keys[i], id-1)
		}
	}
}

// stringGrouper groups by one string key. A dictionary-encoded column is
// grouped by code: each distinct string is looked up once per dictionary,
// and then each row costs one indexed load.
type stringGrouper struct {
	ids    map[string]int32
	rows   [][]types.Value
	dict   []string
	byCode []int32 // group id+1 of each code of dict; 0 until looked up
	last   int32   // group of lastS, -1 before the first key
	lastS  string
}

func (g *stringGrouper) id(t types.Type, s string) int32 {
	id, ok := g.ids[s]
	if !ok {
		id = int32(len(g.rows))
		g.ids[s] = id
		g.rows = append(g.rows, []types.Value{{Type: t, Valid: true, S: s}})
	}
	return id
}

func (g *stringGrouper) assign(keys []*vec.Column, n int, gids []int32) {
	k := keys[0]
	if k.Codes != nil && !k.Const {
		g.assignCodes(k, k.Codes[:n], gids)
		return
	}
	for r := 0; r < n; r++ {
		s := k.Str(r)
		if g.last < 0 || s != g.lastS {
			g.last, g.lastS = g.id(k.Type, s), s
		}
		gids[r] = g.last
	}
}

func (g *stringGrouper) assignCodes(k *vec.Column, codes []uint32, gids []int32) {
	if !sameDict(g.dict, k.Dict) {
		g.dict = k.Dict
		g.byCode = append(g.byCode[:0], make([]int32, len(k.Dict))...)
	}
	byCode := g.byCode
	for r, code := range codes {
		id := byCode[code] - 1
		if id < 0 {
			id = g.id(k.Type, k.Dict[code])
			byCode[code] = id + 1
		}
		gids[r] = id
	}
}

// codeGroups gives every code of k's dictionary that occurs in codes (the
// rows with counts[code] > 0) its group and returns the group ids+1 by
// code. Codes new to the grouper are numbered in the order of their first
// row, as assignCodes numbers them; newGroup is called with that row.
func (g *stringGrouper) codeGroups(k *vec.Column, codes []uint32, counts []int64, newGroup func(row int)) []int32 {
	if !sameDict(g.dict, k.Dict) {
		g.dict = k.Dict
		g.byCode = append(g.byCode[:0], make([]int32, len(k.Dict))...)
	}
	byCode := g.byCode
	missing := false
	for code, c := range counts {
		if c != 0 && byCode[code] == 0 {
			missing = true
			break
		}
	}
	if missing {
		for r, code := range codes {
			if byCode[code] == 0 {
				before := len(g.rows)
				byCode[code] = g.id(k.Type, k.Dict[code]) + 1
				if len(g.rows) > before {
					newGroup(r)
				}
			}
		}
	}
	return byCode
}

// sameDict reports whether a and b are the same dictionary (the same
// slice, not merely equal contents).
func sameDict(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func (g *stringGrouper) keyRows() [][]types.Value { return g.rows }
