package queryapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/query"
)

var testNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// fakeTokens accepts the tokens it lists.
type fakeTokens map[string]*auth.Principal

func (f fakeTokens) Verify(token string) (*auth.Principal, error) {
	if p, ok := f[token]; ok {
		return p, nil
	}
	return nil, errors.New("unknown token")
}

// grant is one allowed action pattern (path.Match syntax) at a scope and
// below it.
type grant struct{ action, scope string }

// fakeAuthz allows what each object id's grants cover.
type fakeAuthz map[string][]grant

func (f fakeAuthz) Allowed(p *auth.Principal, action, scope string) bool {
	for _, g := range f[p.ObjectID] {
		ok, _ := path.Match(strings.ToLower(g.action), strings.ToLower(action))
		s, gs := strings.ToLower(scope), strings.ToLower(g.scope)
		if ok && (s == gs || strings.HasPrefix(s, gs+"/")) {
			return true
		}
	}
	return false
}

type fixture struct {
	srv      *httptest.Server
	ws1, ws2 *workspace.Workspace
}

const (
	laAudience  = "https://api.loganalytics.io"
	armAudience = "https://management.azure.com/"
)

// newFixture serves the query API over two workspaces: ws1 with ten
// hourly sign-ins, ws2 with four. Token "reader" may read both, "limited"
// may query ws1 but read only its AuditLogs, "arm" is a reader's ARM
// token, "outsider" (and its ARM token "arm-out") may read nothing.
func newFixture(t *testing.T, lim query.Limits) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg, err := workspace.Open(dir, db, store.Options{NoBackground: true, NoSync: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	f := &fixture{}
	for i, n := range []int{10, 4} {
		ws, _, err := reg.Put(workspace.Workspace{SubscriptionID: "sub", ResourceGroup: "rg", Name: []string{"ws1", "ws2"}[i], Location: "westeurope"})
		if err != nil {
			t.Fatal(err)
		}
		appendSignins(t, ws, n, []string{"a", "b"}[i])
		if i == 0 {
			f.ws1 = ws
		} else {
			f.ws2 = ws
		}
	}
	sub := "/subscriptions/sub"
	srv := &api.Server{
		Tokens: fakeTokens{
			"reader":   {ObjectID: "reader", Audience: laAudience},
			"limited":  {ObjectID: "limited", Audience: laAudience},
			"outsider": {ObjectID: "outsider", Audience: laAudience},
			"arm":      {ObjectID: "reader", Audience: armAudience},
			"arm-out":  {ObjectID: "outsider", Audience: armAudience},
		},
		Authz: fakeAuthz{
			"reader": {{authz.ActionQueryRead, sub}, {"Microsoft.OperationalInsights/workspaces/query/*/read", sub}},
			"limited": {{authz.ActionQueryRead, f.ws1.ResourceID()},
				{authz.QueryTableAction("AuditLogs"), authz.TableScope(f.ws1.ResourceID(), "AuditLogs")}},
		},
		Workspaces: reg,
	}
	svc := query.New(query.Options{Now: func() time.Time { return testNow }, Limits: lim})
	rt := &api.Router{}
	(&Handlers{Server: srv, Service: svc}).Register(rt)
	f.srv = httptest.NewServer(rt)
	t.Cleanup(f.srv.Close)
	return f
}

func appendSignins(t *testing.T, ws *workspace.Workspace, n int, prefix string) {
	t.Helper()
	tbl, _ := ws.Store().Lookup("SigninLogs")
	schema := tbl.Schema()
	bs := make([]*vec.Builder, len(schema))
	for i, f := range schema {
		bs[i] = vec.NewBuilder(f.Type, n)
	}
	for r := 0; r < n; r++ {
		for i, f := range schema {
			switch f.Name {
			case "TimeGenerated":
				bs[i].Append(types.NewDatetime(types.TicksFromTime(testNow.Add(-time.Duration(r) * time.Hour))))
			case "UserPrincipalName":
				bs[i].Append(types.NewString(prefix + string(rune('0'+r))))
			case "DurationMs":
				bs[i].Append(types.NewLong(int64(r * 10)))
			case "IsInteractive":
				bs[i].Append(types.NewBool(r%2 == 0))
			default:
				bs[i].Append(types.NullOf(f.Type))
			}
		}
	}
	cols := make([]*vec.Column, len(bs))
	for i, b := range bs {
		cols[i] = b.Build()
	}
	if err := tbl.Append(context.Background(), vec.NewBatch(cols, n)); err != nil {
		t.Fatal(err)
	}
}

// call sends a request and returns the response with its body read.
func (f *fixture) call(t *testing.T, method, p, token string, body any, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, f.srv.URL+p, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if r, err = gzip.NewReader(resp.Body); err != nil {
			t.Fatal(err)
		}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// result is a decoded query response.
type result struct {
	Tables []struct {
		Name    string
		Columns []struct{ Name, Type string }
		Rows    [][]any
	}
	Statistics map[string]any
	Render     map[string]any
	Error      *errBody
}

type errBody struct {
	Code, Message string
	CorrelationID string `json:"correlationId"`
	Line, Pos     int
	Token         string
	Details       []*errBody
	InnerError    *errBody `json:"innererror"`
}

func decode[T any](t *testing.T, data []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return v
}

func errorOf(t *testing.T, data []byte) *errBody {
	t.Helper()
	e := decode[struct{ Error *errBody }](t, data).Error
	if e == nil {
		t.Fatalf("no error in %s", data)
	}
	return e
}

func (e *errBody) chain() string {
	var codes []string
	for x := e; x != nil; x = x.InnerError {
		codes = append(codes, x.Code)
	}
	return strings.Join(codes, " ")
}

func (e *errBody) innermost() *errBody {
	for e.InnerError != nil {
		e = e.InnerError
	}
	return e
}

func TestQueryTypedResults(t *testing.T) {
	f := newFixture(t, query.Limits{})
	q := "SigninLogs | project TimeGenerated, UserPrincipalName, DurationMs, IsInteractive, Dur = totimespan(DurationMs * 10000), R = todouble(DurationMs) / 4 | order by TimeGenerated desc"
	resp, data := f.call(t, "POST", "/v1/workspaces/"+f.ws1.CustomerID+"/query", "reader",
		map[string]any{"query": q, "timespan": "PT1H30M"}, "Prefer", "include-statistics=true,include-render=true,wait=60")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, data)
	}
	for k, v := range map[string]string{"Content-Type": "application/json; charset=utf-8", "Vary": "Accept-Encoding",
		"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff", "Age": "0",
		"Preference-Applied": "wait=60,include-statistics=true,include-render=true"} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
		t.Errorf("Access-Control-Expose-Headers = %q", resp.Header.Get("Access-Control-Expose-Headers"))
	}
	r := decode[result](t, data)
	if len(r.Tables) != 1 || r.Tables[0].Name != "PrimaryResult" {
		t.Fatalf("tables: %s", data)
	}
	var cols []string
	for _, c := range r.Tables[0].Columns {
		cols = append(cols, c.Name+":"+c.Type)
	}
	if got, want := strings.Join(cols, " "), "TimeGenerated:datetime UserPrincipalName:string DurationMs:long IsInteractive:bool Dur:timespan R:real"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	rows, _ := json.Marshal(r.Tables[0].Rows)
	if want := `[["2026-11-27T08:00:00Z","a0",0,true,"00:00:00",0],["2026-11-27T07:00:00Z","a1",10,false,"00:00:00.0100000",2.5]]`; string(rows) != want {
		t.Errorf("rows\n got %s\nwant %s", rows, want)
	}
	q1, _ := r.Statistics["query"].(map[string]any)
	in, _ := q1["inputDatasetStatistics"].(map[string]any)
	if _, ok := q1["executionTime"].(float64); !ok || in == nil || !strings.Contains(string(data), `"rows":{"total":10,"scanned":10}`) {
		t.Errorf("statistics: %v", r.Statistics)
	}
	if len(r.Render) == 0 || r.Render["visualization"] != nil {
		t.Errorf("render of a query without render: %v", r.Render)
	}
}

