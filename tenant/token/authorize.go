package token

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/tenant"
)

// The authorization-code grant, as Entra's v2.0 endpoint serves it: the
// client sends the browser to /authorize; idlogs shows its sign-in page,
// checks the password through the directory and sends the browser back to
// the client's redirect URI with a code, which the client redeems at
// /token with its PKCE verifier.

//go:embed pages.html
var pagesFS embed.FS

var pages = template.Must(template.ParseFS(pagesFS, "pages.html"))

// formPostScript submits the form_post page for browsers that run
// scripts; the page's button does it for those that do not. The policy of
// the page allows this script only, by its hash.
const formPostScript = "document.forms[0].submit()"

var formPostPolicy = func() string {
	sum := sha256.Sum256([]byte(formPostScript))
	return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; frame-ancestors 'none'"
}()

// pagePolicy is the sign-in and error pages' content security policy: no
// scripts, no outside resources, no framing. form-action is left open, as
// browsers apply it to the redirect that follows the form's POST.
const pagePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

// authRequest is an authorization request's parameters.
type authRequest struct {
	ClientID     string
	RedirectURI  string
	ResponseType string
	ResponseMode string
	Scope        string
	State        string
	Nonce        string
	Challenge    string
	Method       string
	Prompt       string
	LoginHint    string
	Correlation  string // the client's client-request-id, which MSAL sends in the query
}

func readAuthRequest(q url.Values) *authRequest {
	return &authRequest{
		ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), ResponseType: q.Get("response_type"),
		ResponseMode: q.Get("response_mode"), Scope: q.Get("scope"), State: q.Get("state"), Nonce: q.Get("nonce"),
		Challenge: q.Get("code_challenge"), Method: q.Get("code_challenge_method"), Prompt: q.Get("prompt"),
		LoginHint: q.Get("login_hint"), Correlation: q.Get("client-request-id"),
	}
}

