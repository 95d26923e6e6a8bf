package token

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
)

const (
	verifier    = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	loopback    = "http://localhost:54321"
	browserUA   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"
	graphScopes = "https://graph.microsoft.com/.default openid profile offline_access"
)

func challengeOf(v string) string {
	sum := sha256.Sum256([]byte(v))
	return b64.EncodeToString(sum[:])
}

// browser is a user's browser: a cookie jar, a user agent, and no
// redirects followed, so that a test reads where it would go.
type browser struct {
	t    *testing.T
	srv  *idlogsServer
	http *http.Client
	tid  string
	// fail ends the test; a browser driven from another goroutine
	// reports and ends that goroutine instead.
	fail func(args ...any)
}

func newBrowser(t *testing.T, srv *idlogsServer, tid string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.client(false)
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, srv: srv, http: c, tid: tid, fail: t.Fatal}
}

func (b *browser) endpoint(path string) string {
	return b.srv.srv.URL + "/" + b.tid + "/oauth2/v2.0/" + path
}

func (b *browser) do(method, u string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r, err := http.NewRequest(method, u, body)
	if err != nil {
		b.fail(err)
	}
	r.Header.Set("User-Agent", browserUA)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.http.Do(r)
	if err != nil {
		b.fail(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp, string(text)
}

// authorize opens the authorization request with params over the
// defaults and returns the answer.
func (b *browser) authorize(params map[string]string) (*http.Response, string) {
	q := url.Values{"client_id": {tenant.AzureCLIAppID}, "redirect_uri": {loopback}, "response_type": {"code"},
		"scope": {graphScopes}, "state": {"state-42"}, "nonce": {"nonce-7"},
		"code_challenge": {challengeOf(verifier)}, "code_challenge_method": {"S256"}, "login_hint": {"alice@idlogs.local"}}
	for k, v := range params {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return b.do(http.MethodGet, b.endpoint("authorize")+"?"+q.Encode(), nil)
}

var flowField = regexp.MustCompile(`name="flow" value="([^"]+)"`)

// signIn posts the sign-in page's form.
func (b *browser) signIn(page, user, pass string) (*http.Response, string) {
	b.t.Helper()
	m := flowField.FindStringSubmatch(page)
	if m == nil {
		b.fail("no sign-in form in " + page)
	}
	return b.do(http.MethodPost, b.endpoint("authorize"), url.Values{"flow": {m[1]}, "login": {user}, "passwd": {pass}})
}

// codeFrom reads the code and state of a redirect to the loopback URI.
func codeFrom(t *testing.T, resp *http.Response) (code, state string) {
	t.Helper()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, loopback) {
		t.Fatalf("status %d, Location %q", resp.StatusCode, loc)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("code"), u.Query().Get("state")
}

func (b *browser) redeem(code, redirect, v string, extra url.Values) (int, map[string]any) {
	b.t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {tenant.AzureCLIAppID}, "code": {code},
		"redirect_uri": {redirect}, "code_verifier": {v}, "scope": {graphScopes}}
	for k, vs := range extra {
		form[k] = vs
	}
	resp, body := b.do(http.MethodPost, b.endpoint("token"), form)
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		b.t.Fatalf("%v in %s", err, body)
	}
	return resp.StatusCode, m
}

func aadsts(m map[string]any) float64 {
	codes, _ := m["error_codes"].([]any)
	if len(codes) != 1 {
		return 0
	}
	f, _ := codes[0].(float64)
	return f
}

func props(t *testing.T, rec activity.Record) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(rec.Properties, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAuthorizationCodeFlow(t *testing.T) {
	f, sink, u := newUserFixture(t)
	srv := startIdlogs(t, f)
	b := newBrowser(t, srv, f.dir.TenantID())

	resp, page := b.authorize(nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `value="alice@idlogs.local"`) ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("status %d, headers %v: %s", resp.StatusCode, resp.Header, page)
	}
	resp, _ = b.signIn(page, "alice@idlogs.local", password)
	code, state := codeFrom(t, resp)
	if code == "" || state != "state-42" {
		t.Fatalf("code %q, state %q", code, state)
	}

	// The interactive sign-in is recorded when the password is accepted.
	recs := sink.waitTake(t, 1)
	if len(recs) != 1 || recs[0].Category != activity.SignInLogs || recs[0].ResultType != "0" {
		t.Fatalf("records = %+v", recs)
	}
	p := props(t, recs[0])
	if p["isInteractive"] != true || p["clientAppUsed"] != "Browser" || p["userAgent"] != browserUA ||
		p["ipAddress"] != "127.0.0.1" || p["userId"] != u.ID || p["appId"] != tenant.AzureCLIAppID ||
		p["resourceDisplayName"] != "Microsoft Graph" {
		t.Fatalf("sign-in = %v", p)
	}
	if d, _ := p["deviceDetail"].(map[string]any); d["browser"] != "Edge 120.0.0.0" {
		t.Errorf("deviceDetail = %v", p["deviceDetail"])
	}

	status, tok := b.redeem(code, loopback, verifier, nil)
	if status != http.StatusOK {
		t.Fatalf("redeem: %d %v", status, tok)
	}
	// Redeeming the code is a non-interactive sign-in of its own.
	recs = sink.waitTake(t, 1)
	if len(recs) != 1 || recs[0].Category != activity.NonInteractiveUserSignInLogs || recs[0].ResultType != "0" {
		t.Fatalf("records of the redemption = %+v", recs)
	}
	if p := props(t, recs[0]); p["isInteractive"] != false || p["userId"] != u.ID || p["uniqueTokenIdentifier"] == "" {
		t.Fatalf("redemption = %v", p)
	}
	pr, err := f.svc.Verify(tok["access_token"].(string))
	if err != nil || pr.ObjectID != u.ID || pr.AppID != tenant.AzureCLIAppID || pr.Audience != "https://graph.microsoft.com" {
		t.Fatalf("principal %+v, %v", pr, err)
	}
	id, err := parse(tok["id_token"].(string))
	if err != nil || id.claims.Nonce != "nonce-7" || id.claims.Oid != u.ID {
		t.Fatalf("id token %+v, %v", id, err)
	}
	rt, _ := tok["refresh_token"].(string)
	if rt == "" {
		t.Fatal("no refresh token")
	}

	// The code is single use; a second redemption also revokes the
	// refresh token of the first.
	status, again := b.redeem(code, loopback, verifier, nil)
	if status != http.StatusBadRequest || again["error"] != "invalid_grant" || aadsts(again) != 54005 {
		t.Fatalf("second redemption: %d %v", status, again)
	}
	recs = sink.waitTake(t, 1)
	if len(recs) != 1 || recs[0].Category != activity.NonInteractiveUserSignInLogs || recs[0].ResultType != "54005" {
		t.Fatalf("records after reuse = %+v", recs)
	}
	w := f.post(t, f.dir.TenantID(), url.Values{"grant_type": {"refresh_token"}, "client_id": {tenant.AzureCLIAppID}, "refresh_token": {rt}}, nil)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("refresh token of a reused code: %d %s", w.Code, w.Body)
	}
}

