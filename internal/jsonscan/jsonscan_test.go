package jsonscan

import (
	"encoding/json"
	"testing"
)

func TestValidAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range []string{
		`{}`, ` [1, -0.5e+3, "a\u00e9\n", true, false, null, {"k":[{}]}] `, `"\x"`, `"\u12"`, `01`, `1.`, `-`, `{"a" 1}`,
		`{"a":1,}`, `[1 2]`, "\"a\x01\"", `nul`, `{"a":1}x`, ``, `  `, `"é"`, "\"\xff\"",
	} {
		if got, want := Valid([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("Valid(%q) = %v, json.Valid = %v", c, got, want)
		}
	}
}

func TestScannerPositions(t *testing.T) {
	p := Scanner{Data: []byte(`  {"a":[1,2]} "s" x`)}
	p.Space()
	if !p.Value() || p.I != 13 {
		t.Fatalf("Value: ok at %d", p.I)
	}
	p.Space()
	if !p.String() || p.I != 17 {
		t.Fatalf("String: at %d", p.I)
	}
	p.Space()
	if p.String() || p.Value() {
		t.Error("x read as a value")
	}
}

func FuzzValid(f *testing.F) {
	f.Add([]byte(`{"a":[1,"b",{"c":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := Valid(data), json.Valid(data); got != want {
			t.Fatalf("Valid(%q) = %v, json.Valid = %v", data, got, want)
		}
	})
}
