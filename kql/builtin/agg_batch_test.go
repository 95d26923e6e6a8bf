package builtin_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// batchInput is a multi-batch input with dense group ids in order of
// first appearance, as the executor's groupers number them.
type batchInput struct {
	batches [][]*vec.Column // columns: k long (nulls), t datetime, r real (nulls, NaN), s string (a dictionary per batch), p bool, d dynamic
	gids    [][]int32
	groups  int
}

func newBatchInput(seed uint64, nbatches, rows, groups int) *batchInput {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := &batchInput{}
	ids := map[int]int32{}
	for b := 0; b < nbatches; b++ {
		k := &vec.Column{Type: types.Long, N: rows, Ints: make([]int64, rows), Valid: make([]bool, rows)}
		t := &vec.Column{Type: types.Datetime, N: rows, Ints: make([]int64, rows)}
		r := &vec.Column{Type: types.Real, N: rows, Floats: make([]float64, rows), Valid: make([]bool, rows)}
		p := &vec.Column{Type: types.Bool, N: rows, Ints: make([]int64, rows)}
		d := &vec.Column{Type: types.Dynamic, N: rows, Anys: make([]any, rows)}
		dict := rng.Perm(20)
		s := &vec.Column{Type: types.String, N: rows, Codes: make([]uint32, rows)}
		for _, v := range dict {
			s.Dict = append(s.Dict, fmt.Sprintf("v%02d", v))
		}
		gids := make([]int32, rows)
		for i := 0; i < rows; i++ {
			g := 0
			if groups > 1 {
				g = int(rng.ExpFloat64() * float64(groups) / 4)
			}
			id, ok := ids[g]
			if !ok {
				id = int32(len(ids))
				ids[g] = id
			}
			gids[i] = id
			k.Ints[i], k.Valid[i] = int64(rng.IntN(50)), rng.IntN(10) != 0
			t.Ints[i] = int64(rng.IntN(1000))
			r.Floats[i], r.Valid[i] = float64(rng.IntN(400))/4, rng.IntN(8) != 0
			if rng.IntN(50) == 0 {
				r.Floats[i] = math.NaN()
			}
			p.Ints[i] = int64(rng.IntN(2))
			if rng.IntN(5) != 0 {
				d.Anys[i] = int64(rng.IntN(30))
			}
			s.Codes[i] = uint32(rng.IntN(len(dict)))
		}
		in.batches = append(in.batches, []*vec.Column{k, t, r, s, p, d})
		in.gids = append(in.gids, gids)
	}
	in.groups = len(ids)
	return in
}

// batchAggCases name aggregates by their arguments, as indexes into the
// columns of batchInput.
var batchAggCases = []struct {
	name string
	args []int
}{
	{"count", nil}, {"countif", []int{4}}, {"sum", []int{0}}, {"sum", []int{2}}, {"sumif", []int{0, 4}},
	{"avg", []int{2}}, {"avg", []int{1}}, {"avg", []int{0}}, {"min", []int{3}}, {"max", []int{0}}, {"max", []int{2}},
	{"min", []int{2}}, {"max", []int{1}}, {"maxif", []int{1, 4}}, {"min", []int{5}},
	{"dcount", []int{3}}, {"dcountif", []int{3, 4}}, {"dcount", []int{0}}, {"count_distinct", []int{3}}, {"hll", []int{3}},
	{"arg_max", []int{1, 3, 2, 5, 0}}, {"arg_min", []int{0, 3, 5}}, {"arg_max", []int{3, 2}}, {"arg_min", []int{2, 0}},
	{"arg_max", []int{5, 3}}, {"take_any", []int{3}}, {"take_any", []int{5, 0}}, {"take_anyif", []int{2, 4}},
	{"take_any", []int{5}}, {"make_set", []int{3}},
}

