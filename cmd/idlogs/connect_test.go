package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// TestConnectGraphOnce mirrors a running server's directory audits (its
// first start records the admin application it makes) with the command.
func TestConnectGraphOnce(t *testing.T) {
	_, srv := startQueryServer(t)
	boot := srv.Bootstrap()
	state := t.TempDir()
	args := []string{"connect", "graph", "--tenant", boot.TenantID, "--client-id", boot.Admin.ClientID,
		"--authority", srv.URL(), "--graph-url", srv.URL(), "--ca", srv.CAFile(), "--state", state,
		"--feeds", "directoryAudits", "--once"}
	t.Setenv("IDLOGS_CLIENT_SECRET", boot.Admin.ClientSecret)
	var audits []activity.Record
	// The server's reports take in its first records in the background.
	for deadline := time.Now().Add(20 * time.Second); len(audits) == 0; time.Sleep(50 * time.Millisecond) {
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "directoryAudits") {
			t.Errorf("no status line: %s", stderr.String())
		}
		sc := bufio.NewScanner(&stdout)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var msg struct {
				Records []activity.Record `json:"records"`
			}
			if err := json.Unmarshal(sc.Bytes(), &msg); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			audits = append(audits, msg.Records...)
		}
		if time.Now().After(deadline) {
			t.Fatal("no directory audits mirrored")
		}
	}
	for _, r := range audits {
		if r.Category != activity.AuditLogs || r.TenantID != boot.TenantID || r.ID() == "" || r.OperationName == "" {
			t.Errorf("record %+v", r)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"connect", "graph", "--tenant", boot.TenantID}, nil, &stdout, &stderr); code == 0 ||
		!strings.Contains(stderr.String(), "client id") {
		t.Errorf("missing credentials: exit %d, %s", code, stderr.String())
	}
}

func TestServeGraphFlags(t *testing.T) {
	t.Setenv("IDLOGS_CLIENT_SECRET", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--graph-client-id", "app"}, "need --graph-tenant"},
		{[]string{"--graph-tenant", "5f866fc9-0dfc-420c-9de8-b3ef866dad36", "--graph-client-id", "app"}, "$IDLOGS_CLIENT_SECRET"},
	} {
		cmd := newServeCmd()
		if err := cmd.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		if _, err := graphSources(cmd.Flags()); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	t.Setenv("IDLOGS_CLIENT_SECRET", "s3cret")
	cmd := newServeCmd()
	cmd.ParseFlags([]string{"--graph-tenant", "5f866fc9-0dfc-420c-9de8-b3ef866dad36", "--graph-client-id", "app", "--graph-feeds", "signIns,directoryAudits"})
	src, err := graphSources(cmd.Flags())
	if err != nil || len(src) != 1 || src[0].ClientSecret != "s3cret" || len(src[0].Feeds) != 2 || src[0].Interval != time.Minute {
		t.Errorf("sources %+v, %v", src, err)
	}
}
