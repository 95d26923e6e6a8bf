package token

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/api"
)

func (f *fixture) router() *api.Router {
	rt := &api.Router{}
	f.svc.Register(rt, func(*http.Request) string { return base })
	return rt
}

// post sends a token request and returns the response.
func (f *fixture) post(t testing.TB, tenantPath string, form url.Values, hdr http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/"+tenantPath+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	f.router().ServeHTTP(w, r)
	return w
}

func (f *fixture) form(scope string) url.Values {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {f.app.AppID},
		"client_secret": {f.secret},
		"scope":         {scope},
	}
}

func TestTokenEndpoint(t *testing.T) {
	f := newFixture(t, Options{})
	// MSAL adds the OpenID scopes to every request.
	w := f.post(t, f.dir.TenantID(), f.form("https://api.loganalytics.io/.default openid offline_access profile"), nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp["token_type"] != "Bearer" || resp["expires_in"] != float64(3600) || resp["ext_expires_in"] != float64(3600) {
		t.Fatalf("response = %v", resp)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control = %q", cc)
	}
	p, err := f.svc.Verify(resp["access_token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if p.Audience != "https://api.loganalytics.io" || p.ObjectID != f.app.ObjectID {
		t.Fatalf("principal = %+v", p)
	}
}

func TestTokenEndpointBasicAuthAndDomain(t *testing.T) {
	f := newFixture(t, Options{})
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"https://management.azure.com//.default"}}
	r := httptest.NewRequest(http.MethodPost, "/"+f.dir.Domain()+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth(url.QueryEscape(f.app.AppID), url.QueryEscape(f.secret))
	w := httptest.NewRecorder()
	f.router().ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp tokenResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Verify(resp.AccessToken)
	if err != nil || p.Audience != "https://management.azure.com/" {
		t.Fatalf("principal = %+v, %v", p, err)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	f := newFixture(t, Options{})
	tid := f.dir.TenantID()
	with := func(k, v string) url.Values {
		form := f.form("https://api.loganalytics.io/.default")
		if v == "" {
			form.Del(k)
		} else {
			form.Set(k, v)
		}
		return form
	}
	cases := []struct {
		name   string
		tenant string
		form   url.Values
		status int
		error  string
		code   int
	}{
		{"wrong secret", tid, with("client_secret", f.secret+"x"), 401, "invalid_client", 7000215},
		{"unknown client", tid, with("client_id", "11111111-2222-3333-4444-555555555555"), 400, "unauthorized_client", 700016},
		{"unknown tenant", "11111111-2222-3333-4444-555555555555", with("", ""), 400, "invalid_request", 90002},
		{"common tenant", "common", with("", ""), 400, "invalid_request", 90002},
		{"no grant type", tid, with("grant_type", ""), 400, "invalid_request", 900144},
		{"device code grant", tid, with("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), 400, "unsupported_grant_type", 70003},
		{"password grant without a user", tid, with("grant_type", "password"), 400, "invalid_request", 900144},
		{"no client id", tid, with("client_id", ""), 400, "invalid_request", 900144},
		{"no secret", tid, with("client_secret", ""), 401, "invalid_client", 7000218},
		{"no scope", tid, with("scope", ""), 400, "invalid_scope", 70011},
		{"only openid", tid, with("scope", "openid profile"), 400, "invalid_scope", 70011},
		{"two resources", tid, with("scope", "https://api.loganalytics.io/.default https://monitor.azure.com/.default"), 400, "invalid_scope", 70011},
		{"delegated scope", tid, with("scope", "https://api.loganalytics.io/Data.Read"), 400, "invalid_scope", 1002012},
		{"bare .default", tid, with("scope", "/.default"), 400, "invalid_scope", 70011},
	}
	for _, c := range cases {
		w := f.post(t, c.tenant, c.form, http.Header{"Client-Request-Id": {"0b7e1bd2-6a4b-4a57-a06a-6c3b6c3c1a10"}})
		var body oauthErrorBody
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Errorf("%s: %v in %s", c.name, err, w.Body)
			continue
		}
		if w.Code != c.status || body.Error != c.error || len(body.ErrorCodes) != 1 || body.ErrorCodes[0] != c.code {
			t.Errorf("%s: %d %s %v, want %d %s [%d]: %s", c.name, w.Code, body.Error, body.ErrorCodes, c.status, c.error, c.code, body.ErrorDescription)
			continue
		}
		if !strings.HasPrefix(body.ErrorDescription, "AADSTS") || body.TraceID == "" || body.Timestamp == "" ||
			body.CorrelationID != "0b7e1bd2-6a4b-4a57-a06a-6c3b6c3c1a10" {
			t.Errorf("%s: body = %+v", c.name, body)
		}
		if strings.Contains(w.Body.String(), f.secret) {
			t.Errorf("%s: the answer holds the secret", c.name)
		}
	}
}

func TestTokenEndpointIgnoresQueryParameters(t *testing.T) {
	f := newFixture(t, Options{})
	q := f.form("https://api.loganalytics.io/.default").Encode()
	r := httptest.NewRequest(http.MethodPost, "/"+f.dir.TenantID()+"/oauth2/v2.0/token?"+q, nil)
	w := httptest.NewRecorder()
	f.router().ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("credentials in the query string: status %d: %s", w.Code, w.Body)
	}
}

func get(t *testing.T, h http.Handler, path string, v any) int {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, w.Body)
	}
	return w.Code
}

