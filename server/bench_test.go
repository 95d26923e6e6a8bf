package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/engine"
)

// signinColumns are the SigninLogs columns the ingestion benchmark sends:
// the ones sign-in analyses read, with the dynamic ones and the long
// user-agent and processing-details strings that make rows heavy.
var signinColumns = []map[string]string{
	{"name": "TimeGenerated", "type": "datetime"},
	{"name": "OriginalRequestId", "type": "string"},
	{"name": "CorrelationId", "type": "string"},
	{"name": "UserPrincipalName", "type": "string"},
	{"name": "UserDisplayName", "type": "string"},
	{"name": "UserId", "type": "string"},
	{"name": "AppDisplayName", "type": "string"},
	{"name": "AppId", "type": "string"},
	{"name": "ResourceDisplayName", "type": "string"},
	{"name": "IPAddress", "type": "string"},
	{"name": "ResultType", "type": "string"},
	{"name": "ResultDescription", "type": "string"},
	{"name": "ClientAppUsed", "type": "string"},
	{"name": "UserAgent", "type": "string"},
	{"name": "ConditionalAccessStatus", "type": "string"},
	{"name": "IsInteractive", "type": "boolean"},
	{"name": "RiskLevelDuringSignIn", "type": "string"},
	{"name": "RiskState", "type": "string"},
	{"name": "AuthenticationRequirement", "type": "string"},
	{"name": "ProcessingTimeInMilliseconds", "type": "long"},
	{"name": "AuthenticationProcessingDetails", "type": "string"},
	{"name": "DeviceDetail", "type": "dynamic"},
	{"name": "LocationDetails", "type": "dynamic"},
	{"name": "Status", "type": "dynamic"},
}

var (
	benchApps   = []string{"Microsoft Teams", "Office 365 Exchange Online", "Azure Portal", "Microsoft Edge", "SharePoint Online", "Graph Explorer", "Azure CLI", "Visual Studio Code"}
	benchAgents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
		"python-requests/2.32.3",
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)",
	}
	benchOS = []string{"Windows 10", "Windows 11", "MacOs", "iOS 17.5", "Android 14", "Linux"}
)

// signinRows returns n SigninLogs-shaped rows (about 1.3 KB of JSON each)
// starting at seq.
func signinRows(r *rand.Rand, n, seq int, now time.Time) []map[string]any {
	rows := make([]map[string]any, n)
	for i := range rows {
		u := r.Intn(50000)
		fail := r.Intn(12) == 0
		result, desc, code := "0", "", 0
		if fail {
			result, desc, code = "50126", "Error validating credentials due to invalid username or password.", 50126
		}
		rows[i] = map[string]any{
			"TimeGenerated":                   now.Add(-time.Duration(r.Intn(3600)) * time.Second).Format(time.RFC3339Nano),
			"OriginalRequestId":               fmt.Sprintf("%08x-0000-4000-8000-%012x", seq+i, r.Int63()&0xffffffffffff),
			"CorrelationId":                   fmt.Sprintf("%08x-1111-4000-8000-%012x", r.Uint32(), r.Int63()&0xffffffffffff),
			"UserPrincipalName":               fmt.Sprintf("user%05d@contoso.com", u),
			"UserDisplayName":                 fmt.Sprintf("User %05d", u),
			"UserId":                          fmt.Sprintf("%08x-2222-4000-8000-%012x", u, u),
			"AppDisplayName":                  benchApps[r.Intn(len(benchApps))],
			"AppId":                           fmt.Sprintf("%08x-3333-4000-8000-000000000000", r.Intn(300)),
			"ResourceDisplayName":             "Microsoft Graph",
			"IPAddress":                       fmt.Sprintf("%d.%d.%d.%d", 20+r.Intn(200), r.Intn(256), r.Intn(256), r.Intn(256)),
			"ResultType":                      result,
			"ResultDescription":               desc,
			"ClientAppUsed":                   "Browser",
			"UserAgent":                       benchAgents[r.Intn(len(benchAgents))],
			"ConditionalAccessStatus":         "success",
			"IsInteractive":                   true,
			"RiskLevelDuringSignIn":           "none",
			"RiskState":                       "none",
			"AuthenticationRequirement":       "singleFactorAuthentication",
			"ProcessingTimeInMilliseconds":    40 + r.Intn(400),
			"AuthenticationProcessingDetails": `[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"False"}]`,
			"DeviceDetail":                    map[string]any{"deviceId": "", "operatingSystem": benchOS[r.Intn(len(benchOS))], "browser": "Edge 131.0.0", "isCompliant": false, "isManaged": false, "trustType": ""},
			"LocationDetails":                 map[string]any{"city": "Amsterdam", "state": "Noord-Holland", "countryOrRegion": "NL", "geoCoordinates": map[string]any{"latitude": 52.37, "longitude": 4.89}},
			"Status":                          map[string]any{"errorCode": code, "failureReason": desc, "additionalDetails": ""},
		}
	}
	return rows
}

