package segment

import (
	"math"
	"slices"
	"testing"
)

// TestIntEncodings round-trips every integer encoding, including values
// whose differences overflow int64.
func TestIntEncodings(t *testing.T) {
	cases := [][]int64{
		{},
		{42},
		{math.MinInt64, math.MaxInt64, 0, -1, math.MaxInt64, math.MinInt64},
		{5, 5, 5, 5},
		{1000, 1001, 1003, 1010, 1011},
		{-3, 7, -3, 2, 900000000000},
		{630000000000000000, 630000000000010000, 629999999999990000, 630000000005000000},
		{math.MinInt64, math.MaxInt64 - 9, 0},
	}
	ref := []int64{7, -1, 630000000000000000, 3, 0, 0}
	for _, xs := range cases {
		for _, withNulls := range []bool{false, true} {
			var valid []bool
			if withNulls && len(xs) > 1 {
				valid = make([]bool, len(xs))
				for i := range valid {
					valid[i] = i%2 == 0
				}
			}
			want := slices.Clone(xs)
			for i := range valid {
				if !valid[i] {
					want[i] = 0
				}
			}
			for name, enc := range map[string]func(*writer){
				"varint": func(w *writer) { encodeInts(w, xs, valid, false) },
				"packed": func(w *writer) { encodeIntsPacked(w, xs, valid) },
				"ref":    func(w *writer) { encodeIntsRef(w, xs, valid, ref[:len(xs)]) },
			} {
				w := &writer{}
				enc(w)
				r := &reader{b: w.b}
				got, gotValid := decodeIntsRef(r, len(xs), func(*reader) []int64 { return ref[:len(xs)] })
				if err := r.done(); err != nil {
					t.Fatalf("%s %v: %v", name, xs, err)
				}
				if !slices.Equal(got, want) || !slices.Equal(gotValid, valid) {
					t.Errorf("%s %v (valid %v): got %v %v", name, xs, valid, got, gotValid)
				}
			}
		}
	}
}

func TestFloatEncodings(t *testing.T) {
	few := make([]float64, 100)
	for i := range few {
		few[i] = []float64{47.6, -122.3, math.NaN(), math.Copysign(0, -1)}[i%4]
	}
	many := make([]float64, 100)
	for i := range many {
		many[i] = float64(i) / 7
	}
	for _, xs := range [][]float64{nil, {1.5}, few, many} {
		w := &writer{}
		encodeFloats(w, xs, nil)
		r := &reader{b: w.b}
		got, _ := decodeFloats(r, len(xs))
		if err := r.done(); err != nil {
			t.Fatal(err)
		}
		for i := range xs {
			if math.Float64bits(got[i]) != math.Float64bits(xs[i]) {
				t.Fatalf("row %d: got %v, want %v", i, got[i], xs[i])
			}
		}
	}
}

// TestGuidForms round-trips guid chunks: version 4 guids with nulls and
// repeats, and guids of other versions.
func TestGuidForms(t *testing.T) {
	v4 := []string{
		"00000000-0000-4000-8000-000000000000", "ffffffff-ffff-4fff-bfff-ffffffffffff",
		"ffffffff-ffff-4fff-bfff-ffffffffffff", "0123abcd-4567-489a-9bcd-ef0123456789",
		"0123abcd-4567-489a-9bcd-ef0123456789", "0123abcd-4567-489a-9bcd-ef0123456789",
	}
	other := append(slices.Clone(v4), "0123abcd-4567-189a-9bcd-ef0123456789")
	for _, tc := range []struct {
		ss    []string
		valid []bool
		form  byte
	}{
		{v4, nil, strGuid4},
		{v4, []bool{true, false, true, true, false, true}, strGuid4},
		{v4[:1], nil, strGuid4},
		{other, nil, strGuid},
	} {
		w := &writer{}
		encodeStrings(w, tc.ss, tc.valid)
		r := &reader{b: w.b}
		got, gotValid := decodeStrings(r, len(tc.ss))
		if err := r.done(); err != nil {
			t.Fatalf("%v: %v", tc.ss, err)
		}
		for i, s := range tc.ss {
			if tc.valid != nil && !tc.valid[i] {
				s = ""
			}
			if got[i] != s {
				t.Errorf("row %d: got %q, want %q", i, got[i], s)
			}
		}
		if !slices.Equal(gotValid, tc.valid) {
			t.Errorf("validity %v, want %v", gotValid, tc.valid)
		}
		if tc.valid == nil && w.b[1] != tc.form { // after the null flag
			t.Errorf("%v: form %d, want %d", tc.ss, w.b[1], tc.form)
		}
	}
}
