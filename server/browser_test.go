package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/tenant"
)

// browserDir holds the web UI's browser test (e2e/browser): package.json
// pins playwright-core and axe-core; the browser is Debian's chromium.
var browserDir = filepath.Join("..", "e2e", "browser")

// TestWebUIInBrowser drives the web UI in chromium as a tenant user: sign
// in, query (rows, a time chart, a syntax error underlined where it is, a
// column completion), saved searches and a workspace function saved,
// called and completed (with Azure's 400, 409 and, for a reader, 403 in
// place), the sign-ins workbook, a diagnostic setting created
// through the blade, the Sources page with a Graph source reading another
// server's tenant (and, for a user without roles, ARM's 403), and an
// accessibility check of the pages. The
// setting is then read back through ARM. A failing step leaves a
// screenshot in e2e/browser/failures. With IDLOGS_SCREENSHOTS=dir the
// script also saves screenshots of the pages there (docs/ holds
// those of the README).
func TestWebUIInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is required for the web UI's browser test: run `apt-get install -y chromium` (see .ci/run)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is required for the web UI's browser test: install Node.js (see .ci/run)")
	}
	if _, err := os.Stat(filepath.Join(browserDir, "node_modules", "playwright-core")); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = browserDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", browserDir, err, out)
		}
	}
	shots := os.Getenv("IDLOGS_SCREENSHOTS")
	// Another server's tenant, read through its Microsoft Graph: the
	// Sources page's Graph source.
	other := startServer(t)
	graphSource := func(c *Config) {
		ob := other.boot
		c.GraphSources = []GraphSource{{
			TenantID: ob.TenantID, ClientID: ob.Admin.ClientID, ClientSecret: ob.Admin.ClientSecret,
			Authority: other.URL(), GraphURL: other.URL(), HTTPClient: other.client,
			Feeds: []string{"directoryAudits"}, Interval: 200 * time.Millisecond,
		}}
	}
	var ts *testServer
	if shots != "" {
		// Screenshots show a demo organisation's two days.
		ts = startServer(t, graphSource, func(c *Config) { c.Demo, c.DemoUsers, c.DemoDays = true, 400, 2 })
		ts.waitForBackfill(t)
		shots = mustAbs(t, filepath.Join("..", shots))
	} else {
		ts = startServer(t, graphSource)
	}
	upn, password := ts.uiUser(t, shots == "")
	// A user without roles: the page shows the APIs' 403s.
	graph := ts.token(ts.admin(), "https://graph.microsoft.com/.default")
	stranger := "erin@" + ts.parts.dir.Domain()
	body, _ := json.Marshal(map[string]any{"accountEnabled": true, "displayName": "Erin Guest", "mailNickname": "erin",
		"userPrincipalName": stranger, "passwordProfile": map[string]any{"password": password, "forceChangePasswordNextSignIn": false}})
	if status, data := ts.do("POST", "/v1.0/users", graph, body, nil); status != http.StatusCreated {
		t.Fatalf("create user: %d %s", status, data)
	}
	// A reader of the workspace: the page shows ARM's 403 when they save.
	reader := ts.uiReader(t, password)
	// A storage account for the blade to archive to.
	storage := ts.rgPath() + "/providers/Microsoft.Storage/storageAccounts/uiarchive"
	ts.arm("PUT", storage+"?api-version=2023-01-01", map[string]any{"location": "local", "properties": map[string]any{}}, http.StatusOK, http.StatusCreated)
	// Sign-ins to query: the user's own, good and bad passwords.
	for _, pw := range []string{password, "wrong-1", password, "wrong-2"} {
		ts.passwordSignIn(upn, pw)
	}

	// Screenshots of failing steps outlive the test: e2e/browser/failures
	// (ignored by git) unless IDLOGS_ARTIFACTS names another folder.
	artifacts := mustAbs(t, filepath.Join(browserDir, "failures"))
	if dir := os.Getenv("IDLOGS_ARTIFACTS"); dir != "" {
		artifacts = dir
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "ui.mjs")
	cmd.Dir = browserDir
	cmd.Env = append(os.Environ(),
		"IDLOGS_URL="+ts.URL(),
		"IDLOGS_USER="+upn,
		"IDLOGS_PASSWORD="+password,
		"IDLOGS_USER_WITHOUT_ROLES="+stranger,
		"IDLOGS_READER="+reader,
		"IDLOGS_CHROMIUM="+chromium,
		"IDLOGS_ARTIFACTS="+artifacts,
		"IDLOGS_SCREENSHOTS="+shots,
		"IDLOGS_STORAGE_ID="+storage,
		"IDLOGS_GRAPH_TENANT="+other.boot.TenantID,
	)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node ui.mjs: %v\n%s%s\n(screenshots of the failing step in %s)", err, out, stderr.String(), artifacts)
	}
	t.Logf("browser script:\n%s", stderr.String())
	var got struct {
		Setting string         `json:"setting"`
		Timings map[string]any `json:"timings"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("script output %q: %v", out, err)
	}
	for _, k := range slices.Sorted(maps.Keys(got.Timings)) {
		t.Logf("%s: %v", k, got.Timings[k])
	}
	// The setting the blade saved, as ARM returns it.
	data := ts.arm("GET", "/providers/microsoft.aadiam/diagnosticSettings/"+got.Setting+"?api-version=2017-04-01", nil, http.StatusOK)
	var setting struct {
		Properties struct {
			StorageAccountID string `json:"storageAccountId"`
			Logs             []struct {
				Category string `json:"category"`
				Enabled  bool   `json:"enabled"`
			} `json:"logs"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &setting); err != nil {
		t.Fatal(err)
	}
	var enabled []string
	for _, l := range setting.Properties.Logs {
		if l.Enabled {
			enabled = append(enabled, l.Category)
		}
	}
	if !strings.EqualFold(setting.Properties.StorageAccountID, storage) || fmt.Sprint(enabled) != "[AuditLogs SignInLogs]" {
		t.Errorf("setting %s through ARM: storage account %q, enabled %v; want %s and [AuditLogs SignInLogs]", got.Setting, setting.Properties.StorageAccountID, enabled, storage)
	}
	// The browser's sign-in is in SigninLogs like any other.
	q := `SigninLogs | where UserPrincipalName == "` + upn + `" and ClientAppUsed == "Browser" and AppId == "` + ts.boot.WebClientID + `" | count`
	var rows [][]any
	for deadline := time.Now().Add(5 * time.Second); ; {
		if rows = ts.query(q); fmt.Sprint(rows) != "[[0]]" || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if fmt.Sprint(rows) == "[[0]]" {
		t.Errorf("no browser sign-in of %s to the web UI in SigninLogs", upn)
	}
}

