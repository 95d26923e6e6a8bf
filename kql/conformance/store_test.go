package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/store"
)

// TestStoreMatchesMemory runs the Sentinel and analysis queries over tables
// filled with generated rows, once from memory and once from the workspace
// store (rows in several segments of small blocks and in the tail), and
// requires the same results: conformance does not depend on where the rows
// live. Rows are generated from the queries' own literals and member paths
// so that filters and joins select something.
func TestStoreMatchesMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every corpus query twice")
	}
	mem, queries := corpusTables(t)

	st, err := store.Open(t.TempDir(), store.Options{NoBackground: true, NoSync: true, BlockRows: 64, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	stored := engine.Catalog{}
	for _, name := range mem.TableNames() {
		m := mem[name].(*engine.MemTable)
		opt := store.TableOptions{}
		if i := m.Sch.Index("TimeGenerated"); i >= 0 && m.Sch[i].Type == types.Datetime {
			opt.TimeColumn = "TimeGenerated"
		}
		tab, err := st.CreateTable(name, m.Sch, opt)
		if err != nil {
			t.Fatal(err)
		}
		// Two segments and a tail.
		n := m.Data.N
		for _, r := range [][2]int{{0, 2 * n / 5}, {2 * n / 5, 5 * n / 6}, {5 * n / 6, n}} {
			if err := tab.Append(ctx, sliceBatch(m.Data, r[0], r[1])); err != nil {
				t.Fatal(err)
			}
			if r[1] < n {
				if err := st.Flush(); err != nil {
					t.Fatal(err)
				}
			}
		}
		stored[name] = tab
	}
	fromMem := &Runner{Catalog: mem}
	fromStore := &Runner{Catalog: stored}
	compared, withRows := 0, 0
	for _, q := range queries {
		want := runText(fromMem, q)
		if strings.Contains(want, "timed out") {
			continue
		}
		compared++
		if strings.Count(want, "\n") > 2*len(res(want)) {
			withRows++
		}
		if got := runText(fromStore, q); got != want {
			g, w := firstDiff(got, want)
			t.Errorf("%s\nfirst difference, from the store:\n%s\nfrom memory:\n%s", q, g, w)
		}
	}
	t.Logf("%d queries compared, %d of them with rows", compared, withRows)
}

// firstDiff returns the first line where two results differ.
func firstDiff(a, b string) (string, string) {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return al[i], bl[i]
		}
	}
	return fmt.Sprintf("(%d lines)", len(al)), fmt.Sprintf("(%d lines)", len(bl))
}

func sliceBatch(b *vec.Batch, lo, hi int) *vec.Batch {
	out := &vec.Batch{N: hi - lo}
	for _, c := range b.Cols {
		out.Cols = append(out.Cols, c.Slice(lo, hi))
	}
	return out
}
