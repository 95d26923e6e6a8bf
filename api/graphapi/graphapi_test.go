package graphapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/reports"
	"github.com/idlogs/idlogs/tenant/risk"
	"github.com/idlogs/idlogs/tenant/token"
)

type memSink struct {
	mu   sync.Mutex
	recs []activity.Record
}

func (s *memSink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, recs...)
	return nil
}

// audits returns the AuditLogs records emitted so far, decoded.
func (s *memSink) audits() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, r := range s.recs {
		if r.Category == activity.AuditLogs {
			var p map[string]any
			json.Unmarshal(r.Properties, &p)
			out = append(out, p)
		}
	}
	return out
}

// env is a server with the token service and the Graph API, an admin
// application holding Global Administrator, and a Security Reader user.
type env struct {
	srv      *httptest.Server
	dir      *tenant.Directory
	sink     *memSink
	admin    *tenant.Application
	secret   string
	reader   *tenant.User
	adminTok string
	// actLog feeds reports, the Graph reports the routes serve.
	actLog  *activity.Log
	reports *reports.Store
}

const readerPassword = "reader password 1"

func newEnv(t *testing.T) *env { t.Helper(); return newEnvWith(t, nil) }

// newEnvWith is newEnv with a risk engine of options ropts, unless nil.
func newEnvWith(t *testing.T, ropts *risk.Options) *env {
	t.Helper()
	db, err := state.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{sink: &memSink{}}
	if e.dir, err = tenant.OpenWith(db, tenant.Options{Activity: e.sink}); err != nil {
		t.Fatal(err)
	}
	var eng *risk.Engine
	if ropts != nil {
		if eng, err = risk.Open(db, *ropts); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := token.New(e.dir, db, token.Options{Activity: e.sink, Risk: eng})
	if err != nil {
		t.Fatal(err)
	}
	e.openReports(t, db)
	rt := &api.Router{}
	svc.Register(rt, func(r *http.Request) string { return "https://" + r.Host })
	(&Handlers{Server: &api.Server{Tokens: svc}, Dir: e.dir, Risk: eng, Activity: e.sink, Reports: e.reports}).Register(rt)
	e.srv = httptest.NewServer(rt)
	t.Cleanup(e.srv.Close)

	ctx := context.Background()
	if e.admin, e.secret, err = e.dir.CreateApplication("idlogs-admin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.dir.AssignRole(ctx, tenant.Initiator{}, e.admin.ObjectID, tenant.RoleGlobalAdministrator); err != nil {
		t.Fatal(err)
	}
	if e.reader, _, err = e.dir.CreateUser(ctx, tenant.Initiator{}, tenant.NewUser{UserPrincipalName: "reader@idlogs.local",
		DisplayName: "Reader", Password: readerPassword}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.dir.AssignRole(ctx, tenant.Initiator{}, e.reader.ID, tenant.RoleSecurityReader); err != nil {
		t.Fatal(err)
	}
	e.adminTok = e.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {e.admin.AppID},
		"client_secret": {e.secret}, "scope": {"https://graph.microsoft.com/.default"}})
	return e
}

// token asks the token service for an access token.
func (e *env) token(t *testing.T, form url.Values) string {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL+"/"+e.dir.TenantID()+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	tok, _ := body["access_token"].(string)
	if resp.StatusCode != 200 || tok == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, body)
	}
	return tok
}

func (e *env) userToken(t *testing.T, upn, password, scope string) string {
	return e.token(t, url.Values{"grant_type": {"password"}, "client_id": {tenant.AzureCLIAppID},
		"username": {upn}, "password": {password}, "scope": {scope}})
}