// setUpSigninTable creates SigninBench_CL and a pass-through DCR for it and
// returns the DCR's immutable id.
func (ts *testServer) setUpSigninTable() string {
	ws := ts.boot.Workspace.ResourceID
	ts.arm("PUT", ws+"/tables/SigninBench_CL?api-version=2022-10-01", map[string]any{"properties": map[string]any{
		"schema": map[string]any{"name": "SigninBench_CL", "columns": signinColumns},
	}}, http.StatusOK, http.StatusCreated, http.StatusAccepted)
	dcr := map[string]any{"location": "local", "kind": "Direct", "properties": map[string]any{
		"streamDeclarations": map[string]any{"Custom-SigninBench": map[string]any{"columns": signinColumns}},
		"destinations":       map[string]any{"logAnalytics": []map[string]string{{"workspaceResourceId": ws, "name": "ws"}}},
		"dataFlows": []map[string]any{{"streams": []string{"Custom-SigninBench"}, "destinations": []string{"ws"},
			"transformKql": "source", "outputStream": "Custom-SigninBench_CL"}},
	}}
	data := ts.arm("PUT", ts.rgPath()+"/providers/Microsoft.Insights/dataCollectionRules/signin-bench?api-version=2023-03-11", dcr, http.StatusOK, http.StatusCreated)
	var got struct {
		Properties struct {
			ImmutableID string `json:"immutableId"`
		} `json:"properties"`
	}
	json.Unmarshal(data, &got)
	return got.Properties.ImmutableID
}

// BenchmarkLogsIngestionHTTPS measures SigninLogs-shaped rows per second
// through the Logs Ingestion API over HTTPS: four uploaders post bodies
// just under the 1 MB limit, each acknowledged only once durable.
func BenchmarkLogsIngestionHTTPS(b *testing.B) {
	ts := startServer(b)
	dcrID := ts.setUpSigninTable()
	tok := ts.token(ts.admin(), "https://monitor.azure.com//.default")
	r := rand.New(rand.NewSource(1))
	now := time.Now().UTC()
	var bodies [][]byte
	perBody := 0
	for seq := 0; len(bodies) < 16; {
		rows := signinRows(r, 700, seq, now)
		data, _ := json.Marshal(rows)
		for len(data) > 1000*1000 {
			rows = rows[:len(rows)*9/10]
			data, _ = json.Marshal(rows)
		}
		perBody = len(rows)
		seq += len(rows)
		bodies = append(bodies, data)
	}
	path := ts.URL() + "/dataCollectionRules/" + dcrID + "/streams/Custom-SigninBench?api-version=2023-01-01"
	var next atomic.Int64
	b.SetBytes(int64(len(bodies[0])))
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				if status, data := post(ts, path, tok, bodies[i%int64(len(bodies))]); status != http.StatusNoContent {
					b.Errorf("upload: %d %s", status, data)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N*perBody)/elapsed.Seconds(), "rows/s")
}