func TestAuthorizationCodeWrongVerifier(t *testing.T) {
	f, _, _ := newUserFixture(t)
	b := newBrowser(t, startIdlogs(t, f), f.dir.TenantID())
	_, page := b.authorize(nil)
	resp, _ := b.signIn(page, "alice@idlogs.local", password)
	code, _ := codeFrom(t, resp)
	other := strings.Repeat("x", 43)
	if status, m := b.redeem(code, loopback, other, nil); status != http.StatusBadRequest || aadsts(m) != 501481 {
		t.Fatalf("wrong verifier: %d %v", status, m)
	}
	// A failed redemption uses the code up.
	if status, m := b.redeem(code, loopback, verifier, nil); status != http.StatusBadRequest || aadsts(m) != 54005 {
		t.Fatalf("after a wrong verifier: %d %v", status, m)
	}

	_, page = b.authorize(nil)
	resp, _ = b.signIn(page, "alice@idlogs.local", password)
	code, _ = codeFrom(t, resp)
	if status, m := b.redeem(code, "http://localhost:1", verifier, nil); status != http.StatusBadRequest || aadsts(m) != 70000 {
		t.Fatalf("other redirect URI: %d %v", status, m)
	}
}

func TestAuthorizeBadRedirectURI(t *testing.T) {
	f, _, _ := newUserFixture(t)
	b := newBrowser(t, startIdlogs(t, f), f.dir.TenantID())
	for _, c := range []struct {
		params map[string]string
		code   string
	}{
		{map[string]string{"redirect_uri": "https://evil.example/cb"}, "AADSTS50011"},
		{map[string]string{"redirect_uri": "http://localhost.evil.example/"}, "AADSTS50011"},
		{map[string]string{"redirect_uri": "http://localhost:54321/other"}, "AADSTS50011"},
		{map[string]string{"redirect_uri": ""}, "AADSTS900144"},
		{map[string]string{"client_id": "00000000-0000-0000-0000-000000000001"}, "AADSTS700016"},
		// An invalid request goes to the error page too when its
		// redirect URI is not the client's.
		{map[string]string{"redirect_uri": "https://evil.example/cb", "response_type": "token"}, "AADSTS50011"},
	} {
		resp, page := b.authorize(c.params)
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(page, c.code) {
			t.Errorf("%v: status %d, Location %q: %s", c.params, resp.StatusCode, resp.Header.Get("Location"), page)
		}
	}
}

