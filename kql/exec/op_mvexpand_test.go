package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// mvExpandTexts are the JSON texts of mvExpandTable's S column; row r
// holds mvExpandTexts[r%len] except in its second batch, where every row
// holds an empty array.
var mvExpandTexts = []string{
	`[{"k":"a","v":"1"},{"k":"b","v":"2"},{"k":"c","v":"3"}]`,
	`[]`,
	`{"x":1,"y":2}`,
	`plain`,
	`[1,2]`,
}

// mvExpandTable is T(R:long, S:string) over several scan batches, S
// dictionary-encoded, with a batch whose rows all expand to nothing.
func mvExpandTable(n int) (*engine.MemTable, func(r int) string) {
	text := func(r int) string {
		if r >= 8192 && r < 2*8192 {
			return `[]`
		}
		return mvExpandTexts[r%len(mvExpandTexts)]
	}
	ids := make([]int64, n)
	codes := make([]uint32, n)
	dict := append([]string(nil), mvExpandTexts...)
	for r := range n {
		ids[r] = int64(r)
		for c, s := range dict {
			if s == text(r) {
				codes[r] = uint32(c)
			}
		}
	}
	sch := vec.Schema{{Name: "R", Type: types.Long}, {Name: "S", Type: types.String}}
	return &engine.MemTable{TableName: "T", Sch: sch, Data: &vec.Batch{N: n, Cols: []*vec.Column{
		{Type: types.Long, N: n, Ints: ids},
		{Type: types.String, N: n, Dict: dict, Codes: codes},
	}}}, text
}

// TestMvExpandBatches: mv-expand over many batches of dictionary-encoded
// text gives the rows in input order, with item indexes and limits per
// input row, as if it saw the whole input at once.
func TestMvExpandBatches(t *testing.T) {
	const n = 3*8192 + 100
	tbl, text := mvExpandTable(n)
	cat := engine.Catalog{"T": tbl}
	got, err := queryText(cat, `T | mv-expand with_itemindex=I d = parse_json(S) limit 2 | project R, I, d`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"R:long | I:long | d:dynamic"}
	for r := range n {
		var items []string
		switch s := text(r); s {
		case mvExpandTexts[0]:
			items = []string{`{"k":"a","v":"1"}`, `{"k":"b","v":"2"}`}
		case mvExpandTexts[2]:
			items = []string{`{"x":1}`, `{"y":2}`}
		case mvExpandTexts[3]:
			items = []string{"plain"}
		case mvExpandTexts[4]:
			items = []string{"1", "2"}
		}
		for i, it := range items {
			want = append(want, fmt.Sprintf("%d | %d | %s", r, i, it))
		}
	}
	if w := strings.Join(want, "\n"); got != w {
		d := firstDiff(got, w)
		t.Errorf("got %d lines, want %d; first difference at line %d: %q vs %q", strings.Count(got, "\n")+1, len(want), d, strings.Split(got, "\n")[d-1], want[d-1])
	}
}

// TestMvExpandSerial: an expanded expression with a window function
// numbers the rows of the whole input, not of each batch.
func TestMvExpandSerial(t *testing.T) {
	tbl, _ := mvExpandTable(3 * 8192)
	got, err := queryText(engine.Catalog{"T": tbl},
		`T | serialize | mv-expand x = pack_array(row_number(), R) to typeof(long) | summarize n = count(), s = sum(x), m = max(x)`)
	if err != nil {
		t.Fatal(err)
	}
	// Row r gives r+1 and r: the sum over r < 24576 is 24576² and the
	// largest value 24576.
	if want := "n:long | s:long | m:long\n49152 | 603979776 | 24576"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// firstDiff returns the 1-based line where a and b first differ.
func firstDiff(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}
