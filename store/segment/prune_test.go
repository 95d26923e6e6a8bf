package segment

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// pruneSchema is the table of testdata/prune.txt: four blocks of 100 rows
// whose values differ by block.
var pruneSchema = vec.Schema{
	{Name: "t", Type: types.Datetime}, {Name: "n", Type: types.Long}, {Name: "r", Type: types.Real},
	{Name: "s", Type: types.String}, {Name: "u", Type: types.String}, {Name: "g", Type: types.Guid},
	{Name: "b", Type: types.Bool}, {Name: "nl", Type: types.Long}, {Name: "ts", Type: types.Timespan},
	{Name: "d", Type: types.Dynamic}, {Name: "c", Type: types.String}, {Name: "m", Type: types.String},
}

const pruneBase = 638396640000000000 // 2024-01-01

func pruneBatch() *vec.Batch {
	bs := make([]*vec.Builder, len(pruneSchema))
	for i, f := range pruneSchema {
		bs[i] = vec.NewBuilder(f.Type, 400)
	}
	dicts := [][]string{{"alpha one", "beta"}, {"gamma ray", "delta"}, {"Alpha Centauri"}, {"omega-3 fatty"}}
	words := []string{"Crimson", "Emerald", "Sapphire", "Obsidian"}
	for row := 0; row < 400; row++ {
		b := row / 100
		bs[0].AppendInt(pruneBase + int64(row)*10_000_000) // one row a second
		bs[1].AppendInt(int64(row))
		bs[2].AppendFloat(float64(b) + float64(row%100)/200)
		bs[3].AppendString(dicts[b][row%len(dicts[b])])
		bs[4].AppendString(fmt.Sprintf("%s request %d from Host%d.example.org", words[b], row, row%7))
		bs[5].Append(types.NewGuid(fmt.Sprintf("%08x-0000-4000-8000-%012x", b, row)))
		bs[6].AppendInt(int64(b2i(b == 3 || b == 1 && row%2 == 0)))
		if b == 1 {
			bs[7].AppendNull()
		} else {
			bs[7].AppendInt(int64(b))
		}
		bs[8].AppendInt(int64(b) * 36_000_000_000)
		dv := bag("k", int64(b), "n", bag("x", int64(row)))
		if b < 3 {
			dv.Set("os", []string{"Windows 11", "Linux", "MacOs"}[b])
		}
		bs[9].AppendAny(dv)
		bs[10].AppendString("same")
		bs[11].AppendString("M:" + strings.ToUpper(dicts[b][row%len(dicts[b])])) // determined by s
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, 400)
}

// segTable scans a segment, reading only the blocks Blocks keeps.
type segTable struct {
	s    *Segment
	kept []int // blocks of the last scan
	reqs []plan.ScanRequest
}

func (t *segTable) Name() string       { return "T" }
func (t *segTable) Schema() vec.Schema { return t.s.Schema() }

func (t *segTable) Scan(req *plan.ScanRequest) (plan.BatchIterator, error) {
	t.kept = t.s.Blocks(req)
	t.reqs = append(t.reqs, *req)
	var batches []*vec.Batch
	for _, b := range t.kept {
		var cols []*vec.Column
		idx := req.Columns
		if idx == nil {
			for i := range t.s.Schema() {
				idx = append(idx, i)
			}
		}
		for _, i := range idx {
			c, err := t.s.ReadColumn(b, i)
			if err != nil {
				return nil, err
			}
			cols = append(cols, c)
		}
		cols, err := plan.ExtractPaths(cols, req, func(i int) *vec.Column {
			c, _ := t.s.ReadColumn(b, i)
			return c
		})
		if err != nil {
			return nil, err
		}
		batches = append(batches, vec.NewBatch(cols, t.s.BlockRows(b)))
	}
	return &sliceIter{batches: batches}, nil
}

type sliceIter struct{ batches []*vec.Batch }

