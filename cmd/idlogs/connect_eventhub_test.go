package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
	"github.com/idlogs/idlogs/connectors/kafkaconn/kafkatest"
	"github.com/idlogs/idlogs/server"
)

// TestConnectEventHub imports 100 sign-ins of an external tenant from an
// Event Hubs-like broker (TLS, SASL PLAIN with a connection string given
// in the environment) into a data directory, shows the status, and
// queries them through the server started afterwards.
func TestConnectEventHub(t *testing.T) {
	dir := t.TempDir()
	srv, err := server.Start(server.Config{DataDir: dir, Listen: "127.0.0.1:0", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	srv.Shutdown(context.Background())

	const tenant = "f1d2c3b4-0a9e-4c8d-b7f6-5e4d3c2b1a09"
	k := kafkatest.SASLCluster(t)
	_, _, opts, err := kafkaconn.Config{ConnectionString: k.ConnectionString, TLS: k.TLS}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	prod, err := kgo.NewClient(append(opts, kgo.AllowAutoTopicCreation())...)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	var recs []activity.Record
	for i := range 100 {
		recs = append(recs, activity.Record{
			Time: time.Now().UTC().Add(-time.Minute), Category: activity.SignInLogs, TenantID: tenant,
			ResourceID: activity.ResourceIDOf(tenant), OperationName: "Sign-in activity", ResultType: "0", Level: 4,
			Properties: json.RawMessage(fmt.Sprintf(`{"id":"s-%d","userPrincipalName":"u%d@contoso.example"}`, i, i)),
		})
	}
	body, _ := json.Marshal(map[string]any{"records": recs})
	if err := prod.ProduceSync(context.Background(), &kgo.Record{Topic: "insights-logs-signinlogs", Value: body}).FirstErr(); err != nil {
		t.Fatal(err)
	}

	t.Setenv(connectionStringEnv, k.ConnectionString)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- runContext(ctx, []string{"connect", "eventhub", "--data", dir, "--ca-file", k.CAFile,
			"--hub", "insights-logs-signinlogs", "--status-every", "100ms"}, strings.NewReader(""), &stdout, &stderr)
	}()
	statusFile := filepath.Join(dir, "connect", "eventhub", "default", "status.json")
	deadline := time.Now().Add(time.Minute)
	for {
		var st connectStatus
		raw, _ := os.ReadFile(statusFile)
		delivered := int64(0)
		if json.Unmarshal(raw, &st) == nil && len(st.Tenants) == 1 {
			for _, d := range st.Tenants[0].Delivery {
				delivered += d.Delivered
			}
		}
		if st.EventHub.Records == 100 && delivered == 100 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no complete status in %s: %s\nstderr:\n%s", statusFile, raw, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), kafkatest.Key) {
		t.Error("the output shows the connection string's key")
	}
	r := runCLI(t, "", "connect", "status", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "1 events, 100 records, 0 malformed, 0 stalled partitions") ||
		!strings.Contains(r.stdout, "tenant "+tenant+": setting /providers/microsoft.aadiam/diagnosticsettings/idlogs-mirror-all to workspace: 100 delivered, lag 0, ok") {
		t.Errorf("connect status: %+v", r)
	}

	srv, err = server.Start(server.Config{DataDir: dir, Listen: "127.0.0.1:0", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	r = runCLI(t, "", "query", "--data", dir, "-o", "csv", "SigninLogs | summarize count() by AADTenantId")
	if r.code != 0 || !strings.Contains(r.stdout, tenant+",100") {
		t.Errorf("query: %+v", r)
	}
}

func TestServeEventHubFlags(t *testing.T) {
	t.Setenv(connectionStringEnv, "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--eventhub-hub", "h"}, "need --eventhub-connection-string"},
		{[]string{"--eventhub-connection-string", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=k"}, "needs SharedAccessKeyName"},
	} {
		cmd := newServeCmd()
		if err := cmd.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		_, err := eventHubSources(cmd.Flags())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	cmd := newServeCmd()
	cmd.ParseFlags([]string{"--eventhub-connection-string", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=k;EntityPath=hub1", "--eventhub-consumer-group", "idlogs"})
	src, err := eventHubSources(cmd.Flags())
	if err != nil || len(src) != 1 || src[0].ConsumerGroup != "idlogs" {
		t.Errorf("sources %+v, %v", src, err)
	}
}
