package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/ingestion/azlogs"
)

// TestSavedSearchFunctions saves queries as workspace functions through
// ARM and calls them by name through the query API, over HTTPS with the
// server's own tokens; the functions are still there after a restart.
func TestSavedSearchFunctions(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, func(c *Config) { c.DataDir = dir })
	dcrID := ts.setUpCustomTable()
	ingest, err := azlogs.NewClient(ts.boot.IngestionEndpoint, ts.admin(), &azlogs.ClientOptions{ClientOptions: ts.clientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(-time.Minute).Truncate(time.Millisecond)
	if _, err := ingest.Upload(context.Background(), dcrID, "Custom-Ingest", rowsJSON(1000, start), nil); err != nil {
		t.Fatalf("upload: %v", err)
	}

	ws := ts.boot.Workspace
	saved := ws.ResourceID + "/savedSearches/"
	const ver = "?api-version=2020-08-01"
	ts.arm("PUT", saved+"host-zero"+ver, map[string]any{"properties": map[string]any{
		"category": "Tests", "displayName": "Host zero", "query": "Ingest_CL | where Computer == 'host-0'", "functionAlias": "HostZero",
	}}, http.StatusOK)
	ts.arm("PUT", saved+"seq-above"+ver, map[string]any{"properties": map[string]any{
		"category": "Tests", "displayName": "Sequence above", "functionAlias": "SeqAbove", "functionParameters": "minSeq:long = 995",
		"query": "Ingest_CL\n| where Seq > minSeq\n| project Seq",
	}}, http.StatusOK)
	armTok := ts.token(ts.admin(), "https://management.azure.com//.default")
	if status, data := ts.do("PUT", saved+"bad"+ver, armTok, []byte(`{"properties":{"category":"c","displayName":"d","query":"print 1",
		"functionAlias":"F","functionParameters":"a:long, b"}}`), nil); status != http.StatusBadRequest || !bytes.Contains(data, []byte("The function parameters do not parse: 1:10")) {
		t.Errorf("bad parameters: %d %s", status, data)
	}
	if status, _ := ts.do("GET", saved+"host-zero"+ver, "", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("no token: %d", status)
	}
	reader := ts.newApp("reader", roleReader, "/subscriptions/"+ts.boot.SubscriptionID)
	readerARM := ts.token(reader, "https://management.azure.com//.default")
	if status, data := ts.do("PUT", saved+"mine"+ver, readerARM, []byte(`{"properties":{"category":"c","displayName":"d","query":"print 1"}}`), nil); status != http.StatusForbidden {
		t.Errorf("Reader saving a search: %d %s", status, data)
	}
	if status, _ := ts.do("GET", saved+"host-zero"+ver, readerARM, nil, nil); status != http.StatusOK {
		t.Errorf("Reader reading a saved search: %d", status)
	}

	queryPath := "/v1/workspaces/" + ws.ID + "/query"
	readerQuery := ts.token(reader, "https://api.loganalytics.io/.default")
	for _, tc := range []struct{ query, want string }{
		{"HostZero | count", `[[200]]`},
		{"HostZero() | summarize max(Seq)", `[[995]]`},
		{"SeqAbove | order by Seq asc", `[[996],[997],[998],[999]]`},
		{"SeqAbove(minSeq = 997) | order by Seq asc", `[[998],[999]]`},
		{"SeqAbove(990) | count", `[[9]]`},
	} {
		body, _ := json.Marshal(map[string]string{"query": tc.query})
		status, data := ts.do("POST", queryPath, readerQuery, body, nil)
		var resp struct {
			Tables []struct {
				Rows json.RawMessage `json:"rows"`
			} `json:"tables"`
		}
		if status != http.StatusOK || json.Unmarshal(data, &resp) != nil || len(resp.Tables) == 0 {
			t.Errorf("%s: %d %s", tc.query, status, data)
			continue
		}
		if got := string(resp.Tables[0].Rows); got != tc.want {
			t.Errorf("%s: rows %s, want %s", tc.query, got, tc.want)
		}
	}
	ts.arm("DELETE", saved+"host-zero"+ver, nil, http.StatusOK)
	status, data := ts.do("POST", queryPath, readerQuery, []byte(`{"query":"HostZero | count"}`), nil)
	if status != http.StatusBadRequest || !bytes.Contains(data, []byte("HostZero")) {
		t.Errorf("a deleted function: %d %s", status, data)
	}
	before := ts.arm("GET", saved+"seq-above"+ver, nil, http.StatusOK)

	if err := ts.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts = startServer(t, func(c *Config) { c.DataDir = dir })
	if after := ts.arm("GET", saved+"seq-above"+ver, nil, http.StatusOK); !bytes.Equal(after, before) {
		t.Errorf("after a restart: %s, before: %s", after, before)
	}
	if rows := ts.query("SeqAbove | count"); len(rows) != 1 || rows[0][0] != float64(4) {
		t.Errorf("SeqAbove after a restart: %v", rows)
	}
	if list := ts.arm("GET", ws.ResourceID+"/savedSearches"+ver, nil, http.StatusOK); bytes.Contains(list, []byte("host-zero")) {
		t.Errorf("a deleted saved search is back after a restart: %s", list)
	}
}
