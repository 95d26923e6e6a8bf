package activity

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

var decodeCases = []string{
	`{"time":"2026-11-27T08:00:00.1234567Z","resourceId":"/tenants/t/providers/Microsoft.aadiam","operationName":"Sign-in activity","category":"SignInLogs","tenantId":"t","resultType":"0","durationMs":12,"callerIpAddress":"203.0.113.7","Level":4,"properties":{"id":"a","x":[1,2]}}`,
	`{"time":"2026-11-27T08:00:00Z","category":"AuditLogs","durationMs":0,"Level":4,"properties":null,"idlogsKeepTime":true,"idlogsRedelivery":false}`,
	` { "category" : "Audit\u004cogs" , "identity":"Zoë \"Z\"", "properties" : { } } `,
	`{"LEVEL":4}`, `{"level":"4"}`, `{"durationMs":1.5}`, `{"durationMs":"1"}`, `{"time":"yesterday"}`,
	`{"category":null}`, `{"category":1}`, `{"properties":}`, `{"category":"x",}`, `{"category":"x"} x`,
	`[]`, `null`, ``, `{"unknown":1,"category":"x"}`, `{"category":"x","category":"y"}`,
	"{\"category\":\"\xff\"}", `{"idlogsKeepTime":1}`, `{"Level":99999999999999999999}`,
}

// TestDecodeRecordMatchesEncodingJSON checks the log's record decoder
// against encoding/json on the cases above and on records AppendJSON
// writes.
func TestDecodeRecordMatchesEncodingJSON(t *testing.T) {
	cases := append([]string(nil), decodeCases...)
	for _, r := range []Record{
		{Time: time.Date(2026, 11, 27, 8, 0, 0, 123456700, time.UTC), ResourceID: ResourceIDOf("t"), OperationName: "Add user",
			Category: AuditLogs, TenantID: "t", ResultType: "success", Identity: "Ana \"Admin\" <ana@x>", Level: 4,
			Properties: []byte(`{"id":"1","targetResources":[{"displayName":"é\u2028"}]}`), KeepTime: true, Redelivery: true},
		{Category: SignInLogs, DurationMs: -3},
	} {
		data, err := r.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, string(data))
	}
	for _, c := range cases {
		checkDecode(t, []byte(c))
	}
}

func checkDecode(t *testing.T, data []byte) {
	t.Helper()
	var got, want Record
	gotErr := decodeRecord(data, &got)
	wantErr := json.Unmarshal(data, &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%q: error %v, encoding/json says %v", data, gotErr, wantErr)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %+v\nwant %+v", data, got, want)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	for _, c := range decodeCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) { checkDecode(t, []byte(s)) })
}
