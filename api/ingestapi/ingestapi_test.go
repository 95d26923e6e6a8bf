package ingestapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/ingest"
)

var testNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// fakeTokens accepts "<audience>|<object id>" tokens.
type fakeTokens struct{}

func (fakeTokens) Verify(token string) (*auth.Principal, error) {
	aud, oid, ok := strings.Cut(token, "|")
	if !ok {
		return nil, errors.New("bad token")
	}
	return &auth.Principal{Audience: aud, ObjectID: oid, TenantID: "t1"}, nil
}

// fakeAuthz allows everything except the denied "action scope" pairs.
type fakeAuthz struct{ deny map[string]bool }

func (a *fakeAuthz) Allowed(_ *auth.Principal, action, scope string) bool {
	return !a.deny[action+" "+strings.ToLower(scope)]
}

const (
	monitorToken = "https://monitor.azure.com/|writer"
	armToken     = "https://management.azure.com/|admin"
)

type env struct {
	srv   *httptest.Server
	h     *Handlers
	ws    *workspace.Workspace
	authz *fakeAuthz
}

func newEnv(t *testing.T, tlsServer bool) *env {
	t.Helper()
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := workspace.Open(dir, db, store.Options{NoBackground: true, NoSync: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := reg.Put(workspace.Workspace{SubscriptionID: "sub1", ResourceGroup: "rg1", Name: "ws1", Location: "eastus"})
	if err != nil {
		t.Fatal(err)
	}
	sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "Computer", Type: types.String}, {Name: "Count", Type: types.Long}}
	if _, err := ws.Store().CreateTable("MyTable_CL", sch, store.TableOptions{TimeColumn: "TimeGenerated"}); err != nil {
		t.Fatal(err)
	}
	svc, err := ingest.Open(db, reg, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	e := &env{authz: &fakeAuthz{deny: map[string]bool{}}, ws: ws}
	s := &api.Server{Tokens: fakeTokens{}, Authz: e.authz, Workspaces: reg, Logf: t.Logf}
	e.h = &Handlers{Server: s, Ingest: svc, Now: func() time.Time { return testNow }}
	rt := &api.Router{}
	e.h.Register(rt)
	if tlsServer {
		e.srv = httptest.NewTLSServer(rt)
	} else {
		e.srv = httptest.NewServer(rt)
	}
	e.h.BaseURL = func() string { return e.srv.URL }
	t.Cleanup(func() {
		e.srv.Close()
		reg.Close()
		db.Close()
	})
	return e
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, method, path string, hdr map[string]string, body []byte) response {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

const rulePath = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Insights/dataCollectionRules/dcr1"

func (e *env) ruleBody() []byte {
	return []byte(`{"location":"eastus","kind":"Direct","properties":{
	  "streamDeclarations":{"Custom-MyTable":{"columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Computer","type":"string"},{"name":"Count","type":"long"}]}},
	  "destinations":{"logAnalytics":[{"workspaceResourceId":"` + e.ws.ResourceID() + `","name":"LogAnalyticsDest"}]},
	  "dataFlows":[{"streams":["Custom-MyTable"],"destinations":["LogAnalyticsDest"],"transformKql":"source","outputStream":"Custom-MyTable_CL"}]}}`)
}

// putRule creates the test rule and returns its immutable id.
func (e *env) putRule(t *testing.T) string {
	t.Helper()
	r := e.do(t, "PUT", rulePath+"?api-version=2023-03-11", map[string]string{"Authorization": "Bearer " + armToken, "Content-Type": "application/json"}, e.ruleBody())
	if r.status != http.StatusCreated {
		t.Fatalf("PUT rule: %d %s", r.status, r.body)
	}
	var out ingest.Rule
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Properties.ImmutableID
}

func (e *env) rows(t *testing.T, kql string) int {
	t.Helper()
	res, err := (&engine.Engine{Catalog: e.ws.Store()}).Query(context.Background(), kql+" | count")
	if err != nil {
		t.Fatal(err)
	}
	return int(res[0].Value(0, 0).I)
}

func uploadHeaders() map[string]string {
	return map[string]string{"Authorization": "Bearer " + monitorToken, "Content-Type": "application/json"}
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

func TestUpload(t *testing.T) {
	e := newEnv(t, false)
	id := e.putRule(t)
	path := "/dataCollectionRules/" + id + "/streams/Custom-MyTable?api-version=2023-01-01"
	good := []byte(`[{"TimeGenerated":"2026-11-27 07:10:02","Computer":"c1","Count":1},{"Computer":"c2","Count":"2"}]`)

	hdr := uploadHeaders()
	hdr["x-ms-client-request-id"] = "5b0ac5c2-3c55-4a5e-9d4c-2a8f6b1e7d10"
	r := e.do(t, "POST", path, hdr, good)
	if r.status != http.StatusNoContent || r.body != "" || r.header.Get("x-ms-client-request-id") != hdr["x-ms-client-request-id"] || r.header.Get("x-ms-request-id") == "" {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	if n := e.rows(t, "MyTable_CL"); n != 2 {
		t.Fatalf("%d rows", n)
	}

	gzh := uploadHeaders()
	gzh["Content-Encoding"] = "gzip"
	if r := e.do(t, "POST", path, gzh, gz(t, good)); r.status != http.StatusNoContent {
		t.Fatalf("gzip upload: %d %s", r.status, r.body)
	}
	if n := e.rows(t, "MyTable_CL"); n != 4 {
		t.Fatalf("%d rows after gzip upload", n)
	}

	big := []byte(`[{"Computer":"` + strings.Repeat("x", ingest.MaxIngestBytes) + `"}]`)
	cases := []struct {
		name   string
		path   string
		hdr    map[string]string
		body   []byte
		status int
		code   string
		msg    string
	}{
		{"no token", path, map[string]string{"Content-Type": "application/json"}, good, 401, "AuthenticationFailed", ""},
		{"ARM token", path, map[string]string{"Authorization": "Bearer " + armToken, "Content-Type": "application/json"}, good, 403, "InvalidAuthenticationTokenAudience", ""},
		{"too large", path, uploadHeaders(), big, 413, ingest.CodeTooLarge, "Maximum allowed content length: 1048576 bytes (1 MB)."},
		{"too large unzipped", path, gzh, gz(t, big), 413, ingest.CodeTooLarge, ""},
		{"bad gzip", path, gzh, good, 400, codeInvalidContentEncode, ""},
		{"bad record", path, uploadHeaders(), []byte(`[{"Count":1},{"Count":2},{"Count":"abc"}]`), 400, "InvalidRequestContent", `record 2, field "Count": "abc" is not a long`},
		{"content type", path, map[string]string{"Authorization": "Bearer " + monitorToken, "Content-Type": "text/plain"}, good, 415, codeUnsupportedMediaType, ""},
		{"unknown rule", "/dataCollectionRules/dcr-00000000000000000000000000000000/streams/Custom-MyTable?api-version=2023-01-01", uploadHeaders(), good, 404, "NotFound", ""},
		{"unknown stream", strings.Replace(path, "Custom-MyTable", "Custom-Nope", 1), uploadHeaders(), good, 400, "InvalidStream", ""},
		{"no api-version", strings.TrimSuffix(path, "?api-version=2023-01-01"), uploadHeaders(), good, 400, codeMissingAPIVersion, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(t, "POST", c.path, c.hdr, c.body)
			if r.status != c.status || r.header.Get("x-ms-error-code") != c.code {
				t.Fatalf("got %d %q: %s", r.status, r.header.Get("x-ms-error-code"), r.body)
			}
			var env struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(r.body), &env); err != nil || env.Error.Code != c.code {
				t.Fatalf("envelope %s (%v)", r.body, err)
			}
			if !strings.Contains(env.Error.Message, c.msg) {
				t.Fatalf("message %q lacks %q", env.Error.Message, c.msg)
			}
		})
	}
	if n := e.rows(t, "MyTable_CL"); n != 4 {
		t.Fatalf("%d rows after refused uploads", n)
	}

	// The caller needs Telemetry/Write on the rule.
	e.authz.deny[TelemetryWrite+" "+strings.ToLower(rulePath)] = true
	if r := e.do(t, "POST", path, uploadHeaders(), good); r.status != 403 || r.header.Get("x-ms-error-code") != "OperationFailed" || !strings.Contains(r.body, id) {
		t.Fatalf("denied caller: %d %s", r.status, r.body)
	}
}

func collectHeaders(t *testing.T, ws *workspace.Workspace, body []byte, date string) map[string]string {
	sig, err := ingest.Signature(ws.PrimarySharedKey, len(body), date)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"Content-Type":  "application/json",
		"Log-Type":      "MyApp",
		"x-ms-date":     date,
		"Authorization": "SharedKey " + ws.CustomerID + ":" + sig,
	}
}

func TestCollect(t *testing.T) {
	e := newEnv(t, false)
	const path = "/api/logs?api-version=2016-04-01"
	body := []byte(`[{"Message":"hello","Level":3,"ts":"2026-11-27T07:59:00Z"}]`)
	date := testNow.Add(-time.Minute).Format(http.TimeFormat)

	// A wrong signature stores nothing, not even the table.
	hdr := collectHeaders(t, e.ws, body, date)
	hdr["Authorization"] = "SharedKey " + e.ws.CustomerID + ":" + strings.Repeat("A", 43) + "="
	r := e.do(t, "POST", path, hdr, body)
	if r.status != 403 || !strings.Contains(r.body, `"Error":"InvalidAuthorization"`) {
		t.Fatalf("bad signature: %d %s", r.status, r.body)
	}
	if _, ok := e.ws.Store().Lookup("MyApp_CL"); ok {
		t.Fatal("a refused request created the table")
	}

	hdr = collectHeaders(t, e.ws, body, date)
	hdr["time-generated-field"] = "ts"
	hdr["x-ms-AzureResourceId"] = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"
	r = e.do(t, "POST", path, hdr, body)
	if r.status != 200 || r.body != "" {
		t.Fatalf("collect: %d %s", r.status, r.body)
	}
	if n := e.rows(t, `MyApp_CL | where Message_s == "hello" and Level_d == 3 and TimeGenerated == datetime(2026-11-27T07:59:00Z) and _ResourceId endswith "/vm1"`); n != 1 {
		t.Fatalf("%d matching rows", n)
	}

	// A request signed with the secondary key is accepted too.
	sig, _ := ingest.Signature(e.ws.SecondarySharedKey, len(body), date)
	hdr = collectHeaders(t, e.ws, body, date)
	hdr["Authorization"] = "SharedKey " + e.ws.CustomerID + ":" + sig
	if r := e.do(t, "POST", path, hdr, body); r.status != 200 {
		t.Fatalf("secondary key: %d %s", r.status, r.body)
	}

	edit := func(f func(h map[string]string)) map[string]string {
		h := collectHeaders(t, e.ws, body, date)
		f(h)
		return h
	}
	cases := []struct {
		name   string
		path   string
		hdr    map[string]string
		status int
		code   string
	}{
		{"no date", path, edit(func(h map[string]string) { delete(h, "x-ms-date") }), 403, "InvalidAuthorization"},
		{"stale date", path, collectHeaders(t, e.ws, body, testNow.Add(-time.Hour).Format(http.TimeFormat)), 403, "InvalidAuthorization"},
		{"no authorization", path, edit(func(h map[string]string) { delete(h, "Authorization") }), 403, "InvalidAuthorization"},
		{"unknown workspace", path, edit(func(h map[string]string) {
			h["Authorization"] = strings.Replace(h["Authorization"], e.ws.CustomerID, "00000000-0000-0000-0000-000000000000", 1)
		}), 400, "InvalidCustomerId"},
		{"no log type", path, edit(func(h map[string]string) { delete(h, "Log-Type") }), 400, "MissingLogType"},
		{"bad log type", path, edit(func(h map[string]string) { h["Log-Type"] = "My-App" }), 400, "InvalidLogType"},
		{"no content type", path, edit(func(h map[string]string) { delete(h, "Content-Type") }), 400, "MissingContentType"},
		{"content type", path, edit(func(h map[string]string) { h["Content-Type"] = "text/csv" }), 400, "UnsupportedContentType"},
		{"no api-version", "/api/logs", collectHeaders(t, e.ws, body, date), 400, "MissingApiVersion"},
		{"api-version", "/api/logs?api-version=2015-01-01", collectHeaders(t, e.ws, body, date), 400, "InvalidApiVersion"},
	}
	for _, c := range cases {
		r := e.do(t, "POST", c.path, c.hdr, body)
		var out struct{ Error, Message string }
		if err := json.Unmarshal([]byte(r.body), &out); err != nil || r.status != c.status || out.Error != c.code {
			t.Errorf("%s: %d %s", c.name, r.status, r.body)
		}
	}
	if n := e.rows(t, "MyApp_CL"); n != 2 {
		t.Fatalf("%d rows after refused requests", n)
	}
}

func TestRuleARM(t *testing.T) {
	e := newEnv(t, false)
	arm := map[string]string{"Authorization": "Bearer " + armToken, "Content-Type": "application/json"}
	const q = "?api-version=2023-03-11"
	r := e.do(t, "PUT", rulePath+q, arm, e.ruleBody())
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created map[string]any
	json.Unmarshal([]byte(r.body), &created)
	props := created["properties"].(map[string]any)
	if created["type"] != "Microsoft.Insights/dataCollectionRules" || created["kind"] != "Direct" || created["id"] != rulePath ||
		props["provisioningState"] != "Succeeded" || props["endpoints"].(map[string]any)["logsIngestion"] != e.srv.URL {
		t.Fatalf("created %s", r.body)
	}
	if r := e.do(t, "PUT", strings.ToLower(rulePath)+q, arm, e.ruleBody()); r.status != 200 || !strings.Contains(r.body, props["immutableId"].(string)) {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", rulePath+q, arm, nil); r.status != 200 || !strings.Contains(r.body, `"dcr-`) {
		t.Fatalf("get: %d %s", r.status, r.body)
	}
	for _, p := range []string{"/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Insights/dataCollectionRules", "/subscriptions/sub1/providers/Microsoft.Insights/dataCollectionRules"} {
		r := e.do(t, "GET", p+q, arm, nil)
		var list struct{ Value []ingest.Rule }
		if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.status != 200 || len(list.Value) != 1 {
			t.Fatalf("list %s: %d %s", p, r.status, r.body)
		}
	}
	if r := e.do(t, "GET", "/subscriptions/sub1/resourceGroups/other/providers/Microsoft.Insights/dataCollectionRules"+q, arm, nil); !strings.Contains(r.body, `"value":[]`) {
		t.Fatalf("list other group: %s", r.body)
	}

	bad := bytes.Replace(e.ruleBody(), []byte(`"destinations":["LogAnalyticsDest"]`), []byte(`"destinations":["Nope"]`), 1)
	r = e.do(t, "PUT", rulePath+"x"+q, arm, bad)
	if r.status != 400 || r.header.Get("x-ms-error-code") != "InvalidPayload" || !strings.Contains(r.body, `"details":[{"code":"InvalidDataFlow"`) {
		t.Fatalf("invalid rule: %d %s", r.status, r.body)
	}

	e.authz.deny["Microsoft.Insights/dataCollectionRules/delete "+strings.ToLower(rulePath)] = true
	if r := e.do(t, "DELETE", rulePath+q, arm, nil); r.status != 403 {
		t.Fatalf("denied delete: %d %s", r.status, r.body)
	}
	delete(e.authz.deny, "Microsoft.Insights/dataCollectionRules/delete "+strings.ToLower(rulePath))
	if r := e.do(t, "DELETE", rulePath+q, arm, nil); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := e.do(t, "DELETE", rulePath+q, arm, nil); r.status != 204 {
		t.Fatalf("second delete: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", rulePath+q, arm, nil); r.status != 404 || r.header.Get("x-ms-error-code") != "ResourceNotFound" {
		t.Fatalf("get deleted: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", rulePath, arm, nil); r.status != 400 {
		t.Fatalf("no api-version: %d %s", r.status, r.body)
	}
}

func TestEndpointARM(t *testing.T) {
	e := newEnv(t, false)
	arm := map[string]string{"Authorization": "Bearer " + armToken, "Content-Type": "application/json"}
	const path = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Insights/dataCollectionEndpoints/dce1?api-version=2023-03-11"
	r := e.do(t, "PUT", path, arm, []byte(`{"location":"eastus","properties":{"networkAcls":{"publicNetworkAccess":"Enabled"}}}`))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var out ingest.Endpoint
	json.Unmarshal([]byte(r.body), &out)
	if !strings.HasPrefix(out.Properties.ImmutableID, "dce-") || len(out.Properties.ImmutableID) != 36 ||
		out.Properties.LogsIngestion.Endpoint != e.srv.URL || out.Properties.ConfigurationAccess.Endpoint != e.srv.URL ||
		out.Type != ingest.EndpointType || !strings.Contains(string(out.Properties.NetworkAcls), "Enabled") {
		t.Fatalf("endpoint %s", r.body)
	}
	r = e.do(t, "PATCH", path, arm, []byte(`{"tags":{"env":"test"}}`))
	if r.status != 200 || !strings.Contains(r.body, `"env":"test"`) || !strings.Contains(r.body, out.Properties.ImmutableID) {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	r = e.do(t, "GET", "/subscriptions/sub1/providers/Microsoft.Insights/dataCollectionEndpoints?api-version=2023-03-11", arm, nil)
	if r.status != 200 || !strings.Contains(r.body, `"name":"dce1"`) {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	e.authz.deny["Microsoft.Insights/dataCollectionEndpoints/write "+strings.ToLower(strings.TrimSuffix(path, "?api-version=2023-03-11"))] = true
	if r := e.do(t, "PUT", path, arm, []byte(`{"location":"eastus"}`)); r.status != 403 || r.header.Get("x-ms-error-code") != "AuthorizationFailed" {
		t.Fatalf("denied put: %d %s", r.status, r.body)
	}
	if r := e.do(t, "DELETE", path, arm, nil); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
}

// Fluent Bit addresses the service as https://{workspaceId}.ods.opinsights.azure.com:
// a host naming another workspace than the signature is refused.
func TestCollectHost(t *testing.T) {
	e := newEnv(t, false)
	body := []byte(`[{"a":"b"}]`)
	date := testNow.Format(http.TimeFormat)
	send := func(host string) response {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/logs?api-version=2016-04-01", bytes.NewReader(body))
		for k, v := range collectHeaders(t, e.ws, body, date) {
			req.Header.Set(k, v)
		}
		req.Host = host
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return response{resp.StatusCode, resp.Header, string(b)}
	}
	if r := send(e.ws.CustomerID + ".ods.opinsights.azure.com"); r.status != 200 {
		t.Fatalf("own host: %d %s", r.status, r.body)
	}
	if r := send("00000000-0000-0000-0000-000000000000.ods.opinsights.azure.com"); r.status != 403 {
		t.Fatalf("other host: %d %s", r.status, r.body)
	}
}
