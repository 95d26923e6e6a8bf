package activity

import (
	"encoding/json"
	"strings"
	"testing"
)

var validCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e+10`, `-12.0E-3`, `true`, `false`, `null`, ` {"a" : [1, "x\u00e9\n", {"b":null}] } `,
	`{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `1e`, `"\x"`, `"\u12"`, "\"a\x01\"", `{"a"}`, `{a:1}`, `[1 2]`, `tru`, `nul`,
	`"unterminated`, `{"a":1}x`, ``, ` `, `"\ud800"`, "\"\xff\xfe\"", `[[[[[]]]]]`, `{"k":"v","k":"w"}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
}

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	for _, c := range validCases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.40q) = %v, json.Valid = %v", c, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, c := range validCases {
		if len(c) < 200 {
			f.Add(c)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid = %v", s, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	props := []byte(`{"id":"8a1b2c3d-0000-4000-8000-000000000001","createdDateTime":"2026-11-27T08:00:00Z","userDisplayName":"Alice","userPrincipalName":"alice@contoso.com","status":{"errorCode":0,"failureReason":"Other."},"deviceDetail":{"operatingSystem":"Windows10","browser":"Edge 131.0.0"},"authenticationProcessingDetails":[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"False"}],"userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"}`)
	b.Run("validJSON", func(b *testing.B) {
		b.SetBytes(int64(len(props)))
		for b.Loop() {
			validJSON(props)
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(props)))
		for b.Loop() {
			json.Valid(props)
		}
	})
}
