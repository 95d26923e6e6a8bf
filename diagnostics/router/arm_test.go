package router

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/diagnostics"
)

// tokens accepts "owner" and "reader" as ARM tokens.
type tokens struct{}

func (tokens) Verify(tok string) (*auth.Principal, error) {
	if tok != "owner" && tok != "reader" {
		return nil, errors.New("bad token")
	}
	return &auth.Principal{ObjectID: tok, Audience: "https://management.azure.com"}, nil
}

// readerOrOwner lets owner do anything and reader only read.
type readerOrOwner struct{}

func (readerOrOwner) Allowed(p *auth.Principal, action, scope string) bool {
	return p.ObjectID == "owner" || strings.HasSuffix(action, "/read")
}

func newARM(t *testing.T, e *testEnv, r *Router) *httptest.Server {
	rt := &api.Router{}
	h := &Handlers{Server: &api.Server{Tokens: tokens{}, Authz: readerOrOwner{}, Workspaces: e.ws}, Resources: e.res, Router: r}
	h.Register(rt)
	srv := httptest.NewServer(rt)
	t.Cleanup(srv.Close)
	return srv
}

func call(t *testing.T, srv *httptest.Server, who, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path+"?api-version=2023-01-01", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+who)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

const ehConnString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=a2V5"

func TestDestinationResources(t *testing.T) {
	e := newTestEnv(t)
	srv := newARM(t, e, nil)
	steps := []struct {
		who, method, path, body string
		status                  int
		has                     string
	}{
		{"owner", "PUT", storageID, `{"location":"westeurope","properties":{"idlogsPath":"../etc"}}`, 400, "relative path"},
		{"owner", "PUT", storageID, `{"location":"westeurope"}`, 201, `"type":"Microsoft.Storage/storageAccounts"`},
		{"owner", "PUT", storageID, `{"location":"westeurope","properties":{"idlogsPath":"archive"}}`, 200, `"idlogsPath":"archive"`},
		{"reader", "GET", storageID, ``, 200, `"name":"archive1"`},
		{"reader", "DELETE", storageID, ``, 403, "AuthorizationFailed"},
		{"owner", "PUT", ruleID, `{}`, 404, "ParentResourceNotFound"},
		{"owner", "PUT", nsID, `{"location":"westeurope","properties":{"idlogsKafkaBrokers":["127.0.0.1:9092"]}}`, 201, `"provisioningState":"Succeeded"`},
		{"owner", "PUT", nsID, `{"location":"westeurope","properties":{"idlogsConnectionString":"Endpoint=https://x/;SharedAccessKeyName=r;SharedAccessKey=k"}}`, 400, "not an sb://"},
		{"owner", "PUT", nsID, `{"location":"westeurope","properties":{"idlogsConnectionString":"` + ehConnString + `"}}`, 200, `"provisioningState":"Succeeded"`},
		{"owner", "PUT", nsID, `{"location":"westeurope","properties":{"idlogsKafkaBrokers":["127.0.0.1:9092"]}}`, 200, `"idlogsKafkaBrokers":["127.0.0.1:9092"]`},
		{"reader", "GET", nsID, ``, 200, `"provisioningState":"Succeeded"`},
		{"owner", "PUT", ruleID, `{"properties":{"rights":["Send"]}}`, 201, `"rights":["Send"]`},
		{"owner", "PUT", partnerID, `{"properties":{"url":"https://siem.example/hook"}}`, 400, "secret is required"},
		{"owner", "PUT", partnerID, `{"properties":{"url":"https://siem.example/hook","secret":"k"}}`, 201, `"url":"https://siem.example/hook"`},
		{"owner", "PUT", partnerID, `{"properties":{"url":"https://siem.example/hook2"}}`, 200, `hook2`},
		// Lists, for the diagnostic settings blade's pickers.
		{"reader", "GET", "/subscriptions/s1/providers/Microsoft.Storage/storageAccounts", ``, 200, `"value":[{"id":"` + storageID + `"`},
		{"reader", "GET", "/subscriptions/s2/providers/Microsoft.Storage/storageAccounts", ``, 200, `"value":[]`},
		{"reader", "GET", "/subscriptions/s1/providers/Microsoft.EventHub/namespaces", ``, 200, `"name":"ns1"`},
		{"reader", "GET", nsID + "/authorizationRules", ``, 200, `"id":"` + ruleID + `"`},
		{"reader", "GET", "/subscriptions/s1/providers/Idlogs.Partners/webhooks", ``, 200, `"url":"https://siem.example/hook2"`},
	}
	for _, s := range steps {
		code, body := call(t, srv, s.who, s.method, s.path, s.body)
		if code != s.status || !strings.Contains(body, s.has) {
			t.Fatalf("%s %s %s: %d %s, want %d with %s", s.who, s.method, s.path, code, body, s.status, s.has)
		}
		if strings.Contains(body, `"secret"`) || strings.Contains(body, "SharedAccessKey=a2V5") {
			t.Fatalf("%s %s: the response shows the secret: %s", s.method, s.path, body)
		}
	}
	if p, _ := e.res.Partner(partnerID); p.Properties.Secret != "k" {
		t.Errorf("an update without a secret lost it: %+v", p)
	}
	if n, _ := e.res.Namespace(nsID); n.Properties.IdlogsConnectionString != ehConnString {
		t.Errorf("an update without the connection string lost it: %q", n.Properties.IdlogsConnectionString)
	}
	for _, c := range []struct {
		kind, id string
		want     bool
	}{
		{diagnostics.DestStorage, strings.ToUpper(storageID), true},
		{diagnostics.DestEventHub, ruleID, true},
		{diagnostics.DestPartner, partnerID, true},
		{diagnostics.DestWorkspace, wsID, false},
		{diagnostics.DestEventHub, nsID + "/authorizationRules/other", false},
	} {
		if got := e.res.Exists(c.kind, c.id); got != c.want {
			t.Errorf("Exists(%s, %s) = %v", c.kind, c.id, got)
		}
	}
	if code, _ := call(t, srv, "owner", "DELETE", nsID, ""); code != 200 {
		t.Fatalf("DELETE namespace: %d", code)
	}
	if e.res.Exists(diagnostics.DestEventHub, ruleID) {
		t.Error("a rule outlived its namespace")
	}
	if code, _ := call(t, srv, "owner", "DELETE", nsID, ""); code != 204 {
		t.Fatalf("second DELETE namespace: %d", code)
	}
}

