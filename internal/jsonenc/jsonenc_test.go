package jsonenc

import (
	"bytes"
	"encoding/json"
	"testing"
)

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `q " b \ `, "\x00\x01\b\f\n\r\t\x1f", "<a>&", "\u2028\u2029", "bad \xff", "é🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s, true); !bytes.Equal(got, want) {
			t.Fatalf("html: %s, encoding/json %s", got, want)
		}
		var back string
		plain := AppendString(nil, s, false)
		if err := json.Unmarshal(plain, &back); err != nil {
			t.Fatalf("%s is not JSON: %v", plain, err)
		}
		var fromJSON string
		json.Unmarshal(want, &fromJSON)
		if back != fromJSON {
			t.Fatalf("without html escaping %q reads back as %q, want %q", s, back, fromJSON)
		}
	})
}
