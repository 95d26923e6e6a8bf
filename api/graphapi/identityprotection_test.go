package graphapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/risk"
)

func TestIdentityProtectionThroughGraph(t *testing.T) {
	// The test server listens on the loopback address: every user sign-in
	// comes from an "anonymous" address.
	e := newEnvWith(t, &risk.Options{AnonymousIPs: []string{"127.0.0.0/8", "::1"}})
	ctx := context.Background()
	victim, _, err := e.dir.CreateUser(ctx, tenant.Initiator{}, tenant.NewUser{UserPrincipalName: "victim@idlogs.local",
		DisplayName: "Victim", Password: "victim password 1"})
	if err != nil {
		t.Fatal(err)
	}
	e.userToken(t, "victim@idlogs.local", "victim password 1", "https://graph.microsoft.com/.default")
	readerTok := e.userToken(t, "reader@idlogs.local", readerPassword, "https://graph.microsoft.com/.default")

	st, body := e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskyUsers?$filter=userPrincipalName%20eq%20'victim@idlogs.local'", nil)
	mustStatus(t, "list risky users", st, 200, body)
	users, _ := body["value"].([]any)
	if len(users) != 1 || body["@odata.context"] != contextBase+"identityProtection/riskyUsers" {
		t.Fatalf("risky users = %v", body)
	}
	if u := users[0].(map[string]any); u["id"] != victim.ID || u["riskLevel"] != "medium" || u["riskState"] != "atRisk" {
		t.Errorf("risky user = %v", u)
	}
	st, body = e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskDetections?$filter=userId%20eq%20'"+victim.ID+"'", nil)
	mustStatus(t, "list detections", st, 200, body)
	dets, _ := body["value"].([]any)
	if len(dets) != 1 {
		t.Fatalf("detections = %v", body)
	}
	det := dets[0].(map[string]any)
	if det["riskEventType"] != "anonymizedIPAddress" || det["source"] != "IdentityProtection" {
		t.Errorf("detection = %v", det)
	}
	for q, want := range map[string]int{
		"$filter=lastUpdatedDateTime ge 2000-01-01T00:00:00Z&$orderby=lastUpdatedDateTime asc":        2, // the victim and the reader
		"$filter=detectedDateTime gt 2100-01-01T00:00:00Z":                                            0,
		"$filter=riskEventType eq 'anonymizedIPAddress' and activityDateTime le 2100-01-01T00:00:00Z": 2,
	} {
		st, body = e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskDetections?"+strings.ReplaceAll(q, " ", "%20"), nil)
		mustStatus(t, q, st, 200, body)
		if got := len(body["value"].([]any)); got != want {
			t.Errorf("%s: %d detections, want %d", q, got, want)
		}
	}
	var paged []string
	for next := "/v1.0/identityProtection/riskDetections?$top=1"; next != ""; {
		st, body = e.call(t, readerTok, "GET", next, nil)
		mustStatus(t, "page of detections", st, 200, body)
		var page []string
		page, next = ids(t, body)
		paged = append(paged, page...)
		if len(paged) > 2 {
			t.Fatal("paging does not end")
		}
	}
	if len(paged) != 2 || paged[0] == paged[1] {
		t.Errorf("detections one a page: %v", paged)
	}
	st, body = e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskyUsers?$orderby=userPrincipalName", nil)
	if st != 400 || errCode(body) != "Request_UnsupportedQuery" {
		t.Errorf("order by a name: %d %v", st, body)
	}
	st, body = e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskDetections/"+det["id"].(string)+"?$select=riskLevel", nil)
	mustStatus(t, "get detection", st, 200, body)
	if body["riskLevel"] != "medium" || body["id"] != nil {
		t.Errorf("selected detection = %v", body)
	}
	st, body = e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskyUsers/"+tenant.NewGUID(), nil)
	if st != 404 || errCode(body) != "Request_ResourceNotFound" {
		t.Errorf("unknown risky user: %d %v", st, body)
	}

	dismiss := map[string]any{"userIds": []string{victim.ID}}
	if st, body = e.call(t, readerTok, "POST", "/v1.0/identityProtection/riskyUsers/dismiss", dismiss); st != 403 {
		t.Errorf("Security Reader dismissing: %d %v", st, body)
	}
	if st, body = e.call(t, e.adminTok, "POST", "/v1.0/identityProtection/riskyUsers/dismiss", map[string]any{"userIds": []string{}}); st != 400 {
		t.Errorf("dismissing no one: %d %v", st, body)
	}
	e.sink.mu.Lock()
	e.sink.recs = nil
	e.sink.mu.Unlock()
	st, body = e.call(t, e.adminTok, "POST", "/v1.0/identityProtection/riskyUsers/dismiss", dismiss)
	mustStatus(t, "dismiss", st, 204, body)
	st, body = e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskyUsers/"+victim.ID, nil)
	mustStatus(t, "get risky user", st, 200, body)
	if body["riskState"] != "dismissed" || body["riskDetail"] != "adminDismissedAllRiskForUser" || body["riskLevel"] != "none" {
		t.Errorf("dismissed user = %v", body)
	}
	e.sink.mu.Lock()
	var dismissed map[string]any
	for _, r := range e.sink.recs {
		if r.Category == activity.RiskyUsers {
			json.Unmarshal(r.Properties, &dismissed)
		}
	}
	e.sink.mu.Unlock()
	if dismissed["riskState"] != "dismissed" || dismissed["id"] != victim.ID {
		t.Errorf("RiskyUsers record of the dismissal = %v", dismissed)
	}

	// Below P2 the API shows what the logs show.
	if _, err := e.dir.SetLicense(ctx, tenant.Initiator{}, tenant.LicenseP1); err != nil {
		t.Fatal(err)
	}
	st, body = e.call(t, readerTok, "GET", "/v1.0/identityProtection/riskDetections", nil)
	mustStatus(t, "list detections on P1", st, 200, body)
	for _, d := range body["value"].([]any) {
		if d.(map[string]any)["riskLevel"] != "hidden" {
			t.Errorf("P1 detection = %v", d)
		}
	}
}
