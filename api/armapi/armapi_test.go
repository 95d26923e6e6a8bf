package armapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

// Object ids of the test callers; the bearer token is the caller's name.
const (
	ownerID       = "00000000-0000-4000-8000-00000000000a"
	readerID      = "00000000-0000-4000-8000-00000000000b"
	contributorID = "00000000-0000-4000-8000-00000000000c"
	aliceID       = "00000000-0000-4000-8000-00000000000d"
	nobodyID      = "00000000-0000-4000-8000-00000000000e"
)

const (
	sub    = "11111111-2222-4333-8444-555555555555"
	wsPath = "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/ws-one"
	v      = "?api-version=2022-10-01"
)

type fakeTokens map[string]string

func (f fakeTokens) Verify(token string) (*auth.Principal, error) {
	oid, ok := f[token]
	if !ok {
		return nil, errors.New("unknown token")
	}
	return &auth.Principal{ObjectID: oid, TenantID: "t", Audience: "https://management.azure.com/"}, nil
}

type env struct {
	t     *testing.T
	rt    *api.Router
	authz *authz.Authorizer
	reg   *workspace.Registry
}

func newEnv(t *testing.T) *env {
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
	az, err := authz.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	for oid, role := range map[string]string{
		ownerID:       "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
		readerID:      "acdd72a7-3385-48ef-bd42-f606fba81ae7",
		contributorID: "b24988ac-6180-42a0-ab88-20f7382dd24c",
	} {
		_, _, err := az.Assign(authz.Assignment{Name: strings.Replace(oid, "00000000", "aaaaaaaa", 1), Scope: "/subscriptions/" + sub,
			PrincipalID: oid, RoleDefinitionID: authz.RoleDefinitionPrefix + role})
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := &api.Server{
		Tokens: fakeTokens{"owner": ownerID, "reader": readerID, "contributor": contributorID, "alice": aliceID, "nobody": nobodyID},
		Authz:  az, Workspaces: reg,
	}
	rt := &api.Router{}
	(&Handlers{Server: srv, Authz: az}).Register(rt)
	return &env{t: t, rt: rt, authz: az, reg: reg}
}

// do sends a request as caller (no Authorization header when caller is
// "") and returns the status and the decoded JSON body.
func (e *env) do(caller, method, path, body string) (int, map[string]any) {
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
	return rec.Code, out
}

// expect checks the status of a request and returns its body.
func (e *env) expect(status int, caller, method, path, body string) map[string]any {
	e.t.Helper()
	got, out := e.do(caller, method, path, body)
	if got != status {
		e.t.Fatalf("%s %s as %q: status %d, want %d; body %v", method, path, caller, got, status, out)
	}
	return out
}

// get walks a decoded JSON value along a dotted path.
func get(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func errCode(body map[string]any) string {
	s, _ := get(body, "error.code").(string)
	return s
}

func TestWorkspaceLifecycle(t *testing.T) {
	e := newEnv(t)
	created := e.expect(201, "owner", "PUT", wsPath+v, `{"location":"West Europe","tags":{"env":"test"},"properties":{"sku":{"name":"PerGB2018"},"retentionInDays":30}}`)
	for path, want := range map[string]any{
		"id": wsPath, "name": "ws-one", "type": "Microsoft.OperationalInsights/workspaces", "location": "westeurope",
		"tags.env": "test", "properties.provisioningState": "Succeeded", "properties.sku.name": "PerGB2018",
		"properties.retentionInDays": 30.0, "properties.workspaceCapping.dailyQuotaGb": -1.0,
		"properties.publicNetworkAccessForQuery": "Enabled",
	} {
		if got := get(created, path); got != want {
			t.Errorf("created %s = %v, want %v", path, got, want)
		}
	}
	customerID, _ := get(created, "properties.customerId").(string)
	if !authz.IsGUID(customerID) {
		t.Fatalf("customerId %q", customerID)
	}

	updated := e.expect(200, "owner", "PUT", strings.ToLower(wsPath)+v, `{"location":"westeurope","properties":{"retentionInDays":90}}`)
	if get(updated, "properties.customerId") != customerID || get(updated, "properties.retentionInDays") != 90.0 || get(updated, "tags") != nil {
		t.Errorf("update: %v", updated)
	}
	patched := e.expect(200, "owner", "PATCH", wsPath+v, `{"tags":{"a":"b"}}`)
	if get(patched, "tags.a") != "b" || get(patched, "properties.retentionInDays") != 90.0 {
		t.Errorf("patch: %v", patched)
	}
	if ws, ok := e.reg.Get(wsPath); !ok || ws.RetentionInDays != 90 {
		t.Fatal("the registry does not hold the update")
	}
	if tbl, _ := e.expect(200, "reader", "GET", wsPath+"/tables/SigninLogs"+v, "")["properties"].(map[string]any); tbl["retentionInDays"] != 90.0 {
		t.Errorf("SigninLogs retention did not follow the workspace: %v", tbl["retentionInDays"])
	}

	got := e.expect(200, "reader", "GET", wsPath+v, "")
	if get(got, "properties.customerId") != customerID {
		t.Errorf("get: %v", got)
	}
	for _, path := range []string{
		"/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces" + v,
		"/subscriptions/" + sub + "/providers/Microsoft.OperationalInsights/workspaces" + v,
	} {
		if list, _ := e.expect(200, "reader", "GET", path, "")["value"].([]any); len(list) != 1 {
			t.Errorf("list %s: %d workspaces", path, len(list))
		}
	}
	if list, _ := e.expect(200, "owner", "GET", "/subscriptions/"+sub+"/resourceGroups/other/providers/Microsoft.OperationalInsights/workspaces"+v, "")["value"].([]any); len(list) != 0 {
		t.Errorf("other resource group lists %d workspaces", len(list))
	}

	keys := e.expect(200, "owner", "POST", wsPath+"/sharedKeys"+v, "")
	if k, _ := keys["primarySharedKey"].(string); len(k) < 40 || keys["secondarySharedKey"] == k {
		t.Errorf("shared keys: %v", keys)
	}
	if body := e.expect(403, "reader", "POST", wsPath+"/sharedKeys"+v, ""); errCode(body) != "AuthorizationFailed" {
		t.Errorf("reader keys: %v", body)
	}
	e.expect(403, "reader", "PUT", wsPath+v, `{"location":"westeurope"}`)
	e.expect(403, "nobody", "GET", wsPath+v, "")
	if body := e.expect(401, "", "GET", wsPath+v, ""); errCode(body) != "AuthenticationFailed" {
		t.Errorf("no token: %v", body)
	}
	if body := e.expect(400, "owner", "GET", wsPath, ""); errCode(body) != "MissingApiVersionParameter" {
		t.Errorf("no api-version: %v", body)
	}

	e.expect(200, "owner", "DELETE", wsPath+v, "")
	if body := e.expect(404, "owner", "GET", wsPath+v, ""); errCode(body) != "ResourceNotFound" ||
		!strings.Contains(get(body, "error.message").(string), "workspaces/ws-one' under resource group 'rg1' was not found") {
		t.Errorf("get after delete: %v", body)
	}
	e.expect(204, "owner", "DELETE", wsPath+v, "")
	e.expect(404, "owner", "PATCH", wsPath+v, `{}`)
}

func TestWorkspaceValidation(t *testing.T) {
	e := newEnv(t)
	base := "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/"
	cases := []struct {
		name, body, code string
	}{
		{"abc", `{"location":"westeurope"}`, "InvalidParameter"},
		{"-abcd", `{"location":"westeurope"}`, "InvalidParameter"},
		{"abcd-", `{"location":"westeurope"}`, "InvalidParameter"},
		{"ab_cd", `{"location":"westeurope"}`, "InvalidParameter"},
		{strings.Repeat("a", 64), `{"location":"westeurope"}`, "InvalidParameter"},
		{"good-name", `{}`, "LocationRequired"},
		{"good-name", `{"location":"westeurope","properties":{"retentionInDays":29}}`, "InvalidParameter"},
		{"good-name", `{"location":"westeurope","properties":{"retentionInDays":731}}`, "InvalidParameter"},
		{"good-name", `{"location":"westeurope","properties":{"sku":{"name":"Free"}}}`, "InvalidParameter"},
		{"good-name", `{"location":`, "InvalidRequestContent"},
	}
	for _, c := range cases {
		if body := e.expect(400, "owner", "PUT", base+c.name+v, c.body); errCode(body) != c.code {
			t.Errorf("%s %s: code %s, want %s", c.name, c.body, errCode(body), c.code)
		}
	}
	e.expect(201, "owner", "PUT", base+"a1-b"+v, `{"location":"westeurope","properties":{"retentionInDays":730}}`)
	if body := e.expect(400, "owner", "PUT", base+"a1-b"+v, `{"location":"eastus"}`); errCode(body) != "InvalidResourceLocation" {
		t.Errorf("move: %v", body)
	}
}

func TestTables(t *testing.T) {
	e := newEnv(t)
	e.expect(201, "owner", "PUT", wsPath+v, `{"location":"westeurope"}`)
	tbl := wsPath + "/tables/MyApp_CL" + v
	created := e.expect(200, "contributor", "PUT", tbl, `{"properties":{"retentionInDays":60,"schema":{"name":"MyApp_CL","columns":[
		{"name":"TimeGenerated","type":"datetime"},{"name":"Message","type":"string"},{"name":"Count","type":"long"},
		{"name":"Ok","type":"boolean"},{"name":"Props","type":"dynamic"},{"name":"RecordId","type":"guid"}]}}}`)
	if get(created, "properties.schema.tableType") != "CustomLog" || get(created, "properties.retentionInDays") != 60.0 ||
		get(created, "id") != wsPath+"/tables/MyApp_CL" || get(created, "type") != "Microsoft.OperationalInsights/workspaces/tables" {
		t.Errorf("created: %v", created)
	}
	if cols, _ := get(created, "properties.schema.columns").([]any); len(cols) != 6 || get(cols[0], "type") != "dateTime" || get(cols[3], "type") != "boolean" {
		t.Errorf("columns: %v", cols)
	}
	ws, _ := e.reg.Get(wsPath)
	st, ok := ws.Store().Lookup("MyApp_CL")
	if !ok {
		t.Fatal("the store lacks MyApp_CL")
	}
	if sch := st.Schema(); len(sch) != 6 || sch[0].Type != types.Datetime || sch[3].Type != types.Bool || sch[5].Type != types.Guid {
		t.Fatalf("store schema %v", sch)
	}
	if st.Options().TimeColumn != "TimeGenerated" {
		t.Error("TimeGenerated is not the time column")
	}

	altered := e.expect(200, "owner", "PUT", strings.ToLower(tbl), `{"properties":{"retentionInDays":60,"schema":{"name":"MyApp_CL","columns":[
		{"name":"TimeGenerated","type":"datetime"},{"name":"Message","type":"string"},{"name":"Count","type":"long"},
		{"name":"Ok","type":"boolean"},{"name":"Props","type":"dynamic"},{"name":"RecordId","type":"guid"},{"name":"Level","type":"int"}]}}}`)
	if cols, _ := get(altered, "properties.schema.columns").([]any); len(cols) != 7 || get(altered, "name") != "MyApp_CL" {
		t.Errorf("altered: %v", altered)
	}
	if st, _ := ws.Store().Lookup("MyApp_CL"); len(st.Schema()) != 7 {
		t.Errorf("the store schema has %d columns", len(st.Schema()))
	}
	if p := e.expect(200, "owner", "PATCH", tbl, `{"properties":{"retentionInDays":120}}`); get(p, "properties.retentionInDays") != 120.0 {
		t.Errorf("patch retention: %v", p)
	}

	bad := []struct{ path, body string }{
		{tbl, `{"properties":{"schema":{"columns":[{"name":"TimeGenerated","type":"datetime"}]}}}`},                                 // drops columns
		{tbl, `{"properties":{"schema":{"columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Message","type":"int"}]}}}`}, // retypes
		{wsPath + "/tables/Other" + v, `{"properties":{"schema":{"columns":[{"name":"TimeGenerated","type":"datetime"}]}}}`},        // not _CL
		{wsPath + "/tables/New_CL" + v, `{"properties":{"schema":{"columns":[{"name":"Message","type":"string"}]}}}`},               // no TimeGenerated
		{wsPath + "/tables/New_CL" + v, `{"properties":{"schema":{"columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Type","type":"string"}]}}}`},
		{wsPath + "/tables/New_CL" + v, `{"properties":{"schema":{"columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"1x","type":"string"}]}}}`},
		{wsPath + "/tables/New_CL" + v, `{"properties":{"schema":{"columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"x","type":"timespan"}]}}}`},
		{wsPath + "/tables/New_CL" + v, `{"properties":{"retentionInDays":3,"schema":{"columns":[{"name":"TimeGenerated","type":"datetime"}]}}}`},
		{wsPath + "/tables/New_CL" + v, `{"properties":{"plan":"Basic","schema":{"columns":[{"name":"TimeGenerated","type":"datetime"}]}}}`},
		{wsPath + "/tables/SigninLogs" + v, `{"properties":{"schema":{"columns":[{"name":"Extra","type":"string"}]}}}`},
	}
	for _, b := range bad {
		if body := e.expect(400, "owner", "PUT", b.path, b.body); errCode(body) == "" {
			t.Errorf("%s: no error code", b.body)
		}
	}
	if _, ok := ws.Store().Lookup("New_CL"); ok {
		t.Error("a rejected table was created")
	}

	signin := e.expect(200, "owner", "PUT", wsPath+"/tables/SigninLogs"+v, `{"properties":{"retentionInDays":90,"schema":{"columns":[{"name":"Extra_CF","type":"string"}]}}}`)
	if get(signin, "properties.schema.tableType") != "Microsoft" || get(signin, "properties.retentionInDays") != 90.0 {
		t.Errorf("SigninLogs: %v", signin)
	}
	if std, _ := get(signin, "properties.schema.standardColumns").([]any); len(std) < 50 {
		t.Errorf("SigninLogs lists %d standard columns", len(std))
	}
	if cols, _ := get(signin, "properties.schema.columns").([]any); len(cols) != 1 || get(cols[0], "name") != "Extra_CF" {
		t.Errorf("SigninLogs custom columns: %v", cols)
	}
	if st, _ := ws.Store().Lookup("SigninLogs"); st.Schema().Index("Extra_CF") < 0 {
		t.Error("Extra_CF was not added to SigninLogs")
	}

	list, _ := e.expect(200, "reader", "GET", wsPath+"/tables"+v, "")["value"].([]any)
	names := map[string]bool{}
	for _, x := range list {
		names[get(x, "name").(string)] = true
	}
	if !names["MyApp_CL"] || !names["SigninLogs"] || !names["AuditLogs"] {
		t.Errorf("list lacks tables: %v", names)
	}

	e.expect(403, "reader", "DELETE", tbl, "")
	e.expect(400, "owner", "DELETE", wsPath+"/tables/SigninLogs"+v, "")
	e.expect(200, "owner", "DELETE", wsPath+"/tables/myapp_cl"+v, "")
	e.expect(404, "owner", "GET", tbl, "")
	e.expect(204, "owner", "DELETE", tbl, "")
	if _, ok := ws.Store().Lookup("MyApp_CL"); ok {
		t.Error("the store still has MyApp_CL")
	}
}

func TestRoleAssignments(t *testing.T) {
	e := newEnv(t)
	e.expect(201, "owner", "PUT", wsPath+v, `{"location":"westeurope"}`)
	const name = "b0b0b0b0-0000-4000-8000-000000000001"
	raPath := wsPath + "/providers/Microsoft.Authorization/roleAssignments/" + name + "?api-version=2022-04-01"
	roleID := "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/73c42c96-874c-492b-b04d-ab87d138a893"
	body := `{"properties":{"roleDefinitionId":"` + roleID + `","principalId":"` + aliceID + `","principalType":"User","description":"reads logs"}}`

	e.expect(403, "alice", "GET", wsPath+v, "")
	if got := e.expect(403, "contributor", "PUT", raPath, body); errCode(got) != "AuthorizationFailed" ||
		!strings.Contains(get(got, "error.message").(string), "Microsoft.Authorization/roleAssignments/write") {
		t.Errorf("contributor: %v", got)
	}
	e.expect(403, "reader", "PUT", raPath, body)

	created := e.expect(201, "owner", "PUT", raPath, body)
	for path, want := range map[string]any{
		"id":   wsPath + "/providers/Microsoft.Authorization/roleAssignments/" + name,
		"name": name, "type": "Microsoft.Authorization/roleAssignments",
		"properties.roleDefinitionId": roleID, "properties.principalId": aliceID, "properties.principalType": "User",
		"properties.scope": wsPath, "properties.createdBy": ownerID, "properties.description": "reads logs",
	} {
		if got := get(created, path); got != want {
			t.Errorf("created %s = %v, want %v", path, got, want)
		}
	}
	if props := created["properties"].(map[string]any); props["createdOn"] == "" || props["condition"] != nil {
		t.Errorf("properties: %v", props)
	}
	e.expect(200, "owner", "PUT", raPath, body)
	other := strings.Replace(raPath, name, "b0b0b0b0-0000-4000-8000-000000000002", 1)
	if got := e.expect(409, "owner", "PUT", other, body); errCode(got) != "RoleAssignmentExists" {
		t.Errorf("duplicate: %v", got)
	}
	e.expect(200, "alice", "GET", wsPath+v, "")
	e.expect(403, "alice", "POST", wsPath+"/sharedKeys"+v, "") // Log Analytics Reader has no sharedKeys/action
	e.expect(403, "alice", "PUT", wsPath+v, `{"location":"westeurope"}`)

	e.expect(200, "reader", "GET", raPath, "")
	subList := "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01"
	count := func(path string) int {
		l, _ := e.expect(200, "owner", "GET", path, "")["value"].([]any)
		return len(l)
	}
	if n := count(subList); n != 4 {
		t.Errorf("subscription list: %d", n)
	}
	if n := count(subList + "&$filter=atScope()"); n != 3 {
		t.Errorf("atScope: %d", n)
	}
	if n := count(subList + "&$filter=principalId%20eq%20'" + aliceID + "'"); n != 1 {
		t.Errorf("principalId filter: %d", n)
	}
	if n := count(wsPath + "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=atScope()%20and%20assignedTo('" + aliceID + "')"); n != 1 {
		t.Errorf("assignedTo filter: %d", n)
	}
	e.expect(400, "owner", "GET", subList+"&$filter=bogus", "")

	tableRA := wsPath + "/tables/SigninLogs/providers/Microsoft.Authorization/roleAssignments/b0b0b0b0-0000-4000-8000-000000000003?api-version=2022-04-01"
	tableBody := strings.Replace(body, aliceID, nobodyID, 1)
	if got := e.expect(201, "owner", "PUT", tableRA, tableBody); get(got, "properties.scope") != wsPath+"/tables/SigninLogs" {
		t.Errorf("table scope: %v", got)
	}
	nobody := &auth.Principal{ObjectID: nobodyID}
	if !e.authz.Allowed(nobody, "Microsoft.OperationalInsights/workspaces/query/SigninLogs/read", wsPath+"/tables/SigninLogs") ||
		e.authz.Allowed(nobody, "Microsoft.OperationalInsights/workspaces/query/AuditLogs/read", wsPath+"/tables/AuditLogs") {
		t.Error("the table-scoped assignment does not cover exactly its table")
	}

	dcr := "/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Insights/dataCollectionRules/dcr-1"
	pubBody := `{"properties":{"roleDefinitionId":"/providers/Microsoft.Authorization/roleDefinitions/3913510d-42f4-4e42-8a64-420c390055eb","principalId":"` + aliceID + `","principalType":"ServicePrincipal"}}`
	if got := e.expect(201, "owner", "PUT", dcr+"/providers/Microsoft.Authorization/roleAssignments/b0b0b0b0-0000-4000-8000-000000000004?api-version=2022-04-01", pubBody); get(got, "properties.scope") != dcr ||
		get(got, "properties.roleDefinitionId") != "/subscriptions/"+sub+"/providers/Microsoft.Authorization/roleDefinitions/3913510d-42f4-4e42-8a64-420c390055eb" {
		t.Errorf("DCR scope: %v", got)
	}
	if !e.authz.Allowed(&auth.Principal{ObjectID: aliceID}, authz.ActionTelemetryWrite, dcr) {
		t.Error("Monitoring Metrics Publisher at the DCR does not grant ingestion")
	}
	if got := e.expect(400, "owner", "PUT", strings.Replace(raPath, name, "nope", 1), body); errCode(got) != "InvalidRoleAssignmentId" {
		t.Errorf("bad name: %v", got)
	}
	if got := e.expect(400, "owner", "PUT", other, strings.Replace(body, "73c42c96", "deadbeef", 1)); errCode(got) != "RoleDefinitionDoesNotExist" {
		t.Errorf("bad role: %v", got)
	}

	deleted := e.expect(200, "owner", "DELETE", raPath, "")
	if get(deleted, "name") != name {
		t.Errorf("delete: %v", deleted)
	}
	if got := e.expect(404, "owner", "GET", raPath, ""); errCode(got) != "RoleAssignmentNotFound" {
		t.Errorf("get after delete: %v", got)
	}
	e.expect(204, "owner", "DELETE", raPath, "")
	e.expect(403, "alice", "GET", wsPath+v, "")
}

func TestRoleDefinitions(t *testing.T) {
	e := newEnv(t)
	base := "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions"
	list, _ := e.expect(200, "reader", "GET", base+"?api-version=2022-04-01&$filter=roleName%20eq%20'Reader'", "")["value"].([]any)
	if len(list) != 1 || get(list[0], "id") != base+"/acdd72a7-3385-48ef-bd42-f606fba81ae7" || get(list[0], "properties.type") != "BuiltInRole" {
		t.Fatalf("Reader lookup: %v", list)
	}
	e.expect(403, "reader", "GET", "/providers/Microsoft.Authorization/roleDefinitions/3913510d-42f4-4e42-8a64-420c390055eb?api-version=2022-04-01", "")
	one := e.expect(200, "owner", "GET", base+"/3913510d-42f4-4e42-8a64-420c390055eb?api-version=2022-04-01", "")
	perms, _ := get(one, "properties.permissions").([]any)
	if get(one, "id") != base+"/3913510d-42f4-4e42-8a64-420c390055eb" || len(perms) != 1 ||
		!strings.Contains(jsonString(perms), "Microsoft.Insights/Telemetry/Write") {
		t.Errorf("Monitoring Metrics Publisher: %v", one)
	}

	const custom = "c0c0c0c0-0000-4000-8000-000000000001"
	roleBody := `{"properties":{"roleName":"Sign-in log reader","type":"CustomRole","assignableScopes":["/subscriptions/` + sub + `"],
		"permissions":[{"actions":["Microsoft.OperationalInsights/workspaces/read","Microsoft.OperationalInsights/workspaces/query/read","Microsoft.OperationalInsights/workspaces/query/SigninLogs/read"]}]}}`
	e.expect(403, "contributor", "PUT", base+"/"+custom+"?api-version=2022-04-01", roleBody)
	created := e.expect(201, "owner", "PUT", base+"/"+custom+"?api-version=2022-04-01", roleBody)
	if get(created, "properties.type") != "CustomRole" || get(created, "id") != base+"/"+custom {
		t.Errorf("custom role: %v", created)
	}
	e.expect(201, "owner", "PUT", wsPath+"/providers/Microsoft.Authorization/roleAssignments/c0c0c0c0-0000-4000-8000-000000000002?api-version=2022-04-01",
		`{"properties":{"roleDefinitionId":"`+base+"/"+custom+`","principalId":"`+aliceID+`"}}`)
	alice := &auth.Principal{ObjectID: aliceID}
	if !e.authz.Allowed(alice, "Microsoft.OperationalInsights/workspaces/query/SigninLogs/read", wsPath+"/tables/SigninLogs") ||
		e.authz.Allowed(alice, "Microsoft.OperationalInsights/workspaces/query/AuditLogs/read", wsPath+"/tables/AuditLogs") {
		t.Error("the custom role does not grant exactly SigninLogs")
	}
	if got := e.expect(409, "owner", "DELETE", base+"/"+custom+"?api-version=2022-04-01", ""); errCode(got) != "RoleDefinitionHasAssignments" {
		t.Errorf("delete assigned role: %v", got)
	}
	e.expect(404, "reader", "GET", base+"/c0c0c0c0-0000-4000-8000-00000000ffff?api-version=2022-04-01", "")
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestRoutesAnswerMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	if code, _ := e.do("owner", "POST", wsPath+v, ""); code != http.StatusMethodNotAllowed {
		t.Errorf("POST workspace: %d", code)
	}
}
