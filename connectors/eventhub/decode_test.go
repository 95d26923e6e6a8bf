package eventhub

import (
	"strings"
	"testing"
	"time"
)

// TestDecodeQuirks: forms Azure Monitor and exporters write besides
// Entra's own (numbers as strings, named levels, a zone-less time,
// properties as JSON text, no tenantId) decode to the same record.
func TestDecodeQuirks(t *testing.T) {
	body := `{"records":[
	{"time":"2026-03-01T10:00:00.1234567Z","resourceId":"/tenants/F1D2C3B4-0A9E-4C8D-B7F6-5E4D3C2B1A09/providers/Microsoft.aadiam","operationName":"Sign-in activity","category":"SignInLogs","resultType":50126,"durationMs":"12","level":"Informational","callerIpAddress":"203.0.113.9","identity":"Megan","properties":{"id":"a"}},
	{"time":"2026-03-01T10:00:01.5","category":"AuditLogs","resultType":"0","durationMs":3.9,"Level":"2","properties":"{\"id\":\"b\"}"},
	{"time":"2026-03-01 10:00:02Z","category":"MicrosoftGraphActivityLogs","tenantId":"t-own","identity":{"claims":{"oid":"x"}},"properties":{"requestId":"c"}}
	]}`
	recs, bad, err := Decode([]byte(body), "fallback")
	if err != nil || len(bad) > 0 {
		t.Fatalf("decode: %v %v", err, bad)
	}
	r := recs[0]
	if !r.Time.Equal(time.Date(2026, 3, 1, 10, 0, 0, 123456700, time.UTC)) || r.ResultType != "50126" || r.DurationMs != 12 || r.Level != 4 ||
		r.TenantID != "f1d2c3b4-0a9e-4c8d-b7f6-5e4d3c2b1a09" || r.CallerIPAddress != "203.0.113.9" || r.Identity != "Megan" || r.ID() != "a" {
		t.Errorf("record 0: %+v", r)
	}
	r = recs[1]
	if r.ResultType != "0" || r.DurationMs != 3 || r.Level != 2 || r.TenantID != "fallback" || r.ResourceID != "/tenants/fallback/providers/Microsoft.aadiam" || r.ID() != "b" {
		t.Errorf("record 1: %+v", r)
	}
	r = recs[2]
	if r.TenantID != "t-own" || r.Identity != `{"claims":{"oid":"x"}}` || r.ID() != "c" || r.Time.Second() != 2 {
		t.Errorf("record 2: %+v", r)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`not json`, "not a {\"records\":[...]} JSON object"},
		{`[]`, "not a {\"records\":[...]} JSON object"},
		{`{"value":[]}`, `no "records" array`},
		{`{"records":{}}`, "not a {\"records\":[...]} JSON object"},
	} {
		_, _, err := Decode([]byte(c.body), "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.body, err, c.want)
		}
	}
	_, bad, err := Decode([]byte(`{"records":[1,{"category":"AuditLogs"},{"time":"x","category":"AuditLogs"},{"time":"2026-01-01T00:00:00Z","category":"AuditLogs","Level":"loud"},{"time":"2026-01-01T00:00:00Z","category":"AuditLogs"}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range bad {
		got = append(got, b.Error())
	}
	want := []string{
		"record 0: not a record object: json: cannot unmarshal number into Go value of type eventhub.wireRecord",
		"record 1: no time",
		`record 2: time "x" is not an ISO 8601 date and time`,
		`record 3: Level: "loud" is not a number`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzDecode: Decode never panics, and every record it returns has a
// category and a time and encodes as the activity log writes it.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"records":[{"time":"2026-03-01T10:00:00Z","category":"SignInLogs","properties":{"id":"a"}}]}`))
	f.Add([]byte(`{"records":[{"time":"2026-03-01T10:00:00Z","category":"AuditLogs","Level":"Warning","durationMs":"1e3","properties":"{}"}]}`))
	f.Add([]byte(`{"records":[null,1,"x",[],{}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, _, err := Decode(body, "t")
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.Category == "" || r.Time.IsZero() {
				t.Fatalf("record without category or time: %+v", r)
			}
			if _, err := r.AppendJSON(nil); err != nil {
				t.Fatalf("record does not encode: %v", err)
			}
		}
	})
}

// FuzzDecodeFast holds the one-walk decoder to encoding/json's results:
// whenever it decodes an event, decodeSlow decodes it to the same records
// and the same record errors.
func FuzzDecodeFast(f *testing.F) {
	for _, s := range []string{
		`{"records":[{"time":"2026-03-01T10:00:00Z","category":"SignInLogs","Level":4,"level":"Warning","properties":{"id":"a","x":[1,{"y":null}]}}]}`,
		` { "Records" : [ {"TIME":"2026-03-01T10:00:00Z","Category":"AuditLogs","durationMs":"12","resultType":50126,"identity":{"a":1},"properties":"{\"id\":\"b\"}"} , {"category":"x"} ] , "other":{"records":1} } `,
		`{"records":[{"time":null,"category":"A","tenantId":null,"resourceId":"/tenants/T/providers/x","properties":null}],"records":[]}`,
		`{"records":[{"time":"2026-03-01T10:00:00Z","category":"A\u0042"}]}`,
		`{"records":[{"time":"2026-03-01T10:00:00Z","category":"é"}]}`,
		`{"records":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, bad, ok := decodeFast(body, "t")
		if !ok {
			return
		}
		want, wantBad, err := decodeSlow(body, "t")
		if err != nil {
			t.Fatalf("decodeFast decoded what encoding/json refuses: %v", err)
		}
		if len(recs) != len(want) || len(bad) != len(wantBad) {
			t.Fatalf("decodeFast: %d records, %d errors; encoding/json: %d, %d", len(recs), len(bad), len(want), len(wantBad))
		}
		for i := range recs {
			g, _ := recs[i].AppendJSON(nil)
			w, _ := want[i].AppendJSON(nil)
			if string(g) != string(w) {
				t.Fatalf("record %d:\n%s\nencoding/json:\n%s", i, g, w)
			}
		}
		for i := range bad {
			if bad[i].Error() != wantBad[i].Error() {
				t.Fatalf("error %d: %v; encoding/json: %v", i, bad[i], wantBad[i])
			}
		}
	})
}
