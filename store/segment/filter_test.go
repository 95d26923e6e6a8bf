package segment

import (
	"fmt"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/builtin"
)

func TestTermsMatchKQLHas(t *testing.T) {
	cases := []struct{ s, terms string }{
		{"Hello, World!", "Hello World"},
		{"user@contoso.com", "user contoso com"},
		{"naïve café 42x", "naïve café 42x"},
		{"", ""},
		{"--", ""},
		{"a_b", "a b"},
	}
	for _, c := range cases {
		var got []string
		eachTerm(c.s, func(t string) { got = append(got, t) })
		if strings.Join(got, " ") != c.terms {
			t.Errorf("terms of %q = %q, want %q", c.s, got, c.terms)
		}
		// Every term is found by has.
		for _, term := range got {
			if !builtin.FindTerm(c.s, term, true, true) {
				t.Errorf("%q has %q is false", c.s, term)
			}
		}
	}
}

// TestFilterNeverMisses checks that a filter answers "maybe" for every
// term, trigram and string of its block, and measures how often it answers
// "maybe" for absent ones.
func TestFilterNeverMisses(t *testing.T) {
	var ss []string
	for i := 0; i < 5000; i++ {
		ss = append(ss, fmt.Sprintf("Device%d reported Status%d at Site-%d", i, i%97, i%13))
	}
	f, err := parseFilter(buildFilter(ss))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if !f.mayHaveTerms(strings.ToLower(s), false) || !f.mayContain(strings.ToLower(s)) {
			t.Fatalf("filter misses %q", s)
		}
	}
	fp := 0
	const probes = 5000
	for i := 0; i < probes; i++ {
		if f.mayHaveTerms(fmt.Sprintf("absent%d", i), false) {
			fp++
		}
	}
	t.Logf("false positives: %d of %d terms", fp, probes)
	if fp > probes/20 {
		t.Errorf("%d false positives in %d probes", fp, probes)
	}
}

func TestFilterSkippedWhenTooManyTerms(t *testing.T) {
	var ss []string
	for i := 0; i < 10000; i++ {
		ss = append(ss, fmt.Sprintf("%x %x %x %x %x", i*7919, i*104729, i*1299709, i*15485863, i*32452843))
	}
	if f := buildFilter(ss); f != nil {
		t.Errorf("a filter of %d bytes for 50000 distinct terms", len(f))
	}
}
