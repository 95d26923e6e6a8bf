package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/workspace/schema"
)

const tenantID = "f1d2c3b4-0a9e-4c8d-b7f6-5e4d3c2b1a09"

// now is a Friday noon; the day before is a working day everywhere.
var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func collect(t *testing.T, s *Sim, from, to time.Time) []activity.Record {
	t.Helper()
	var out []activity.Record
	if err := s.Between(from, to, func(recs []activity.Record) error {
		if len(recs) > s.opt.BatchSize {
			t.Fatalf("batch of %d records, more than %d", len(recs), s.opt.BatchSize)
		}
		out = append(out, recs...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func encode(t *testing.T, recs []activity.Record) []byte {
	var buf bytes.Buffer
	for i := range recs {
		b, err := recs[i].AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(append(b, '\n'))
	}
	return buf.Bytes()
}

// TestDeterministic: the same options give the same records, however the
// time is split into calls; another seed gives others.
func TestDeterministic(t *testing.T) {
	opt := Options{Seed: 7, Users: 300, TenantID: tenantID, Now: now}
	from, to := now.Add(-6*time.Hour), now
	a := collect(t, New(opt), from, to)
	b := collect(t, New(opt), from, from.Add(133*time.Minute))
	b = append(b, collect(t, New(opt), from.Add(133*time.Minute), to)...)
	if len(a) == 0 || !bytes.Equal(encode(t, a), encode(t, b)) {
		t.Fatalf("same seed: %d and %d records, or they differ", len(a), len(b))
	}
	opt.Seed = 8
	if c := collect(t, New(opt), from, to); bytes.Equal(encode(t, a), encode(t, c)) {
		t.Fatal("another seed gave the same records")
	}
	for i := 1; i < len(a); i++ {
		if a[i].Time.Before(a[i-1].Time) {
			t.Fatalf("record %d at %v is before its predecessor at %v", i, a[i].Time, a[i-1].Time)
		}
	}
}

// dayOf returns a working day of activity of 1,000 users and the planted
// threats, generated once.
var dayOf = sync.OnceValue(func() []activity.Record {
	s := New(Options{Seed: 1, Users: 1000, TenantID: tenantID, Now: now})
	var out []activity.Record
	s.Between(now.Add(-32*time.Hour), now.Add(-8*time.Hour), func(recs []activity.Record) error {
		out = append(out, recs...)
		return nil
	})
	return out
})

// TestProportions checks the shape of a working day against the ranges
// real tenants show.
func TestProportions(t *testing.T) {
	recs := dayOf()
	count := map[string]int{}
	var interactive, failed, adal, sprayed int
	ids := map[string]bool{}
	for i := range recs {
		r := &recs[i]
		count[r.Category]++
		id := r.ID()
		if id == "" || ids[id] {
			t.Fatalf("record %d (%s): id %q empty or repeated", i, r.Category, id)
		}
		ids[id] = true
		if r.Category != activity.SignInLogs {
			continue
		}
		if r.CallerIPAddress == "185.156.73.54" {
			sprayed++
			continue
		}
		if r.CallerIPAddress == "91.240.118.172" || r.CallerIPAddress == "185.220.101.34" {
			continue // the MFA fatigue and anonymizer sign-ins
		}
		interactive++
		if r.ResultType != "0" {
			failed++
		}
		if bytes.Contains(r.Properties, []byte("Azure AD App Authentication Library")) {
			adal++
		}
	}
	t.Logf("%d records: %v; interactive failures %d, ADAL %d", len(recs), count, failed, adal)
	ratio := func(a, b int) float64 { return float64(a) / float64(b) }
	if interactive < 1000 {
		t.Fatalf("%d interactive sign-ins of 1,000 users on a working day", interactive)
	}
	if f := ratio(failed, interactive); f < 0.04 || f > 0.09 {
		t.Errorf("interactive failure rate %.3f, want 4-9 %%", f)
	}
	if n := ratio(count[activity.NonInteractiveUserSignInLogs], interactive); n < 2 || n > 3 {
		t.Errorf("non-interactive sign-ins per interactive %.1f, want 2-3", n)
	}
	if a := ratio(adal, interactive); a < 0.002 || a > 0.05 {
		t.Errorf("ADAL share %.4f, want 0.2-5 %%", a)
	}
	// The spray (200 detections and risky users), the anonymizer (one
	// of each) and the MFA fatigue (two detections, one risky user).
	if sprayed != 200 || count[activity.UserRiskEvents] != 203 || count[activity.RiskyUsers] != 202 {
		t.Errorf("spray sign-ins %d, risk events %d, risky users %d; want 200, 203, 202", sprayed, count[activity.UserRiskEvents], count[activity.RiskyUsers])
	}
	if count[activity.ServicePrincipalSignInLogs] < 500 || count[activity.AuditLogs] < 5 {
		t.Errorf("service principal sign-ins %d, audit records %d", count[activity.ServicePrincipalSignInLogs], count[activity.AuditLogs])
	}
	// Five managed identities every 5 to 30 minutes; three provisioning
	// jobs every 40 minutes with 0 to 5 changes.
	if n := count[activity.ManagedIdentitySignInLogs]; n < 24*(12+6+4+2+3)*8/10 {
		t.Errorf("%d managed identity sign-ins", n)
	}
	if n := count[activity.ProvisioningLogs]; n < 36*3*2*6/10 || n > 36*3*5 {
		t.Errorf("%d provisioning records", n)
	}
}

// TestEveryRecordMaps: every record maps to a row of its category's
// table, and the key columns are filled.
func TestEveryRecordMaps(t *testing.T) {
	recs := dayOf()
	byCat := map[string][]activity.Record{}
	for _, r := range recs {
		byCat[r.Category] = append(byCat[r.Category], r)
	}
	schemas := map[string]bool{}
	for _, tbl := range schema.Tables() {
		schemas[tbl.Name] = true
		for cat, rs := range byCat {
			if name, _ := tablemap.Table(cat); name != tbl.Name {
				continue
			}
			b, errs := tablemap.Build(cat, tbl.Schema, "ws", rs, now)
			if len(errs) > 0 || b.N != len(rs) {
				t.Fatalf("%s: %d of %d rows, errors %v", cat, b.N, len(rs), errs[:min(3, len(errs))])
			}
			for i, f := range tbl.Schema {
				if f.Name == "TimeGenerated" && b.Cols[i].Ints[0] == b.Cols[i].Ints[b.N-1] && b.N > 1 && cat != activity.RiskyUsers {
					t.Errorf("%s: TimeGenerated the same for the first and last row", cat)
				}
			}
			delete(byCat, cat)
		}
	}
	if len(byCat) > 0 {
		t.Errorf("categories without a table in the catalog: %v", byCat)
	}
}

// TestShapes checks a few members that queries rely on.
func TestShapes(t *testing.T) {
	var seen = map[string]bool{}
	for _, r := range dayOf() {
		var p map[string]any
		if err := json.Unmarshal(r.Properties, &p); err != nil {
			t.Fatal(err)
		}
		if !r.KeepTime || r.TenantID != tenantID || r.ResourceID != activity.ResourceIDOf(tenantID) {
			t.Fatalf("envelope: %+v", r)
		}
		switch r.Category {
		case activity.SignInLogs, activity.NonInteractiveUserSignInLogs:
			if !strings.HasSuffix(p["userPrincipalName"].(string), "@contoso.example") || p["isInteractive"] != (r.Category == activity.SignInLogs) {
				t.Fatalf("sign-in: %s", r.Properties)
			}
			seen[r.ResultType] = true
		case activity.AuditLogs:
			seen[p["activityDisplayName"].(string)] = true
		case activity.UserRiskEvents:
			seen[p["riskEventType"].(string)] = true
		case activity.ProvisioningLogs:
			seen[r.ResultType] = true
			seen[p["provisioningAction"].(string)] = true
		}
	}
	for _, want := range []string{"0", "50126", "50074", "50076", "50053", "50057", "53003", "500121", "Add user", "Update user",
		"Add member to group", "Add app role assignment grant to user", "Add member to role", "passwordSpray", "anonymizedIPAddress",
		"mfaFraud", "unfamiliarFeatures", "Success", "Failure", "Create", "Update"} {
		if !seen[want] {
			t.Errorf("no %q in a day of activity", want)
		}
	}
}

type sinkFunc func(ctx context.Context, recs ...activity.Record) error

func (f sinkFunc) Emit(ctx context.Context, recs ...activity.Record) error { return f(ctx, recs...) }

// TestLive: live rounds emit the records of the time since the last round,
// the same as Between gives, without KeepTime.
func TestLive(t *testing.T) {
	s := New(Options{Seed: 3, Users: 2000, TenantID: tenantID, Now: now})
	clock := now.Add(-time.Hour)
	var mu sync.Mutex
	var got []activity.Record
	rows := 0
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- s.Live(ctx, sinkFunc(func(_ context.Context, recs ...activity.Record) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, recs...)
			if clock.Sub(now.Add(-time.Hour)) >= 30*time.Minute {
				cancel()
			}
			return nil
		}), func(_ context.Context, rs []Row) error {
			mu.Lock()
			defer mu.Unlock()
			rows += len(rs)
			return nil
		}, now.Add(-time.Hour), time.Millisecond, func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(7 * time.Minute)
			return clock
		})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || rows == 0 {
		t.Fatalf("%d records and %d rows emitted", len(got), rows)
	}
	want := collect(t, s, now.Add(-time.Hour), got[len(got)-1].Time.Add(1))
	for i := range want {
		want[i].KeepTime = false
	}
	if len(got) < len(want) || !bytes.Equal(encode(t, got[:len(want)]), encode(t, want)) {
		t.Fatalf("live gave %d records, Between %d, or they differ", len(got), len(want))
	}
}

// BenchmarkBetween generates a working day of 1,000 users (about 25,000
// records) per iteration.
func BenchmarkBetween(b *testing.B) {
	s := New(Options{Seed: 1, Users: 1000, TenantID: tenantID, Now: now})
	n := 0
	for b.Loop() {
		s.Between(now.Add(-32*time.Hour), now.Add(-8*time.Hour), func(recs []activity.Record) error {
			n += len(recs)
			return nil
		})
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