func post(ts *testServer, url, tok string, body []byte) (int, []byte) {
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := ts.client.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// BenchmarkIngestToQueryable measures the time from an upload's 204 to the
// first query that returns its rows, under a steady load of 20 uploads of
// 100 rows a second; it reports the 50th and 99th percentiles.
func BenchmarkIngestToQueryable(b *testing.B) {
	ts := startServer(b)
	dcrID := ts.setUpSigninTable()
	ingestTok := ts.token(ts.admin(), "https://monitor.azure.com//.default")
	queryTok := ts.token(ts.admin(), "https://api.loganalytics.io/.default")
	path := ts.URL() + "/dataCollectionRules/" + dcrID + "/streams/Custom-SigninBench?api-version=2023-01-01"
	queryURL := ts.URL() + "/v1/workspaces/" + ts.boot.Workspace.ID + "/query"
	r := rand.New(rand.NewSource(2))
	var lat []time.Duration
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		<-tick.C
		rows := signinRows(r, 100, i*100, time.Now().UTC())
		marker := fmt.Sprintf("marker-%d", i)
		rows[99]["CorrelationId"] = marker
		body, _ := json.Marshal(rows)
		if status, data := post(ts, path, ingestTok, body); status != http.StatusNoContent {
			b.Fatalf("upload: %d %s", status, data)
		}
		acked := time.Now()
		q, _ := json.Marshal(map[string]string{"query": `SigninBench_CL | where CorrelationId == "` + marker + `" | count`})
		for {
			status, data := post(ts, queryURL, queryTok, q)
			if status != http.StatusOK {
				b.Fatalf("query: %d %s", status, data)
			}
			if strings.Contains(string(data), `"rows":[[1]]`) {
				break
			}
			if time.Since(acked) > 10*time.Second {
				b.Fatalf("rows of upload %d not queryable after 10 s", i)
			}
		}
		lat = append(lat, time.Since(acked))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkQueryAPIOverhead measures what the query API adds (TLS, token
// check, role checks, JSON encoding) above the engine's own time for a
// one-row result, alternating the two in the same run.
func BenchmarkQueryAPIOverhead(b *testing.B) {
	ts := startServer(b)
	ws, _ := ts.Workspaces.ByCustomerID(ts.boot.Workspace.ID)
	tok := ts.token(ts.admin(), "https://api.loganalytics.io/.default")
	const query = `SigninLogs | summarize n = count()`
	q, _ := json.Marshal(map[string]string{"query": query})
	url := ts.URL() + "/v1/workspaces/" + ts.boot.Workspace.ID + "/query"
	var apiTime, engineTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if status, data := post(ts, url, tok, q); status != http.StatusOK {
			b.Fatalf("query: %d %s", status, data)
		}
		t1 := time.Now()
		if _, err := (&engine.Engine{Catalog: ws.Store()}).Query(context.Background(), query); err != nil {
			b.Fatal(err)
		}
		apiTime += t1.Sub(t0)
		engineTime += time.Since(t1)
	}
	b.ReportMetric(float64(apiTime.Microseconds())/float64(b.N)/1000, "api-ms")
	b.ReportMetric(float64(engineTime.Microseconds())/float64(b.N)/1000, "engine-ms")
	b.ReportMetric(float64((apiTime-engineTime).Microseconds())/float64(b.N)/1000, "overhead-ms")
}

// signInRecords returns n SignInLogs records with distinct ids, made from
// the sign-in sample of diagnostics/tablemap's golden file, recent enough
// that the workspace keeps their time.
func signInRecords(b *testing.B, n int) []activity.Record {
	data, err := os.ReadFile("../diagnostics/tablemap/testdata/SignInLogs.txt")
	if err != nil {
		b.Fatal(err)
	}
	head, _, _ := bytes.Cut(data, []byte("\n----\n"))
	var samples []activity.Record
	for _, line := range bytes.Split(head, []byte("\n")) {
		var r activity.Record
		var props map[string]any
		if len(line) > 0 && line[0] == '{' && json.Unmarshal(line, &r) == nil && json.Unmarshal(r.Properties, &props) == nil && props != nil {
			samples = append(samples, r)
		}
	}
	if len(samples) == 0 {
		b.Fatal("no sample sign-in records")
	}
	now := time.Now().UTC()
	out := make([]activity.Record, n)
	for i := range out {
		r := samples[i%len(samples)]
		var props map[string]any
		json.Unmarshal(r.Properties, &props)
		props["id"] = fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		props["userPrincipalName"] = fmt.Sprintf("user%05d@contoso.com", i%5000)
		r.Properties, _ = json.Marshal(props)
		r.Time = now.Add(-time.Duration(i%3600) * time.Second)
		out[i] = r
	}
	return out
}

// BenchmarkRouterSignInsToWorkspace measures records per second from the
// activity log through the diagnostics router into a workspace, with the
// real record-to-row mapping: records are emitted by four writers, as the
// token service does, and the clock stops when the last is queryable.
func BenchmarkRouterSignInsToWorkspace(b *testing.B) {
	ts := startServer(b)
	setting := map[string]any{"properties": map[string]any{
		"workspaceId": ts.boot.Workspace.ResourceID,
		"logs":        []map[string]any{{"category": "SignInLogs", "enabled": true}},
	}}
	ts.arm("PUT", "/providers/microsoft.aadiam/diagnosticSettings/bench?api-version=2017-04-01", setting, http.StatusOK)
	const perCall = 500
	n := b.N * perCall
	recs := signInRecords(b, n)
	ws, _ := ts.Workspaces.ByCustomerID(ts.boot.Workspace.ID)
	tbl, _ := ws.Store().Lookup("SigninLogs")
	base := tbl.Rows()
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Go(func() {
			for {
				i := int(next.Add(1)-1) * perCall
				if i >= n {
					return
				}
				if err := ts.actLog.Emit(context.Background(), recs[i:i+perCall]...); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for tbl.Rows()-base < int64(n) {
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("%d of %d records delivered after 5 minutes", tbl.Rows()-base, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "records/s")
}

// BenchmarkSignInToQueryable measures the time from a token response to
// the first query that finds its sign-in in SigninLogs, through the
// activity log, the router and the workspace; it reports percentiles.
func BenchmarkSignInToQueryable(b *testing.B) {
	ts := startServer(b)
	graph := ts.token(ts.admin(), "https://graph.microsoft.com/.default")
	upn := "bench@" + ts.parts.dir.Domain()
	user, _ := json.Marshal(map[string]any{"accountEnabled": true, "displayName": "Bench", "mailNickname": "bench",
		"userPrincipalName": upn, "passwordProfile": map[string]any{"password": "Correct-Horse-9"}})
	if status, data := ts.do("POST", "/v1.0/users", graph, user, nil); status != http.StatusCreated {
		b.Fatalf("create user: %d %s", status, data)
	}
	setting := map[string]any{"properties": map[string]any{
		"workspaceId": ts.boot.Workspace.ResourceID,
		"logs":        []map[string]any{{"category": "SignInLogs", "enabled": true}},
	}}
	ts.arm("PUT", "/providers/microsoft.aadiam/diagnosticSettings/bench?api-version=2017-04-01", setting, http.StatusOK)
	queryTok := ts.token(ts.admin(), "https://api.loganalytics.io/.default")
	queryURL := ts.URL() + "/v1/workspaces/" + ts.boot.Workspace.ID + "/query"
	tokenURL := ts.URL() + "/" + ts.boot.TenantID + "/oauth2/v2.0/token"
	form := "grant_type=password&client_id=" + azureCLI + "&username=" + upn + "&password=Correct-Horse-9&scope=https%3A%2F%2Fmanagement.azure.com%2F.default"
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		corr := newGUID()
		req, _ := http.NewRequest("POST", tokenURL, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("client-request-id", corr)
		resp, err := ts.client.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("sign-in: %v %v", resp, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answered := time.Now()
		q, _ := json.Marshal(map[string]string{"query": `SigninLogs | where CorrelationId == "` + corr + `" | count`})
		for {
			status, data := post(ts, queryURL, queryTok, q)
			if status != http.StatusOK {
				b.Fatalf("query: %d %s", status, data)
			}
			if strings.Contains(string(data), `"rows":[[1]]`) {
				break
			}
			if time.Since(answered) > 10*time.Second {
				b.Fatalf("sign-in %d not queryable after 10 s", i)
			}
		}
		lat = append(lat, time.Since(answered))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
