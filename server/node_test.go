package server

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// nodeDir holds the JavaScript client test (e2e/node): package.json pins
// @azure/identity, @azure/monitor-ingestion and @azure/monitor-query-logs.
var nodeDir = filepath.Join("..", "e2e", "node")

// TestNodeAzureClients runs Azure's JavaScript clients against the server:
// the script uploads rows through a data collection rule and reads them
// back. Node.js must be installed; the npm packages are installed here with
// `npm ci` when .ci/run has not done it already.
func TestNodeAzureClients(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is required for the JavaScript client test: install Node.js (see .ci/run)")
	}
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "@azure", "monitor-query-logs")); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = nodeDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", nodeDir, err, out)
		}
	}
	ts := startServer(t)
	dcrID := ts.setUpCustomTable()
	const rows = 250
	cmd := exec.Command(node, "roundtrip.mjs")
	cmd.Dir = nodeDir
	cmd.Env = append(os.Environ(),
		"NODE_EXTRA_CA_CERTS="+mustAbs(t, ts.CAFile()),
		"IDLOGS_TENANT_ID="+ts.boot.TenantID,
		"IDLOGS_CLIENT_ID="+ts.boot.Admin.ClientID,
		"IDLOGS_CLIENT_SECRET="+ts.boot.Admin.ClientSecret,
		"IDLOGS_AUTHORITY_HOST="+ts.boot.AuthorityHost,
		"IDLOGS_INGESTION_ENDPOINT="+ts.boot.IngestionEndpoint,
		"IDLOGS_QUERY_ENDPOINT="+ts.boot.QueryEndpoint,
		"IDLOGS_DCR_ID="+dcrID,
		"IDLOGS_STREAM=Custom-Ingest",
		"IDLOGS_TABLE=Ingest_CL",
		"IDLOGS_WORKSPACE_ID="+ts.boot.Workspace.ID,
		"IDLOGS_ROWS="+strconv.Itoa(rows),
		"IDLOGS_DISABLE_INSTANCE_DISCOVERY=1",
	)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node roundtrip.mjs: %v\n%s%s", err, out, stderr)
	}
	var got struct {
		Rows, Hosts, MaxSeq, Evens float64
		HasStatistics              bool `json:"hasStatistics"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("script output %q: %v", out, err)
	}
	if got.Rows != rows || got.Hosts != 7 || got.MaxSeq != rows-1 || got.Evens != rows/2 || !got.HasStatistics {
		t.Errorf("read back %+v, want %d rows, 7 hosts, max seq %d, %d evens, statistics", got, rows, rows-1, rows/2)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
