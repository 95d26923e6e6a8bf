package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/ingestion/azlogs"
	"github.com/idlogs/idlogs/pki"
	"github.com/idlogs/idlogs/store"
)

// Built-in role definition ids (Azure's own).
const (
	roleReader             = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	roleLogAnalyticsReader = "73c42c96-874c-492b-b04d-ab87d138a893"
)

// testServer is a started server and a client that trusts its CA.
type testServer struct {
	*Server
	t      testing.TB
	client *http.Client
	boot   Bootstrap
}

func startServer(t testing.TB, configure ...func(*Config)) *testServer {
	t.Helper()
	cfg := Config{
		DataDir: t.TempDir(),
		Listen:  "127.0.0.1:0",
		Store:   store.Options{FlushInterval: time.Second},
		Logf:    t.Logf,
	}
	for _, f := range configure {
		f(&cfg)
	}
	if _, ok := t.(*testing.B); ok {
		// Benchmarks poll for their rows faster than Azure's per-user
		// query rate allows.
		cfg.QueryLimits.Rate = 1 << 30
	}
	srv, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	pool, err := pki.Pool(srv.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: time.Minute}
	return &testServer{Server: srv, t: t, client: client, boot: srv.Bootstrap()}
}

// cloudConfig points the Azure SDK at the server.
func (ts *testServer) cloudConfig() cloud.Configuration {
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: ts.boot.AuthorityHost,
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager:       {Audience: "https://management.azure.com/", Endpoint: ts.boot.ARMEndpoint},
			azquery.ServiceNameLogs:     {Audience: "https://api.loganalytics.io", Endpoint: ts.boot.QueryEndpoint},
			azlogs.ServiceNameIngestion: {Audience: "https://monitor.azure.com/", Endpoint: ts.boot.IngestionEndpoint},
		},
	}
}

func (ts *testServer) clientOptions() azcore.ClientOptions {
	return azcore.ClientOptions{Cloud: ts.cloudConfig(), Transport: ts.client}
}

// credential returns azidentity's client secret credential for an
// application of the server's tenant.
func (ts *testServer) credential(clientID, secret string) *azidentity.ClientSecretCredential {
	ts.t.Helper()
	cred, err := azidentity.NewClientSecretCredential(ts.boot.TenantID, clientID, secret,
		// MSAL sends instance discovery for an authority it does not know
		// to login.microsoftonline.com, never to the authority itself.
		&azidentity.ClientSecretCredentialOptions{ClientOptions: ts.clientOptions(), DisableInstanceDiscovery: true})
	if err != nil {
		ts.t.Fatal(err)
	}
	return cred
}

func (ts *testServer) admin() *azidentity.ClientSecretCredential {
	return ts.credential(ts.boot.Admin.ClientID, ts.boot.Admin.ClientSecret)
}

// token returns a bearer token of cred for scope.
func (ts *testServer) token(cred azcore.TokenCredential, scope string) string {
	ts.t.Helper()
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{scope}})
	if err != nil {
		ts.t.Fatalf("token for %s: %v", scope, err)
	}
	return tok.Token
}

// do sends a request and returns the status and body.
func (ts *testServer) do(method, path, token string, body []byte, hdr map[string]string) (int, []byte) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.URL()+path, bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// arm sends an ARM request with the admin's token and fails the test on a
// status other than want.
func (ts *testServer) arm(method, path string, body any, want ...int) []byte {
	ts.t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	status, data := ts.do(method, path, ts.token(ts.admin(), "https://management.azure.com//.default"), raw, nil)
	for _, w := range want {
		if status == w {
			return data
		}
	}
	ts.t.Fatalf("%s %s = %d %s, want %v", method, path, status, data, want)
	return nil
}

func (ts *testServer) rgPath() string {
	return "/subscriptions/" + ts.boot.SubscriptionID + "/resourceGroups/" + ts.boot.ResourceGroup
}

// app is an application of the tenant and its credential.
type app struct {
	*azidentity.ClientSecretCredential
	objectID string
}

// newApp registers an application and gives it role at scope through ARM.
func (ts *testServer) newApp(name, role, scope string) *app {
	ts.t.Helper()
	clientID, objectID, secret, err := ts.parts.createApp(name)
	if err != nil {
		ts.t.Fatal(err)
	}
	a := &app{ts.credential(clientID, secret), objectID}
	ts.assignRole(a, role, scope)
	return a
}