// parseAuthorize reads and checks an authorization request's parameters
// but its client and redirect URI, which need the directory. An error is
// one to send to the redirect URI; the request is returned with it, with
// its response mode settled, so that the error goes back the way asked.
func parseAuthorize(q url.Values) (*authRequest, *delegated, *oauthError) {
	req := readAuthRequest(q)
	switch req.ResponseMode {
	case "query", "fragment", "form_post":
	case "":
		req.ResponseMode = "query"
	default:
		mode := req.ResponseMode
		req.ResponseMode = "query"
		return req, nil, newError(http.StatusBadRequest, "invalid_request", 900144,
			"The response_mode '%s' is not supported. Supported values are query, fragment and form_post.", mode)
	}
	if req.ResponseType == "" {
		return req, nil, newError(http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'response_type'.")
	}
	if req.ResponseType != "code" {
		// Entra answers 700054 for a response type the application is not
		// enabled for; idlogs enables the code flow only.
		return req, nil, newError(http.StatusBadRequest, "unsupported_response_type", 700054,
			"response_type '%s' is not enabled for the application. idlogs issues authorization codes only (response_type=code).", req.ResponseType)
	}
	switch req.Prompt {
	case "", "login", "select_account", "consent":
	case "none":
		// idlogs keeps no browser session: every sign-in needs the user.
		return req, nil, newError(http.StatusBadRequest, "login_required", 50058,
			"A silent sign-in request was sent but no user is signed in.")
	default:
		return req, nil, newError(http.StatusBadRequest, "invalid_request", 90023,
			"The prompt value '%s' is not valid. Supported values are login, select_account, consent and none.", req.Prompt)
	}
	if e := checkChallenge(req); e != nil {
		return req, nil, e
	}
	if strings.TrimSpace(req.Scope) == "" {
		return req, nil, newError(http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'scope'.")
	}
	d, e := delegatedScopes(req.Scope)
	if e != nil {
		return req, nil, e
	}
	d.nonce = req.Nonce
	return req, d, nil
}

// checkChallenge checks the PKCE parameters. Entra accepts plain as well
// as S256 and, as RFC 7636 says, a challenge without a method is plain;
// idlogs does too, so that any client Entra serves works, and MSAL always
// sends S256.
func checkChallenge(req *authRequest) *oauthError {
	if req.Challenge == "" {
		if req.Method != "" {
			return newError(http.StatusBadRequest, "invalid_request", 900144,
				"The request body must contain the following parameter: 'code_challenge', since code_challenge_method is given.")
		}
		return nil
	}
	switch req.Method {
	case "":
		req.Method = "plain"
	case "S256", "plain":
	default:
		return newError(http.StatusBadRequest, "invalid_request", 900144,
			"The code_challenge_method '%s' is not supported. Use S256.", req.Method)
	}
	if !pkceValue(req.Challenge) {
		return newError(http.StatusBadRequest, "invalid_request", 900144,
			"The code_challenge is not valid: RFC 7636 requires 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'.")
	}
	return nil
}

// pkceValue reports whether s has the length and alphabet RFC 7636 gives
// code verifiers and challenges.
func pkceValue(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// pkceMatches checks a code verifier against the challenge of the
// authorization request, in constant time.
func pkceMatches(verifier, challenge, method string) bool {
	if !pkceValue(verifier) {
		return false
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = b64.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// redirectAllowed reports whether uri is one of app's redirect URIs. A
// registered loopback URI (http://localhost/, http://127.0.0.1:5000/cb)
// matches the same host and path on any port, as Entra matches them for
// native clients, which listen on whatever port is free. The Azure CLI
// has http://localhost registered, as at Entra.
func redirectAllowed(app *tenant.Application, uri string) bool {
	registered := append(append([]string{}, app.WebRedirectURIs...), app.PublicClientRedirectURIs...)
	if strings.EqualFold(app.AppID, tenant.AzureCLIAppID) {
		registered = append(registered, "http://localhost")
	}
	for _, reg := range registered {
		if reg == uri || loopbackMatch(reg, uri) {
			return true
		}
	}
	return false
}

func loopbackMatch(registered, requested string) bool {
	g, err1 := url.Parse(registered)
	q, err2 := url.Parse(requested)
	if err1 != nil || err2 != nil || g.Scheme != "http" || q.Scheme != "http" || q.User != nil ||
		strings.Contains(requested, "#") || !tenant.IsLoopbackHost(g.Hostname()) {
		return false
	}
	if port := q.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return false
		}
	}
	path := func(u *url.URL) string {
		if u.EscapedPath() == "" {
			return "/"
		}
		return u.EscapedPath()
	}
	return strings.EqualFold(g.Hostname(), q.Hostname()) && path(g) == path(q) && g.RawQuery == q.RawQuery
}

// authorizeClient finds the request's client and checks its redirect URI.
// Its errors are shown on an error page: without a redirect URI known to
// be the client's, the browser cannot be sent anywhere.
func (s *Service) authorizeClient(req *authRequest) (*tenant.Application, *oauthError) {
	if req.ClientID == "" {
		return nil, missing("client_id")
	}
	app, ok := s.dir.Application(req.ClientID)
	if !ok || app.ServicePrincipalType == tenant.SPTypeManagedIdentity {
		return nil, unknownClient(req.ClientID, s.dir.Domain())
	}
	if req.RedirectURI == "" {
		return app, missing("redirect_uri")
	}
	if !redirectAllowed(app, req.RedirectURI) {
		return app, newError(http.StatusBadRequest, "invalid_request", 50011,
			"The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'. Make sure the redirect URI sent in the request matches one added to your application.",
			req.RedirectURI, app.AppID)
	}
	return app, nil
}

func (s *Service) registerAuthorize(rt *api.Router, baseURL func(r *http.Request) string) {
	rt.HandleFunc(http.MethodGet, "/{tenant}/oauth2/v2.0/authorize", func(w http.ResponseWriter, r *http.Request) {
		s.serveAuthorize(w, r, baseURL(r), r.URL.Query())
	})
	rt.HandleFunc(http.MethodPost, "/{tenant}/oauth2/v2.0/authorize", func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequest)
		if err := r.ParseForm(); err != nil {
			s.errorPage(w, r, newError(http.StatusBadRequest, "invalid_request", 900144,
				"The request body must be an application/x-www-form-urlencoded form: %v", err))
			return
		}
		// The sign-in page posts its flow; anything else is an
		// authorization request sent as a form, which OpenID Connect
		// allows.
		if r.PostForm.Has("flow") {
			s.serveSignIn(w, r, baseURL(r))
			return
		}
		s.serveAuthorize(w, r, baseURL(r), r.PostForm)
	})
}

// serveAuthorize checks an authorization request and shows the sign-in
// page for it.
func (s *Service) serveAuthorize(w http.ResponseWriter, r *http.Request, base string, q url.Values) {
	if t := r.PathValue("tenant"); !s.dir.IsTenant(t) {
		s.errorPage(w, r, unknownTenant(t, "invalid_tenant"))
		return
	}
	req, scope, perr := parseAuthorize(q)
	app, e := s.authorizeClient(req)
	if e != nil {
		s.errorPage(w, r, e)
		return
	}
	if perr == nil && req.Challenge == "" && app.PublicClient {
		// Entra requires PKCE of single-page apps; idlogs of every public
		// client, whose code nothing else ties to the client that asked.
		perr = newError(http.StatusBadRequest, "invalid_request", 9002325,
			"Proof Key for Code Exchange is required: a public client must send a code_challenge.")
	}
	if perr != nil {
		s.redirectError(w, r, base, req, perr)
		return
	}
	if !isGUIDish(req.Correlation) {
		req.Correlation = tenant.NewGUID()
	}
	id, csrf, err := s.authz.startFlow(&pendingFlow{req: req, app: app, scope: scope}, s.now())
	if err != nil {
		s.logf("token: authorize for %s: %v", app.AppID, err)
		s.errorPage(w, r, transient())
		return
	}
	http.SetCookie(w, flowCookie(r, base, id, csrf, int(flowLifetime/time.Second)))
	s.signInPage(w, http.StatusOK, id, app, req.LoginHint, "")
}

// flowCookie is the cookie that ties a sign-in page to the browser that
// opened it: its value, which only that browser has, must come back with
// the page's form, so that no other site can post a sign-in into it.
func flowCookie(r *http.Request, base, id, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: flowCookiePrefix + id, Value: value, Path: "/" + r.PathValue("tenant") + "/oauth2/v2.0/authorize",
		MaxAge: maxAge, HttpOnly: true, Secure: strings.HasPrefix(base, "https:"), SameSite: http.SameSiteLaxMode,
	}
}

