package token

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/tenant"
)

// FuzzVerify: Verify never panics on outside input, and accepts nothing
// but tokens the service signed.
func FuzzVerify(f *testing.F) {
	fx := newFixture(f, Options{})
	good, _, err := fx.svc.AppToken(fx.app, "https://api.loganalytics.io", base)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", "..", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", good[:len(good)/2]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := fx.svc.Verify(raw)
		if err == nil && raw != good && p.ObjectID != fx.app.ObjectID {
			t.Fatalf("accepted %q as %+v", raw, p)
		}
	})
}

// FuzzTokenEndpoint: any form body gets a JSON answer, a token only with
// the right credentials, and exactly one sign-in record.
func FuzzTokenEndpoint(f *testing.F) {
	sink := &memSink{}
	fx := newFixture(f, Options{Activity: sink})
	fx.dir.CreateUser(context.Background(), tenant.Initiator{}, tenant.NewUser{UserPrincipalName: "u@idlogs.local", DisplayName: "U", Password: password})
	for _, s := range []string{
		fx.form("https://api.loganalytics.io/.default").Encode(),
		passwordForm("u@idlogs.local", "wrong", "https://graph.microsoft.com/User.Read offline_access").Encode(),
		"grant_type=refresh_token&client_id=" + tenant.AzureCLIAppID + "&refresh_token=x",
		"grant_type=password&scope=%2F%2F%2F&username=a&password=b&client_id=" + tenant.AzureCLIAppID,
		"", "%zz", "grant_type=&grant_type=password",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/"+fx.dir.TenantID()+"/oauth2/v2.0/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		fx.router().ServeHTTP(w, r)
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%d %q: %v", w.Code, w.Body, err)
		}
		if w.Code == http.StatusOK && !strings.Contains(body, fx.secret) && !strings.Contains(body, password) {
			t.Fatalf("a token without credentials: %q", body)
		}
		if n := len(sink.take()); n != 1 {
			t.Fatalf("%d records for one request", n)
		}
	})
}

// FuzzDelegatedScopes: a scope string never panics, and an accepted one
// names a resource and permissions.
func FuzzDelegatedScopes(f *testing.F) {
	for _, s := range []string{"https://graph.microsoft.com/.default offline_access", "User.Read openid", "api://x/y https://a/b", "/", "://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, scope string) {
		d, e := delegatedScopes(scope)
		if e == nil && (d.resource == "" || d.scp == "") {
			t.Fatalf("%q gave %+v", scope, d)
		}
	})
}
