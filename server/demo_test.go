package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestDemo starts a demo server with a day of a small organisation's
// history: sign-ins with successes and mistyped passwords, refreshes,
// directory changes and legacy ADAL clients are all queryable, at the
// times they happened rather than at the time they were delivered.
func TestDemo(t *testing.T) {
	// The server's clock is set back to the last Thursday, so that the
	// backfilled day is a working day whatever day the test runs.
	shift := time.Duration((int(time.Now().UTC().Weekday())-int(time.Thursday)+7)%7) * 24 * time.Hour
	started := time.Now()
	ts := startServer(t, func(c *Config) {
		c.Demo, c.DemoUsers, c.DemoDays = true, 300, 1
		c.Now = func() time.Time { return time.Now().Add(-shift) }
	})
	checks := []struct {
		query string
		ok    func(rows [][]any) bool
	}{
		{`SigninLogs | summarize count() by ResultType`, func(rows [][]any) bool {
			var codes []string
			for _, r := range rows {
				codes = append(codes, fmt.Sprint(r[0]))
			}
			return slices.Contains(codes, "0") && slices.Contains(codes, "50126")
		}},
		{`AADNonInteractiveUserSignInLogs | count`, positive},
		{`AuditLogs | where ActivityDisplayName != "Add diagnostic setting" | count`, positive},
		{`SigninLogs | where AuthenticationProcessingDetails has "Azure AD App Authentication Library" | count`, positive},
		{`AADServicePrincipalSignInLogs | count`, positive},
		// Backfilled rows keep their times: some are hours old.
		{`SigninLogs | where TimeGenerated < ago(12h) | count`, positive},
	}
	for _, c := range checks {
		var rows [][]any
		for deadline := time.Now().Add(20 * time.Second); ; {
			if rows = ts.query(c.query); c.ok(rows) || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if !c.ok(rows) {
			t.Errorf("%s: %v", c.query, rows)
		}
	}
	t.Logf("every check passed %v after start", time.Since(started))
	if _, ok := ts.parts.diag.Get("microsoft.aadiam", DemoSetting); !ok {
		t.Errorf("no diagnostic setting %s", DemoSetting)
	}
	checkDemoUser(t, ts)
}

// checkDemoUser signs in as the demo's web UI account with the password
// from bootstrap.json (0600) and checks what it may do: query the default
// workspace and read the diagnostic settings.
func checkDemoUser(t *testing.T, ts *testServer) {
	t.Helper()
	path := filepath.Join(ts.cfg.DataDir, "bootstrap.json")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("bootstrap.json has mode %v, want 0600", fi.Mode().Perm())
	}
	var boot Bootstrap
	if data, err := os.ReadFile(path); err != nil || json.Unmarshal(data, &boot) != nil || boot.DemoUser == nil {
		t.Fatalf("bootstrap.json names no demo user (%v)", err)
	}
	u := boot.DemoUser
	tok := func(scope string) string {
		form := url.Values{"grant_type": {"password"}, "client_id": {azureCLI}, "username": {u.UserPrincipalName},
			"password": {u.Password}, "scope": {scope}}
		resp, err := ts.client.PostForm(ts.URL()+"/"+ts.boot.TenantID+"/oauth2/v2.0/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-in of %s: %d %v", u.UserPrincipalName, resp.StatusCode, err)
		}
		return body.AccessToken
	}
	q, _ := json.Marshal(map[string]string{"query": "SigninLogs | take 1"})
	if status, data := ts.do("POST", "/v1/workspaces/"+ts.boot.Workspace.ID+"/query", tok("https://api.loganalytics.io/.default"), q, nil); status != http.StatusOK {
		t.Errorf("the demo user's query: %d %s", status, data)
	}
	if status, data := ts.do("GET", "/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01", tok("https://management.azure.com/.default"), nil, nil); status != http.StatusOK {
		t.Errorf("the demo user's list of diagnostic settings: %d %s", status, data)
	}
}

func positive(rows [][]any) bool {
	return len(rows) == 1 && len(rows[0]) == 1 && rows[0][0] != float64(0)
}

// TestDemoRestart: a later demo start of the same data directory neither
// changes the setting nor backfills again; activity continues live.
func TestDemoRestart(t *testing.T) {
	dir := t.TempDir()
	demo := func(c *Config) { c.DataDir, c.Demo, c.DemoUsers, c.DemoDays = dir, true, 100, 1 }
	count := func(ts *testServer) float64 {
		rows := ts.query(`union SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs | where TimeGenerated < ago(1h) | count`)
		return rows[0][0].(float64)
	}
	// The rows of other products are backfilled once too.
	countRows := func(ts *testServer) float64 {
		rows := ts.query(`union SecurityAlert, AppRequests, AppPerformanceCounters | where TimeGenerated < ago(1h) | count`)
		return rows[0][0].(float64)
	}
	first := startServer(t, demo)
	var before float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var rec demoRecord
		if found, err := first.db.Get(bootKind, demoKey, &rec); err != nil || !found {
			t.Fatalf("demo record: %v %v", found, err)
		}
		// Done, and every backfilled sign-in delivered (two reads agree).
		if n := count(first); rec.Through.Equal(rec.To) && n > 0 && n == before {
			break
		} else {
			before = n
		}
	}
	rowsBefore := countRows(first)
	if err := first.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	second := startServer(t, demo)
	time.Sleep(300 * time.Millisecond)
	if after := count(second); after != before || before == 0 {
		t.Errorf("backfilled sign-ins: %v before the restart, %v after", before, after)
	}
	if after := countRows(second); after != rowsBefore || rowsBefore == 0 {
		t.Errorf("backfilled rows of other products: %v before the restart, %v after", rowsBefore, after)
	}
	if rows := second.query(`AuditLogs | where OperationName has "diagnostic setting" | project OperationName`); len(rows) != 1 {
		t.Errorf("diagnostic setting changes: %v, want the one creation", rows)
	}
}
