package diagapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/state"
)

const (
	sub     = "11111111-2222-4333-8444-555555555555"
	rgPath  = "/subscriptions/" + sub + "/resourceGroups/rg1/providers/"
	ws1     = rgPath + "Microsoft.OperationalInsights/workspaces/ws1"
	ws2     = rgPath + "Microsoft.OperationalInsights/workspaces/ws2"
	sa1     = rgPath + "Microsoft.Storage/storageAccounts/sa1"
	ehRule1 = rgPath + "Microsoft.EventHub/namespaces/ns1/authorizationrules/RootManageSharedAccessKey"
)

// existing are the destinations that exist in the tests.
var existing = map[string]string{
	strings.ToLower(ws1):     diagnostics.DestWorkspace,
	strings.ToLower(ws2):     diagnostics.DestWorkspace,
	strings.ToLower(sa1):     diagnostics.DestStorage,
	strings.ToLower(ehRule1): diagnostics.DestEventHub,
}

func exists(kind, id string) bool { return existing[strings.ToLower(id)] == kind }

// caller is a test identity: its bearer token is its name.
type caller struct {
	oid   string
	wids  []string
	app   bool
	roles map[string]string // Azure role GUID → scope
}

const (
	roleOwner       = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	roleContributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	roleReader      = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	roleLAContrib   = "92aaf0da-9dab-42b6-94a3-d43ce8d16293"
)

var callers = map[string]caller{
	"globaladmin":     {oid: oid(1), wids: []string{RoleGlobalAdministrator}, roles: map[string]string{roleLAContrib: "/subscriptions/" + sub}},
	"secadmin":        {oid: oid(2), wids: []string{RoleSecurityAdministrator}, roles: map[string]string{roleLAContrib: "/subscriptions/" + sub}},
	"secadmin-nokeys": {oid: oid(3), wids: []string{RoleSecurityAdministrator}},
	"secreader":       {oid: oid(4), wids: []string{RoleSecurityReader}},
	"reportsreader":   {oid: oid(5), wids: []string{RoleReportsReader}},
	"globalreader":    {oid: oid(6), wids: []string{RoleGlobalReader}},
	"attrlogadmin":    {oid: oid(7), wids: []string{RoleAttributeLogAdministrator}, roles: map[string]string{roleLAContrib: "/subscriptions/" + sub}},
	"automation":      {oid: oid(8), app: true, roles: map[string]string{roleContributor: "/providers/Microsoft.aadiam", roleLAContrib: "/subscriptions/" + sub}},
	"rbacreader":      {oid: oid(9), roles: map[string]string{roleReader: "/providers/Microsoft.aadiam"}},
	"subowner":        {oid: oid(10), roles: map[string]string{roleOwner: "/subscriptions/" + sub}},
	"nobody":          {oid: oid(11)},
	// A Security Administrator of a mirrored external tenant (tenant-2).
	"ext-secadmin": {oid: oid(12), wids: []string{RoleSecurityAdministrator}, roles: map[string]string{roleLAContrib: "/subscriptions/" + sub}},
}

func oid(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

type fakeTokens struct{}

func (fakeTokens) Verify(token string) (*auth.Principal, error) {
	c, ok := callers[token]
	if !ok {
		return nil, errors.New("unknown token")
	}
	tenant := "tenant-1"
	if strings.HasPrefix(token, "ext-") {
		tenant = "tenant-2"
	}
	return &auth.Principal{TenantID: tenant, ObjectID: c.oid, AppID: "app-" + token, Name: token,
		Audience: "https://management.azure.com/", DirectoryRoles: c.wids, App: c.app}, nil
}

// fakeSink keeps the records emitted to it.
type fakeSink struct {
	mu   sync.Mutex
	recs []activity.Record
}

func (s *fakeSink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, recs...)
	return nil
}

func (s *fakeSink) records() []activity.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]activity.Record(nil), s.recs...)
}

type env struct {
	t    *testing.T
	rt   *api.Router
	reg  *diagnostics.Registry
	sink *fakeSink
	db   *state.DB
	path string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	az, err := authz.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range callers {
		for role, scope := range c.roles {
			n++
			_, _, err := az.Assign(authz.Assignment{Name: fmt.Sprintf("aaaaaaaa-0000-4000-8000-%012d", n), Scope: scope,
				PrincipalID: c.oid, RoleDefinitionID: authz.RoleDefinitionPrefix + role})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	sink := &fakeSink{}
	reg, err := diagnostics.Open(db, diagnostics.Options{Exists: exists, Activity: sink, TenantID: "tenant-1"})
	if err != nil {
		t.Fatal(err)
	}
	rt := &api.Router{}
	(&Handlers{Server: &api.Server{Tokens: fakeTokens{}, Authz: az}, Settings: reg}).Register(rt)
	return &env{t: t, rt: rt, reg: reg, sink: sink, db: db, path: path}
}

// do sends a request as caller (no Authorization header for "") and
// returns the status, the raw body and the decoded JSON body.
func (e *env) do(caller, method, path, body string) (int, []byte, map[string]any) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if caller != "" {
		req.Header.Set("Authorization", "Bearer "+caller)
	}
	rec := httptest.NewRecorder()
	e.rt.ServeHTTP(rec, req)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %q", method, path, rec.Body.String())
		}
	}
	return rec.Code, rec.Body.Bytes(), out
}

// expect checks a request's status and returns its decoded body.
func (e *env) expect(status int, caller, method, path, body string) map[string]any {
	e.t.Helper()
	got, raw, out := e.do(caller, method, path, body)
	if got != status {
		e.t.Fatalf("%s %s as %q: status %d, want %d; body %s", method, path, caller, got, status, raw)
	}
	return out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func errMessage(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}