func TestAuthorizeErrorsToRedirectURI(t *testing.T) {
	f, _, _ := newUserFixture(t)
	b := newBrowser(t, startIdlogs(t, f), f.dir.TenantID())
	for _, c := range []struct {
		params    map[string]string
		err, code string
	}{
		{map[string]string{"response_type": "token"}, "unsupported_response_type", "AADSTS700054"},
		{map[string]string{"prompt": "none"}, "login_required", "AADSTS50058"},
		{map[string]string{"code_challenge_method": "S512"}, "invalid_request", "AADSTS900144"},
		{map[string]string{"code_challenge": "short"}, "invalid_request", "AADSTS900144"},
		{map[string]string{"scope": ""}, "invalid_request", "AADSTS900144"},
		{map[string]string{"code_challenge": "", "code_challenge_method": ""}, "invalid_request", "AADSTS9002325"},
	} {
		resp, _ := b.authorize(c.params)
		u, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || u == nil || !strings.HasPrefix(u.String(), loopback) {
			t.Errorf("%v: status %d, Location %v", c.params, resp.StatusCode, u)
			continue
		}
		q := u.Query()
		if q.Get("error") != c.err || !strings.HasPrefix(q.Get("error_description"), c.code+":") ||
			q.Get("state") != "state-42" || q.Get("error_uri") == "" || q.Has("code") {
			t.Errorf("%v: redirect %v", c.params, q)
		}
	}
}

func TestAuthorizeWrongPassword(t *testing.T) {
	f, sink, _ := newUserFixture(t)
	b := newBrowser(t, startIdlogs(t, f), f.dir.TenantID())
	_, page := b.authorize(nil)
	resp, again := b.signIn(page, "alice@idlogs.local", "wrong")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" ||
		!strings.Contains(again, "Your account or password is incorrect.") || !strings.Contains(again, `role="alert"`) {
		t.Fatalf("status %d: %s", resp.StatusCode, again)
	}
	recs := sink.waitTake(t, 1)
	if len(recs) != 1 || recs[0].Category != activity.SignInLogs || recs[0].ResultType != "50126" {
		t.Fatalf("records = %+v", recs)
	}
	if p := props(t, recs[0]); p["isInteractive"] != true || p["clientAppUsed"] != "Browser" {
		t.Fatalf("sign-in = %v", p)
	}
	_, again = b.signIn(again, "nobody@idlogs.local", password)
	if recs := sink.waitTake(t, 1); len(recs) != 1 || recs[0].ResultType != "50034" || !strings.Contains(again, "username may be incorrect") {
		t.Fatalf("unknown user: records %+v, page %s", recs, again)
	}
	// The same page still signs the user in with the right password.
	resp, _ = b.signIn(again, "alice@idlogs.local", password)
	if _, state := codeFrom(t, resp); state != "state-42" {
		t.Fatalf("state %q", state)
	}
}

