package token

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/risk"
)

// newRiskFixture is a fixture whose service assesses risk, with a tenant
// of licence lic.
func newRiskFixture(t *testing.T, lic tenant.License, ropts risk.Options) (*fixture, *memSink, *risk.Engine) {
	t.Helper()
	sink := &memSink{}
	f := newFixture(t, Options{Activity: sink})
	eng, err := risk.Open(f.db, ropts)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.risk = eng
	if _, err := f.dir.SetLicense(context.Background(), tenant.Initiator{}, lic); err != nil {
		t.Fatal(err)
	}
	return f, sink, eng
}

func properties(t *testing.T, r activity.Record) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Properties, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func byCategory(recs []activity.Record) map[string][]activity.Record {
	m := map[string][]activity.Record{}
	for _, r := range recs {
		m[r.Category] = append(m[r.Category], r)
	}
	return m
}

// TestPasswordSprayThroughGrants sprays wrong passwords at ten users from
// one address: the tenth failure completes the spray.
func TestPasswordSprayThroughGrants(t *testing.T) {
	for _, tc := range []struct {
		lic              tenant.License
		level, eventType string
	}{
		{tenant.LicenseP2, "high", "passwordSpray"},
		{tenant.LicenseP1, "hidden", "generic"},
	} {
		t.Run(string(tc.lic), func(t *testing.T) {
			f, sink, eng := newRiskFixture(t, tc.lic, risk.Options{})
			ctx := context.Background()
			for i := range 10 {
				if _, _, err := f.dir.CreateUser(ctx, tenant.Initiator{}, tenant.NewUser{
					UserPrincipalName: fmt.Sprintf("user%d@idlogs.local", i), DisplayName: fmt.Sprintf("User %d", i), Password: password}); err != nil {
					t.Fatal(err)
				}
			}
			sink.take()
			var recs []activity.Record
			for i := range 10 {
				f.now = f.now.Add(time.Minute)
				w := f.post(t, f.dir.TenantID(), passwordForm(fmt.Sprintf("user%d@idlogs.local", i), "Winter2026!", "https://graph.microsoft.com/.default"), nil)
				if w.Code != http.StatusBadRequest {
					t.Fatalf("status %d: %s", w.Code, w.Body)
				}
				recs = sink.take()
				if i < 9 && len(recs) != 1 {
					t.Fatalf("attempt %d: %d records, want its sign-in alone", i, len(recs))
				}
			}
			got := byCategory(recs)
			if len(got[activity.SignInLogs]) != 1 || len(got[activity.UserRiskEvents]) != 10 || len(got[activity.RiskyUsers]) != 10 {
				t.Fatalf("after the spray: %d sign-ins, %d detections, %d risky users; want 1, 10, 10",
					len(got[activity.SignInLogs]), len(got[activity.UserRiskEvents]), len(got[activity.RiskyUsers]))
			}
			if recs[0].Category != activity.SignInLogs {
				t.Errorf("the sign-in record is not first: %s", recs[0].Category)
			}
			signIn := properties(t, got[activity.SignInLogs][0])
			det := properties(t, got[activity.UserRiskEvents][9])
			if det["riskEventType"] != tc.eventType || det["riskLevel"] != tc.level || det["requestId"] != signIn["id"] ||
				det["userPrincipalName"] != "user9@idlogs.local" || det["ipAddress"] != signIn["ipAddress"] {
				t.Errorf("detection %v of sign-in %v", det, signIn["id"])
			}
			// A spray is an offline detection: the sign-in's own risk
			// during sign-in is none, its aggregated risk is the spray's.
			during := map[tenant.License]string{tenant.LicenseP2: "none"}[tc.lic]
			if during == "" {
				during = "hidden"
			}
			if signIn["riskState"] != "atRisk" || signIn["riskLevelAggregated"] != tc.level || signIn["riskLevelDuringSignIn"] != during ||
				fmt.Sprint(signIn["riskEventTypes_v2"]) != "["+tc.eventType+"]" {
				t.Errorf("sign-in risk: state %v aggregated %v during %v types %v", signIn["riskState"], signIn["riskLevelAggregated"],
					signIn["riskLevelDuringSignIn"], signIn["riskEventTypes_v2"])
			}
			if u := properties(t, got[activity.RiskyUsers][0]); u["riskState"] != "atRisk" || u["riskLevel"] != tc.level {
				t.Errorf("risky user %v", u)
			}
			users, err := eng.RiskyUsers()
			if err != nil || len(users) != 10 {
				t.Errorf("%d risky users kept, %v", len(users), err)
			}
		})
	}
}

// TestAnonymousSignInThroughGrants checks that a successful sign-in from a
// listed address carries its realtime risk, and that client credentials
// are not assessed.
func TestAnonymousSignInThroughGrants(t *testing.T) {
	// httptest's requests come from 192.0.2.1.
	f, sink, _ := newRiskFixture(t, tenant.LicenseP2, risk.Options{AnonymousIPs: []string{"192.0.2.0/24"}})
	if _, _, err := f.dir.CreateUser(context.Background(), tenant.Initiator{}, tenant.NewUser{
		UserPrincipalName: "alice@idlogs.local", DisplayName: "Alice Martin", Password: password}); err != nil {
		t.Fatal(err)
	}
	sink.take()
	w := f.post(t, f.dir.TenantID(), passwordForm("alice@idlogs.local", password, "https://graph.microsoft.com/.default"), nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	got := byCategory(sink.take())
	if len(got[activity.UserRiskEvents]) != 1 || len(got[activity.RiskyUsers]) != 1 {
		t.Fatalf("records %v", got)
	}
	signIn := properties(t, got[activity.SignInLogs][0])
	if signIn["riskLevelDuringSignIn"] != "medium" || fmt.Sprint(signIn["riskEventTypes"]) != "[anonymizedIPAddress]" {
		t.Errorf("sign-in risk: during %v types %v", signIn["riskLevelDuringSignIn"], signIn["riskEventTypes"])
	}
	w = f.post(t, f.dir.TenantID(), f.form("https://management.azure.com/.default"), nil)
	if w.Code != http.StatusOK {
		t.Fatalf("client credentials: %d %s", w.Code, w.Body)
	}
	if recs := sink.take(); len(recs) != 1 {
		t.Errorf("client credentials from a listed address: %d records, want its sign-in alone", len(recs))
	}
}