// call sends a Graph request and decodes the JSON answer, if any.
func (e *env) call(t *testing.T, tok, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func mustStatus(t *testing.T, what string, got, want int, body map[string]any) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d: %v", what, got, want, body)
	}
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestUsersThroughGraph(t *testing.T) {
	e := newEnv(t)
	st, body := e.call(t, e.adminTok, "POST", "/v1.0/users", map[string]any{
		"accountEnabled": true, "displayName": "Grace Hopper", "mailNickname": "grace",
		"userPrincipalName": "grace@idlogs.local", "department": "Engineering",
		"passwordProfile": map[string]any{"forceChangePasswordNextSignIn": false, "password": "grace password 1"},
	})
	mustStatus(t, "create user", st, 201, body)
	id, _ := body["id"].(string)
	if body["@odata.context"] != contextBase+"users/$entity" || body["department"] != "Engineering" || !tenant.IsGUID(id) {
		t.Fatalf("created = %v", body)
	}
	st, body = e.call(t, e.adminTok, "POST", "/v1.0/users", map[string]any{"displayName": "Again", "userPrincipalName": "GRACE@idlogs.local",
		"passwordProfile": map[string]any{"password": "long enough"}})
	if st != 400 || errCode(body) != "Request_BadRequest" {
		t.Errorf("duplicate user: %d %v", st, body)
	}
	st, body = e.call(t, e.adminTok, "POST", "/v1.0/users", map[string]any{"displayName": "No password", "userPrincipalName": "np@idlogs.local"})
	if st != 400 {
		t.Errorf("user without a password: %d %v", st, body)
	}

	st, body = e.call(t, e.adminTok, "GET", "/v1.0/users?$filter="+url.QueryEscape("userPrincipalName eq 'grace@idlogs.local'"), nil)
	mustStatus(t, "filter", st, 200, body)
	if v, _ := body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["id"] != id || body["@odata.context"] != contextBase+"users" {
		t.Fatalf("filtered = %v", body)
	}
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/users?$top=1&$select=id,displayName", nil)
	if v, _ := body["value"].([]any); st != 200 || len(v) != 1 || len(v[0].(map[string]any)) != 2 {
		t.Errorf("$top/$select = %d %v", st, body)
	}
	if st, body = e.call(t, e.adminTok, "GET", "/v1.0/users?$filter="+url.QueryEscape("jobTitle eq 'x'"), nil); st != 400 || errCode(body) != "Request_UnsupportedQuery" {
		t.Errorf("unsupported filter: %d %v", st, body)
	}

	st, body = e.call(t, e.adminTok, "PATCH", "/v1.0/users/grace@idlogs.local", map[string]any{"department": "Research", "accountEnabled": false})
	mustStatus(t, "patch", st, 204, body)
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/users/"+id, nil)
	if st != 200 || body["department"] != "Research" || body["accountEnabled"] != false {
		t.Errorf("after patch: %d %v", st, body)
	}

	// A Security Reader reads but does not write; a user without a role
	// does neither.
	readerTok := e.userToken(t, "reader@idlogs.local", readerPassword, "https://graph.microsoft.com/.default")
	if st, body = e.call(t, readerTok, "GET", "/v1.0/users", nil); st != 200 {
		t.Errorf("reader list: %d %v", st, body)
	}
	st, body = e.call(t, readerTok, "PATCH", "/v1.0/users/"+id, map[string]any{"department": "X"})
	if st != 403 || errCode(body) != "Authorization_RequestDenied" || body["error"].(map[string]any)["innerError"] == nil {
		t.Errorf("reader patch: %d %v", st, body)
	}
	e.call(t, e.adminTok, "PATCH", "/v1.0/users/"+id, map[string]any{"accountEnabled": true})
	graceTok := e.userToken(t, "grace@idlogs.local", "grace password 1", "https://graph.microsoft.com/User.Read")
	if st, body = e.call(t, graceTok, "GET", "/v1.0/users", nil); st != 403 || errCode(body) != "Authorization_RequestDenied" {
		t.Errorf("user without a role: %d %v", st, body)
	}
	armTok := e.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {e.admin.AppID},
		"client_secret": {e.secret}, "scope": {"https://management.azure.com/.default"}})
	if st, body = e.call(t, armTok, "GET", "/v1.0/users", nil); st != 403 {
		t.Errorf("ARM token: %d %v", st, body)
	}

	mustStatus(t, "delete", func() int { st, body = e.call(t, e.adminTok, "DELETE", "/v1.0/users/"+id, nil); return st }(), 204, body)
	if st, body = e.call(t, e.adminTok, "GET", "/v1.0/users/"+id, nil); st != 404 || errCode(body) != "Request_ResourceNotFound" {
		t.Errorf("deleted user: %d %v", st, body)
	}

	// Every change is audited with the admin application as initiator.
	var acts []string
	for _, a := range e.sink.audits() {
		by, _ := a["initiatedBy"].(map[string]any)
		app, _ := by["app"].(map[string]any)
		if app["appId"] != e.admin.AppID {
			continue
		}
		if app["servicePrincipalId"] != e.admin.ObjectID || app["displayName"] != "idlogs-admin" {
			t.Errorf("initiator = %v", by)
		}
		acts = append(acts, a["activityDisplayName"].(string))
	}
	want := "Add user,Update user,Update user,Delete user"
	if strings.Join(acts, ",") != want {
		t.Errorf("audited = %v, want %s", acts, want)
	}
}