// TestAuthorizeCrossSitePost: a form posted without the cookie of the
// browser that opened the page is refused and records nothing.
func TestAuthorizeCrossSitePost(t *testing.T) {
	f, sink, _ := newUserFixture(t)
	srv := startIdlogs(t, f)
	b := newBrowser(t, srv, f.dir.TenantID())
	_, page := b.authorize(nil)
	other := newBrowser(t, srv, f.dir.TenantID())
	resp, body := other.signIn(page, "alice@idlogs.local", password)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(body, "expired or was opened in another browser") {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if recs := sink.take(); len(recs) != 0 {
		t.Fatalf("records = %+v", recs)
	}
}

func TestAuthorizeResponseModes(t *testing.T) {
	f, _, _ := newUserFixture(t)
	b := newBrowser(t, startIdlogs(t, f), f.dir.TenantID())

	_, page := b.authorize(map[string]string{"response_mode": "fragment"})
	resp, _ := b.signIn(page, "alice@idlogs.local", password)
	loc := resp.Header.Get("Location")
	_, frag, ok := strings.Cut(loc, "#")
	v, _ := url.ParseQuery(frag)
	if resp.StatusCode != http.StatusFound || !ok || v.Get("code") == "" || v.Get("state") != "state-42" {
		t.Fatalf("fragment: %d %q", resp.StatusCode, loc)
	}

	_, page = b.authorize(map[string]string{"response_mode": "form_post"})
	resp, body := b.signIn(page, "alice@idlogs.local", password)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="`+loopback+`"`) ||
		!strings.Contains(body, `name="code" value="0.idl.`) || !strings.Contains(body, `name="state" value="state-42"`) {
		t.Fatalf("form_post: %d %s", resp.StatusCode, body)
	}
}

// TestAuthorizeConfidentialClient: a web application's redirect URIs are
// its own, and its code is redeemed with its secret.
func TestAuthorizeConfidentialClient(t *testing.T) {
	f, _, _ := newUserFixture(t)
	const cb = "https://app.example/signin-oidc"
	if err := f.dir.SetRedirectURIs(f.app.AppID, []string{cb}, nil); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, startIdlogs(t, f), f.dir.TenantID())
	resp, _ := b.authorize(map[string]string{"client_id": f.app.AppID, "redirect_uri": loopback})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("another client's redirect URI: %d", resp.StatusCode)
	}
	_, page := b.authorize(map[string]string{"client_id": f.app.AppID, "redirect_uri": cb})
	resp, _ = b.signIn(page, "alice@idlogs.local", password)
	u, _ := url.Parse(resp.Header.Get("Location"))
	code := u.Query().Get("code")
	client := url.Values{"client_id": {f.app.AppID}}
	if status, m := b.redeem(code, cb, verifier, client); status != http.StatusUnauthorized || aadsts(m) != 7000218 {
		t.Fatalf("without a secret: %d %v", status, m)
	}
	client.Set("client_secret", f.secret)
	if status, m := b.redeem(code, cb, verifier, client); status != http.StatusOK {
		t.Fatalf("with its secret: %d %v", status, m)
	}
	// A confidential client may leave PKCE out; its secret binds the code.
	_, page = b.authorize(map[string]string{"client_id": f.app.AppID, "redirect_uri": cb, "code_challenge": "", "code_challenge_method": ""})
	resp, _ = b.signIn(page, "alice@idlogs.local", password)
	u, _ = url.Parse(resp.Header.Get("Location"))
	if status, m := b.redeem(u.Query().Get("code"), cb, "", client); status != http.StatusOK {
		t.Fatalf("without PKCE: %d %v", status, m)
	}
}

