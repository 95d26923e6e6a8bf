package token

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// memSink keeps emitted records.
type memSink struct {
	mu   sync.Mutex
	recs []activity.Record
}

func (s *memSink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, recs...)
	return nil
}

// waitTake takes the records once there are n: over HTTP a sign-in is
// recorded after its answer is sent.
func (s *memSink) waitTake(t *testing.T, n int) []activity.Record {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		got := len(s.recs)
		s.mu.Unlock()
		if got >= n || time.Now().After(deadline) {
			return s.take()
		}
		time.Sleep(time.Millisecond)
	}
}

func (s *memSink) take() []activity.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.recs
	s.recs = nil
	return r
}

const password = "correct horse battery"

// userFixture adds a sink and a user with a directory role to fixture.
func newUserFixture(t *testing.T) (*fixture, *memSink, *tenant.User) {
	t.Helper()
	sink := &memSink{}
	f := newFixture(t, Options{Activity: sink})
	u, _, err := f.dir.CreateUser(context.Background(), tenant.Initiator{}, tenant.NewUser{
		UserPrincipalName: "alice@idlogs.local", DisplayName: "Alice Martin", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.dir.AssignRole(context.Background(), tenant.Initiator{}, u.ID, tenant.RoleSecurityReader); err != nil {
		t.Fatal(err)
	}
	return f, sink, u
}

func passwordForm(user, pass, scope string) url.Values {
	return url.Values{"grant_type": {"password"}, "client_id": {tenant.AzureCLIAppID}, "username": {user},
		"password": {pass}, "scope": {scope}, "client_info": {"1"}}
}

func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	return m
}

func TestPasswordAndRefreshGrants(t *testing.T) {
	f, sink, u := newUserFixture(t)
	w := f.post(t, f.dir.TenantID(), passwordForm("Alice@idlogs.local", password, "https://graph.microsoft.com/.default openid profile offline_access"), nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	resp := decode(t, w.Body.Bytes())
	rt, _ := resp["refresh_token"].(string)
	if rt == "" || resp["id_token"] == nil || resp["client_info"] == nil {
		t.Fatalf("response = %v", resp)
	}
	p, err := f.svc.Verify(resp["access_token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if p.App || p.ObjectID != u.ID || p.Name != "Alice Martin" || p.AppID != tenant.AzureCLIAppID || p.Audience != "https://graph.microsoft.com" ||
		len(p.DirectoryRoles) != 1 || p.DirectoryRoles[0] != tenant.RoleSecurityReader {
		t.Fatalf("principal = %+v", p)
	}
	pt, _ := parse(resp["access_token"].(string))
	if c := pt.claims; c.Idtyp != "user" || c.Upn != "alice@idlogs.local" || c.Scp != "user_impersonation" || c.Oid != u.ID {
		t.Errorf("claims = %+v", c)
	}
	if recs := sink.take(); len(recs) != 1 || recs[0].Category != activity.SignInLogs || recs[0].ResultType != "0" {
		t.Fatalf("records = %+v", recs)
	}

	// A refresh gives new tokens and a new refresh token; the old one is
	// spent.
	f.now = f.now.Add(time.Hour)
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {tenant.AzureCLIAppID}, "refresh_token": {rt},
		"scope": {"https://management.azure.com//.default offline_access"}}
	w = f.post(t, f.dir.TenantID(), form, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("refresh: %d %s", w.Code, w.Body)
	}
	resp = decode(t, w.Body.Bytes())
	if rt2, _ := resp["refresh_token"].(string); rt2 == "" || rt2 == rt {
		t.Fatalf("refresh token not rotated: %v", resp)
	}
	if p, err := f.svc.Verify(resp["access_token"].(string)); err != nil || p.Audience != "https://management.azure.com/" || p.ObjectID != u.ID {
		t.Fatalf("refreshed principal = %+v, %v", p, err)
	}
	if recs := sink.take(); len(recs) != 1 || recs[0].Category != activity.NonInteractiveUserSignInLogs || recs[0].ResultType != "0" {
		t.Fatalf("records = %+v", recs)
	}
	w = f.post(t, f.dir.TenantID(), form, nil)
	if code := errorCode(t, w.Body.Bytes()); w.Code != 400 || code != 9002313 {
		t.Errorf("spent refresh token: %d %s", w.Code, w.Body)
	}
	if recs := sink.take(); len(recs) != 1 || recs[0].Category != activity.NonInteractiveUserSignInLogs || recs[0].ResultType != "9002313" {
		t.Fatalf("records = %+v", recs)
	}
}

func errorCode(t *testing.T, body []byte) int {
	t.Helper()
	var b oauthErrorBody
	if err := json.Unmarshal(body, &b); err != nil || len(b.ErrorCodes) != 1 {
		t.Fatalf("not an error: %s", body)
	}
	return b.ErrorCodes[0]
}

func TestUserGrantFailures(t *testing.T) {
	f, sink, u := newUserFixture(t)
	tid := f.dir.TenantID()
	graph := "https://graph.microsoft.com/User.Read offline_access"
	expect := func(name string, form url.Values, status, code int, category string) {
		t.Helper()
		w := f.post(t, tid, form, nil)
		if got := errorCode(t, w.Body.Bytes()); w.Code != status || got != code {
			t.Errorf("%s: %d AADSTS%d, want %d AADSTS%d", name, w.Code, got, status, code)
		}
		recs := sink.take()
		if len(recs) != 1 || recs[0].Category != category || recs[0].ResultType != strconv.Itoa(code) {
			t.Errorf("%s: records = %+v", name, recs)
		}
	}
	expect("unknown user", passwordForm("bob@idlogs.local", password, graph), 400, 50034, activity.SignInLogs)
	expect("two resources", passwordForm(u.UserPrincipalName, password, graph+" https://management.azure.com/.default"), 400, 28000, activity.SignInLogs)
	conf := passwordForm(u.UserPrincipalName, password, graph)
	conf.Set("client_id", f.app.AppID)
	expect("confidential client without a secret", conf, 401, 7000218, activity.SignInLogs)
	conf.Set("client_secret", "wrong")
	expect("confidential client, bad secret", conf, 401, 7000215, activity.SignInLogs)
	conf.Set("client_secret", f.secret)
	if w := f.post(t, tid, conf, nil); w.Code != 200 {
		t.Errorf("confidential client with its secret: %d %s", w.Code, w.Body)
	}
	sink.take()
	for i := 0; i < tenant.LockoutThreshold; i++ {
		expect("bad password "+strconv.Itoa(i), passwordForm(u.UserPrincipalName, "wrong password", graph), 400, 50126, activity.SignInLogs)
	}
	expect("locked", passwordForm(u.UserPrincipalName, password, graph), 400, 50053, activity.SignInLogs)
	f.now = f.now.Add(tenant.LockoutDuration + time.Second)
	off := false
	f.dir.UpdateUser(context.Background(), tenant.Initiator{}, u.ID, tenant.UserPatch{AccountEnabled: &off})
	expect("disabled", passwordForm(u.UserPrincipalName, password, graph), 400, 50057, activity.SignInLogs)
	expect("unknown refresh token", url.Values{"grant_type": {"refresh_token"}, "client_id": {tenant.AzureCLIAppID}, "refresh_token": {"1.idl.nothing"}},
		400, 9002313, activity.NonInteractiveUserSignInLogs)
	bad := f.form("https://api.loganalytics.io/.default")
	bad.Set("client_secret", "wrong")
	expect("client credentials, bad secret", bad, 401, 7000215, activity.ServicePrincipalSignInLogs)
}

// TestSignInRecords checks the records of one sign-in of each kind against
// testdata/signins.golden, field by field.
func TestSignInRecords(t *testing.T) {
	f, sink, u := newUserFixture(t)
	f.dir.SetLicense(context.Background(), tenant.Initiator{}, tenant.LicenseFree) // the golden records are a Free tenant's
	tid := f.dir.TenantID()
	hdr := http.Header{
		"User-Agent":        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"},
		"Client-Request-Id": {"0b7e1bd2-6a4b-4a57-a06a-6c3b6c3c1a10"},
		"X-Client-Sku":      {"MSAL.Python"},
		"X-Client-Ver":      {"1.20.0"},
		"X-Client-Os":       {"linux"},
		"X-Forwarded-For":   {"203.0.113.7"}, // not trusted: ignored
	}
	w := f.post(t, tid, passwordForm(u.UserPrincipalName, password, "https://graph.microsoft.com/User.Read openid offline_access"), hdr)
	rt := decode(t, w.Body.Bytes())["refresh_token"].(string)
	f.post(t, tid, passwordForm(u.UserPrincipalName, "wrong password", "https://graph.microsoft.com/User.Read"), hdr)
	f.post(t, tid, url.Values{"grant_type": {"refresh_token"}, "client_id": {tenant.AzureCLIAppID}, "refresh_token": {rt}}, hdr)
	f.post(t, tid, f.form("https://api.loganalytics.io/.default"), http.Header{"Client-Request-Id": {"0b7e1bd2-6a4b-4a57-a06a-6c3b6c3c1a11"}})
	bad := f.form("https://api.loganalytics.io/.default")
	bad.Set("client_secret", "wrong")
	f.post(t, tid, bad, http.Header{"Client-Request-Id": {"0b7e1bd2-6a4b-4a57-a06a-6c3b6c3c1a12"}})
	recs := sink.take()
	if len(recs) != 5 {
		t.Fatalf("%d records", len(recs))
	}
	checkGolden(t, "signins.golden", tid, recs)
}

func TestForwardedFor(t *testing.T) {
	sink := &memSink{}
	f := newFixture(t, Options{Activity: sink, TrustForwardedFor: true})
	f.post(t, f.dir.TenantID(), f.form("https://api.loganalytics.io/.default"), http.Header{"X-Forwarded-For": {"203.0.113.7, 10.0.0.1"}})
	if recs := sink.take(); len(recs) != 1 || recs[0].CallerIPAddress != "203.0.113.7" {
		t.Fatalf("records = %+v", recs)
	}
}

func TestParseUserAgent(t *testing.T) {
	for _, c := range []struct{ ua, os, browser string }{
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91", "Windows10", "Edge 120.0.2210.91"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "MacOs", "Safari 17.1"},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Linux", "Firefox 121.0"},
		{"azsdk-go-azidentity/v1.15.0 (go1.26.0; linux)", "Linux", ""},
		{"", "", ""},
	} {
		if os, b := parseUserAgent(c.ua); os != c.os || b != c.browser {
			t.Errorf("parseUserAgent(%q) = %q, %q; want %q, %q", c.ua, os, b, c.os, c.browser)
		}
	}
}

// BenchmarkTokenRecord measures what recording adds to a client
// credentials request: building the record, with a sink that keeps it in
// memory.
func BenchmarkTokenRecord(b *testing.B) {
	for _, withSink := range []bool{false, true} {
		b.Run("sink="+strconv.FormatBool(withSink), func(b *testing.B) {
			opts := Options{}
			if withSink {
				opts.Activity = &memSink{}
			}
			f := newFixture(b, opts)
			form := f.form("https://api.loganalytics.io/.default")
			b.ResetTimer()
			for b.Loop() {
				f.post(b, f.dir.TenantID(), form, nil)
			}
		})
	}
}

var guidRE = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
var utiRE = regexp.MustCompile(`"uniqueTokenIdentifier": "[A-Za-z0-9_-]+"`)

// checkGolden compares records, as indented JSON with GUIDs numbered in
// order of appearance (well-known ids are kept), with a golden file.
func checkGolden(t *testing.T, name, tenantID string, recs []activity.Record) {
	t.Helper()
	raw, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	json.Unmarshal(raw, &v)
	raw, _ = json.MarshalIndent(v, "", "  ")
	s := strings.ReplaceAll(string(raw), tenantID, "<tenant>")
	s = utiRE.ReplaceAllString(s, `"uniqueTokenIdentifier": "<uti>"`)
	ids := map[string]string{}
	s = guidRE.ReplaceAllStringFunc(s, func(g string) string {
		if strings.HasPrefix(g, "0b7e1bd2") || g == tenant.AzureCLIAppID {
			return g
		}
		for _, r := range knownResources {
			if r[0] == g {
				return g
			}
		}
		if _, ok := ids[g]; !ok {
			ids[g] = "<id" + strconv.Itoa(len(ids)+1) + ">"
		}
		return ids[g]
	})
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(s+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var got, exp []any
	if err := json.Unmarshal([]byte(s), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &exp); err != nil {
		t.Fatal(err)
	}
	compareFields(t, "records", got, exp)
}

func compareFields(t *testing.T, path string, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s = %v, want an object", path, got)
			return
		}
		for k := range w {
			compareFields(t, path+"."+k, g[k], w[k])
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				t.Errorf("%s.%s = %v is not in the golden file", path, k, g[k])
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s = %v, want %v", path, got, want)
			return
		}
		for i := range w {
			compareFields(t, path+"["+strconv.Itoa(i)+"]", g[i], w[i])
		}
	default:
		if got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}

// fileSink appends records to a file and syncs it before Emit returns, as
// a durable activity log does.
type fileSink struct {
	mu sync.Mutex
	f  *os.File
}

func (s *fileSink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := s.f.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	return s.f.Sync()
}

// BenchmarkTokenLatency measures back-to-back client-credentials requests
// over one HTTP connection, without a sink and with a durable (fsync) one.
// A single answer does not wait for the sync (it carries its length and is
// flushed before the record is written), but the next request on the
// connection waits for the handler to return, so the difference is the
// sync's cost to a client that sends requests one after another.
func BenchmarkTokenLatency(b *testing.B) {
	for _, withSink := range []bool{false, true} {
		b.Run("fsync-sink="+strconv.FormatBool(withSink), func(b *testing.B) {
			opts := Options{Now: time.Now}
			if withSink {
				fh, err := os.Create(filepath.Join(b.TempDir(), "activity.jsonl"))
				if err != nil {
					b.Fatal(err)
				}
				defer fh.Close()
				opts.Activity = &fileSink{f: fh}
			}
			f := newFixture(b, opts)
			srv := httptest.NewServer(f.router())
			defer srv.Close()
			body := f.form("https://api.loganalytics.io/.default").Encode()
			client := srv.Client()
			b.ResetTimer()
			for b.Loop() {
				resp, err := client.Post(srv.URL+"/"+f.dir.TenantID()+"/oauth2/v2.0/token", "application/x-www-form-urlencoded", strings.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadAll(resp.Body); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}

func TestRefreshGrantFailures(t *testing.T) {
	f, sink, u := newUserFixture(t)
	tid := f.dir.TenantID()
	signIn := func() string {
		t.Helper()
		w := f.post(t, tid, passwordForm(u.UserPrincipalName, password, "https://graph.microsoft.com/User.Read offline_access"), nil)
		rt, _ := decode(t, w.Body.Bytes())["refresh_token"].(string)
		if rt == "" {
			t.Fatalf("no refresh token: %s", w.Body)
		}
		return rt
	}
	refresh := func(rt, clientID string) (int, int) {
		t.Helper()
		form := url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "refresh_token": {rt}}
		if clientID == f.app.AppID {
			form.Set("client_secret", f.secret)
		}
		w := f.post(t, tid, form, nil)
		if w.Code == 200 {
			return 200, 0
		}
		return w.Code, errorCode(t, w.Body.Bytes())
	}

	rt := signIn()
	if st, code := refresh(rt, f.app.AppID); st != 400 || code != 70000 {
		t.Errorf("another client's refresh token: %d AADSTS%d", st, code)
	}
	// The refused request did not spend the token.
	if st, code := refresh(rt, tenant.AzureCLIAppID); st != 200 {
		t.Errorf("refresh after a refused one: %d AADSTS%d", st, code)
	}

	rt = signIn()
	f.now = f.now.Add(DefaultRefreshLifetime + time.Hour)
	if st, code := refresh(rt, tenant.AzureCLIAppID); st != 400 || code != 700082 {
		t.Errorf("expired refresh token: %d AADSTS%d", st, code)
	}

	rt = signIn()
	off := false
	f.dir.UpdateUser(context.Background(), tenant.Initiator{}, u.ID, tenant.UserPatch{AccountEnabled: &off})
	if st, code := refresh(rt, tenant.AzureCLIAppID); st != 400 || code != 50057 {
		t.Errorf("disabled user's refresh token: %d AADSTS%d", st, code)
	}
	for _, r := range sink.take() {
		var p struct {
			IsInteractive bool   `json:"isInteractive"`
			UserID        string `json:"userId"`
		}
		json.Unmarshal(r.Properties, &p)
		if r.Category == activity.NonInteractiveUserSignInLogs && (p.IsInteractive || (r.ResultType != "70000" && p.UserID != u.ID)) {
			t.Errorf("refresh record %s: %+v", r.ResultType, p)
		}
	}
}

func TestManagedIdentityToken(t *testing.T) {
	sink := &memSink{}
	f := newFixture(t, Options{Activity: sink})
	mi, _, err := f.dir.CreateManagedIdentity(context.Background(), tenant.Initiator{}, "vm-identity")
	if err != nil {
		t.Fatal(err)
	}
	f.dir.AssignRole(context.Background(), tenant.Initiator{}, mi.ID, tenant.RoleReportsReader)
	raw, _, err := f.svc.ManagedIdentityToken(context.Background(), mi.AppID, "https://api.loganalytics.io", base, "10.1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Verify(raw)
	if err != nil || !p.App || p.ObjectID != mi.ID || len(p.DirectoryRoles) != 1 {
		t.Fatalf("principal = %+v, %v", p, err)
	}
	recs := sink.take()
	if len(recs) != 1 || recs[0].Category != activity.ManagedIdentitySignInLogs || recs[0].CallerIPAddress != "10.1.2.3" || recs[0].Identity != "vm-identity" {
		t.Fatalf("records = %+v", recs)
	}
	if _, _, err := f.svc.ManagedIdentityToken(context.Background(), f.app.AppID, "https://api.loganalytics.io", base, ""); err == nil {
		t.Error("an application got a managed identity token")
	}
}

func TestRiskLevelsFollowTheLicence(t *testing.T) {
	sink := &memSink{}
	f := newFixture(t, Options{Activity: sink})
	risk := func() string {
		f.post(t, f.dir.TenantID(), f.form("https://api.loganalytics.io/.default"), nil)
		recs := sink.take()
		var p struct {
			Risk string `json:"riskLevelDuringSignIn"`
		}
		json.Unmarshal(recs[0].Properties, &p)
		return p.Risk
	}
	f.dir.SetLicense(context.Background(), tenant.Initiator{}, tenant.LicenseFree)
	if r := risk(); r != "hidden" {
		t.Errorf("Free tenant: risk %q, want hidden", r)
	}
	f.dir.SetLicense(context.Background(), tenant.Initiator{}, tenant.LicenseP2)
	if r := risk(); r != "none" {
		t.Errorf("P2 tenant: risk %q, want none", r)
	}
}
