package server

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/eventhub"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
)

// TestEventHubSource: sign-ins and audit records of an external tenant,
// streamed to an Event Hubs-like broker (TLS, SASL PLAIN), are queryable
// in the default workspace with the tenant's own id beside the server's
// own tenant, and the source's status shows its partitions.
func TestEventHubSource(t *testing.T) {
	const external = "f1d2c3b4-0a9e-4c8d-b7f6-5e4d3c2b1a09"
	k := kafkatest.SASLCluster(t)
	conf := kafkaconn.Config{ConnectionString: k.ConnectionString, TLS: k.TLS}
	ts := startServer(t, func(c *Config) {
		c.EventHubs = []EventHubSource{{Kafka: conf, Hubs: []string{"insights-logs-signinlogs", "insights-logs-auditlogs"}, StallAfter: time.Second}}
	})
	_, _, opts, err := conf.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	prod, err := kgo.NewClient(append(opts, kgo.AllowAutoTopicCreation())...)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	// A record of the server's own tenant is not imported again.
	own := activity.Record{Time: time.Now().UTC(), Category: activity.SignInLogs, TenantID: ts.boot.TenantID, OperationName: "op", Level: 4,
		Properties: json.RawMessage(`{"id":"own-1"}`)}
	ownBody, _ := json.Marshal(map[string]any{"records": []activity.Record{own}})
	if err := prod.ProduceSync(context.Background(), &kgo.Record{Topic: "insights-logs-signinlogs", Value: ownBody}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	for _, cat := range []string{activity.SignInLogs, activity.AuditLogs} {
		var recs []activity.Record
		for i := range 20 {
			recs = append(recs, activity.Record{Time: time.Now().UTC().Add(-time.Minute), Category: cat, TenantID: external,
				ResourceID: activity.ResourceIDOf(external), OperationName: "op", ResultType: "0", Level: 4,
				Properties: json.RawMessage(fmt.Sprintf(`{"id":"%s-%d"}`, cat, i))})
		}
		body, _ := json.Marshal(map[string]any{"records": recs})
		topic := "insights-logs-" + map[string]string{activity.SignInLogs: "signinlogs", activity.AuditLogs: "auditlogs"}[cat]
		if err := prod.ProduceSync(context.Background(), &kgo.Record{Topic: topic, Value: body}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	logs, err := azquery.NewLogsClient(ts.admin(), &azquery.LogsClientOptions{ClientOptions: ts.clientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	q := `union SigninLogs, AuditLogs | where AADTenantId == "` + external + `" | summarize count() by Type | order by Type asc`
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := logs.QueryWorkspace(context.Background(), ts.boot.Workspace.ID, azquery.Body{Query: &q}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rows := res.Tables[0].Rows; len(rows) == 2 && rows[0][1] == float64(20) && rows[1][1] == float64(20) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rows: %v; status %+v", res.Tables[0].Rows, ts.EventHubStatus())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ts.Mirrors().Has(external) || ts.Mirrors().Has(ts.boot.TenantID) || len(ts.Mirrors().Tenants()) != 1 {
		t.Errorf("mirrored tenants: %d", len(ts.Mirrors().Tenants()))
	}
	for deadline := time.Now().Add(30 * time.Second); ts.EventHubStatus()[0].Malformed == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	var body struct{ Value []eventhub.Status }
	if err := json.Unmarshal(ts.arm("GET", SourcesRoute+"?api-version=2017-04-01", nil, 200), &body); err != nil {
		t.Fatal(err)
	}
	// An application with a workspace role only may not read it.
	reader := ts.newApp("reader", roleLogAnalyticsReader, ts.rgPath())
	if code, _ := ts.do("GET", SourcesRoute+"?api-version=2017-04-01", ts.token(reader, "https://management.azure.com//.default"), nil, nil); code != 403 {
		t.Errorf("a Log Analytics Reader got %d", code)
	}
	st := body.Value
	if len(st) != 1 || st[0].Records != 40 || st[0].Malformed != 1 || len(st[0].Partitions) == 0 || st[0].Stalled != 0 {
		t.Errorf("status: %+v", st)
	}
}