func TestRedirectAllowed(t *testing.T) {
	app := &tenant.Application{AppID: "11111111-1111-1111-1111-111111111111",
		WebRedirectURIs:          []string{"https://app.example/cb"},
		PublicClientRedirectURIs: []string{"http://127.0.0.1/native", "msal11111111-1111-1111-1111-111111111111://auth"}}
	cli := &tenant.Application{AppID: tenant.AzureCLIAppID}
	for _, c := range []struct {
		app  *tenant.Application
		uri  string
		want bool
	}{
		{app, "https://app.example/cb", true},
		{app, "https://app.example/cb/", false},
		{app, "https://app.example:8443/cb", false},
		{app, "http://app.example/cb", false},
		{app, "http://127.0.0.1:50000/native", true},
		{app, "http://127.0.0.1/native", true},
		{app, "http://127.0.0.1:50000/other", false},
		{app, "http://localhost:50000/native", false},
		{app, "http://127.0.0.1:99999/native", false},
		{app, "msal11111111-1111-1111-1111-111111111111://auth", true},
		{cli, "http://localhost", true},
		{cli, "http://localhost:8400", true},
		{cli, "http://localhost:8400/", true},
		{cli, "http://LOCALHOST:8400/", true},
		{cli, "http://localhost:8400/cb", false},
		{cli, "https://localhost:8400", false},
		{cli, "http://user@localhost:8400", false},
		{cli, "http://localhost:8400#x", false},
		{cli, "http://localhost.example:8400", false},
	} {
		if got := redirectAllowed(c.app, c.uri); got != c.want {
			t.Errorf("%s for %s: %v, want %v", c.uri, c.app.AppID, got, c.want)
		}
	}
}

func TestPKCE(t *testing.T) {
	// RFC 7636 appendix B.
	if got := challengeOf(verifier); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("challenge %s", got)
	}
	if !pkceMatches(verifier, challengeOf(verifier), "S256") || pkceMatches(verifier, verifier, "S256") ||
		!pkceMatches(verifier, verifier, "plain") || pkceMatches("short", "short", "plain") {
		t.Fatal("pkceMatches")
	}
}

func TestSetRedirectURIsChecks(t *testing.T) {
	f, _, _ := newUserFixture(t)
	for _, bad := range [][2][]string{
		{{"http://app.example/cb"}, nil},
		{{"https://app.example/cb#frag"}, nil},
		{nil, {"not a uri"}},
		{nil, {"javascript:alert(1)"}},
	} {
		if err := f.dir.SetRedirectURIs(f.app.AppID, bad[0], bad[1]); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if err := f.dir.SetRedirectURIs(f.app.AppID, []string{"http://localhost:5000/cb"}, []string{"http://localhost"}); err != nil {
		t.Fatal(err)
	}
	app, _ := f.dir.Application(f.app.AppID)
	if len(app.WebRedirectURIs) != 1 || len(app.PublicClientRedirectURIs) != 1 {
		t.Fatalf("app = %+v", app)
	}
}

// FuzzAuthorizeParams: any query parses without a panic; an accepted one
// asks for a code with a well-formed challenge, and a redirect URI is
// accepted for a loopback registration only on a loopback host.
func FuzzAuthorizeParams(f *testing.F) {
	good := url.Values{"client_id": {tenant.AzureCLIAppID}, "redirect_uri": {loopback}, "response_type": {"code"},
		"scope": {graphScopes}, "state": {"s"}, "code_challenge": {challengeOf(verifier)}, "code_challenge_method": {"S256"}}
	f.Add(good.Encode())
	f.Add("response_type=code&scope=openid&response_mode=form_post&code_challenge=" + verifier)
	f.Add("response_type=code&scope=User.Read&prompt=none&redirect_uri=http://localhost:0")
	f.Add("redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A80%2F&response_type=id_token")
	f.Add("%zz&&==;")
	app := &tenant.Application{AppID: "11111111-1111-1111-1111-111111111111", PublicClientRedirectURIs: []string{"http://localhost/cb"}}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		req, d, e := parseAuthorize(q)
		if req == nil {
			t.Fatal("no request")
		}
		switch req.ResponseMode {
		case "query", "fragment", "form_post":
		default:
			t.Fatalf("response mode %q", req.ResponseMode)
		}
		if e == nil {
			if req.ResponseType != "code" || d == nil || d.resource == "" ||
				req.Challenge != "" && (!pkceValue(req.Challenge) || req.Method != "S256" && req.Method != "plain") {
				t.Fatalf("accepted %+v", req)
			}
		}
		if redirectAllowed(app, req.RedirectURI) {
			u, err := url.Parse(req.RedirectURI)
			if err != nil || u.Scheme != "http" || !tenant.IsLoopbackHost(u.Hostname()) || !strings.HasPrefix(u.Path, "/cb") {
				t.Fatalf("redirect URI %q accepted", req.RedirectURI)
			}
		}
	})
}

