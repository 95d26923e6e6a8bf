package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestLanguageService: the query editor's diagnostics and completions
// answer a Log Analytics reader of the workspace with its tables, and
// refuse a caller who may not query it.
func TestLanguageService(t *testing.T) {
	ts := startServer(t)
	reader := ts.newApp("reader", roleLogAnalyticsReader, ts.boot.Workspace.ResourceID)
	tok := ts.token(reader, "https://api.loganalytics.io/.default")
	base := "/v1/workspaces/" + ts.boot.Workspace.ID + "/kql/"

	status, data := ts.do("POST", base+"check", tok, []byte(`{"query":"SigninLogs | projec UserPrincipalName"}`), nil)
	var check struct {
		Diagnostics []struct{ Start, End int }
	}
	if err := json.Unmarshal(data, &check); status != http.StatusOK || err != nil || len(check.Diagnostics) != 1 ||
		check.Diagnostics[0].Start != 13 || check.Diagnostics[0].End != 19 {
		t.Errorf("check: %d %s, want one diagnostic at [13, 19)", status, data)
	}

	q := "SigninLogs | where Conditional"
	body, _ := json.Marshal(map[string]any{"query": q, "offset": len(q)})
	status, data = ts.do("POST", base+"complete", tok, body, nil)
	if status != http.StatusOK || !strings.Contains(string(data), `{"label":"ConditionalAccessStatus","kind":"column","detail":"string"}`) {
		t.Errorf("complete: %d %s, want the column ConditionalAccessStatus", status, data)
	}

	// workspace() names the same workspace: its tables check too.
	cross, _ := json.Marshal(map[string]any{"query": `workspace("` + ts.boot.Workspace.ID + `").SigninLogs | where Nope == 1`})
	status, data = ts.do("POST", base+"check", tok, cross, nil)
	if status != http.StatusOK || !strings.Contains(string(data), "Nope") {
		t.Errorf("check through workspace(): %d %s, want the unknown column reported", status, data)
	}

	// An application without a role on the workspace.
	clientID, _, secret, err := ts.parts.createApp("no-role")
	if err != nil {
		t.Fatal(err)
	}
	stranger := ts.token(ts.credential(clientID, secret), "https://api.loganalytics.io/.default")
	if status, data := ts.do("POST", base+"check", stranger, []byte(`{"query":"SigninLogs"}`), nil); status != http.StatusForbidden {
		t.Errorf("check without query access: %d %s, want 403", status, data)
	}
	if status, _ := ts.do("POST", base+"check", "", []byte(`{"query":"SigninLogs"}`), nil); status != http.StatusUnauthorized {
		t.Errorf("check without a token: %d, want 401", status)
	}
	if status, data := ts.do("POST", base+"check", tok, []byte(`{"query":`), nil); status != http.StatusBadRequest {
		t.Errorf("check of a malformed body: %d %s, want 400", status, data)
	}
}
