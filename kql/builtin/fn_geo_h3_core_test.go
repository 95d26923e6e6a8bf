package builtin

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// TestH3Vectors checks the grid against vectors from the reference
// implementation: the cell of a point (res < 0: no point), the cell's
// center and boundary (degrees lat, lng) and its disk by distance.
func TestH3Vectors(t *testing.T) {
	data, err := os.ReadFile("testdata/h3_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct {
		Lat, Lng float64
		Res      int
		C        string
		Ctr      [2]float64
		B        [][2]float64
		Disk     [][]string
	}
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	bad := map[string]int{}
	for _, v := range vs {
		if v.Res >= 0 {
			got := h3LatLngToCell(v.Lat, v.Lng, v.Res).String()
			if got != v.C {
				bad["cell"]++
				if bad["cell"] < 5 {
					t.Errorf("cell %v %v %d: got %s want %s", v.Lat, v.Lng, v.Res, got, v.C)
				}
			}
		}
		h, ok := h3Parse(v.C)
		if !ok {
			t.Errorf("parse %s", v.C)
			continue
		}
		lat, lng := h.center()
		if math.Abs(lat-v.Ctr[0]) > 1e-9 || math.Abs(lng-v.Ctr[1]) > 1e-9 {
			bad["center"]++
			if bad["center"] < 5 {
				t.Errorf("center %s: got %v %v want %v", v.C, lat, lng, v.Ctr)
			}
		}
		b := h.boundary()
		okb := len(b) == len(v.B)
		for i := 0; okb && i < len(b); i++ {
			if math.Abs(b[i].lat*h3RadToDeg-v.B[i][0]) > 1e-9 || math.Abs(b[i].lng*h3RadToDeg-v.B[i][1]) > 1e-9 {
				okb = false
			}
		}
		if !okb {
			bad["boundary"]++
			if bad["boundary"] < 5 {
				t.Errorf("boundary %s: got %v want %v", v.C, b, v.B)
			}
		}
		rings := h.rings(len(v.Disk) - 1)
		okr := len(rings) == len(v.Disk)
		for i := 0; okr && i < len(rings); i++ {
			okr = len(rings[i]) == len(v.Disk[i])
			for j := 0; okr && j < len(rings[i]); j++ {
				okr = rings[i][j].String() == v.Disk[i][j]
			}
		}
		if !okr {
			bad["rings"]++
			if bad["rings"] < 5 {
				t.Errorf("rings %s: got %v want %v", v.C, rings, v.Disk)
			}
		}
	}
	if len(vs) < 100 {
		t.Fatalf("only %d vectors", len(vs))
	}
}

// FuzzH3Parse checks that every token the parser accepts can be used by
// all the cell operations without panicking, and prints back the same.
func FuzzH3Parse(f *testing.F) {
	for _, s := range []string{"862a1072fffffff", "8009fffffffffff", "85283473fffffff", "abc", "", "8f2830828052d25", "80ebfffffffffff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := h3Parse(s)
		if !ok {
			return
		}
		if got, err := strconv.ParseUint(h.String(), 16, 64); err != nil || h3Index(got) != h {
			t.Fatalf("%s: prints as %s", s, h)
		}
		h.center()
		h.boundary()
		h.rings(1)
		if h.res() > 0 {
			h.parent(h.res() - 1)
		}
		if h.res() < h3MaxRes {
			h.children(h.res() + 1)
		}
	})
}