// TestAuthorizeExpiryAndLockout: a page, a code and a password each have
// their limits: a page posted after its flow expired is refused, a code
// redeemed after ten minutes is expired, and smart lockout applies to the
// page as to the password grant.
func TestAuthorizeExpiryAndLockout(t *testing.T) {
	f, sink, _ := newUserFixture(t)
	b := newBrowser(t, startIdlogs(t, f), f.dir.TenantID())

	_, page := b.authorize(nil)
	f.now = f.now.Add(flowLifetime + time.Second)
	if resp, body := b.signIn(page, "alice@idlogs.local", password); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "expired") {
		t.Fatalf("expired page: %d %s", resp.StatusCode, body)
	}

	_, page = b.authorize(nil)
	resp, _ := b.signIn(page, "alice@idlogs.local", password)
	code, _ := codeFrom(t, resp)
	sink.waitTake(t, 1)
	f.now = f.now.Add(codeLifetime + time.Second)
	if status, m := b.redeem(code, loopback, verifier, nil); status != http.StatusBadRequest || aadsts(m) != 70008 {
		t.Fatalf("expired code: %d %v", status, m)
	}
	sink.waitTake(t, 1)

	_, page = b.authorize(nil)
	for range tenant.LockoutThreshold {
		_, page = b.signIn(page, "alice@idlogs.local", "wrong")
	}
	sink.waitTake(t, tenant.LockoutThreshold)
	_, page = b.signIn(page, "alice@idlogs.local", password)
	recs := sink.waitTake(t, 1)
	if len(recs) != 1 || recs[0].ResultType != "50053" || !strings.Contains(page, "Your account is locked") {
		t.Fatalf("locked: records %+v, page %s", recs, page)
	}
}

// FuzzAuthorizeEndpoint: any authorization request is answered with a
// page or a redirect, and a redirect goes to the Azure CLI's loopback
// redirect URI only.
func FuzzAuthorizeEndpoint(f *testing.F) {
	fx := newFixture(f, Options{})
	rt := fx.router()
	f.Add("client_id=" + tenant.AzureCLIAppID + "&redirect_uri=http://localhost:1&response_type=code&scope=openid+User.Read&code_challenge=" + verifier)
	f.Add("client_id=" + tenant.AzureCLIAppID + "&redirect_uri=http://localhost&response_type=token&state=x&response_mode=fragment")
	f.Add("client_id=" + tenant.AzureCLIAppID + "&redirect_uri=https://evil.example&response_type=code")
	f.Add("client_id=&&&%")
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest(http.MethodGet, "/"+fx.dir.TenantID()+"/oauth2/v2.0/authorize", nil)
		r.URL.RawQuery = raw
		w := httptest.NewRecorder()
		rt.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest:
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || w.Header().Get("Location") != "" {
				t.Fatalf("%d with Content-Type %q, Location %q", w.Code, ct, w.Header().Get("Location"))
			}
		case http.StatusFound:
			u, err := url.Parse(w.Header().Get("Location"))
			if err != nil || u.Scheme != "http" || !strings.EqualFold(u.Hostname(), "localhost") || (u.Path != "" && u.Path != "/") {
				t.Fatalf("redirect to %q", w.Header().Get("Location"))
			}
		default:
			t.Fatalf("status %d", w.Code)
		}
	})
}