func TestGroupsAppsAndRolesThroughGraph(t *testing.T) {
	e := newEnv(t)
	st, body := e.call(t, e.adminTok, "POST", "/v1.0/groups", map[string]any{"displayName": "SOC", "mailEnabled": false,
		"securityEnabled": true, "mailNickname": "soc"})
	mustStatus(t, "create group", st, 201, body)
	gid := body["id"].(string)
	ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + e.reader.ID}
	st, body = e.call(t, e.adminTok, "POST", "/v1.0/groups/"+gid+"/members/$ref", ref)
	mustStatus(t, "add member", st, 204, body)
	if st, body = e.call(t, e.adminTok, "POST", "/v1.0/groups/"+gid+"/members/$ref", ref); st != 400 {
		t.Errorf("second add: %d %v", st, body)
	}
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/groups/"+gid+"/members", nil)
	if v, _ := body["value"].([]any); st != 200 || len(v) != 1 || v[0].(map[string]any)["@odata.type"] != "#microsoft.graph.user" {
		t.Errorf("members = %d %v", st, body)
	}

	st, body = e.call(t, e.adminTok, "POST", "/v1.0/applications", map[string]any{"displayName": "exporter"})
	mustStatus(t, "create application", st, 201, body)
	appObj, appID := body["id"].(string), body["appId"].(string)
	st, body = e.call(t, e.adminTok, "POST", "/v1.0/applications/"+appObj+"/addPassword", map[string]any{"passwordCredential": map[string]any{"displayName": "ci"}})
	mustStatus(t, "addPassword", st, 200, body)
	secret, _ := body["secretText"].(string)
	if secret == "" || body["displayName"] != "ci" || !strings.HasPrefix(secret, body["hint"].(string)) {
		t.Fatalf("password credential = %v", body)
	}
	// The new secret works at the token service.
	e.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {appID}, "client_secret": {secret},
		"scope": {"https://api.loganalytics.io/.default"}})
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/servicePrincipals?$filter="+url.QueryEscape("appId eq '"+appID+"'"), nil)
	if v, _ := body["value"].([]any); st != 200 || len(v) != 1 || v[0].(map[string]any)["id"] != appObj {
		t.Errorf("service principal = %d %v", st, body)
	}
	if st, body = e.call(t, e.adminTok, "GET", "/v1.0/servicePrincipals/"+appObj, nil); st != 200 || body["appId"] != appID {
		t.Errorf("service principal by id = %d %v", st, body)
	}

	st, body = e.call(t, e.adminTok, "GET", "/v1.0/roleManagement/directory/roleDefinitions", nil)
	if v, _ := body["value"].([]any); st != 200 || len(v) != len(tenant.RoleDefinitions()) {
		t.Errorf("role definitions = %d %v", st, body)
	}
	assign := map[string]any{"principalId": appObj, "roleDefinitionId": tenant.RoleReportsReader, "directoryScopeId": "/"}
	st, body = e.call(t, e.adminTok, "POST", "/v1.0/roleManagement/directory/roleAssignments", assign)
	mustStatus(t, "assign", st, 201, body)
	raID := body["id"].(string)
	// The new role is in the application's next token.
	tok := e.token(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {appID}, "client_secret": {secret},
		"scope": {"https://graph.microsoft.com/.default"}})
	if st, body = e.call(t, tok, "GET", "/v1.0/users", nil); st != 200 {
		t.Errorf("Reports Reader list: %d %v", st, body)
	}
	if st, body = e.call(t, tok, "POST", "/v1.0/roleManagement/directory/roleAssignments", assign); st != 403 {
		t.Errorf("Reports Reader assigns: %d %v", st, body)
	}
	assign["directoryScopeId"] = "/administrativeUnits/x"
	if st, body = e.call(t, e.adminTok, "POST", "/v1.0/roleManagement/directory/roleAssignments", assign); st != 400 {
		t.Errorf("scoped assignment: %d %v", st, body)
	}
	st, body = e.call(t, e.adminTok, "GET", "/v1.0/roleManagement/directory/roleAssignments?$filter="+url.QueryEscape("principalId eq '"+appObj+"'"), nil)
	if v, _ := body["value"].([]any); st != 200 || len(v) != 1 {
		t.Errorf("assignments of the app = %d %v", st, body)
	}
	if st, body = e.call(t, e.adminTok, "DELETE", "/v1.0/roleManagement/directory/roleAssignments/"+raID, nil); st != 204 {
		t.Errorf("unassign: %d %v", st, body)
	}

	var acts []string
	for _, a := range e.sink.audits() {
		if by, _ := a["initiatedBy"].(map[string]any); by["app"] != nil && by["app"].(map[string]any)["appId"] == e.admin.AppID {
			acts = append(acts, a["activityDisplayName"].(string))
		}
	}
	want := "Add group,Add member to group,Add application,Update application – Certificates and secrets management ,Add member to role,Remove member from role"
	if strings.Join(acts, ",") != want {
		t.Errorf("audited = %q, want %q", strings.Join(acts, ","), want)
	}
}
