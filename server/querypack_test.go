package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/simulate"
	"github.com/idlogs/idlogs/workspace/schema"
)

// table is a query result with its column names.
type table struct {
	cols []string
	rows [][]any
}

// column returns the values of column name as strings.
func (t table) column(name string) []string {
	i := slices.Index(t.cols, name)
	var out []string
	for _, r := range t.rows {
		if i >= 0 {
			out = append(out, fmt.Sprint(r[i]))
		}
	}
	return out
}

// queryTable runs KQL with the admin's token and returns the first table.
func (ts *testServer) queryTable(q string) table {
	ts.t.Helper()
	body, _ := json.Marshal(map[string]string{"query": q})
	status, data := ts.do("POST", "/v1/workspaces/"+ts.boot.Workspace.ID+"/query", ts.token(ts.admin(), "https://api.loganalytics.io/.default"), body, nil)
	if status != http.StatusOK {
		ts.t.Fatalf("query %q: %d %s", q, status, data)
	}
	var res struct {
		Tables []struct {
			Columns []struct{ Name string }
			Rows    [][]any
		} `json:"tables"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		ts.t.Fatal(err)
	}
	var t table
	for _, c := range res.Tables[0].Columns {
		t.cols = append(t.cols, c.Name)
	}
	t.rows = res.Tables[0].Rows
	return t
}

// packQueries reads the built-in pack's queries over ARM, by short name.
func (ts *testServer) packQueries() map[string]string {
	ts.t.Helper()
	path := "/subscriptions/" + ts.boot.SubscriptionID + "/resourceGroups/" + ts.boot.ResourceGroup +
		"/providers/Microsoft.OperationalInsights/queryPacks/idlogs-entra/queries?api-version=2019-09-01&includeBody=true"
	var list struct {
		Value []struct {
			Properties struct {
				Body       string
				Properties struct{ Name string }
			}
		}
	}
	if err := json.Unmarshal(ts.arm("GET", path, nil, http.StatusOK), &list); err != nil {
		ts.t.Fatal(err)
	}
	out := map[string]string{}
	for _, q := range list.Value {
		out[q.Properties.Properties.Name] = q.Properties.Body
	}
	return out
}

// TestQueryPackFindsPlantedThreats backfills three working days of a small
// demo organisation through the activity log and the demo's diagnostic
// setting, then runs every query of the built-in pack, read over ARM,
// through the query API: each returns rows, and the integration's
// questions find exactly what the simulator planted (the ADAL apps, the
// spray's source, the impossible-travel users, the users with both an
// alert and a risky sign-in, the sign-in page's slow hours). Every table
// the simulator feeds has rows.
func TestQueryPackFindsPlantedThreats(t *testing.T) {
	if testing.Short() {
		t.Skip("backfills three days of a demo organisation")
	}
	// The clock is set back to the last Thursday, so that the three days
	// before are working days whatever day the test runs.
	shift := time.Duration((int(time.Now().UTC().Weekday())-int(time.Thursday)+7)%7) * 24 * time.Hour
	ts := startServer(t, func(c *Config) {
		c.Demo, c.DemoUsers, c.DemoDays = true, 300, 3
		c.Now = func() time.Time { return time.Now().Add(-shift) }
	})
	rec := waitForBackfill(t, ts)
	sim := simulate.New(simulate.Options{Seed: rec.Seed, Users: rec.Users, TenantID: ts.parts.tenantID(), Domain: ts.parts.dir.Domain(), Now: rec.To})

	queries := ts.packQueries()
	if len(queries) < 30 {
		t.Fatalf("%d queries in the pack", len(queries))
	}
	results := map[string]table{}
	for name, body := range queries {
		res := ts.queryTable(body)
		if len(res.rows) == 0 {
			t.Errorf("%s: no rows", name)
		}
		results[name] = res
	}

	planted := sim.Planted(rec.From, rec.To)
	var sprayIPs, travellers, alertedRisky []string
	for _, in := range planted {
		switch in.Kind {
		case simulate.ThreatPasswordSpray:
			sprayIPs = append(sprayIPs, in.IP)
		case simulate.ThreatImpossibleTravel:
			travellers = append(travellers, in.Users...)
		}
		if in.RiskySignIn {
			alertedRisky = append(alertedRisky, in.Users...)
		}
	}
	var slow []string
	for _, h := range sim.SlowHours(rec.From, rec.To) {
		slow = append(slow, h.UTC().Format("2006-01-02T15:04:05Z"))
	}
	checks := []struct {
		query, column string
		want          []string
	}{
		{"adal-apps", "AppDisplayName", []string{"Finance Reporting Tool", "Legacy Timesheet", "Warehouse Scanner"}},
		{"password-spray-sources", "IPAddress", sprayIPs},
		{"alerts-and-risky-sign-ins", "UserPrincipalName", alertedRisky},
		{"sign-in-page-performance", "Hour", slow},
	}
	for _, c := range checks {
		got := distinct(results[c.query].column(c.column))
		want := distinct(c.want)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: %s %q, want %q", c.query, c.column, got, want)
		}
	}
	// Impossible travel also finds the accounts the other threats signed
	// in to from abroad; the planted travellers must be among them.
	got := distinct(results["impossible-travel"].column("UserPrincipalName"))
	for _, u := range distinct(travellers) {
		if !slices.Contains(got, u) {
			t.Errorf("impossible-travel: %q not among %q", u, got)
		}
	}

	// Every table the simulator feeds has rows.
	for _, tbl := range []string{"SigninLogs", "AADNonInteractiveUserSignInLogs", "AADServicePrincipalSignInLogs",
		"AADManagedIdentitySignInLogs", "AADProvisioningLogs", "AuditLogs", "AADUserRiskEvents", "AADRiskyUsers",
		"AADServicePrincipalRiskEvents", "AADRiskyServicePrincipals", "SecurityAlert", "AppRequests", "AppPerformanceCounters"} {
		if _, ok := schema.Lookup(tbl); !ok {
			t.Errorf("%s is not a workspace table", tbl)
			continue
		}
		if rows := ts.query(tbl + " | count"); !positive(rows) {
			t.Errorf("%s: %v rows", tbl, rows)
		}
	}
}

// waitForBackfill waits until the demo's backfill is done and delivered.
func waitForBackfill(t *testing.T, ts *testServer) demoRecord {
	t.Helper()
	var rec demoRecord
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		if found, err := ts.db.Get(bootKind, demoKey, &rec); err != nil || !found {
			t.Fatalf("demo record: %v %v", found, err)
		}
		st := ts.parts.router.Status()
		if rec.Through.Equal(rec.To) && len(st) > 0 && st[0].Lag < 50 {
			return rec
		}
		if time.Now().After(deadline) {
			t.Fatalf("backfill not delivered after 3 minutes: %+v %+v", rec, st)
		}
	}
}

func distinct(xs []string) []string {
	var out []string
	for _, x := range xs {
		x = strings.ToLower(x)
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// TestQueryPackAPI: the pack and its queries in ARM's shapes, readable
// with Reader, not without a role; a query by id or name; 404s that say
// what exists.
func TestQueryPackAPI(t *testing.T) {
	ts := startServer(t)
	pack := ts.rgPath() + "/providers/Microsoft.OperationalInsights/queryPacks/idlogs-entra"
	const v = "?api-version=2019-09-01"
	var p struct {
		ID, Name, Type string
		Properties     struct{ ProvisioningState string }
	}
	if err := json.Unmarshal(ts.arm("GET", pack+v, nil, http.StatusOK), &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != pack || p.Name != "idlogs-entra" || p.Type != "Microsoft.OperationalInsights/queryPacks" || p.Properties.ProvisioningState != "Succeeded" {
		t.Errorf("pack: %+v", p)
	}
	var list struct {
		Value []struct {
			ID, Name   string
			Properties struct{ DisplayName, Body string }
		}
	}
	if err := json.Unmarshal(ts.arm("GET", pack+"/queries"+v+"&$top=3", nil, http.StatusOK), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Value) != 3 || list.Value[0].Properties.Body != "" || !strings.HasPrefix(list.Value[0].ID, pack+"/queries/") {
		t.Fatalf("queries, $top=3, no body: %+v", list)
	}
	first := list.Value[0]
	for _, key := range []string{first.Name, "active-risk-detections"} {
		var q struct {
			Properties struct{ DisplayName, Body string }
		}
		if err := json.Unmarshal(ts.arm("GET", pack+"/queries/"+key+v, nil, http.StatusOK), &q); err != nil {
			t.Fatal(err)
		}
		if q.Properties.DisplayName != first.Properties.DisplayName || q.Properties.Body == "" {
			t.Errorf("query %s: %+v", key, q)
		}
	}
	for path, code := range map[string]string{
		pack + "/queries/nope": "ResourceNotFound",
		ts.rgPath() + "/providers/Microsoft.OperationalInsights/queryPacks/other":                                                "ResourceNotFound",
		"/subscriptions/" + newGUID() + "/resourceGroups/idlogs/providers/Microsoft.OperationalInsights/queryPacks/idlogs-entra": "SubscriptionNotFound",
	} {
		if body := ts.arm("GET", path+v, nil, http.StatusNotFound); !strings.Contains(string(body), code) {
			t.Errorf("%s: %s, want %s", path, body, code)
		}
	}
	reader := ts.newApp("reader", roleReader, ts.rgPath())
	if status, body := ts.do("GET", pack+"/queries"+v, ts.token(reader, "https://management.azure.com/.default"), nil, nil); status != http.StatusOK {
		t.Errorf("reader: %d %s", status, body)
	}
	clientID, _, secret, err := ts.parts.createApp("nobody")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := ts.do("GET", pack+"/queries"+v, ts.token(ts.credential(clientID, secret), "https://management.azure.com/.default"), nil, nil); status != http.StatusForbidden || !strings.Contains(string(body), "AuthorizationFailed") {
		t.Errorf("no role: %d %s", status, body)
	}
}
