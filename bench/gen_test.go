package main

import (
	"reflect"
	"strings"
	"testing"
)

func generate(t *testing.T, rows int, seed uint64) []signin {
	t.Helper()
	g := newGenerator(rows, seed)
	var all []signin
	buf := make([]signin, 1000)
	for {
		n := g.next(buf)
		if n == 0 {
			break
		}
		all = append(all, buf[:n]...)
	}
	if len(all) != rows {
		t.Fatalf("generated %d rows, want %d", len(all), rows)
	}
	return all
}

func TestGeneratorDeterministic(t *testing.T) {
	a, b := generate(t, 5000, 7), generate(t, 5000, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two generators with the same seed gave different rows")
	}
	if c := generate(t, 5000, 8); reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same rows")
	}
}

// TestGeneratorShape checks the shares the queries depend on.
func TestGeneratorShape(t *testing.T) {
	const rows = 200_000
	all := generate(t, rows, 1)
	ids := map[string]bool{}
	var fails, adal, python, fail50126 int
	start, end := newGenerator(0, 1).start, newGenerator(0, 1).start+int64(genDays)*24*3600*10_000_000
	for _, s := range all {
		if ids[s.ID] {
			t.Fatalf("duplicate Id %s", s.ID)
		}
		ids[s.ID] = true
		if s.Time < start || s.Time >= end+3600*10_000_000 {
			t.Fatalf("time %d outside the window", s.Time)
		}
		if s.Outcome.Code != "0" {
			fails++
		}
		if s.Outcome.Code == "50126" {
			fail50126++
		}
		if strings.Contains(s.APD, `"Azure AD App Authentication Library"`) {
			adal++
		}
		if strings.Contains(strings.ToLower(s.UserAgent), "python") {
			python++
		}
	}
	share := func(n int) float64 { return float64(n) / rows }
	for _, c := range []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"failures", share(fails), 0.06, 0.11},
		{"50126 failures", share(fail50126), 0.01, 0.05},
		{"ADAL", share(adal), 0.015, 0.05},
		{"python user agents", share(python), 0.0005, 0.03},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: share %.4f, want in [%.3f, %.3f]", c.name, c.got, c.lo, c.hi)
		}
	}
}

func TestToBatchMatchesSchema(t *testing.T) {
	rows := generate(t, 100, 1)
	b := toBatch(rows)
	sch := schema()
	if b.N != 100 || len(b.Cols) != len(sch) {
		t.Fatalf("batch %d rows × %d columns, want 100 × %d", b.N, len(b.Cols), len(sch))
	}
	for i, c := range b.Cols {
		if c.Type != sch[i].Type || c.N != 100 {
			t.Errorf("column %s: type %v, %d rows", sch[i].Name, c.Type, c.N)
		}
	}
}
