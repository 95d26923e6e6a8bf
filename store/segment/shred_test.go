package segment

import (
	"fmt"
	"slices"
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// wantPath is col.path evaluated on the dynamic values, typed as the
// sub-column t: a missing path or a value of another type is null, and ""
// for strings.
func wantPath(c *vec.Column, i int, path []string, t types.Type) types.Value {
	var v any
	if !c.IsNull(i) {
		v = c.Any(i)
		for _, k := range path {
			v = builtin.Index(v, types.NewString(k)) // as the engine evaluates d.k
		}
	}
	if t == types.Dynamic {
		if v == nil {
			return types.NullOf(types.Dynamic)
		}
		return types.NewDynamic(v)
	}
	got := types.FromDynamic(v)
	if v == nil || got.Type != t {
		if t == types.String {
			return types.NewString("")
		}
		return types.NullOf(t)
	}
	return got
}

func TestShreddedPathsOfSigninLogs(t *testing.T) {
	batch := newSigninGen(7).batch(5000)
	s, _, _ := writeSegment(t, signinSchema, []*vec.Batch{batch}, WriteOptions{TimeColumn: 0, BlockRows: 1500})
	checkColumns(t, s, batch)
	want := map[string][]string{
		"DeviceDetail":    {"operatingSystem", "browser", "deviceId", "displayName", "isCompliant", "isManaged", "trustType"},
		"LocationDetails": {"city", "state", "countryOrRegion", "geoCoordinates.latitude", "geoCoordinates.longitude"},
		"Status":          {"errorCode", "failureReason", "additionalDetails"},
	}
	for name, paths := range want {
		col := signinSchema.Index(name)
		var got []string
		for _, p := range s.ShreddedPaths(col) {
			got = append(got, fmt.Sprint(joinPath(p)))
		}
		for _, p := range paths {
			if !slices.Contains(got, p) {
				t.Errorf("%s: %s is not shredded (shredded: %v)", name, p, got)
			}
		}
		checkPaths(t, s, batch, col)
	}
	if ps := s.ShreddedPaths(signinSchema.Index("UserAgent")); len(ps) != 0 {
		t.Errorf("string column has shredded paths %v", ps)
	}
	if _, ok, err := s.ReadPath(0, signinSchema.Index("DeviceDetail"), []string{"nosuch"}); ok || err != nil {
		t.Errorf("ReadPath of an unshredded path: ok=%v err=%v", ok, err)
	}
}

func joinPath(p []string) string {
	out := ""
	for i, k := range p {
		if i > 0 {
			out += "."
		}
		out += k
	}
	return out
}

// checkPaths compares every shredded path of col with evaluating the path.
func checkPaths(t *testing.T, s *Segment, want *vec.Batch, col int) {
	t.Helper()
	for j, p := range s.ShreddedPaths(col) {
		typ := s.ft.shred[col][j].t
		row := 0
		for b := 0; b < s.NumBlocks(); b++ {
			c, ok, err := s.ReadPath(b, col, p)
			if !ok || err != nil {
				t.Fatalf("ReadPath(%d, %d, %v): ok=%v err=%v", b, col, p, ok, err)
			}
			if c.Type != typ || c.N != s.BlockRows(b) {
				t.Fatalf("path %v: %s column of %d rows", p, c.Type, c.N)
			}
			for i := 0; i < c.N; i++ {
				if got, exp := c.Value(i), wantPath(want.Cols[col], row+i, p, typ); !sameValue(got, exp) {
					t.Fatalf("path %v row %d: got %v, want %v", p, row+i, got, exp)
				}
			}
			row += c.N
		}
	}
}

// TestShredMixedValues covers paths whose values change type, go missing,
// are JSON null, repeat a key or sit under arrays.
func TestShredMixedValues(t *testing.T) {
	var vals []any
	for i := 0; i < 400; i++ {
		b := bag("n", []any{int64(i), float64(i) + 0.5}[i%2], "s", fmt.Sprint(i%5), "o", bag("deep", bag("x", int64(i%3))))
		switch i % 10 {
		case 1:
			b.Set("s", nil) // JSON null
		case 2:
			b.Keys, b.Vals = b.Keys[1:], b.Vals[1:] // no n
		case 3:
			b.Set("s", int64(5)) // s is not always a string: not shredded
		case 4:
			b.Keys = append(b.Keys, "n") // a repeated key: lookups see the first
			b.Vals = append(b.Vals, "second")
		case 5:
			b.Set("o", []any{bag("deep", int64(1))})
		}
		vals = append(vals, b)
		if i%17 == 0 {
			vals[i] = nil
		}
	}
	vals = append(vals, "scalar", []any{bag("n", int64(1))})
	c := &vec.Column{Type: types.Dynamic, N: len(vals), Anys: vals}
	schema := vec.Schema{{Name: "d", Type: types.Dynamic}}
	batch := vec.NewBatch([]*vec.Column{c}, c.N)
	s, _, _ := writeSegment(t, schema, []*vec.Batch{batch}, WriteOptions{TimeColumn: -1, BlockRows: 128})
	checkColumns(t, s, batch)
	checkPaths(t, s, batch, 0)
	got := map[string]types.Type{}
	for j, p := range s.ft.shred[0] {
		got[joinPath(p.path)] = s.ft.shred[0][j].t
	}
	want := map[string]types.Type{"n": types.Dynamic, "o.deep.x": types.Long}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("path %s: type %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if _, ok := got["s"]; ok {
		t.Errorf("a path holding strings and longs was shredded")
	}
	if err := s.Verify(); err != nil {
		t.Error(err)
	}
}

func TestShredPathsLimit(t *testing.T) {
	batch := newSigninGen(3).batch(300)
	col := signinSchema.Index("DeviceDetail")
	s, _, _ := writeSegment(t, signinSchema, []*vec.Batch{batch}, WriteOptions{TimeColumn: 0, ShredPaths: 2})
	if n := len(s.ShreddedPaths(col)); n != 2 {
		t.Errorf("%d paths shredded, want 2", n)
	}
	s, _, _ = writeSegment(t, signinSchema, []*vec.Batch{batch}, WriteOptions{TimeColumn: 0, ShredPaths: -1})
	if n := len(s.ShreddedPaths(col)); n != 0 {
		t.Errorf("%d paths shredded, want none", n)
	}
	checkColumns(t, s, batch)
}