func TestQueryForms(t *testing.T) {
	f := newFixture(t, query.Limits{})
	count := func(resp *http.Response, data []byte) string {
		t.Helper()
		if resp.StatusCode != 200 {
			return resp.Status + " " + string(data)
		}
		rows, _ := json.Marshal(decode[result](t, data).Tables[0].Rows)
		return string(rows)
	}
	gq := "?query=SigninLogs%20%7C%20count&timespan=PT2H30M"
	rid := f.ws1.ResourceID()
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		want                      string
	}{
		{"GET", "GET", "/v1/workspaces/" + f.ws1.CustomerID + "/query" + gq, "reader", nil, `[[3]]`},
		{"GET without /v1", "GET", "/workspaces/" + f.ws1.CustomerID + "/query" + gq, "reader", nil, `[[3]]`},
		{"GET cross-workspace", "GET", "/v1/workspaces/" + f.ws1.CustomerID + "/query" + gq + "&workspaces=ws2", "reader", nil, `[[6]]`},
		{"POST cross-workspace", "POST", "/v1/workspaces/ws1/query", "reader", map[string]any{"query": "SigninLogs | count", "workspaces": []string{f.ws2.CustomerID}}, `[[14]]`},
		{"workspace() function", "POST", "/v1/workspaces/ws1/query", "reader", map[string]any{"query": `union SigninLogs, workspace("` + f.ws2.CustomerID + `").SigninLogs | count`}, `[[14]]`},
		{"workspace() by name", "POST", "/v1/workspaces/ws1/query", "reader", map[string]any{"query": `workspace("ws2").SigninLogs | count`}, `[[4]]`},
		{"URL and body timespans intersect", "POST", "/v1/workspaces/ws1/query?timespan=PT1H30M", "reader", map[string]any{"query": "SigninLogs | count", "timespan": "PT5H"}, `[[2]]`},
		{"resource-centric", "POST", "/v1" + rid + "/query", "reader", map[string]any{"query": "SigninLogs | count"}, `[[10]]`},
		{"ARM", "POST", rid + "/api/query?api-version=2017-01-01-preview", "arm", map[string]any{"query": "SigninLogs | count"}, `[[10]]`},
	} {
		if got := count(f.call(t, tc.method, tc.path, tc.token, tc.body)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestGzipAndEmptyPost(t *testing.T) {
	f := newFixture(t, query.Limits{})
	p := "/v1/workspaces/" + f.ws1.CustomerID + "/query"
	resp, data := f.call(t, "POST", p, "reader", map[string]any{"query": "SigninLogs | count"}, "Accept-Encoding", "gzip, deflate")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(string(data), `"rows":[[10]]`) {
		t.Errorf("gzip: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Encoding"), data)
	}
	resp, data = f.call(t, "POST", p, "reader", nil)
	if resp.StatusCode != 200 || len(data) != 0 {
		t.Errorf("POST without JSON: %d %q", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "reader", "{not json")
	if e := errorOf(t, data); resp.StatusCode != 400 || e.chain() != "BadArgumentError QueryValidationError" || e.InnerError.Details[0].Code != "InvalidJsonBody" {
		t.Errorf("bad JSON: %d %s", resp.StatusCode, data)
	}
}

func TestErrors(t *testing.T) {
	f := newFixture(t, query.Limits{})
	p := "/v1/workspaces/" + f.ws1.CustomerID + "/query"
	body := func(q string) any { return map[string]any{"query": q} }

	resp, data := f.call(t, "POST", p, "reader", body("SigninLogs\n| where"))
	e := errorOf(t, data)
	in := e.innermost()
	if resp.StatusCode != 400 || e.chain() != "BadArgumentError SyntaxError SYN0002" || in.Line != 2 || in.Pos != 7 ||
		in.Token != "<EOF>" || in.Message != "Query could not be parsed at '<EOF>' on line [2,7]" || e.CorrelationID == "" ||
		len(e.Details) == 0 || !strings.HasPrefix(e.Details[0].Message, "2:8: ") {
		t.Errorf("syntax error: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "reader", body("Appquests | take 1"))
	e = errorOf(t, data)
	if resp.StatusCode != 400 || e.chain() != "BadArgumentError SemanticError SEM0100" || !strings.Contains(e.innermost().Message, "'Appquests'") {
		t.Errorf("semantic error: %d %s", resp.StatusCode, data)
	}

	resp, data = f.call(t, "POST", p, "", body("print 1"))
	if resp.StatusCode != 401 || errorOf(t, data).Code != "AuthenticationFailed" {
		t.Errorf("no token: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "arm", body("print 1"))
	if resp.StatusCode != 403 || errorOf(t, data).Code != "InvalidAuthenticationTokenAudience" {
		t.Errorf("ARM token on the data plane: %d %s", resp.StatusCode, data)
	}
	rid := f.ws1.ResourceID()
	resp, data = f.call(t, "POST", rid+"/api/query?api-version=2017-01-01-preview", "reader", body("print 1"))
	if resp.StatusCode != 403 || errorOf(t, data).Code != "InvalidAuthenticationTokenAudience" {
		t.Errorf("data-plane token on ARM: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "outsider", body("print 1"))
	if resp.StatusCode != 403 || errorOf(t, data).Code != "InsufficientAccessError" {
		t.Errorf("no role: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", rid+"/api/query?api-version=2017-01-01-preview", "arm-out", body("print 1"))
	if resp.StatusCode != 403 || errorOf(t, data).Code != "AuthorizationFailed" {
		t.Errorf("no role through ARM: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", rid+"/api/query", "arm", body("print 1"))
	if resp.StatusCode != 400 || errorOf(t, data).Code != "MissingApiVersionParameter" {
		t.Errorf("ARM without api-version: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "limited", body("SigninLogs | count"))
	e = errorOf(t, data)
	if resp.StatusCode != 403 || e.Code != "InsufficientAccessError" || !strings.Contains(e.InnerError.Message, "'SigninLogs'") {
		t.Errorf("table not covered: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "limited", body("AuditLogs | count"))
	if resp.StatusCode != 200 || !strings.Contains(string(data), `"rows":[[0]]`) {
		t.Errorf("covered table: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "limited", map[string]any{"query": "AuditLogs | count", "workspaces": []string{"ws2"}})
	if resp.StatusCode != 403 {
		t.Errorf("workspace not covered: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "limited", body(`workspace("ws2").AuditLogs | count`))
	if resp.StatusCode != 400 || !strings.Contains(string(data), "unknown workspace 'ws2'") {
		t.Errorf("workspace() of a workspace not covered: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", p, "reader", map[string]any{"query": "print 1", "workspaces": []string{"nope"}})
	if resp.StatusCode != 400 || errorOf(t, data).Code != "FailedToResolveResource" {
		t.Errorf("unknown extra workspace: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", "/v1/workspaces/00000000-0000-0000-0000-000000000000/query", "reader", body("print 1"))
	if resp.StatusCode != 404 {
		t.Errorf("unknown workspace: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", "/v1/subscriptions/sub/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/nope/query", "reader", body("print 1"))
	if resp.StatusCode != 404 || errorOf(t, data).Code != "ResourceNotFoundError" {
		t.Errorf("unknown resource: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "GET", "/v1/workspaces/x/nothing", "reader", nil)
	if resp.StatusCode != 404 || errorOf(t, data).Code != "PathNotFoundError" {
		t.Errorf("bad path: %d %s", resp.StatusCode, data)
	}
}

func TestPartialError(t *testing.T) {
	f := newFixture(t, query.Limits{MaxRows: 4})
	resp, data := f.call(t, "POST", "/v1/workspaces/ws1/query", "reader", map[string]any{"query": "SigninLogs | project UserPrincipalName"})
	r := decode[result](t, data)
	if resp.StatusCode != 200 || len(r.Tables) != 1 || len(r.Tables[0].Rows) != 4 || r.Error == nil ||
		r.Error.Code != "PartialError" || r.Error.Details[0].Code != "EngineError" ||
		!strings.Contains(r.Error.Details[0].Message, "E_QUERY_RESULT_SET_TOO_LARGE") {
		t.Errorf("%d %s", resp.StatusCode, data)
	}
}

func TestThrottled(t *testing.T) {
	f := newFixture(t, query.Limits{Rate: 2, RateWindow: time.Hour})
	var last *http.Response
	var data []byte
	for i := 0; i < 3; i++ {
		last, data = f.call(t, "GET", "/v1/workspaces/ws1/query?query=print%201", "reader", nil)
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" || errorOf(t, data).Code != "ThrottledError" {
		t.Errorf("%d Retry-After %q %s", last.StatusCode, last.Header.Get("Retry-After"), data)
	}
	// Another user is not affected.
	resp, _ := f.call(t, "GET", "/v1/workspaces/ws1/query?query=print%201", "limited", nil)
	if resp.StatusCode != 200 {
		t.Errorf("another user: %d", resp.StatusCode)
	}
}

func TestWaitTimeout(t *testing.T) {
	f := newFixture(t, query.Limits{})
	resp, data := f.call(t, "POST", "/v1/workspaces/ws1/query", "reader",
		map[string]any{"query": "range x from 1 to 100000000000 step 1 | summarize sum(x)"}, "Prefer", "wait=1")
	if e := errorOf(t, data); resp.StatusCode != 504 || e.chain() != "GatewayTimeout GatewayTimeout" || resp.Header.Get("Preference-Applied") != "wait=1" {
		t.Errorf("%d Preference-Applied %q: %s", resp.StatusCode, resp.Header.Get("Preference-Applied"), data)
	}
}

func TestMetadata(t *testing.T) {
	f := newFixture(t, query.Limits{})
	type meta struct {
		Tables []struct {
			ID, Name, TimespanColumn string
			Columns                  []struct{ Name, Type string }
		}
		Workspaces []struct{ ID, ResourceID, Name string }
	}
	resp, data := f.call(t, "GET", "/v1/workspaces/"+f.ws1.CustomerID+"/metadata", "reader", nil)
	m := decode[meta](t, data)
	found := false
	for _, tb := range m.Tables {
		if tb.Name == "SigninLogs" {
			found = tb.ID == "t/SigninLogs" && tb.TimespanColumn == "TimeGenerated" && len(tb.Columns) > 10
		}
	}
	if resp.StatusCode != 200 || !found || len(m.Workspaces) != 1 || m.Workspaces[0].ID != f.ws1.CustomerID {
		t.Errorf("metadata: %d %.400s", resp.StatusCode, data)
	}
	_, data = f.call(t, "POST", "/v1/workspaces/ws1/metadata", "limited", nil)
	m = decode[meta](t, data)
	if len(m.Tables) != 1 || m.Tables[0].Name != "AuditLogs" {
		t.Errorf("limited metadata lists %d tables", len(m.Tables))
	}
	resp, _ = f.call(t, "GET", f.ws1.ResourceID()+"/api/metadata?api-version=2017-01-01-preview", "arm", nil)
	if resp.StatusCode != 200 {
		t.Errorf("ARM metadata: %d", resp.StatusCode)
	}
}

func TestBatch(t *testing.T) {
	f := newFixture(t, query.Limits{})
	items := []map[string]any{
		{"id": "1", "workspace": f.ws1.CustomerID, "path": "/query", "method": "POST",
			"headers": map[string]string{"Content-Type": "application/json", "Prefer": "include-statistics=true"},
			"body":    map[string]any{"query": "SigninLogs | count", "timespan": "PT2H30M"}},
		{"id": "2", "workspace": "ws2", "path": "/query?query=SigninLogs%20%7C%20count"},
		{"id": "3", "workspace": f.ws1.CustomerID, "path": "/metadata"},
		{"id": "4", "workspace": "11111111-1111-1111-1111-111111111111", "path": "/query", "method": "POST", "body": map[string]any{"query": "print 1"}},
		{"id": "5", "workspace": "ws1", "path": "/query", "method": "POST", "body": map[string]any{"query": "print ("}},
	}
	resp, data := f.call(t, "POST", "/v1/$batch", "reader", map[string]any{"requests": items})
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	type itemResp struct {
		ID     string
		Status int
		Body   json.RawMessage
	}
	got := map[string]itemResp{}
	for _, r := range decode[struct{ Responses []itemResp }](t, data).Responses {
		got[r.ID] = r
	}
	if len(got) != 5 {
		t.Fatalf("%d responses: %s", len(got), data)
	}
	r1 := decode[result](t, got["1"].Body)
	if got["1"].Status != 200 || len(r1.Tables) != 1 || len(r1.Tables[0].Rows) != 1 || r1.Tables[0].Rows[0][0] != 3.0 || r1.Statistics == nil {
		t.Errorf("item 1: %d %s", got["1"].Status, got["1"].Body)
	}
	r2 := decode[result](t, got["2"].Body)
	if got["2"].Status != 200 || r2.Tables[0].Rows[0][0] != 4.0 {
		t.Errorf("item 2: %d %s", got["2"].Status, got["2"].Body)
	}
	if got["3"].Status != 404 || errorOf(t, got["3"].Body).Code != "PathNotFoundError" {
		t.Errorf("item 3: %d %s", got["3"].Status, got["3"].Body)
	}
	if got["4"].Status != 400 || errorOf(t, got["4"].Body).Code != "FailedToResolveResource" {
		t.Errorf("item 4: %d %s", got["4"].Status, got["4"].Body)
	}
	if got["5"].Status != 400 || errorOf(t, got["5"].Body).chain() != "BadArgumentError SyntaxError SYN0002" {
		t.Errorf("item 5: %d %s", got["5"].Status, got["5"].Body)
	}

	dup := []map[string]any{{"id": "1", "workspace": "ws1", "path": "/query"}, {"id": "1", "workspace": "ws1", "path": "/query"}}
	resp, data = f.call(t, "POST", "/v1/$batch", "reader", map[string]any{"requests": dup})
	if resp.StatusCode != 400 || !strings.Contains(errorOf(t, data).InnerError.Message, "'1'") {
		t.Errorf("duplicate ids: %d %s", resp.StatusCode, data)
	}
	resp, data = f.call(t, "POST", "/v1/$batch", "reader", "[")
	if resp.StatusCode != 400 || errorOf(t, data).InnerError.Details[0].Code != "InvalidJsonBody" {
		t.Errorf("bad batch JSON: %d %s", resp.StatusCode, data)
	}
	resp, _ = f.call(t, "POST", "/v1/$batch", "", map[string]any{"requests": items})
	if resp.StatusCode != 401 {
		t.Errorf("batch without token: %d", resp.StatusCode)
	}
}
