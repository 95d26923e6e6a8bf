package segment

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

var dictSchema = vec.Schema{
	{Name: "t", Type: types.Datetime}, {Name: "created", Type: types.Datetime},
	{Name: "user", Type: types.Guid}, {Name: "upn", Type: types.String}, {Name: "dept", Type: types.String},
	{Name: "app", Type: types.Guid},
}

// dictBatch has a user column and two columns determined by it, a guid
// column with nulls, and a datetime column close to the time column.
func dictBatch(n int) *vec.Batch {
	bs := make([]*vec.Builder, len(dictSchema))
	for i, f := range dictSchema {
		bs[i] = vec.NewBuilder(f.Type, n)
	}
	for row := range n {
		u := row * 7 % 30
		t := int64(638000000000000000 + (row*7919%1009)*10_000_000)
		if row == 5 {
			bs[0].AppendNull()
			t = 0
		} else {
			bs[0].AppendInt(t)
		}
		if row%13 == 6 {
			bs[1].AppendNull()
		} else {
			bs[1].AppendInt(t + int64(row%3)*10_000)
		}
		bs[2].Append(types.NewGuid(fmt.Sprintf("%08x-0000-4000-8000-%012x", u, u*u)))
		bs[3].AppendString(fmt.Sprintf("user%d@example.org", u))
		bs[4].AppendString([]string{"Sales", "Ops", "Legal"}[u%3])
		if row%4 == 0 {
			bs[5].AppendNull()
		} else {
			bs[5].Append(types.NewGuid(fmt.Sprintf("00000000-0000-4000-8000-%012x", row%5)))
		}
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, n)
}

func TestSegmentDictionaries(t *testing.T) {
	want := dictBatch(1000)
	s, _, _ := writeSegment(t, dictSchema, []*vec.Batch{want}, WriteOptions{TimeColumn: 0, BlockRows: 300})
	checkColumns(t, s, want)
	if err := s.Verify(); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	kinds := ""
	for _, d := range s.ft.dicts {
		kinds += fmt.Sprint(d.kind)
	}
	// user and upn have 30 values and determine each other: one is mapped
	// from the other; dept is mapped; app has nulls and stays coded.
	if kinds != "001221" && kinds != "002121" {
		t.Errorf("dictionary kinds %s", kinds)
	}
	first, _ := s.ReadColumn(0, 3)
	last, _ := s.ReadColumn(s.NumBlocks()-1, 3)
	if first.Dict == nil || &first.Dict[0] != &last.Dict[0] {
		t.Errorf("blocks do not share the segment dictionary")
	}
	for b := range s.NumBlocks() {
		raw, err := s.readChunk(s.ft.blocks[b].cols[1].data)
		if err != nil {
			t.Fatal(err)
		}
		r := &reader{b: raw}
		readNulls(r, s.BlockRows(b))
		if enc := r.byte(); enc != intRef {
			t.Errorf("block %d: created stored with integer encoding %d, not as differences", b, enc)
		}
	}
}

func TestDeterminesNeedsEveryRow(t *testing.T) {
	a := &segDict{values: []string{"x", "y"}, codes: []uint32{0, 1, 0, 1}}
	b := &segDict{values: []string{"p", "q"}, codes: []uint32{1, 0, 1, 1}}
	if m := determines(a, b); m != nil {
		t.Errorf("determines = %v, want nil: code 1 of a goes with both codes of b", m)
	}
	b.codes[3] = 0
	if m := determines(a, b); m == nil || fmt.Sprint(m.codes, m.offs) != "[1 0] [0 1 2]" {
		t.Errorf("determines = %+v, want codes [1 0]", m)
	}
}

// TestBlockDictionaries: a column with too many values for a segment
// dictionary still gets dictionaries in the blocks where values repeat.
func TestBlockDictionaries(t *testing.T) {
	schema := vec.Schema{{Name: "s", Type: types.String}}
	b := vec.NewBuilder(types.String, 1000)
	for row := range 1000 {
		if row < 480 {
			b.AppendString(fmt.Sprint("few", row%3))
		} else {
			b.AppendString(fmt.Sprint("unique", row))
		}
	}
	want := vec.NewBatch([]*vec.Column{b.Build()}, 1000)
	s, _, _ := writeSegment(t, schema, []*vec.Batch{want}, WriteOptions{TimeColumn: -1, BlockRows: 200})
	checkColumns(t, s, want)
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	var encs []byte
	for blk := range s.NumBlocks() {
		encs = append(encs, s.ft.blocks[blk].cols[0].enc)
	}
	if want := []byte{encDict, encDict, encPlain, encPlain, encPlain}; string(encs) != string(want) {
		t.Errorf("block encodings %v, want %v", encs, want)
	}
}

var keyedSchema = vec.Schema{
	{Name: "t", Type: types.Datetime}, {Name: "user", Type: types.String}, {Name: "dev", Type: types.String},
	{Name: "os", Type: types.String}, {Name: "created", Type: types.Datetime},
}

// keyedBatch has users, their devices (one or two for each user, now and
// then one of a few shared devices), an attribute of the device, and a datetime
// close to the time column.
func keyedBatch(n int) *vec.Batch {
	rng := rand.New(rand.NewPCG(1, 2))
	bs := make([]*vec.Builder, len(keyedSchema))
	for i, f := range keyedSchema {
		bs[i] = vec.NewBuilder(f.Type, n)
	}
	for range n {
		u := rng.IntN(70)
		d := u*3 + rng.IntN(1+u%2)
		if rng.IntN(50) == 0 {
			d = 1000 + rng.IntN(5) // a shared device
		}
		t := 638000000000000000 + rng.Int64N(3_600_000)*10_000
		bs[0].AppendInt(t)
		bs[1].AppendString(fmt.Sprint("user", u))
		bs[2].AppendString(fmt.Sprint("dev", d))
		bs[3].AppendString(fmt.Sprint("os", d%4)) // a function of the device
		bs[4].AppendInt(t + rng.Int64N(3)*10_000)
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, n)
}

// TestKeyedColumns: a device column, one of a few devices of each user,
// is stored as indexes into per-user lists, reads back, and prunes.
func TestKeyedColumns(t *testing.T) {
	want := keyedBatch(5000)
	s, _, _ := writeSegment(t, keyedSchema, []*vec.Batch{want}, WriteOptions{TimeColumn: 0, BlockRows: 1000})
	checkColumns(t, s, want)
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	d := s.ft.dicts
	if d[1].kind != dictCoded || d[2].kind != dictMapped || d[2].src != 1 || d[3].kind != dictMapped || d[3].src != 2 {
		t.Fatalf("dictionaries %+v: want user coded, dev keyed on user, os mapped from dev", d)
	}
	if _, m, err := s.segDict(2); err != nil || m.maxLen < 2 {
		t.Fatalf("dev mapping %+v, %v: want lists of several devices", m, err)
	}
	mem := &engine.MemTable{TableName: "T", Sch: keyedSchema, Data: want}
	for _, where := range []string{`dev == "dev7"`, `dev == "dev1003"`, `os == "os3"`, `dev has "dev59"`, `dev == "nothing"`} {
		tab := &segTable{s: s}
		if got, exp := countRows(t, tab, where), countRows(t, mem, where); got != exp {
			t.Errorf("where %s: %d rows from the segment, %d in memory", where, got, exp)
		}
		if where == `dev == "nothing"` && len(tab.kept) != 0 {
			t.Errorf("where %s: kept blocks %v", where, tab.kept)
		}
	}
}