func (it *sliceIter) Next() (*vec.Batch, error) {
	if len(it.batches) == 0 {
		return nil, nil
	}
	b := it.batches[0]
	it.batches = it.batches[1:]
	return b, nil
}

func (it *sliceIter) Close() {}

func countRows(t *testing.T, tab plan.Table, where string) int64 {
	t.Helper()
	e := &engine.Engine{Catalog: engine.Catalog{"T": tab}}
	res, err := e.Query(context.Background(), "T | where "+where+" | count")
	if err != nil {
		t.Fatalf("where %s: %v", where, err)
	}
	return res[0].Value(0, 0).I
}

// TestBlocksPruning runs each predicate of testdata/prune.txt over a
// segment and over the same rows in memory: the counts must agree (no
// block holding a match is dropped) and the kept blocks must be those
// listed (the pruning fired, or did not).
func TestBlocksPruning(t *testing.T) {
	batch := pruneBatch()
	s, _, _ := writeSegment(t, pruneSchema, []*vec.Batch{batch}, WriteOptions{TimeColumn: 0, BlockRows: 100})
	mem := &engine.MemTable{TableName: "T", Sch: pruneSchema, Data: batch}
	f, err := os.Open("testdata/prune.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		where, want, ok := strings.Cut(text, "=>")
		if !ok {
			t.Fatalf("prune.txt:%d: no =>", line)
		}
		where, want = strings.TrimSpace(where), strings.Join(strings.Fields(want), " ")
		tab := &segTable{s: s}
		got, exp := countRows(t, tab, where), countRows(t, mem, where)
		if got != exp {
			t.Errorf("prune.txt:%d: where %s: %d rows from the segment, %d in memory (kept blocks %v, requests %+v)", line, where, got, exp, tab.kept, tab.reqs)
		}
		if kept := strings.Trim(fmt.Sprint(tab.kept), "[]"); kept != want {
			t.Errorf("prune.txt:%d: where %s: kept blocks %q, want %q (requests %+v)", line, where, kept, want, tab.reqs)
		}
	}
}

func TestBlocksWithoutFilter(t *testing.T) {
	s, _, _ := writeSegment(t, pruneSchema, []*vec.Batch{pruneBatch()}, WriteOptions{TimeColumn: 0, BlockRows: 100})
	if got := fmt.Sprint(s.Blocks(nil)); got != "[0 1 2 3]" {
		t.Errorf("Blocks(nil) = %s", got)
	}
	if got := fmt.Sprint(s.Blocks(&plan.ScanRequest{TimeColumn: -1})); got != "[0 1 2 3]" {
		t.Errorf("Blocks(no filter) = %s", got)
	}
}

// TestBlocksKeepForeignColumns: a conjunct naming a column this segment
// does not have at that index prunes nothing.
func TestBlocksKeepForeignColumns(t *testing.T) {
	s, _, _ := writeSegment(t, pruneSchema, []*vec.Batch{pruneBatch()}, WriteOptions{TimeColumn: 0, BlockRows: 100})
	eq := func(name string, typ types.Type) *plan.ScanRequest {
		col := &plan.ColRef{Index: 1, Name: name, T: typ}
		return &plan.ScanRequest{TimeColumn: -1, Filter: []plan.Expr{
			&plan.Call{Name: "==", Args: []plan.Expr{col, &plan.Const{V: types.NewLong(150)}}, T: types.Bool}}}
	}
	for _, c := range []struct {
		name string
		typ  types.Type
		want string
	}{{"n", types.Long, "[1]"}, {"other", types.Long, "[0 1 2 3]"}, {"n", types.Real, "[0 1 2 3]"}} {
		if got := fmt.Sprint(s.Blocks(eq(c.name, c.typ))); got != c.want {
			t.Errorf("%s:%s == 150: blocks %s, want %s", c.name, c.typ, got, c.want)
		}
	}
}
