package main

import (
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/diagapi"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/server"
	"github.com/idlogs/idlogs/state"
)

const (
	diagTenant = "72f988bf-0000-4000-8000-000000000001"
	diagWS     = "/subscriptions/s1/resourceGroups/idlogs/providers/Microsoft.OperationalInsights/workspaces/idlogs-default"
)

// diagTokens accepts the one token the fake token endpoint issues.
type diagTokens struct{}

func (diagTokens) Verify(token string) (*auth.Principal, error) {
	if token != "admin-token" {
		return nil, errors.New("unknown token")
	}
	return &auth.Principal{TenantID: diagTenant, ObjectID: "00000000-0000-4000-8000-000000000001", App: true,
		Audience: "https://management.azure.com/", DirectoryRoles: []string{diagapi.RoleSecurityAdministrator}}, nil
}

type allowAll struct{}

func (allowAll) Allowed(*auth.Principal, string, string) bool { return true }

// startDiagServer serves a token endpoint and the diagnostic settings API
// over TLS and writes the bootstrap.json a client of it reads.
func startDiagServer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg, err := diagnostics.Open(db, diagnostics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := &api.Router{}
	(&diagapi.Handlers{Server: &api.Server{Tokens: diagTokens{}, Authz: allowAll{}}, Settings: reg}).Register(rt)
	rt.HandleFunc(http.MethodPost, "/"+diagTenant+"/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("grant_type") != "client_credentials" || r.FormValue("client_id") != "admin-app" ||
			r.FormValue("client_secret") != "s3cret" || r.FormValue("scope") != "https://management.azure.com/.default" {
			api.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "bad credentials"})
			return
		}
		api.WriteJSON(w, http.StatusOK, map[string]any{"access_token": "admin-token", "token_type": "Bearer", "expires_in": 3600})
	})
	srv := httptest.NewTLSServer(rt)
	t.Cleanup(srv.Close)
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	var b server.Bootstrap
	b.TenantID, b.AuthorityHost, b.ARMEndpoint, b.CACert = diagTenant, srv.URL+"/", srv.URL+"/", ca
	b.Workspace.ResourceID = diagWS
	b.Admin.ClientID, b.Admin.ClientSecret = "admin-app", "s3cret"
	data, _ := json.Marshal(b)
	path := filepath.Join(dir, "bootstrap.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDiagCommands(t *testing.T) {
	boot := startDiagServer(t)
	diag := func(args ...string) result {
		t.Helper()
		return runCLI(t, "", append([]string{"diag", "--bootstrap", boot}, args...)...)
	}
	if r := diag("set", "to-default", "--workspace", "default", "--logs", "AuditLogs,SignInLogs"); r.code != 0 ||
		!strings.Contains(r.stdout, `"workspaceId": "`+diagWS+`"`) || !strings.Contains(r.stdout, `"category": "SignInLogs"`) {
		t.Fatalf("set: %+v", r)
	}
	if r := diag("list"); r.code != 0 || !strings.Contains(r.stdout, "to-default") || !strings.Contains(r.stdout, "AuditLogs,SignInLogs") {
		t.Errorf("list: %+v", r)
	}
	if r := diag("show", "to-default"); r.code != 0 || !strings.Contains(r.stdout, `"id": "/providers/microsoft.aadiam/diagnosticSettings/to-default"`) {
		t.Errorf("show: %+v", r)
	}
	if r := diag("set", "bad", "--workspace", "default", "--logs", "Nope"); r.code != 1 || !strings.Contains(r.stderr, "BadRequest: Category 'Nope' is not supported.") {
		t.Errorf("set with a bad category: %+v", r)
	}
	if r := diag("categories"); r.code != 0 || !strings.HasPrefix(r.stdout, "AuditLogs\nSignInLogs\n") {
		t.Errorf("categories: %+v", r)
	}
	// The custom-security-attribute blade needs Attribute Log
	// Administrator, which a Security Administrator does not hold.
	if r := diag("--csa", "categories"); r.code != 1 || !strings.Contains(r.stderr, "AuthorizationFailed") {
		t.Errorf("csa categories: %+v", r)
	}
	if r := diag("delete", "to-default"); r.code != 0 || r.stdout != "deleted diagnostic setting to-default\n" {
		t.Errorf("delete: %+v", r)
	}
	if r := diag("delete", "to-default"); r.code != 0 || r.stdout != "diagnostic setting to-default does not exist\n" {
		t.Errorf("second delete: %+v", r)
	}
	if r := diag("show", "to-default"); r.code != 1 || !strings.Contains(r.stderr, "ResourceNotFound") {
		t.Errorf("show after delete: %+v", r)
	}
	if r := runCLI(t, "", "diag", "--data", t.TempDir(), "list"); r.code != 1 || !strings.Contains(r.stderr, "bootstrap") {
		t.Errorf("no bootstrap: %+v", r)
	}
}