// TestBatchMatchesRows feeds the same input to each aggregate row by row
// (Add), batch by batch (AddBatch) and, for mergeable ones, in three parts
// dealt round-robin and merged, and compares every group's result. The
// inputs have many groups and one group (summarize without keys).
func TestBatchMatchesRows(t *testing.T) {
	for _, groups := range []int{400, 1} {
		testBatchMatchesRows(t, newBatchInput(1, 90, 700, groups))
	}
	testBatchMatchesRows(t, inRuns(newBatchInput(2, 30, 700, 1), 150, 9))
	testBatchMatchesRows(t, inRuns(newBatchInput(3, 30, 700, 1), 150, 1<<30))
}

// inRuns regroups in's rows into runs of run consecutive rows of one
// group, groups numbered 0..groups-1 in turn, as rows grouped by a time
// bin come.
func inRuns(in *batchInput, run, groups int) *batchInput {
	row := 0
	for _, gids := range in.gids {
		for i := range gids {
			gids[i] = int32(row / run % groups)
			row++
		}
	}
	in.groups = min(groups, (row+run-1)/run)
	return in
}

func testBatchMatchesRows(t *testing.T, in *batchInput) {
	for _, c := range batchAggCases {
		name := fmt.Sprintf("%s%v/%d", c.name, c.args, in.groups)
		t.Run(name, func(t *testing.T) {
			f, ok := builtin.LookupAggregate(c.name)
			if !ok {
				t.Fatalf("no aggregate %s", c.name)
			}
			var args []builtin.Arg
			for _, i := range c.args {
				args = append(args, builtin.Arg{Type: in.batches[0][i].Type})
			}
			_, newState, err := f.Bind(args)
			if err != nil {
				t.Fatal(err)
			}
			cols := func(b int) []*vec.Column {
				var out []*vec.Column
				for _, i := range c.args {
					out = append(out, in.batches[b][i])
				}
				return out
			}
			rows, batched := newState(), newState()
			if _, ok := batched.(builtin.BatchAggState); !ok {
				t.Fatalf("%s has no batch path", c.name)
			}
			var pos int64
			seen := 0
			for b, gids := range in.gids {
				for r, g := range gids {
					rows.Add(int(g), cols(b), r)
					seen = max(seen, int(g)+1)
				}
				batched.(builtin.BatchAggState).AddBatch(gids, seen, cols(b), pos)
				pos += int64(len(gids))
			}
			want := results(rows, in.groups)
			if got := results(batched, in.groups); got != want {
				t.Errorf("batches differ from rows:\n%s\nwant:\n%s", got, want)
			}
			if _, ok := batched.(builtin.MergeAggState); ok {
				if got := results(mergedParts(in, newState, cols, 3), in.groups); got != want {
					t.Errorf("merged parts differ from rows:\n%s\nwant:\n%s", got, want)
				}
			}
		})
	}
}

// mergedParts deals the batches round-robin to n states, numbering groups
// per part, and merges the parts into a new state.
func mergedParts(in *batchInput, newState func() builtin.AggState, cols func(int) []*vec.Column, n int) builtin.AggState {
	parts := make([]builtin.AggState, n)
	local := make([]map[int32]int32, n)
	into := make([][]int32, n)
	for w := range parts {
		parts[w], local[w] = newState(), map[int32]int32{}
	}
	var pos int64
	for b, gids := range in.gids {
		w := b % n
		lg := make([]int32, len(gids))
		for r, g := range gids {
			id, ok := local[w][g]
			if !ok {
				id = int32(len(into[w]))
				local[w][g] = id
				into[w] = append(into[w], g)
			}
			lg[r] = id
		}
		parts[w].(builtin.BatchAggState).AddBatch(lg, len(into[w]), cols(b), pos)
		pos += int64(len(gids))
	}
	out := newState()
	for w, p := range parts {
		out.(builtin.MergeAggState).Merge(p, into[w], in.groups)
	}
	return out
}

func results(s builtin.AggState, groups int) string {
	out := ""
	for g := 0; g < groups; g++ {
		if m, ok := s.(builtin.MultiAggState); ok {
			out += fmt.Sprintf("%d: %v\n", g, m.Results(g))
			continue
		}
		out += fmt.Sprintf("%d: %v\n", g, s.Result(g))
	}
	return out
}
