package segment

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// allTypesSchema has a column of every storable type, plus a constant
// and a dictionary-encoded input column.
var allTypesSchema = vec.Schema{
	{Name: "b", Type: types.Bool}, {Name: "i", Type: types.Int}, {Name: "l", Type: types.Long},
	{Name: "r", Type: types.Real}, {Name: "d", Type: types.Decimal}, {Name: "t", Type: types.Datetime},
	{Name: "ts", Type: types.Timespan}, {Name: "g", Type: types.Guid}, {Name: "s", Type: types.String},
	{Name: "dyn", Type: types.Dynamic}, {Name: "k", Type: types.String}, {Name: "dict", Type: types.String},
}

func bag(kv ...any) *types.Bag {
	b := &types.Bag{}
	for i := 0; i < len(kv); i += 2 {
		b.Keys = append(b.Keys, kv[i].(string))
		b.Vals = append(b.Vals, kv[i+1])
	}
	return b
}

// dynSamples holds a dynamic value of every kind.
var dynSamples = []any{
	nil, true, false, int64(-7), int64(math.MaxInt64), 3.25, math.Inf(-1), "", "text é",
	types.DatetimeVal(638000000000000000), types.TimespanVal(-36000000000),
	types.GuidVal("0a1b2c3d-0000-4000-8000-123456789abc"),
	[]any{}, []any{int64(1), "two", nil, []any{3.5}},
	bag(), bag("z", int64(1), "a", bag("nested", []any{"x"}), "m", nil),
}

// allTypesBatch returns n rows starting at row first; row values depend
// only on the row number, so batches can be compared with a single one.
func allTypesBatch(first, n int) *vec.Batch {
	bs := make([]*vec.Builder, len(allTypesSchema))
	for i, f := range allTypesSchema {
		bs[i] = vec.NewBuilder(f.Type, n)
	}
	for row := first; row < first+n; row++ {
		null := row%7 == 3
		add := func(i int, v types.Value) {
			if null {
				bs[i].AppendNull()
				return
			}
			bs[i].Append(v)
		}
		add(0, types.NewBool(row%3 == 0))
		add(1, types.NewInt(int32(row*31-500)))
		add(2, types.NewLong(int64(row)*int64(row)*1e9-1e12))
		add(3, types.NewReal([]float64{1.5, -0.0, math.NaN(), math.Inf(1), float64(row) / 3}[row%5]))
		add(4, types.NewDecimal(float64(row)*0.01))
		add(5, types.NewDatetime(638000000000000000+int64(row)*10_000_000))
		add(6, types.NewTimespan(int64(row%100)*-1_000_000))
		add(7, types.NewGuid([]string{"0a1b2c3d-0000-4000-8000-123456789abc", "ffffffff-ffff-ffff-ffff-ffffffffffff"}[row%2]))
		add(8, types.NewString([]string{"", "Hello World", "naïve café", "x"}[row%4]+string(rune('a'+row%26))))
		add(9, types.NewDynamic(dynSamples[row%len(dynSamples)]))
		bs[10].Append(types.NewString("same"))
		bs[11].Append(types.NewString([]string{"", "alpha", "Beta"}[row%3]))
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	cols[10] = vec.NewConst(types.NewString("same"), n)
	// Re-encode column 11 as a dictionary input.
	d := &vec.Column{Type: types.String, N: n, Dict: []string{"", "alpha", "Beta"}}
	for row := first; row < first+n; row++ {
		d.Codes = append(d.Codes, uint32(row%3))
	}
	cols[11] = d
	return vec.NewBatch(cols, n)
}

func writeSegment(t testing.TB, schema vec.Schema, batches []*vec.Batch, opt WriteOptions) (*Segment, *Info, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seg")
	info, err := Write(path, schema, batches, opt)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, info, path
}

// sameValue reports whether two values are equal for the round trip:
// the same nullness, type and ordering (NaN equals NaN; dynamic values
// compare by JSON text, so bag key order counts).
func sameValue(a, b types.Value) bool {
	if a.IsNull() != b.IsNull() {
		return false
	}
	if a.IsNull() {
		return true
	}
	if a.Type == types.Dynamic {
		return types.FormatJSON(a.D) == types.FormatJSON(b.D) && dynKinds(a.D) == dynKinds(b.D)
	}
	if a.Type.Storage() == types.StoreFloat && math.Signbit(a.F) != math.Signbit(b.F) {
		return false
	}
	return a.Type == b.Type && types.Compare(a, b) == 0
}

// dynKinds describes the Go types inside a dynamic value, which JSON text
// does not show (a datetime and a string print alike).
func dynKinds(d any) string {
	switch d := d.(type) {
	case []any:
		s := "["
		for _, e := range d {
			s += dynKinds(e) + ","
		}
		return s + "]"
	case *types.Bag:
		s := "{"
		for i, k := range d.Keys {
			s += k + ":" + dynKinds(d.Vals[i]) + ","
		}
		return s + "}"
	}
	return fmtType(d)
}

func fmtType(d any) string {
	switch d.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64:
		return "long"
	case float64:
		return "real"
	case string:
		return "string"
	case types.DatetimeVal:
		return "datetime"
	case types.TimespanVal:
		return "timespan"
	case types.GuidVal:
		return "guid"
	}
	return "?"
}

