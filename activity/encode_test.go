package activity

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// reference encodes r with encoding/json, the way MarshalJSON did before
// AppendJSON: the oracle AppendJSON must match byte for byte.
func reference(r Record) ([]byte, error) {
	type plain Record
	return json.Marshal(struct {
		Time string `json:"time"`
		plain
	}{r.Time.UTC().Format("2006-01-02T15:04:05.0000000Z"), plain(r)})
}

func checkSame(t *testing.T, r Record) {
	t.Helper()
	want, werr := reference(r)
	got, gerr := r.AppendJSON(nil)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("errors differ: reference %v, AppendJSON %v", werr, gerr)
	}
	if werr == nil && !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON\n%s\nencoding/json\n%s", got, want)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "ctl \x00\x01\x1f\n\r\t", "<b>&amp;</b>",
		"line\u2028sep\u2029", "bad \xff utf8 \xc3", "émoji 🙂 ok"} {
		checkSame(t, Record{
			Time: time.Date(2026, 11, 27, 8, 0, 0, 123456700, time.UTC), ResourceID: s, OperationName: s,
			Category: SignInLogs, TenantID: "t", ResultType: s, Identity: s, Level: 4, DurationMs: -3,
			Properties: json.RawMessage(`{"id":"x","v":[1,2,{"a":null}]}`),
		})
	}
	checkSame(t, Record{Category: AuditLogs})
	checkSame(t, Record{Category: AuditLogs, Properties: json.RawMessage(`{"id":"k"}`), KeepTime: true})
	if _, err := (&Record{Properties: json.RawMessage(`{"id":`)}).AppendJSON(nil); err == nil {
		t.Fatal("invalid properties accepted")
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("a", "b\x00<", `{"id":"1"}`, int64(5))
	f.Fuzz(func(t *testing.T, s1, s2, props string, n int64) {
		r := Record{Time: time.Unix(0, n).UTC(), OperationName: s1, Identity: s2, ResultDescription: s1 + s2,
			DurationMs: n, Level: int(n % 7), Properties: json.RawMessage(props)}
		if len(props) > 0 && !json.Valid(r.Properties) {
			if _, err := r.AppendJSON(nil); err == nil {
				t.Fatal("invalid properties accepted")
			}
			return
		}
		var compact bytes.Buffer
		json.Compact(&compact, r.Properties)
		r.Properties = compact.Bytes()
		checkSame(t, r)
	})
}
