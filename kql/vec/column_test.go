package vec

import (
	"testing"

	"github.com/idlogs/idlogs/kql/types"
)

func longs(vals ...any) *Column {
	b := NewBuilder(types.Long, len(vals))
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		b.Append(types.NewLong(int64(v.(int))))
	}
	return b.Build()
}

func render(c *Column) []string {
	out := make([]string, c.N)
	for i := range out {
		if c.IsNull(i) {
			out[i] = "null"
			continue
		}
		out[i] = c.Value(i).String()
	}
	return out
}

func equal(t *testing.T, got *Column, want ...string) {
	t.Helper()
	g := render(got)
	if len(g) != len(want) {
		t.Fatalf("got %v, want %v", g, want)
	}
	for i := range g {
		if g[i] != want[i] {
			t.Fatalf("got %v, want %v", g, want)
		}
	}
}

func TestGather(t *testing.T) {
	c := longs(10, nil, 30)
	equal(t, c.Gather([]int{2, 0, 1}), "30", "10", "null")
	equal(t, c.Gather([]int{-1, 2}), "null", "30")
	k := NewConst(types.NewString("x"), 5)
	equal(t, k.Gather([]int{4, 0}), "x", "x")
	d := &Column{Type: types.String, N: 3, Dict: []string{"a", "b"}, Codes: []uint32{1, 0, 1}}
	g := d.Gather([]int{2, 1})
	equal(t, g, "b", "a")
	if g.Codes == nil {
		t.Error("gathering a dictionary column decoded it")
	}
	equal(t, d.Gather([]int{-1, 0}), "", "b") // strings are never null
}

func TestConcat(t *testing.T) {
	sch := Schema{{Name: "x", Type: types.Long}}
	a := &Batch{Cols: []*Column{longs(1, 2)}, N: 2}
	b := &Batch{Cols: []*Column{longs(nil)}, N: 1}
	c := &Batch{Cols: []*Column{NewConst(types.NewLong(7), 2)}, N: 2}
	out := Concat(sch, []*Batch{a, b, c})
	equal(t, out.Cols[0], "1", "2", "null", "7", "7")

	// Strings: plain, dictionary-encoded (decoded in bulk), constant.
	ssch := Schema{{Name: "s", Type: types.String}}
	plain := &Batch{Cols: []*Column{FromValues(types.String, []types.Value{types.NewString("p")})}, N: 1}
	coded := &Batch{Cols: []*Column{{Type: types.String, N: 3, Dict: []string{"x", "y", "z"}, Codes: []uint32{2, 0, 2}}}, N: 3}
	konst := &Batch{Cols: []*Column{NewConst(types.NewString("k"), 2)}, N: 2}
	out = Concat(ssch, []*Batch{plain, coded, konst, coded})
	equal(t, out.Cols[0], "p", "z", "x", "z", "k", "k", "z", "x", "z")
}

func TestSliceAndMaterialize(t *testing.T) {
	c := longs(1, nil, 3, 4)
	equal(t, c.Slice(1, 3), "null", "3")
	equal(t, NewConst(types.NewReal(1.5), 2).Materialize(), "1.5", "1.5")
	d := &Column{Type: types.String, N: 2, Dict: []string{"p", "q"}, Codes: []uint32{1, 1}}
	m := d.Materialize()
	if m.Codes != nil || m.Strs[0] != "q" {
		t.Errorf("materialize kept the dictionary: %+v", m)
	}
}

func TestGatherCodes(t *testing.T) {
	codes := []uint32{2, 0, 1, 2}
	equal(t, longs(10, nil, 30).GatherCodes(codes), "30", "10", "null", "30")
	equal(t, NewConst(types.NewLong(7), 3).GatherCodes(codes), "7", "7", "7", "7")
	s := FromValues(types.String, []types.Value{types.NewString("a"), types.NewString("b"), types.NewString("c")})
	g := s.GatherCodes(codes)
	equal(t, g, "c", "a", "b", "c")
	if g.Codes == nil {
		t.Errorf("strings gathered by codes are not dictionary-encoded")
	}
	d := &Column{Type: types.String, N: 3, Dict: []string{"x", "y"}, Codes: []uint32{1, 1, 0}}
	equal(t, d.GatherCodes(codes), "x", "y", "y", "x")
}
