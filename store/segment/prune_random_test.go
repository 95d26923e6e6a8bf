package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

var randSchema = vec.Schema{
	{Name: "s", Type: types.String}, {Name: "l", Type: types.Long}, {Name: "r", Type: types.Real},
	{Name: "g", Type: types.Guid}, {Name: "w", Type: types.String}, {Name: "d", Type: types.Dynamic},
}

// randWords mixes case, non-ASCII letters whose case folding is unusual
// (Kelvin sign, dotted I, long s), long values and punctuation.
var randWords = []string{"alpha", "Beta", "GAMMA", "straße", "K", "kelvin", "İstanbul", "ſtar", "star",
	"a.b-c", "x", "", "naïve", "Zürich", "id42", strings.Repeat("long", 40), strings.Repeat("long", 40) + "er"}

func randBatch(r *rand.Rand, n int) *vec.Batch {
	bs := make([]*vec.Builder, len(randSchema))
	for i, f := range randSchema {
		bs[i] = vec.NewBuilder(f.Type, n)
	}
	for i := 0; i < n; i++ {
		var sb strings.Builder
		for k := r.IntN(4); k >= 0; k-- {
			sb.WriteString(randWords[r.IntN(len(randWords))])
			sb.WriteString([]string{" ", "-", "", "/"}[r.IntN(4)])
		}
		bs[0].AppendString(sb.String())
		if r.IntN(10) == 0 {
			bs[1].AppendNull()
		} else {
			bs[1].AppendInt(int64(r.IntN(1000) - 500))
		}
		bs[2].AppendFloat([]float64{math.NaN(), -0.0, 1.5, float64(r.IntN(100))}[r.IntN(4)])
		if r.IntN(5) == 0 {
			bs[3].AppendNull()
		} else {
			bs[3].Append(types.NewGuid(fmt.Sprintf("%08x-0000-4000-8000-%012x", r.IntN(50), i)))
		}
		bs[4].AppendString(randWords[r.IntN(4)]) // dictionary-encoded
		// d.os is a string, JSON null or missing; d.num mixes longs and reals.
		d := bag("os", randWords[r.IntN(len(randWords))], "num", []any{int64(r.IntN(10)), float64(r.IntN(10)) + 0.5}[r.IntN(2)],
			"flag", r.IntN(2) == 0)
		switch r.IntN(10) {
		case 0:
			bs[5].AppendNull()
			continue
		case 1:
			d.Set("os", nil)
		case 2:
			d = bag("other", int64(1))
		}
		bs[5].AppendAny(d)
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, n)
}

func kqlString(s string) string { return fmt.Sprintf("%q", s) }

// TestBlocksNeverDropMatches runs random predicates, with constants taken
// from the data, over a segment and in memory: the segment must never
// lose a matching row.
func TestBlocksNeverDropMatches(t *testing.T) {
	for seed := uint64(0); seed < 3; seed++ {
		r := rand.New(rand.NewPCG(42+seed, 7))
		batch := randBatch(r, 1200)
		s, _, _ := writeSegment(t, randSchema, []*vec.Batch{batch}, WriteOptions{TimeColumn: -1, BlockRows: 50})
		if n := len(s.ShreddedPaths(5)); n != 3 {
			t.Fatalf("%d paths of d shredded, want os, num and flag", n)
		}
		mem := &engine.MemTable{TableName: "T", Sch: randSchema, Data: batch}
		textOps := []string{"has", "has_cs", "hasprefix", "hasprefix_cs", "contains", "contains_cs", "startswith",
			"startswith_cs", "=~", "==", "!=", "<", ">", "!has", "!contains", "in~"}
		pruned := 0
		for q := 0; q < 300; q++ {
			row := r.IntN(batch.N)
			var where string
			switch q % 5 {
			case 0, 1:
				col := []string{"s", "w"}[r.IntN(2)]
				v := batch.Cols[randSchema.Index(col)].Str(row)
				if r.IntN(2) == 0 && len(v) > 0 { // a piece of a value
					i := r.IntN(len(v))
					v = v[i:min(len(v), i+1+r.IntN(8))]
				}
				if r.IntN(3) == 0 {
					v = strings.ToUpper(v)
				}
				op := textOps[r.IntN(len(textOps))]
				if op == "in~" {
					where = fmt.Sprintf("%s in~ (%s)", col, kqlString(v))
				} else {
					where = fmt.Sprintf("%s %s %s", col, op, kqlString(v))
				}
			case 2:
				op := []string{"==", "!=", "<", "<=", ">", ">="}[r.IntN(6)]
				where = fmt.Sprintf("l %s %d", op, r.IntN(1100)-550)
				if r.IntN(2) == 0 {
					where = fmt.Sprintf("r %s %v", op, []string{"1.5", "0.0", "-0.0", "50", "99.5"}[r.IntN(5)])
				}
			case 4:
				op := textOps[r.IntN(len(textOps))]
				v := randWords[r.IntN(len(randWords))]
				where = fmt.Sprintf("d.os %s %s", op, kqlString(v))
				if op == "in~" {
					where = fmt.Sprintf("d.os in~ (%s)", kqlString(v))
				}
				switch r.IntN(5) {
				case 3:
					where = fmt.Sprintf("%s(%s)", []string{"isnull", "isnotnull", "isempty", "isnotempty"}[r.IntN(4)],
						[]string{"d.os", "d.num", "d.flag", "d", "s", "w", "l", "g", "r"}[r.IntN(9)])
				case 0:
					where = fmt.Sprintf("d.num %s %d", []string{"==", "!=", "<", ">"}[r.IntN(4)], r.IntN(10))
				case 1:
					where = fmt.Sprintf("d.flag == %v", r.IntN(2) == 0)
				}
			case 3:
				g := batch.Cols[3].Value(row)
				if g.IsNull() {
					where = "isnull(g)"
				} else {
					where = fmt.Sprintf("g == guid(%s)", g.S)
				}
			}
			tab := &segTable{s: s}
			got, exp := countRows(t, tab, where), countRows(t, mem, where)
			if got != exp {
				t.Errorf("where %s: %d rows from the segment, %d in memory (kept blocks %v)", where, got, exp, tab.kept)
			}
			if len(tab.kept) < s.NumBlocks() {
				pruned++
			}
		}
		t.Logf("%d of 300 queries pruned blocks", pruned)
	}
}