// assignRole gives a the role with GUID role at scope through ARM.
func (ts *testServer) assignRole(a *app, role, scope string) {
	ts.t.Helper()
	body := map[string]any{"properties": map[string]any{
		"roleDefinitionId": "/subscriptions/" + ts.boot.SubscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + role,
		"principalId":      a.objectID,
		"principalType":    "ServicePrincipal",
	}}
	ts.arm("PUT", scope+"/providers/Microsoft.Authorization/roleAssignments/"+newGUID()+"?api-version=2022-04-01", body, http.StatusCreated)
}

// setUpCustomTable creates the Ingest_CL table and a DCR whose stream
// Custom-Ingest feeds it through a transformation, and returns the DCR's
// immutable id.
func (ts *testServer) setUpCustomTable() string {
	ts.t.Helper()
	ws := ts.boot.Workspace.ResourceID
	cols := []map[string]string{
		{"name": "TimeGenerated", "type": "datetime"}, {"name": "Computer", "type": "string"},
		{"name": "Seq", "type": "long"}, {"name": "Doubled", "type": "long"}, {"name": "Detail", "type": "dynamic"},
	}
	ts.arm("PUT", ws+"/tables/Ingest_CL?api-version=2022-10-01", map[string]any{"properties": map[string]any{
		"schema": map[string]any{"name": "Ingest_CL", "columns": cols},
	}}, http.StatusOK, http.StatusCreated, http.StatusAccepted)
	dcr := map[string]any{"location": "local", "kind": "Direct", "properties": map[string]any{
		"streamDeclarations": map[string]any{"Custom-Ingest": map[string]any{"columns": []map[string]string{
			{"name": "TimeGenerated", "type": "datetime"}, {"name": "Computer", "type": "string"},
			{"name": "Seq", "type": "long"}, {"name": "Detail", "type": "dynamic"},
		}}},
		"destinations": map[string]any{"logAnalytics": []map[string]string{{"workspaceResourceId": ws, "name": "ws"}}},
		"dataFlows": []map[string]any{{"streams": []string{"Custom-Ingest"}, "destinations": []string{"ws"},
			"transformKql": "source | extend Doubled = Seq * 2", "outputStream": "Custom-Ingest_CL"}},
	}}
	data := ts.arm("PUT", ts.rgPath()+"/providers/Microsoft.Insights/dataCollectionRules/ingest-rule?api-version=2023-03-11", dcr, http.StatusOK, http.StatusCreated)
	var got struct {
		Properties struct {
			ImmutableID string `json:"immutableId"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &got); err != nil || !strings.HasPrefix(got.Properties.ImmutableID, "dcr-") {
		ts.t.Fatalf("DCR: %s (%v)", data, err)
	}
	return got.Properties.ImmutableID
}

func rowsJSON(n int, start time.Time) []byte {
	rows := make([]map[string]any, n)
	for i := range rows {
		rows[i] = map[string]any{
			"TimeGenerated": start.Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano),
			"Computer":      "host-" + strconv.Itoa(i%5),
			"Seq":           i,
			"Detail":        map[string]any{"i": i, "tag": "t" + strconv.Itoa(i%3)},
		}
	}
	data, _ := json.Marshal(rows)
	return data
}

// TestAzureSDKEndToEnd drives the server with the Azure SDK for Go only:
// azidentity gets tokens from idlogs' token endpoint, ARM calls create a
// custom table and a data collection rule, azlogs uploads rows, and azquery
// reads them back typed, with statistics and render metadata.
func TestAzureSDKEndToEnd(t *testing.T) {
	ts := startServer(t)
	if st, err := os.Stat(ts.cfg.DataDir + "/bootstrap.json"); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("bootstrap.json: %v %v", st, err)
	}
	dcrID := ts.setUpCustomTable()

	ingest, err := azlogs.NewClient(ts.boot.IngestionEndpoint, ts.admin(), &azlogs.ClientOptions{ClientOptions: ts.clientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC().Add(-time.Minute).Truncate(time.Millisecond)
	if _, err := ingest.Upload(context.Background(), dcrID, "Custom-Ingest", rowsJSON(1000, start), nil); err != nil {
		t.Fatalf("upload: %v", err)
	}

	logs, err := azquery.NewLogsClient(ts.admin(), &azquery.LogsClientOptions{ClientOptions: ts.clientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	q := `Ingest_CL
| summarize Rows = count(), Sum = sum(Doubled), First = min(TimeGenerated), Tags = dcount(tostring(Detail.tag)) by Computer
| order by Computer asc
| render columnchart`
	span := azquery.NewTimeInterval(start.Add(-time.Hour), time.Now().Add(time.Hour))
	res, err := logs.QueryWorkspace(context.Background(), ts.boot.Workspace.ID,
		azquery.Body{Query: &q, Timespan: &span},
		&azquery.LogsClientQueryWorkspaceOptions{Options: &azquery.LogsQueryOptions{Statistics: &yes, Visualization: &yes}})
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if res.Error != nil {
		t.Fatalf("query error: %v", res.Error)
	}
	tab := res.Tables[0]
	if *tab.Name != "PrimaryResult" || len(tab.Rows) != 5 {
		t.Fatalf("table %s with %d rows: %v", *tab.Name, len(tab.Rows), tab.Rows)
	}
	wantTypes := []azquery.LogsColumnType{azquery.LogsColumnTypeString, azquery.LogsColumnTypeLong, azquery.LogsColumnTypeLong, azquery.LogsColumnTypeDatetime, azquery.LogsColumnTypeLong}
	for i, c := range tab.Columns {
		if *c.Type != wantTypes[i] {
			t.Errorf("column %s type %s, want %s", *c.Name, *c.Type, wantTypes[i])
		}
	}
	row := tab.Rows[0] // host-0: rows 0, 5, 10, ...
	if row[0] != "host-0" || row[1] != float64(200) || row[2] != float64(2*5*(199*200/2)) {
		t.Errorf("host-0 row = %v", row)
	}
	if first, err := time.Parse(time.RFC3339Nano, row[3].(string)); err != nil || !first.Equal(start) {
		t.Errorf("First = %v (%v), want %v", row[3], err, start)
	}
	if len(res.Statistics) == 0 || !bytes.Contains(res.Statistics, []byte("executionTime")) {
		t.Errorf("statistics = %s", res.Statistics)
	}
	if !bytes.Contains(res.Visualization, []byte("columnchart")) {
		t.Errorf("render = %s", res.Visualization)
	}
}

// TestAccessChecks shows the status codes of the security checks: no token,
// a token for another API, a Reader trying to ingest, a role scoped to one
// table querying another, and a syntax error with its position.
func TestAccessChecks(t *testing.T) {
	ts := startServer(t)
	dcrID := ts.setUpCustomTable()
	ws := ts.boot.Workspace
	queryPath := "/v1/workspaces/" + ws.ID + "/query"
	body := []byte(`{"query":"SigninLogs | take 1"}`)

	if status, data := ts.do("POST", queryPath, "", body, nil); status != http.StatusUnauthorized || !bytes.Contains(data, []byte("AuthenticationFailed")) {
		t.Errorf("no token: %d %s", status, data)
	}
	if status, data := ts.do("POST", queryPath, "not-a-token", body, nil); status != http.StatusForbidden || !bytes.Contains(data, []byte("InvalidAuthenticationToken")) {
		t.Errorf("bad token on the query API: %d %s", status, data)
	}
	if status, data := ts.do("GET", ts.boot.Workspace.ResourceID+"?api-version=2023-09-01", "not-a-token", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("bad token on ARM: %d %s", status, data)
	}
	armTok := ts.token(ts.admin(), "https://management.azure.com//.default")
	if status, data := ts.do("POST", queryPath, armTok, body, nil); status != http.StatusForbidden {
		t.Errorf("ARM token on the query API: %d %s", status, data)
	}

	reader := ts.newApp("reader", roleReader, "/subscriptions/"+ts.boot.SubscriptionID)
	readerIngest := ts.token(reader, "https://monitor.azure.com//.default")
	ingestPath := "/dataCollectionRules/" + dcrID + "/streams/Custom-Ingest?api-version=2023-01-01"
	if status, data := ts.do("POST", ingestPath, readerIngest, rowsJSON(3, time.Now()), nil); status != http.StatusForbidden {
		t.Errorf("Reader ingesting: %d %s", status, data)
	}
	readerQuery := ts.token(reader, "https://api.loganalytics.io/.default")
	if status, data := ts.do("POST", queryPath, readerQuery, body, nil); status != http.StatusOK {
		t.Errorf("Reader querying: %d %s", status, data)
	}

	// Table-level access as Azure documents it: a custom role at the
	// workspace that may run queries but read no table, plus a reader role
	// at one table's scope.
	queryOnly := newGUID()
	sub := "/subscriptions/" + ts.boot.SubscriptionID
	ts.arm("PUT", sub+"/providers/Microsoft.Authorization/roleDefinitions/"+queryOnly+"?api-version=2022-04-01", map[string]any{
		"properties": map[string]any{
			"roleName": "Workspace query runner", "type": "CustomRole",
			"permissions": []map[string]any{{"actions": []string{
				"Microsoft.OperationalInsights/workspaces/read",
				"Microsoft.OperationalInsights/workspaces/query/read",
			}}},
			"assignableScopes": []string{sub},
		},
	}, http.StatusCreated, http.StatusOK)
	scoped := ts.newApp("signins-only", queryOnly, ws.ResourceID)
	ts.assignRole(scoped, roleLogAnalyticsReader, ws.ResourceID+"/tables/SigninLogs")
	scopedTok := ts.token(scoped, "https://api.loganalytics.io/.default")
	if status, data := ts.do("POST", queryPath, scopedTok, body, nil); status != http.StatusOK {
		t.Errorf("table-scoped reader on its table: %d %s", status, data)
	}
	if status, data := ts.do("POST", queryPath, scopedTok, []byte(`{"query":"AuditLogs | take 1"}`), nil); status != http.StatusForbidden {
		t.Errorf("table-scoped reader on another table: %d %s", status, data)
	}

	adminQuery := ts.token(ts.admin(), "https://api.loganalytics.io/.default")
	status, data := ts.do("POST", queryPath, adminQuery, []byte(`{"query":"SigninLogs\n| where"}`), nil)
	if status != http.StatusBadRequest || !bytes.Contains(data, []byte("SyntaxError")) || !bytes.Contains(data, []byte(`"line":2`)) {
		t.Errorf("syntax error: %d %s", status, data)
	}
}

// TestIngestionRejectsWhole shows that ingestion calls that fail leave no
// rows: a bad record in a batch, a body over 1 MB (413) and a Data
// Collector request with a bad signature.
func TestIngestionRejectsWhole(t *testing.T) {
	ts := startServer(t)
	dcrID := ts.setUpCustomTable()
	ingestTok := ts.token(ts.admin(), "https://monitor.azure.com//.default")
	path := "/dataCollectionRules/" + dcrID + "/streams/Custom-Ingest?api-version=2023-01-01"

	var rows []map[string]any
	json.Unmarshal(rowsJSON(100, time.Now()), &rows)
	rows[57]["Seq"] = "not a number"
	bad, _ := json.Marshal(rows)
	if status, data := ts.do("POST", path, ingestTok, bad, nil); status != http.StatusBadRequest || !bytes.Contains(data, []byte("Seq")) {
		t.Errorf("bad record: %d %s", status, data)
	}
	big := rowsJSON(12000, time.Now())
	if len(big) <= 1<<20 {
		t.Fatalf("test body is only %d bytes", len(big))
	}
	if status, data := ts.do("POST", path, ingestTok, big, nil); status != http.StatusRequestEntityTooLarge {
		t.Errorf("body over 1 MB: %d %s", status, data)
	}

	ws, _ := ts.Workspaces.ByCustomerID(ts.boot.Workspace.ID)
	collector := []byte(`[{"Computer":"c1","Value":1.5}]`)
	date := time.Now().UTC().Format(http.TimeFormat)
	sig := sharedKey(ws.PrimarySharedKey, len(collector), date)
	hdr := map[string]string{"Log-Type": "Collected", "x-ms-date": date, "Authorization": "SharedKey " + ws.CustomerID + ":" + sig}
	if status, data := ts.do("POST", "/api/logs?api-version=2016-04-01", "", collector, hdr); status != http.StatusOK {
		t.Fatalf("good signature: %d %s", status, data)
	}
	hdr["Authorization"] = "SharedKey " + ws.CustomerID + ":" + sharedKey(ws.PrimarySharedKey, len(collector)+1, date)
	if status, data := ts.do("POST", "/api/logs?api-version=2016-04-01", "", collector, hdr); status != http.StatusForbidden {
		t.Errorf("bad signature: %d %s", status, data)
	}

	queryTok := ts.token(ts.admin(), "https://api.loganalytics.io/.default")
	q, _ := json.Marshal(map[string]string{"query": "union Ingest_CL, Collected_CL | summarize n = count() by Type"})
	status, data := ts.do("POST", "/v1/workspaces/"+ts.boot.Workspace.ID+"/query", queryTok, q, nil)
	var res struct {
		Tables []struct{ Rows [][]any } `json:"tables"`
	}
	if status != http.StatusOK || json.Unmarshal(data, &res) != nil {
		t.Fatalf("query: %d %s", status, data)
	}
	if got := fmt.Sprint(res.Tables[0].Rows); got != "[[Collected_CL 1]]" {
		t.Errorf("rows by table after the rejected calls = %s, want only the one collected row", got)
	}
}

func sharedKey(key string, contentLength int, date string) string {
	k, _ := base64.StdEncoding.DecodeString(key)
	m := hmac.New(sha256.New, k)
	fmt.Fprintf(m, "POST\n%d\napplication/json\nx-ms-date:%s\n/api/logs", contentLength, date)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