func TestOpenIDConfiguration(t *testing.T) {
	f := newFixture(t, Options{})
	rt := f.router()
	tid := f.dir.TenantID()
	for _, name := range []string{tid, f.dir.Domain()} {
		var doc openIDConfiguration
		if code := get(t, rt, "/"+name+"/v2.0/.well-known/openid-configuration", &doc); code != 200 {
			t.Fatalf("%s: status %d", name, code)
		}
		if doc.Issuer != base+"/"+tid+"/v2.0" || doc.TokenEndpoint != base+"/"+tid+"/oauth2/v2.0/token" ||
			doc.AuthorizationEndpoint == "" || doc.JWKSURI != base+"/"+tid+"/discovery/v2.0/keys" {
			t.Fatalf("%s: document = %+v", name, doc)
		}
	}
	var e oauthErrorBody
	if code := get(t, rt, "/nope/v2.0/.well-known/openid-configuration", &e); code != 400 || e.Error != "invalid_tenant" || e.ErrorCodes[0] != 90002 {
		t.Fatalf("unknown tenant: %d %+v", code, e)
	}
}

func TestKeysVerifyIssuedTokens(t *testing.T) {
	f := newFixture(t, Options{})
	var set jwks
	if code := get(t, f.router(), "/"+f.dir.TenantID()+"/discovery/v2.0/keys", &set); code != 200 || len(set.Keys) != 1 {
		t.Fatalf("keys: %d %+v", code, set)
	}
	k := set.Keys[0]
	if k.Kid != f.svc.KeyID() || k.X5t != k.Kid || k.Use != "sig" || len(k.X5c) != 1 {
		t.Fatalf("key = %+v", k)
	}
	pub, err := k.rsaKey()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parse(f.token(t, "https://api.loganalytics.io"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.verifySig(pub); err != nil {
		t.Fatalf("a token does not verify with the published key: %v", err)
	}
	var e oauthErrorBody
	if code := get(t, f.router(), "/common/discovery/v2.0/keys", &set); code != 200 {
		t.Fatalf("common keys: %d", code)
	}
	if code := get(t, f.router(), "/other/discovery/v2.0/keys", &e); code != 400 {
		t.Fatalf("keys of an unknown tenant: %d", code)
	}
}

func TestInstanceDiscovery(t *testing.T) {
	f := newFixture(t, Options{})
	q := url.Values{"api-version": {"1.1"}, "authorization_endpoint": {"https://127.0.0.1:8443/" + f.dir.TenantID() + "/oauth2/v2.0/authorize"}}
	var d instanceDiscovery
	if code := get(t, f.router(), "/common/discovery/instance?"+q.Encode(), &d); code != 200 {
		t.Fatalf("status %d", code)
	}
	if d.TenantDiscoveryEndpoint != "https://127.0.0.1:8443/"+f.dir.TenantID()+"/v2.0/.well-known/openid-configuration" ||
		len(d.Metadata) != 1 || d.Metadata[0].PreferredNetwork != "127.0.0.1:8443" || len(d.Metadata[0].Aliases) != 1 {
		t.Fatalf("discovery = %+v", d)
	}
	for _, bad := range []string{"", "http://127.0.0.1/t/oauth2/v2.0/authorize", "https://h/oauth2/v2.0/authorize", "https://h/t/oauth2/authorize"} {
		var e oauthErrorBody
		code := get(t, f.router(), "/common/discovery/instance?authorization_endpoint="+url.QueryEscape(bad), &e)
		if code != 400 || e.Error != "invalid_instance" || e.ErrorCodes[0] != 50049 {
			t.Errorf("%q: %d %+v", bad, code, e)
		}
	}
}

// The api package's authentication takes the service's tokens and checks
// their audience against the API family.
func TestAPIAuthenticate(t *testing.T) {
	f := newFixture(t, Options{})
	srv := &api.Server{Tokens: f.svc}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	cases := []struct {
		family   api.Audience
		resource string
		status   int
	}{
		{api.AudienceLogAnalytics, "https://api.loganalytics.io", http.StatusNoContent},
		{api.AudienceARM, "https://management.azure.com/", http.StatusNoContent},
		{api.AudienceARM, "https://management.core.windows.net/", http.StatusNoContent},
		{api.AudienceMonitor, "https://monitor.azure.com", http.StatusNoContent},
		{api.AudienceLogAnalytics, "https://management.azure.com/", http.StatusForbidden},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.Header.Set("Authorization", "Bearer "+f.token(t, c.resource))
		w := httptest.NewRecorder()
		srv.Authenticate(c.family, ok).ServeHTTP(w, r)
		if w.Code != c.status {
			t.Errorf("%s for family %d: status %d, want %d: %s", c.resource, c.family, w.Code, c.status, w.Body)
		}
	}
}
