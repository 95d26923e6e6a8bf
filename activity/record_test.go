package activity

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestRecordJSONRoundTrip(t *testing.T) {
	r := Record{
		Time:          time.Date(2019, 3, 12, 16, 2, 15, 552213700, time.UTC),
		ResourceID:    ResourceIDOf("t1"),
		OperationName: "Sign-in activity",
		Category:      SignInLogs,
		TenantID:      "t1",
		ResultType:    "50126",
		Level:         4,
		Properties:    json.RawMessage(`{"id":"abc","status":{"errorCode":50126}}`),
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{`"time":"2019-03-12T16:02:15.5522137Z"`, `"Level":4`, `"category":"SignInLogs"`, `"properties":{"id":"abc"`} {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %s", s, want)
		}
	}
	var back Record
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Time.Equal(r.Time) || back.ID() != "abc" || back.Category != SignInLogs {
		t.Errorf("round trip: %+v", back)
	}
}

func TestRecordIDFallbacks(t *testing.T) {
	for _, c := range []struct{ category, props, want string }{
		{SignInLogs, `{"id":"a","requestId":"b"}`, "a"},
		{MicrosoftGraphActivityLogs, `{"requestId":"r1","operationId":"o"}`, "r1"},
		{NetworkAccessTrafficLogs, `{"transactionId":"t1"}`, "t1"},
		{SignInLogs, `{"requestId":"r1"}`, ""},
		{B2CRequestLogs, `{"policyId":"p"}`, ""},
		{AuditLogs, `[1]`, ""},
	} {
		r := Record{Category: c.category, Properties: []byte(c.props)}
		if got := r.ID(); got != c.want {
			t.Errorf("%s %s: ID() = %q, want %q", c.category, c.props, got, c.want)
		}
	}
}