const flowCookiePrefix = "idlogs_authz_"

// serveSignIn checks the credentials posted by the sign-in page. Each
// refused password is an interactive sign-in failure, recorded, and the
// page is shown again; an accepted one is recorded and ends the flow with
// a code sent to the client.
func (s *Service) serveSignIn(w http.ResponseWriter, r *http.Request, base string) {
	if t := r.PathValue("tenant"); !s.dir.IsTenant(t) {
		s.errorPage(w, r, unknownTenant(t, "invalid_tenant"))
		return
	}
	f := r.PostForm
	id := f.Get("flow")
	c, err := r.Cookie(flowCookiePrefix + id)
	fl := s.authz.flow(id, s.now())
	if err != nil || fl == nil || !fl.owns(c.Value) {
		s.errorPage(w, r, newError(http.StatusBadRequest, "invalid_request", 90014,
			"This sign-in page has expired or was opened in another browser. Go back to the application and sign in again."))
		return
	}
	upn, pass := strings.TrimSpace(f.Get("login")), f.Get("passwd")
	if upn == "" || pass == "" {
		s.signInPage(w, http.StatusOK, id, fl.app, upn, "Enter your user name and password.")
		return
	}
	a := s.newAttempt(w, r)
	a.correlation, a.grant, a.browser, a.credType = fl.req.Correlation, grantAuthorizationCode, true, "none"
	a.clientID, a.app, a.upn, a.resource = fl.app.AppID, fl.app, upn, fl.scope.resource
	user, err := s.dir.AuthenticateUser(upn, pass)
	a.user = user
	a.err = signInError(err, s.dir.Domain())
	if a.err != nil {
		if a.err.aadsts == 90033 {
			s.logf("token: sign-in of %s: %v", upn, err)
		}
		s.emit(r, a)
		s.signInPage(w, http.StatusOK, id, fl.app, upn, pageMessage(a.err.aadsts))
		return
	}
	code, err := s.authz.issueCode(&codeRecord{
		clientID: fl.app.AppID, redirectURI: fl.req.RedirectURI, challenge: fl.req.Challenge, method: fl.req.Method,
		nonce: fl.req.Nonce, userID: user.ID, scope: fl.req.Scope, expires: s.now().Add(codeLifetime),
	})
	if err != nil {
		s.logf("token: authorization code for %s: %v", user.ID, err)
		a.err = transient()
		s.emit(r, a)
		s.signInPage(w, http.StatusOK, id, fl.app, upn, pageMessage(a.err.aadsts))
		return
	}
	s.emit(r, a)
	s.authz.endFlow(id)
	http.SetCookie(w, flowCookie(r, base, id, "", -1))
	s.logf("token: user %s signed in to %s (%s) in the browser", user.ID, fl.app.AppID, fl.app.DisplayName)
	s.respond(w, fl.req, url.Values{"code": {code}, "state": {fl.req.State}})
}

