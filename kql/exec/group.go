package exec

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// grouper assigns dense group ids to rows by their key values and
// remembers each group's key values.
type grouper interface {
	// assign writes the group id of each of the n rows to gids.
	assign(keys []*vec.Column, n int, gids []int)
	// keyRows returns the key values of every group, by group id.
	keyRows() [][]types.Value
}

// newGrouper picks a grouper for the key types.
func newGrouper(keyTypes []types.Type) grouper {
	if len(keyTypes) == 1 {
		switch keyTypes[0].Storage() {
		case types.StoreInt:
			return &intGrouper{ids: map[int64]int{}, null: -1}
		case types.StoreString:
			return &stringGrouper{ids: map[string]int{}}
		}
	}
	return &valueGrouper{ids: map[string]int{}}
}

// valueGrouper groups by the canonical encoding of all key values.
type valueGrouper struct {
	ids  map[string]int
	rows [][]types.Value
	buf  []byte
}

func (g *valueGrouper) assign(keys []*vec.Column, n int, gids []int) {
	for r := 0; r < n; r++ {
		g.buf = g.buf[:0]
		for _, k := range keys {
			g.buf = types.Key(g.buf, k.Value(r))
		}
		id, ok := g.ids[string(g.buf)]
		if !ok {
			id = len(g.rows)
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

// intGrouper groups by one integer-stored key (long, datetime, bins).
type intGrouper struct {
	ids  map[int64]int
	null int
	rows [][]types.Value
}

func (g *intGrouper) assign(keys []*vec.Column, n int, gids []int) {
	k := keys[0]
	for r := 0; r < n; r++ {
		if k.IsNull(r) {
			if g.null < 0 {
				g.null = len(g.rows)
				g.rows = append(g.rows, []types.Value{types.NullOf(k.Type)})
			}
			gids[r] = g.null
			continue
		}
		x := k.Int(r)
		id, ok := g.ids[x]
		if !ok {
			id = len(g.rows)
			g.ids[x] = id
			g.rows = append(g.rows, []types.Value{{Type: k.Type, Valid: true, I: x}})
		}
		gids[r] = id
	}
}

func (g *intGrouper) keyRows() [][]types.Value { return g.rows }

// stringGrouper groups by one string key; a dictionary-encoded column is
// grouped by code, looking each distinct value up once per batch.
type stringGrouper struct {
	ids  map[string]int
	rows [][]types.Value
}

func (g *stringGrouper) id(t types.Type, s string) int {
	id, ok := g.ids[s]
	if !ok {
		id = len(g.rows)
		g.ids[s] = id
		g.rows = append(g.rows, []types.Value{{Type: t, Valid: true, S: s}})
	}
	return id
}

func (g *stringGrouper) assign(keys []*vec.Column, n int, gids []int) {
	k := keys[0]
	if k.Codes != nil && !k.Const {
		byCode := make([]int, len(k.Dict))
		for i := range byCode {
			byCode[i] = -1
		}
		for r, code := range k.Codes[:n] {
			id := byCode[code]
			if id < 0 {
				id = g.id(k.Type, k.Dict[code])
				byCode[code] = id
			}
			gids[r] = id
		}
		return
	}
	for r := 0; r < n; r++ {
		gids[r] = g.id(k.Type, k.Str(r))
	}
}

func (g *stringGrouper) keyRows() [][]types.Value { return g.rows }