func TestStatusRoute(t *testing.T) {
	e := newTestEnv(t)
	cs := &collectors{}
	fs := newFakeSettings(setting("s1", toWorkspace, activity.SignInLogs))
	r := New(e.log, fs, e.db, cs, Options{Logf: t.Logf})
	startRouter(t, r)
	srv := newARM(t, e, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	ids := emit(t, e.log, "s", activity.SignInLogs, 1, 3)
	waitFor(t, "delivery", func() bool { return cs.get(pairOf("s1", diagnostics.DestWorkspace)).has(ids...) })
	waitFor(t, "status", func() bool { return r.Status()[0].Delivered == 3 })
	code, body := call(t, srv, "reader", "GET", "/providers/Microsoft.AADIAM/diagnosticSettings/S1/status", "")
	var got struct{ Value []Status }
	json.Unmarshal([]byte(body), &got)
	if code != 200 || len(got.Value) != 1 || got.Value[0].Delivered != 3 || got.Value[0].Destination != diagnostics.DestWorkspace {
		t.Fatalf("status: %d %s", code, body)
	}
	if code, _ := call(t, srv, "reader", "GET", "/providers/microsoft.aadiam/diagnosticSettings/other/status", ""); code != 404 {
		t.Fatalf("status of an unknown setting: %d", code)
	}
}
