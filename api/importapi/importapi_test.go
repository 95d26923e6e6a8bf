package importapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/state"
)

// Test callers: the bearer token is the name.
var principals = map[string]*auth.Principal{
	"globaladmin": {ObjectID: "o1", DirectoryRoles: []string{"62e90394-69f5-4237-9190-012177145e10"}},
	"owner":       {ObjectID: "o2", App: true}, // allowed by the fake RBAC below
	"reader":      {ObjectID: "o3", DirectoryRoles: []string{"5d6b6bb7-de71-4623-b4af-96380a352509"}},
}

type fakeTokens struct{}

func (fakeTokens) Verify(token string) (*auth.Principal, error) {
	p, ok := principals[token]
	if !ok {
		return nil, errors.New("unknown token")
	}
	c := *p
	c.Audience = "https://management.azure.com/"
	return &c, nil
}

type fakeAuthz struct{}

func (fakeAuthz) Allowed(p *auth.Principal, action, scope string) bool {
	return p.ObjectID == "o2" && action == Action && scope == Scope
}

// sink records what is emitted.
type sink struct {
	mu   sync.Mutex
	recs []activity.Record
}

func (s *sink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, recs...)
	return nil
}

var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) (*httptest.Server, *sink) {
	t.Helper()
	db, err := state.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &sink{}
	h := &Handlers{Server: &api.Server{Tokens: fakeTokens{}, Authz: fakeAuthz{}}, Activity: s, DB: db,
		TenantID: func() string { return "tenant-0" }, Now: func() time.Time { return now }}
	rt := &api.Router{}
	h.Register(rt)
	srv := httptest.NewServer(rt)
	t.Cleanup(srv.Close)
	return srv, s
}

func post(t *testing.T, srv *httptest.Server, token, version string, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+Path+"?api-version="+version, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

const (
	signIn  = `{"time":"2024-05-01T10:00:00Z","category":"SignInLogs","operationName":"Sign-in activity","Level":4,"properties":{"id":"s-1"}}`
	signIn2 = `{"time":"2024-05-01T10:01:00Z","category":"SignInLogs","operationName":"Sign-in activity","Level":4,"properties":{"id":"s-2"}}`
	noTime  = `{"category":"AuditLogs","operationName":"Add user","Level":4,"properties":{"id":"a-1"}}`
	noID    = `{"time":"2024-05-01T10:02:00Z","category":"SignInLogs","operationName":"Sign-in activity","Level":4,"properties":{"userId":"u"}}`
	badCat  = `{"time":"2024-05-01T10:02:00Z","category":"Nope","operationName":"x","Level":4,"properties":{"id":"n-1"}}`
)

func records(rs ...string) string { return `{"records":[` + strings.Join(rs, ",") + `]}` }

func TestImport(t *testing.T) {
	srv, s := newEnv(t)
	status, body := post(t, srv, "globaladmin", APIVersion, records(signIn, noTime, signIn))
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	var res Result
	json.Unmarshal([]byte(body), &res)
	if res != (Result{Accepted: 2, Present: 1, Stamped: 1}) {
		t.Errorf("result %+v: want 2 accepted, the repeated one present, one stamped", res)
	}
	if len(s.recs) != 2 {
		t.Fatalf("%d records emitted", len(s.recs))
	}
	for _, r := range s.recs {
		if !r.KeepTime || r.TenantID != "tenant-0" || r.ResourceID != activity.ResourceIDOf("tenant-0") {
			t.Errorf("emitted %+v: want KeepTime and the server's tenant", r)
		}
	}
	if !s.recs[1].Time.Equal(now) {
		t.Errorf("a record without a time got %v, want the import time", s.recs[1].Time)
	}

	// Again, with one new record: only it is emitted.
	status, body = post(t, srv, "owner", APIVersion, records(signIn, noTime, signIn2))
	json.Unmarshal([]byte(body), &res)
	if status != http.StatusOK || res != (Result{Accepted: 1, Present: 2}) || len(s.recs) != 3 {
		t.Errorf("re-import: %d %s, %d emitted in all", status, body, len(s.recs))
	}
}

// TestImportAllOrNothing: one bad record rejects the request, naming it,
// and nothing of it is emitted or remembered.
func TestImportAllOrNothing(t *testing.T) {
	srv, s := newEnv(t)
	status, body := post(t, srv, "globaladmin", APIVersion, records(signIn, noID, badCat))
	if status != http.StatusBadRequest || !strings.Contains(body, "InvalidRecords") ||
		!strings.Contains(body, "record 1: the record has no properties.id") || !strings.Contains(body, `record 2: unknown diagnostic log category \"Nope\"`) {
		t.Errorf("%d %s", status, body)
	}
	if len(s.recs) != 0 {
		t.Errorf("%d records emitted from a rejected request", len(s.recs))
	}
	if status, body := post(t, srv, "globaladmin", APIVersion, records(signIn)); status != http.StatusOK || !strings.Contains(body, `"accepted":1`) {
		t.Errorf("the good record after a rejected request: %d %s", status, body)
	}
}

func TestImportRefuses(t *testing.T) {
	srv, s := newEnv(t)
	for _, c := range []struct {
		token, version, body string
		status               int
		code                 string
	}{
		{"reader", APIVersion, records(signIn), http.StatusForbidden, "AuthorizationFailed"},
		{"stranger", APIVersion, records(signIn), http.StatusUnauthorized, "InvalidAuthenticationToken"},
		{"globaladmin", "2017-04-01", records(signIn), http.StatusBadRequest, "InvalidApiVersionParameter"},
		{"globaladmin", APIVersion, `{"records": 5}`, http.StatusBadRequest, "InvalidRequestContent"},
	} {
		status, body := post(t, srv, c.token, c.version, c.body)
		if status != c.status || !strings.Contains(body, c.code) {
			t.Errorf("%s %s %s: %d %s, want %d %s", c.token, c.version, c.body, status, body, c.status, c.code)
		}
	}
	if len(s.recs) != 0 {
		t.Errorf("%d records emitted by refused requests", len(s.recs))
	}
}
