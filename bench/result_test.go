package main

import "testing"

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		name       string
		q          query
		got, want  table
		mismatches bool
	}{
		{"equal", query{}, table{{"a", "1"}}, table{{"a", "1"}}, false},
		{"row count", query{}, table{{"a", "1"}}, table{}, true},
		{"unordered", query{}, table{{"b", "2"}, {"a", "1"}}, table{{"a", "1"}, {"b", "2"}}, false},
		{"ordered", query{ordered: true}, table{{"b", "2"}, {"a", "1"}}, table{{"a", "1"}, {"b", "2"}}, true},
		{"value", query{}, table{{"a", "1"}}, table{{"a", "2"}}, true},
		{"within tolerance", query{tolerance: 0.05}, table{{"x", "100"}}, table{{"x", "104"}}, false},
		{"beyond tolerance", query{tolerance: 0.05}, table{{"x", "100"}}, table{{"x", "110"}}, true},
		{"numbers exact", query{}, table{{"1.0"}}, table{{"1"}}, false},
	} {
		if got := compare(c.q, c.got, c.want); (got != "") != c.mismatches {
			t.Errorf("%s: compare = %q, want mismatch %v", c.name, got, c.mismatches)
		}
	}
}