// checkColumns compares every column of every block of s with want.
func checkColumns(t *testing.T, s *Segment, want *vec.Batch) {
	t.Helper()
	row := 0
	for b := 0; b < s.NumBlocks(); b++ {
		n := s.BlockRows(b)
		for col := range s.Schema() {
			c, err := s.ReadColumn(b, col)
			if err != nil {
				t.Fatalf("ReadColumn(%d, %d): %v", b, col, err)
			}
			if c.N != n || c.Type != s.Schema()[col].Type {
				t.Fatalf("block %d column %d: %s of %d rows, want %s of %d", b, col, c.Type, c.N, s.Schema()[col].Type, n)
			}
			for i := 0; i < n; i++ {
				if got, exp := c.Value(i), want.Cols[col].Value(row+i); !sameValue(got, exp) {
					t.Fatalf("block %d column %s row %d: got %v, want %v", b, s.Schema()[col].Name, row+i, got, exp)
				}
			}
		}
		row += n
	}
	if row != want.N {
		t.Fatalf("segment has %d rows, want %d", row, want.N)
	}
}

func TestRoundTripAllTypes(t *testing.T) {
	batches := []*vec.Batch{allTypesBatch(0, 1000), allTypesBatch(1000, 1), allTypesBatch(1001, 2500)}
	s, info, _ := writeSegment(t, allTypesSchema, batches, WriteOptions{TimeColumn: 5, BlockRows: 600})
	want := allTypesBatch(0, 3501)
	checkColumns(t, s, want)
	if info.Rows != 3501 || info.Blocks != 6 || s.NumBlocks() != 6 || s.Info().Rows != 3501 {
		t.Errorf("info %+v, %d blocks", info, s.NumBlocks())
	}
	if got := s.Info(); got != *info {
		t.Errorf("Info() = %+v, Write returned %+v", got, *info)
	}
	if info.MinTime != 638000000000000000 || info.MaxTime != 638000000000000000+3500*10_000_000 {
		t.Errorf("time range %d..%d", info.MinTime, info.MaxTime)
	}
	if err := s.Verify(); err != nil {
		t.Errorf("Verify: %v", err)
	}
	// Block 1 holds rows 600..1199; rows with row%7 == 3 are null, and
	// neither end of the block is.
	if lo, hi, ok := s.BlockTimeRange(1); !ok || lo != 638000000000000000+600*10_000_000 || hi != 638000000000000000+1199*10_000_000 {
		t.Errorf("BlockTimeRange(1) = %d, %d, %v", lo, hi, ok)
	}
	if _, _, ok := s.BlockTimeRange(6); ok {
		t.Errorf("BlockTimeRange of a missing block is ok")
	}
	if s.Schema()[9].Name != "dyn" || len(s.Schema()) != len(allTypesSchema) {
		t.Errorf("schema %v", s.Schema())
	}
}

func TestLowCardinalityStringsStayEncoded(t *testing.T) {
	s, _, _ := writeSegment(t, allTypesSchema, []*vec.Batch{allTypesBatch(0, 100)}, WriteOptions{TimeColumn: -1})
	for _, col := range []int{10, 11} {
		c, err := s.ReadColumn(0, col)
		if err != nil {
			t.Fatal(err)
		}
		if c.Codes == nil || c.Strs != nil {
			t.Errorf("column %d: not dictionary-encoded", col)
		}
	}
	c, _ := s.ReadColumn(0, 8) // 100 distinct-ish values out of 100 rows
	if c.Codes != nil {
		t.Errorf("high-cardinality column came back dictionary-encoded")
	}
}

func TestEmptySegment(t *testing.T) {
	s, info, _ := writeSegment(t, allTypesSchema, nil, WriteOptions{TimeColumn: 5})
	if info.Rows != 0 || s.NumBlocks() != 0 || len(s.Blocks(nil)) != 0 {
		t.Errorf("empty segment: %+v, %d blocks", info, s.NumBlocks())
	}
}

func TestWriteRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	b := allTypesBatch(0, 10)
	cases := []struct {
		name   string
		schema vec.Schema
		opt    WriteOptions
	}{
		{"time column not datetime", allTypesSchema, WriteOptions{TimeColumn: 2}},
		{"time column out of range", allTypesSchema, WriteOptions{TimeColumn: 99}},
		{"schema mismatch", allTypesSchema[:3], WriteOptions{TimeColumn: -1}},
		{"negative block rows", allTypesSchema, WriteOptions{TimeColumn: -1, BlockRows: -1}},
	}
	for _, c := range cases {
		if _, err := Write(filepath.Join(dir, "x"), c.schema, []*vec.Batch{b}, c.opt); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	bad := vec.NewBatch([]*vec.Column{{Type: types.Dynamic, N: 1, Anys: []any{struct{}{}}}}, 1)
	if _, err := Write(filepath.Join(dir, "y"), vec.Schema{{Name: "d", Type: types.Dynamic}}, []*vec.Batch{bad}, WriteOptions{TimeColumn: -1}); err == nil {
		t.Errorf("a dynamic value of an unknown Go type was written")
	}
}