// uiUser creates a user who may query the workspace and manage Entra's
// diagnostic settings (Log Analytics Contributor on the subscription,
// Global Administrator in the directory), and a diagnostic setting that
// sends sign-ins to the workspace unless the demo's setting does already.
// It returns the user's name and password.
func (ts *testServer) uiUser(t *testing.T, setting bool) (string, string) {
	t.Helper()
	const password = "Correct-Horse-9"
	upn, userID := ts.uiAccount(t, "dana", "Dana Analyst", password)
	if err := ts.parts.ensureDirectoryRole(userID, tenant.RoleGlobalAdministrator); err != nil {
		t.Fatal(err)
	}
	assignment := map[string]any{"properties": map[string]any{
		"roleDefinitionId": "/subscriptions/" + ts.boot.SubscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + roleLogAnalyticsContributor,
		"principalId":      userID,
		"principalType":    "User",
	}}
	ts.arm("PUT", "/subscriptions/"+ts.boot.SubscriptionID+"/providers/Microsoft.Authorization/roleAssignments/"+newGUID()+"?api-version=2022-04-01", assignment, http.StatusCreated)
	if setting {
		body := map[string]any{"properties": map[string]any{
			"workspaceId": ts.boot.Workspace.ResourceID,
			"logs":        []map[string]any{{"category": "SignInLogs", "enabled": true}},
		}}
		ts.arm("PUT", "/providers/microsoft.aadiam/diagnosticSettings/to-workspace?api-version=2017-04-01", body, http.StatusOK)
	}
	return upn, password
}

// uiReader creates a user with password who is Log Analytics Reader of
// the workspace, and returns the user's name.
func (ts *testServer) uiReader(t *testing.T, password string) string {
	t.Helper()
	upn, userID := ts.uiAccount(t, "rory", "Rory Reader", password)
	assignment := map[string]any{"properties": map[string]any{
		"roleDefinitionId": "/subscriptions/" + ts.boot.SubscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + roleLogAnalyticsReader,
		"principalId":      userID,
		"principalType":    "User",
	}}
	ts.arm("PUT", ts.boot.Workspace.ResourceID+"/providers/Microsoft.Authorization/roleAssignments/"+newGUID()+"?api-version=2022-04-01", assignment, http.StatusCreated)
	return upn
}

// uiAccount creates user nick@{domain} with a password through Graph and
// returns the user's name and object id.
func (ts *testServer) uiAccount(t *testing.T, nick, displayName, password string) (string, string) {
	t.Helper()
	graph := ts.token(ts.admin(), "https://graph.microsoft.com/.default")
	upn := nick + "@" + ts.parts.dir.Domain()
	body, _ := json.Marshal(map[string]any{"accountEnabled": true, "displayName": displayName, "mailNickname": nick,
		"userPrincipalName": upn, "passwordProfile": map[string]any{"password": password, "forceChangePasswordNextSignIn": false}})
	status, data := ts.do("POST", "/v1.0/users", graph, body, nil)
	if status != http.StatusCreated {
		t.Fatalf("create user: %d %s", status, data)
	}
	var user struct{ ID string }
	if err := json.Unmarshal(data, &user); err != nil {
		t.Fatal(err)
	}
	return upn, user.ID
}

// waitForBackfill waits until the demo's backfilled sign-ins are all in
// the workspace: two counts a second apart agree.
func (ts *testServer) waitForBackfill(t *testing.T) {
	t.Helper()
	last := ""
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
		n := fmt.Sprint(ts.query(`SigninLogs | where TimeGenerated < ago(1h) | count`))
		if n == last && n != "[[0]]" {
			return
		}
		last = n
	}
	t.Fatalf("the demo backfill did not finish in 3 minutes (%s sign-ins)", last)
}
