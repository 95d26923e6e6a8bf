package server

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// azureCLI is the well-known public client id of the Azure CLI, registered
// in every idlogs tenant as in Entra.
const azureCLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// passwordSignIn posts a password grant and returns the status and the
// time the response arrived.
func (ts *testServer) passwordSignIn(user, password string) (int, map[string]any, time.Time) {
	ts.t.Helper()
	form := url.Values{"grant_type": {"password"}, "client_id": {azureCLI}, "username": {user},
		"password": {password}, "scope": {"https://management.azure.com/.default offline_access"}}
	resp, err := ts.client.PostForm(ts.URL()+"/"+ts.boot.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body, time.Now()
}

// query runs KQL with the admin's token and returns the rows.
func (ts *testServer) query(q string) [][]any {
	ts.t.Helper()
	body, _ := json.Marshal(map[string]string{"query": q})
	status, data := ts.do("POST", "/v1/workspaces/"+ts.boot.Workspace.ID+"/query", ts.token(ts.admin(), "https://api.loganalytics.io/.default"), body, nil)
	if status != http.StatusOK {
		ts.t.Fatalf("query %q: %d %s", q, status, data)
	}
	var res struct {
		Tables []struct{ Rows [][]any } `json:"tables"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		ts.t.Fatal(err)
	}
	return res.Tables[0].Rows
}

// TestSignInsReachTheWorkspace is the Entra integration end to end: a
// diagnostic setting sends SignInLogs and AuditLogs to the workspace; a
// user signs in once with a good and once with a bad password; both
// sign-ins are queryable in SigninLogs within a second of the token
// response, the setting's creation is in AuditLogs with the admin as
// initiator, and a category the setting does not enable is not delivered.
func TestSignInsReachTheWorkspace(t *testing.T) {
	ts := startServer(t)
	graph := ts.token(ts.admin(), "https://graph.microsoft.com/.default")
	upn := "alice@" + ts.parts.dir.Domain()
	user, _ := json.Marshal(map[string]any{"accountEnabled": true, "displayName": "Alice", "mailNickname": "alice",
		"userPrincipalName": upn, "passwordProfile": map[string]any{"password": "Correct-Horse-9", "forceChangePasswordNextSignIn": false}})
	if status, data := ts.do("POST", "/v1.0/users", graph, user, nil); status != http.StatusCreated {
		t.Fatalf("create user: %d %s", status, data)
	}
	setting := map[string]any{"properties": map[string]any{
		"workspaceId": ts.boot.Workspace.ResourceID,
		"logs": []map[string]any{{"category": "SignInLogs", "enabled": true}, {"category": "AuditLogs", "enabled": true},
			{"category": "NonInteractiveUserSignInLogs", "enabled": false}},
	}}
	ts.arm("PUT", "/providers/microsoft.aadiam/diagnosticSettings/to-workspace?api-version=2017-04-01", setting, http.StatusOK)

	good, tok, _ := ts.passwordSignIn(upn, "Correct-Horse-9")
	if good != http.StatusOK {
		t.Fatalf("good password: %d %v", good, tok)
	}
	bad, _, answered := ts.passwordSignIn(upn, "wrong")
	if bad != http.StatusBadRequest {
		t.Fatalf("bad password: %d", bad)
	}
	// A refresh is a non-interactive sign-in, a category the setting
	// leaves off.
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {azureCLI}, "refresh_token": {fmt.Sprint(tok["refresh_token"])},
		"scope": {"https://api.loganalytics.io/.default"}}
	resp, err := ts.client.PostForm(ts.URL()+"/"+ts.boot.TenantID+"/oauth2/v2.0/token", form)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: %v %v", resp, err)
	}
	resp.Body.Close()

	q := `SigninLogs | where UserPrincipalName == "` + upn + `" | order by ResultType asc | project ResultType`
	var rows [][]any
	for deadline := answered.Add(time.Second); ; {
		if rows = ts.query(q); len(rows) == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if fmt.Sprint(rows) != "[[0] [50126]]" {
		t.Fatalf("SigninLogs within 1 s of the token response: %v, want the success and the 50126 failure", rows)
	}
	t.Logf("queryable %v after the last token response", time.Since(answered))

	audit := ts.query(`AuditLogs | where TargetResources has "to-workspace" | project ActivityDisplayName, tostring(InitiatedBy.app.appId)`)
	if len(audit) != 1 || audit[0][1] != ts.boot.Admin.ClientID {
		t.Errorf("AuditLogs for the setting's creation: %v, want one record initiated by %s", audit, ts.boot.Admin.ClientID)
	}
	// As in Azure, a setting routes what happens after it exists: the
	// user was added before.
	if users := ts.query(`AuditLogs | where ActivityDisplayName == "Add user" | count`); fmt.Sprint(users) != "[[0]]" {
		t.Errorf("AuditLogs of a change made before the setting existed: %v", users)
	}
	if n := ts.query(`AADNonInteractiveUserSignInLogs | count`); fmt.Sprint(n) != "[[0]]" {
		t.Errorf("a category the setting does not enable was delivered: %v", n)
	}
}

// TestPasswordSprayRaisesRisk: ten accounts failing their password from one
// address is a password spray; the detections and the risky users reach
// AADUserRiskEvents and AADRiskyUsers through a diagnostic setting.
func TestPasswordSprayRaisesRisk(t *testing.T) {
	ts := startServer(t)
	graph := ts.token(ts.admin(), "https://graph.microsoft.com/.default")
	setting := map[string]any{"properties": map[string]any{
		"workspaceId": ts.boot.Workspace.ResourceID,
		"logs":        []map[string]any{{"category": "UserRiskEvents", "enabled": true}, {"category": "RiskyUsers", "enabled": true}},
	}}
	ts.arm("PUT", "/providers/microsoft.aadiam/diagnosticSettings/risk?api-version=2017-04-01", setting, http.StatusOK)
	var upns []string
	for i := range 10 {
		upn := fmt.Sprintf("user%d@%s", i, ts.parts.dir.Domain())
		user, _ := json.Marshal(map[string]any{"accountEnabled": true, "displayName": upn, "mailNickname": fmt.Sprint("user", i),
			"userPrincipalName": upn, "passwordProfile": map[string]any{"password": "Correct-Horse-9"}})
		if status, data := ts.do("POST", "/v1.0/users", graph, user, nil); status != http.StatusCreated {
			t.Fatalf("create user: %d %s", status, data)
		}
		upns = append(upns, upn)
	}
	for _, upn := range upns {
		if status, _, _ := ts.passwordSignIn(upn, "Summer2026!"); status != http.StatusBadRequest {
			t.Fatalf("sprayed sign-in of %s: %d", upn, status)
		}
	}
	q := `AADUserRiskEvents | where RiskEventType == "passwordSpray" | summarize Users = dcount(UserPrincipalName), IPs = make_set(IpAddress)`
	var rows [][]any
	for deadline := time.Now().Add(5 * time.Second); ; {
		if rows = ts.query(q); len(rows) == 1 && rows[0][0] == float64(10) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(rows) != 1 || rows[0][0] != float64(10) || !strings.Contains(fmt.Sprint(rows[0][1]), "127.0.0.1") {
		t.Fatalf("password spray detections: %v, want 10 users from 127.0.0.1", rows)
	}
	if risky := ts.query(`AADRiskyUsers | where RiskState == "atRisk" | summarize dcount(UserPrincipalName)`); fmt.Sprint(risky) != "[[10]]" {
		t.Errorf("risky users: %v", risky)
	}
}

// TestBrowserSignInReachesSigninLogs: a browser signs in through the
// authorization endpoint's page (authorization code with PKCE, the Azure
// CLI's public client and a loopback redirect); the interactive sign-in
// is in SigninLogs as a Browser sign-in, and the code's redemption in
// AADNonInteractiveUserSignInLogs.
func TestBrowserSignInReachesSigninLogs(t *testing.T) {
	ts := startServer(t)
	graph := ts.token(ts.admin(), "https://graph.microsoft.com/.default")
	upn := "carol@" + ts.parts.dir.Domain()
	user, _ := json.Marshal(map[string]any{"accountEnabled": true, "displayName": "Carol", "mailNickname": "carol",
		"userPrincipalName": upn, "passwordProfile": map[string]any{"password": "Correct-Horse-9"}})
	if status, data := ts.do("POST", "/v1.0/users", graph, user, nil); status != http.StatusCreated {
		t.Fatalf("create user: %d %s", status, data)
	}
	setting := map[string]any{"properties": map[string]any{
		"workspaceId": ts.boot.Workspace.ResourceID,
		"logs": []map[string]any{{"category": "SignInLogs", "enabled": true},
			{"category": "NonInteractiveUserSignInLogs", "enabled": true}},
	}}
	ts.arm("PUT", "/providers/microsoft.aadiam/diagnosticSettings/browser?api-version=2017-04-01", setting, http.StatusOK)

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Transport: ts.client.Transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	const redirect, verifier = "http://localhost:8400/", "a-verifier-of-at-least-forty-three-characters-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	base := ts.URL() + "/" + ts.boot.TenantID + "/oauth2/v2.0/"
	q := url.Values{"client_id": {azureCLI}, "redirect_uri": {redirect}, "response_type": {"code"},
		"scope": {"https://management.azure.com/.default openid offline_access"}, "state": {"s1"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	resp, err := browser.Get(base + "authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="flow" value="([^"]+)"`).FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("sign-in page: %d %s", resp.StatusCode, page)
	}
	resp, err = browser.PostForm(base+"authorize", url.Values{"flow": {string(m[1])}, "login": {upn}, "passwd": {"Correct-Horse-9"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("code") == "" || loc.Query().Get("state") != "s1" {
		t.Fatalf("after sign-in: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = browser.PostForm(base+"token", url.Values{"grant_type": {"authorization_code"}, "client_id": {azureCLI},
		"code": {loc.Query().Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier},
		"scope": {"https://management.azure.com/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("code redemption: %d", resp.StatusCode)
	}
	q2 := `union withsource=T SigninLogs, AADNonInteractiveUserSignInLogs | where UserPrincipalName == "` + upn + `" | project T, ClientAppUsed, ResultType | order by T asc`
	var rows [][]any
	for deadline := time.Now().Add(5 * time.Second); ; {
		if rows = ts.query(q2); len(rows) == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(rows) != 2 || rows[1][0] != "SigninLogs" || rows[1][1] != "Browser" || rows[1][2] != "0" || rows[0][0] != "AADNonInteractiveUserSignInLogs" {
		t.Fatalf("sign-ins: %v, want the interactive Browser sign-in and the non-interactive redemption", rows)
	}
}