// signInError is the answer to a refused sign-in, as the password grant
// gives it.
func signInError(err error, domain string) *oauthError {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tenant.ErrUnknownUser):
		return errUnknownUser(domain)
	case errors.Is(err, tenant.ErrLocked):
		return errLocked()
	case errors.Is(err, tenant.ErrBadPassword):
		return errBadPassword()
	case errors.Is(err, tenant.ErrDisabled):
		return errDisabled()
	}
	return transient()
}

// pageMessage is what the sign-in page tells the user of a refused
// sign-in, in the words of Entra's page.
func pageMessage(code int) string {
	switch code {
	case 50126:
		return "Your account or password is incorrect."
	case 50034:
		return "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin."
	case 50053:
		return "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password. Try again later."
	case 50057:
		return "Your account has been disabled. Contact your administrator."
	}
	return "Something went wrong. Try again in a moment."
}

// emit records a browser sign-in before the page answers, so that the
// record is durable before the client can redeem the code.
func (s *Service) emit(r *http.Request, a *attempt) {
	if s.sink == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	// The sign-in record and, with the risk engine, the detections and
	// risky users it caused, as serveToken sends them.
	if err := s.sink.Emit(ctx, s.records(a)...); err != nil {
		s.logf("token: sign-in record of %s not emitted: %v", a.clientID, err)
	}
}

// redirectError sends an error of a request with a valid redirect URI to
// the client, in Entra's parameters.
func (s *Service) redirectError(w http.ResponseWriter, r *http.Request, base string, req *authRequest, e *oauthError) {
	now := s.now().UTC()
	s.logf("token: %s %s: AADSTS%d %s: %s", r.Method, r.URL.Path, e.aadsts, e.code, e.desc)
	corr := req.Correlation
	if !isGUIDish(corr) {
		corr = tenant.NewGUID()
	}
	v := url.Values{
		"error": {e.code},
		"error_description": {"AADSTS" + strconv.Itoa(e.aadsts) + ": " + e.desc + "\r\nTrace ID: " + tenant.NewGUID() +
			"\r\nCorrelation ID: " + corr + "\r\nTimestamp: " + now.Format("2006-01-02 15:04:05Z")},
		"error_uri": {base + "/error?code=" + strconv.Itoa(e.aadsts)},
	}
	if req.State != "" {
		v.Set("state", req.State)
	}
	s.respond(w, req, v)
}

// respond sends the browser to the client's redirect URI with v, in the
// request's response mode.
func (s *Service) respond(w http.ResponseWriter, req *authRequest, v url.Values) {
	if v.Get("state") == "" {
		v.Del("state")
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	w.Header().Set("Referrer-Policy", "no-referrer")
	switch req.ResponseMode {
	case "form_post":
		w.Header().Set("Content-Security-Policy", formPostPolicy)
		type field struct{ Name, Value string }
		var fields []field
		for _, k := range []string{"code", "state", "error", "error_description", "error_uri"} {
			if v.Has(k) {
				fields = append(fields, field{k, v.Get(k)})
			}
		}
		render(w, http.StatusOK, "form_post", map[string]any{"Action": req.RedirectURI, "Fields": fields, "Script": template.JS(formPostScript)})
	case "fragment":
		uri, _, _ := strings.Cut(req.RedirectURI, "#")
		w.Header().Set("Location", uri+"#"+v.Encode())
		w.WriteHeader(http.StatusFound)
	default:
		u, err := url.Parse(req.RedirectURI)
		if err != nil { // checked against the registered URIs already
			http.Error(w, "redirect URI is not valid", http.StatusBadRequest)
			return
		}
		q := u.Query()
		for k, vs := range v {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		w.Header().Set("Location", u.String())
		w.WriteHeader(http.StatusFound)
	}
}

// signInPage shows the sign-in form of flow id, with msg above it when a
// sign-in was refused.
func (s *Service) signInPage(w http.ResponseWriter, status int, id string, app *tenant.Application, login, msg string) {
	pageHeaders(w)
	render(w, status, "signin", map[string]any{"Flow": id, "App": app.DisplayName, "Login": login, "Error": msg, "Domain": s.dir.Domain()})
}

// errorPage shows an error that cannot be sent to the client.
func (s *Service) errorPage(w http.ResponseWriter, r *http.Request, e *oauthError) {
	s.logf("token: %s %s: AADSTS%d %s: %s", r.Method, r.URL.Path, e.aadsts, e.code, e.desc)
	pageHeaders(w)
	render(w, e.status, "error", map[string]any{"Code": e.aadsts, "Error": e.code, "Description": e.desc,
		"Correlation": correlationID(w, r), "Time": s.now().UTC().Format(time.RFC3339)})
}

func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
}

func render(w http.ResponseWriter, status int, name string, data any) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "page not rendered: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