func TestOpenRejectsDamage(t *testing.T) {
	_, _, path := writeSegment(t, allTypesSchema, []*vec.Batch{allTypesBatch(0, 300)}, WriteOptions{TimeColumn: 5, BlockRows: 100})
	data := readFile(t, path)
	for _, off := range []int{0, 9, len(data) - 1, len(data) - 10, len(data) - 30} {
		d := append([]byte(nil), data...)
		d[off] ^= 0x40
		if s, err := openBytes(t, d); err == nil {
			s.Close()
			t.Errorf("flipping byte %d: Open succeeded", off)
		}
	}
	// A flipped data byte is caught by the chunk checksum.
	d := append([]byte(nil), data...)
	d[headerLen+5] ^= 1
	s, err := openBytes(t, d)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Verify(); !errors.Is(err, errCorrupt) {
		t.Errorf("Verify of a damaged chunk: %v", err)
	}
}

// TestGuidTextForms covers strings stored as 16-byte guids (with nulls in
// a guid column) and guid-like strings that must keep their text.
func TestGuidTextForms(t *testing.T) {
	schema := vec.Schema{{Name: "g", Type: types.Guid}, {Name: "s", Type: types.String}, {Name: "u", Type: types.String}}
	bg, bs, bu := vec.NewBuilder(types.Guid, 0), vec.NewBuilder(types.String, 0), vec.NewBuilder(types.String, 0)
	for i := 0; i < 300; i++ {
		id := fmt.Sprintf("%08x-abcd-4000-8000-%012x", i*7919, i)
		if i%9 == 0 {
			bg.AppendNull()
		} else {
			bg.Append(types.NewGuid(id))
		}
		bs.AppendString(id)
		u := strings.ToUpper(id) // not canonical lowercase: kept as text
		if i == 299 {
			u = id[:35] + "g"
		}
		bu.AppendString(u)
	}
	batch := vec.NewBatch([]*vec.Column{bg.Build(), bs.Build(), bu.Build()}, 300)
	s, _, _ := writeSegment(t, schema, []*vec.Batch{batch}, WriteOptions{TimeColumn: -1, BlockRows: 128})
	checkColumns(t, s, batch)
}

// TestConcurrentReads reads one segment from several goroutines (run with
// -race).
func TestConcurrentReads(t *testing.T) {
	batch := allTypesBatch(0, 800)
	s, _, _ := writeSegment(t, allTypesSchema, []*vec.Batch{batch}, WriteOptions{TimeColumn: 5, BlockRows: 200})
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for b := 0; b < s.NumBlocks(); b++ {
				for col := range s.Schema() {
					if _, err := s.ReadColumn(b, col); err != nil {
						errs <- err
						return
					}
				}
				s.Blocks(nil)
			}
			errs <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestWriteReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "seg")
	for _, n := range []int{10, 20} {
		if _, err := Write(path, allTypesSchema, []*vec.Batch{allTypesBatch(0, n)}, WriteOptions{TimeColumn: 5}); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the segment", len(entries))
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Info().Rows != 20 {
		t.Errorf("%d rows, want the second write's 20", s.Info().Rows)
	}
	if _, err := Open(filepath.Join(dir, "missing")); err == nil {
		t.Error("opening a missing file succeeded")
	}
	notSeg := filepath.Join(dir, "text")
	os.WriteFile(notSeg, []byte("this is not a segment file at all, just text"), 0o644)
	if _, err := Open(notSeg); err == nil {
		t.Error("opening a text file succeeded")
	}
}

// TestOddInputs: a string column with a validity mask and a nil bag in a
// dynamic column are written as their values read back.
func TestOddInputs(t *testing.T) {
	schema := vec.Schema{{Name: "s", Type: types.String}, {Name: "d", Type: types.Dynamic}}
	s := &vec.Column{Type: types.String, N: 3, Strs: []string{"a", "", "c"}, Valid: []bool{true, false, true}}
	d := &vec.Column{Type: types.Dynamic, N: 3, Anys: []any{(*types.Bag)(nil), []any(nil), bag("k", "v")}}
	seg, _, _ := writeSegment(t, schema, []*vec.Batch{vec.NewBatch([]*vec.Column{s, d}, 3)}, WriteOptions{TimeColumn: -1})
	if err := seg.Verify(); err != nil {
		t.Fatal(err)
	}
	c, err := seg.ReadColumn(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsNull(0) || c.IsNull(1) || types.FormatJSON(c.Any(1)) != "[]" {
		t.Errorf("dynamic values read back as %v", c.Anys)
	}
	sc, _ := seg.ReadColumn(0, 0)
	if sc.IsNull(1) || sc.Str(1) != "" || sc.Str(2) != "c" {
		t.Errorf("strings read back as %v", sc.Strs)
	}
}
