package risk

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/workspace/schema"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

const tenantID = "f1d2c3b4-0a9e-4c8d-b7f6-5e4d3c2b1a09"

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// newEngine returns an engine with counted ids over a fresh state file.
func newEngine(t testing.TB, opts Options) (*Engine, *state.DB) {
	t.Helper()
	db, err := state.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	n := 0
	opts.NewID = func() string { n++; return fmt.Sprintf("%064x", n) }
	e, err := Open(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e, db
}

// user is the attempt of test user i at t.
func user(i int, at time.Time, ip string) Attempt {
	return Attempt{Time: at, RequestID: fmt.Sprintf("00000000-0000-4000-8000-%012d", at.Unix()%1e6*100+int64(i)),
		CorrelationID: fmt.Sprintf("c0000000-0000-4000-8000-%012d", i), IP: ip, UserAgent: "python-requests/2.31",
		UserID: fmt.Sprintf("10000000-0000-4000-8000-%012d", i), UserPrincipalName: fmt.Sprintf("user%02d@idlogs.local", i),
		UserDisplayName: fmt.Sprintf("User %02d", i)}
}

func assess(t *testing.T, e *Engine, a Attempt) Result {
	t.Helper()
	r, err := e.Assess(a)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkGolden compares the records, one JSON line each, with
// testdata/name, and checks that every record maps to a row of its table.
func checkGolden(t *testing.T, name string, recs []activity.Record) {
	t.Helper()
	var buf bytes.Buffer
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
		table, _ := tablemap.Table(r.Category)
		sch, ok := schema.Lookup(table)
		if !ok {
			t.Fatalf("no schema for %s", table)
		}
		batch, errs := tablemap.Build(r.Category, sch, "workspace", []activity.Record{r}, r.Time)
		if len(errs) > 0 || batch == nil || batch.N != 1 {
			t.Errorf("%s record does not map to a %s row: %v", r.Category, table, errs)
		}
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("records differ from %s (run with -update to see the change):\n%s", path, buf.Bytes())
	}
}

func TestPasswordSpray(t *testing.T) {
	e, _ := newEngine(t, Options{})
	const ip = "198.51.100.23"
	var res Result
	// Nine accounts failed: not yet a spray.
	for i := range 9 {
		a := user(i, t0.Add(time.Duration(i)*time.Minute), ip)
		a.FailedPassword = true
		if r := assess(t, e, a); len(r.Detections) != 0 {
			t.Fatalf("detection after %d accounts: %+v", i+1, r.Detections)
		}
	}
	// The tenth is an account that does not exist: it counts, but has no
	// detection of its own.
	ghost := user(99, t0.Add(9*time.Minute), ip)
	ghost.UserID, ghost.UserDisplayName, ghost.FailedPassword = "", "", true
	res = assess(t, e, ghost)
	if len(res.Detections) != 9 || len(res.Users) != 9 {
		t.Fatalf("got %d detections and %d users, want 9 and 9", len(res.Detections), len(res.Users))
	}
	for _, d := range res.Detections {
		if d.RiskEventType != "passwordSpray" || d.RiskLevel != LevelHigh {
			t.Errorf("detection %+v", d)
		}
	}
	// Another account failing in the window is flagged alone; a flagged
	// account failing again is not flagged twice.
	next := user(10, t0.Add(10*time.Minute), ip)
	next.FailedPassword = true
	again := user(0, t0.Add(11*time.Minute), ip)
	again.FailedPassword = true
	r2 := assess(t, e, next)
	r3 := assess(t, e, again)
	if len(r2.Detections) != 1 || r2.Detections[0].UserID != next.UserID || len(r3.Detections) != 0 {
		t.Errorf("after the spray: %d detections, then %d", len(r2.Detections), len(r3.Detections))
	}
	// The same failures from another address are not a spray of it.
	other := user(0, t0.Add(12*time.Minute), "198.51.100.24")
	other.FailedPassword = true
	if r := assess(t, e, other); len(r.Detections) != 0 {
		t.Errorf("one failure from another address: %+v", r.Detections)
	}
	checkGolden(t, "spray.jsonl", res.Records(tenantID, tenant.LicenseP2))
	checkGolden(t, "spray-p1.jsonl", res.Records(tenantID, tenant.LicenseP1)[:2])
}

func TestSprayWindow(t *testing.T) {
	e, _ := newEngine(t, Options{SprayUsers: 3, SprayWindow: 10 * time.Minute})
	for i, at := range []time.Duration{0, 6 * time.Minute, 12 * time.Minute} {
		a := user(i, t0.Add(at), "198.51.100.23")
		a.FailedPassword = true
		if r := assess(t, e, a); len(r.Detections) != 0 {
			t.Errorf("failures 12 minutes apart with a 10-minute window make a spray: %+v", r.Detections)
		}
	}
	a := user(3, t0.Add(13*time.Minute), "198.51.100.23")
	a.FailedPassword = true
	if r := assess(t, e, a); len(r.Detections) != 3 {
		t.Errorf("three accounts within the window: %d detections, want 3", len(r.Detections))
	}
}

func TestUnfamiliarFeatures(t *testing.T) {
	e, db := newEngine(t, Options{})
	ok := func(at time.Time, ip, agent string) Result {
		a := user(1, at, ip)
		a.UserAgent, a.Succeeded = agent, true
		return assess(t, e, a)
	}
	// Learning: a new address in the first five days is learnt.
	ok(t0, "192.0.2.10", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
	if r := ok(t0.Add(48*time.Hour), "203.0.113.50", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"); len(r.Detections) != 0 {
		t.Errorf("a new address while learning: %+v", r.Detections)
	}
	// After learning: a neighbour of a known address is familiar.
	if r := ok(t0.Add(6*24*time.Hour), "192.0.2.77", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"); len(r.Detections) != 0 {
		t.Errorf("an address of a known /24: %+v", r.Detections)
	}
	// The engine is opened again: what it learnt survived.
	e2, err := Open(db, Options{NewID: func() string { return fmt.Sprintf("%064x", 1) }})
	if err != nil {
		t.Fatal(err)
	}
	e = e2
	res := ok(t0.Add(7*24*time.Hour), "100.64.7.9", "curl/8.5.0")
	if len(res.Detections) != 1 || res.Detections[0].RiskEventType != "unfamiliarFeatures" {
		t.Fatalf("new address after learning: %+v", res.Detections)
	}
	if r := ok(t0.Add(7*24*time.Hour+time.Hour), "100.64.7.10", "curl/8.5.0"); len(r.Detections) != 0 {
		t.Errorf("the flagged address again: %+v", r.Detections)
	}
	// A failed sign-in is not judged.
	failed := user(1, t0.Add(8*24*time.Hour), "100.99.0.1")
	failed.FailedPassword = true
	if r := assess(t, e, failed); len(r.Detections) != 0 {
		t.Errorf("a failed sign-in: %+v", r.Detections)
	}
	sig := res.SignInOf(res.Detections[0].RequestID, tenant.LicenseP2)
	if sig.State != StateAtRisk || sig.DuringSignIn != LevelMedium || fmt.Sprint(sig.EventTypes) != "[unfamiliarFeatures]" {
		t.Errorf("sign-in risk %+v", sig)
	}
	if sig := res.SignInOf(res.Detections[0].RequestID, tenant.LicenseP1); sig.DuringSignIn != LevelHidden || fmt.Sprint(sig.EventTypes) != "[generic]" {
		t.Errorf("sign-in risk below P2 %+v", sig)
	}
	checkGolden(t, "unfamiliar.jsonl", res.Records(tenantID, tenant.LicenseP2))
}

func TestAnonymousIP(t *testing.T) {
	if _, err := Open(nil, Options{AnonymousIPs: []string{"198.51.100.0/33"}}); err == nil {
		t.Error("a bad network is accepted")
	}
	e, _ := newEngine(t, Options{AnonymousIPs: []string{"185.220.101.0/24", "2001:db8:7::1"}})
	a := user(2, t0, "185.220.101.34")
	a.Succeeded = true
	res := assess(t, e, a)
	if len(res.Detections) != 1 || res.Detections[0].RiskEventType != "anonymizedIPAddress" {
		t.Fatalf("sign-in from a listed network: %+v", res.Detections)
	}
	for _, ip := range []string{"2001:db8:7::1", "::ffff:185.220.101.9"} {
		b := user(3, t0, ip)
		b.Succeeded = true
		if r := assess(t, e, b); len(r.Detections) != 1 {
			t.Errorf("sign-in from %s: %d detections, want 1", ip, len(r.Detections))
		}
	}
	c := user(4, t0, "185.220.102.1")
	c.Succeeded = true
	if r := assess(t, e, c); len(r.Detections) != 0 {
		t.Errorf("sign-in from an unlisted address: %+v", r.Detections)
	}
	sig := res.SignInOf(a.RequestID, tenant.LicenseP2)
	if sig.DuringSignIn != LevelMedium || fmt.Sprint(sig.V1EventTypes()) != "[anonymizedIPAddress]" {
		t.Errorf("sign-in risk %+v", sig)
	}
	checkGolden(t, "anonymous.jsonl", res.Records(tenantID, tenant.LicenseP2))
}

func TestDismiss(t *testing.T) {
	e, _ := newEngine(t, Options{AnonymousIPs: []string{"185.220.101.0/24"}})
	a := user(2, t0, "185.220.101.34")
	a.Succeeded = true
	assess(t, e, a)
	res, err := e.Dismiss([]string{a.UserID, "10000000-0000-4000-8000-000000000404"}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Users) != 1 || len(res.Detections) != 1 {
		t.Fatalf("dismissed %d users and %d detections, want 1 and 1", len(res.Users), len(res.Detections))
	}
	users, _ := e.RiskyUsers()
	dets, _ := e.Detections()
	if len(users) != 1 || users[0].RiskState != StateDismissed || users[0].RiskLevel != LevelNone {
		t.Errorf("risky users %+v", users)
	}
	if len(dets) != 1 || dets[0].RiskState != StateDismissed {
		t.Errorf("detections %+v", dets)
	}
	checkGolden(t, "dismiss.jsonl", res.Records(tenantID, tenant.LicenseP2))
	// A new detection puts the user at risk again.
	a.Time = t0.Add(2 * time.Hour)
	if r := assess(t, e, a); len(r.Users) != 1 || r.Users[0].RiskState != StateAtRisk || r.Users[0].RiskLevel != LevelMedium {
		t.Errorf("after a new detection: %+v", r.Users)
	}
}

// TestUserLevel checks that a user's level is the highest of its
// detections while at risk.
func TestUserLevel(t *testing.T) {
	e, _ := newEngine(t, Options{SprayUsers: 2, AnonymousIPs: []string{"185.220.101.0/24"}})
	a := user(1, t0, "185.220.101.34")
	a.Succeeded = true
	assess(t, e, a)
	for i := range 2 {
		f := user(1+i, t0.Add(time.Minute), "198.51.100.1")
		f.FailedPassword = true
		assess(t, e, f)
	}
	b := user(1, t0.Add(2*time.Minute), "185.220.101.35")
	b.Succeeded = true
	r := assess(t, e, b)
	if len(r.Users) != 1 || r.Users[0].RiskLevel != LevelHigh {
		t.Errorf("user after high then medium: %+v", r.Users)
	}
}

// TestSprayBounds checks that the counters stay bounded whatever is sent.
func TestSprayBounds(t *testing.T) {
	e, _ := newEngine(t, Options{SprayUsers: 1000})
	for i := range maxSprayTargets + 10 {
		a := user(i, t0.Add(time.Duration(i)*time.Millisecond), "198.51.100.1")
		a.UserID, a.FailedPassword = "", true
		assess(t, e, a)
	}
	if n := len(e.sprays["198.51.100.1"].targets); n != maxSprayTargets {
		t.Errorf("%d targets kept, want %d", n, maxSprayTargets)
	}
	for i := range maxSprayAddresses + 10 {
		a := user(1, t0.Add(time.Duration(i)*time.Millisecond), fmt.Sprintf("10.%d.%d.1", i/256, i%256))
		a.FailedPassword = true
		assess(t, e, a)
	}
	if n := len(e.sprays); n > maxSprayAddresses {
		t.Errorf("%d addresses kept, want at most %d", n, maxSprayAddresses)
	}
}

func TestRetention(t *testing.T) {
	e, _ := newEngine(t, Options{AnonymousIPs: []string{"185.220.101.0/24"}, Retention: 30 * 24 * time.Hour})
	for i, at := range []time.Time{t0, t0.Add(20 * 24 * time.Hour), t0.Add(40 * 24 * time.Hour)} {
		a := user(i, at, "185.220.101.34")
		a.Succeeded = true
		assess(t, e, a)
	}
	dets, err := e.Detections()
	if err != nil {
		t.Fatal(err)
	}
	if len(dets) != 2 || dets[0].UserID != user(1, t0, "").UserID {
		t.Errorf("after 40 days with 30 days' retention: %+v, want those of days 20 and 40", dets)
	}
}
