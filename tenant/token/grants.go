package token

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/idlogs/idlogs/tenant"
)

// maxTokenRequest bounds a token request's form body.
const maxTokenRequest = 64 << 10

// tokenResponse is a successful token response in Entra's fields. App
// tokens carry the first four only.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

// Grant types served at the token endpoint.
const (
	grantClientCredentials = "client_credentials"
	grantPassword          = "password"
	grantRefreshToken      = "refresh_token"
	grantAuthorizationCode = "authorization_code"
)

// transient is the answer to a request the directory or the signer failed.
func transient() *oauthError {
	return newError(http.StatusInternalServerError, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again.")
}

// serveToken answers a token request and then records it as one sign-in:
// the response is flushed to the client first, so the record (durable when
// Emit returns) does not delay the token; the handler returns only once it
// is written, so a graceful shutdown does not lose it. A request for
// another tenant is not recorded: there is no tenant to record it in.
func (s *Service) serveToken(w http.ResponseWriter, r *http.Request, base string) {
	a := s.newAttempt(w, r)
	if t := r.PathValue("tenant"); !s.dir.IsTenant(t) {
		s.writeError(w, r, base, unknownTenant(t, "invalid_request"))
		return
	}
	resp, e := s.grant(w, r, base, a)
	a.err = e
	if e != nil {
		s.writeError(w, r, base, e)
	} else {
		w.Header().Set("Cache-Control", "no-store, no-cache")
		w.Header().Set("Pragma", "no-cache")
		writeJSON(w, http.StatusOK, resp)
	}
	if s.sink == nil {
		return
	}
	_ = http.NewResponseController(w).Flush()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	if err := s.sink.Emit(ctx, s.records(a)...); err != nil {
		s.logf("token: sign-in record of %s not emitted: %v", a.clientID, err)
	}
}

func (s *Service) grant(w http.ResponseWriter, r *http.Request, base string, a *attempt) (*tokenResponse, *oauthError) {
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequest)
	// Only the form body counts, as at Entra: parameters in the query
	// string are ignored.
	if err := r.ParseForm(); err != nil {
		return nil, newError(http.StatusBadRequest, "invalid_request", 900144,
			"The request body must be an application/x-www-form-urlencoded form: %v", err)
	}
	f := r.PostForm
	a.grant = f.Get("grant_type")
	a.clientID = f.Get("client_id")
	switch a.grant {
	case "":
		return nil, missing("grant_type")
	case grantClientCredentials:
		return s.clientCredentials(r, f, base, a)
	case grantPassword:
		return s.passwordGrant(r, f, base, a)
	case grantRefreshToken:
		return s.refreshGrant(r, f, base, a)
	case grantAuthorizationCode:
		return s.authCodeGrant(r, f, base, a)
	}
	return nil, newError(http.StatusBadRequest, "unsupported_grant_type", 70003,
		"The app requested an unsupported grant type '%s'. idlogs issues tokens for client_credentials, password, refresh_token and authorization_code.", a.grant)
}

func missing(name string) *oauthError {
	return newError(http.StatusBadRequest, "invalid_request", 900144,
		"The request body must contain the following parameter: '%s'.", name)
}

// clientCredentials reads the client's id and secret from the form
// (client_secret_post) or the Authorization header (client_secret_basic).
func clientCredentials(r *http.Request, f url.Values) (id, secret string, e *oauthError) {
	id, secret = f.Get("client_id"), f.Get("client_secret")
	if user, pass, ok := r.BasicAuth(); ok {
		// client_secret_basic: both halves are form-encoded (RFC 6749 2.3.1).
		hid, err1 := url.QueryUnescape(user)
		hsecret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return "", "", newError(http.StatusUnauthorized, "invalid_client", 7000215,
				"The client credentials in the Authorization header are not form-encoded.")
		}
		// Entra's code for a body client_id that contradicts the header is
		// not documented; a request that names two clients is malformed.
		if id != "" && !strings.EqualFold(id, hid) {
			return "", "", newError(http.StatusBadRequest, "invalid_request", 900144,
				"The client_id in the request body ('%s') is not the one in the Authorization header ('%s').", id, hid)
		}
		id, secret = hid, hsecret
	}
	if id == "" {
		return "", "", missing("client_id")
	}
	return id, secret, nil
}

func noSecret(f url.Values) *oauthError {
	desc := "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
	if f.Get("client_assertion") != "" {
		desc = "idlogs authenticates clients by client_secret only; certificate credentials (client_assertion) are not supported yet."
	}
	return newError(http.StatusUnauthorized, "invalid_client", 7000218, "%s", desc)
}

// authenticateClient checks a confidential client's secret.
func (s *Service) authenticateClient(id, secret string, a *attempt) (*tenant.Application, *oauthError) {
	app, err := s.dir.AuthenticateClient(id, secret)
	switch {
	case errors.Is(err, tenant.ErrUnknownApplication):
		return nil, unknownClient(id, s.dir.Domain())
	case errors.Is(err, tenant.ErrInvalidSecret):
		a.app, _ = s.dir.Application(id)
		return nil, newError(http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", id)
	case err != nil:
		s.logf("token: authenticate client %s: %v", id, err)
		return nil, transient()
	}
	a.credType = "clientSecret"
	return app, nil
}

func unknownClient(id, domain string) *oauthError {
	return newError(http.StatusBadRequest, "unauthorized_client", 700016,
		"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
		id, domain)
}

func (s *Service) clientCredentials(r *http.Request, f url.Values, base string, a *attempt) (*tokenResponse, *oauthError) {
	id, secret, e := clientCredentials(r, f)
	a.clientID = id
	if e != nil {
		return nil, e
	}
	if secret == "" {
		return nil, noSecret(f)
	}
	resource, e := scopeResource(f.Get("scope"))
	if e != nil {
		return nil, e
	}
	a.resource = resource
	app, e := s.authenticateClient(id, secret, a)
	if e != nil {
		return nil, e
	}
	a.app = app
	raw, exp, uti, err := s.appToken(app, resource, base)
	if err != nil {
		s.logf("token: sign for %s: %v", app.AppID, err)
		return nil, transient()
	}
	a.uti = uti
	s.logf("token: issued to %s (%s) for %s", app.AppID, app.DisplayName, resource)
	secs := s.secondsUntil(exp)
	return &tokenResponse{TokenType: "Bearer", ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: raw}, nil
}

// userClient resolves the client of a user grant: a public client sends no
// secret; a confidential one must authenticate.
func (s *Service) userClient(r *http.Request, f url.Values, a *attempt) (*tenant.Application, *oauthError) {
	id, secret, e := clientCredentials(r, f)
	a.clientID = id
	if e != nil {
		return nil, e
	}
	if secret != "" {
		return s.authenticateClient(id, secret, a)
	}
	app, ok := s.dir.Application(id)
	if !ok || app.ServicePrincipalType == tenant.SPTypeManagedIdentity {
		return nil, unknownClient(id, s.dir.Domain())
	}
	if !app.PublicClient {
		a.app = app
		return nil, noSecret(f)
	}
	a.credType = "none"
	return app, nil
}

// Entra's answers to the user grants' sign-in failures.

func errBadPassword() *oauthError {
	return newError(http.StatusBadRequest, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.")
}

func errLocked() *oauthError {
	return newError(http.StatusBadRequest, "invalid_grant", 50053,
		"The account is locked, you've tried to sign in too many times with an incorrect user ID or password.")
}

func errDisabled() *oauthError {
	return newError(http.StatusBadRequest, "invalid_grant", 50057, "The user account is disabled.")
}

func errUnknownUser(domain string) *oauthError {
	return newError(http.StatusBadRequest, "invalid_grant", 50034,
		"The user account {EUII Hidden} does not exist in the %s directory. To sign into this application, the account must be added to the directory.", domain)
}

func (s *Service) passwordGrant(r *http.Request, f url.Values, base string, a *attempt) (*tokenResponse, *oauthError) {
	app, e := s.userClient(r, f, a)
	if e != nil {
		return nil, e
	}
	a.app = app
	a.upn = f.Get("username")
	if a.upn == "" {
		return nil, missing("username")
	}
	if f.Get("password") == "" {
		return nil, missing("password")
	}
	req, e := delegatedScopes(f.Get("scope"))
	if e != nil {
		return nil, e
	}
	a.resource = req.resource
	user, err := s.dir.AuthenticateUser(a.upn, f.Get("password"))
	a.user = user
	switch {
	case errors.Is(err, tenant.ErrUnknownUser):
		return nil, errUnknownUser(s.dir.Domain())
	case errors.Is(err, tenant.ErrLocked):
		return nil, errLocked()
	case errors.Is(err, tenant.ErrBadPassword):
		return nil, errBadPassword()
	case errors.Is(err, tenant.ErrDisabled):
		return nil, errDisabled()
	case err != nil:
		s.logf("token: sign-in of %s: %v", a.upn, err)
		return nil, transient()
	}
	return s.userTokens(r, f, base, a, user, app, req)
}

func (s *Service) refreshGrant(r *http.Request, f url.Values, base string, a *attempt) (*tokenResponse, *oauthError) {
	app, e := s.userClient(r, f, a)
	if e != nil {
		return nil, e
	}
	a.app = app
	rt := f.Get("refresh_token")
	if rt == "" {
		return nil, missing("refresh_token")
	}
	rec, e := s.redeemRefresh(rt, app.AppID)
	if rec == nil {
		return nil, e
	}
	user, err := s.dir.User(rec.UserID)
	if e != nil {
		if err == nil {
			a.user, a.upn = user, user.UserPrincipalName
		}
		return nil, e
	}
	if err != nil {
		return nil, errUnknownUser(s.dir.Domain())
	}
	a.user, a.upn = user, user.UserPrincipalName
	if !user.AccountEnabled {
		return nil, errDisabled()
	}
	// A refresh token is good for any resource the user may reach, as
	// Entra's multi-resource refresh tokens are; without a scope it renews
	// the one it was issued with.
	scope := f.Get("scope")
	if strings.TrimSpace(scope) == "" {
		scope = rec.Scope
	}
	req, e := delegatedScopes(scope)
	if e != nil {
		return nil, e
	}
	a.resource = req.resource
	return s.userTokens(r, f, base, a, user, app, req)
}

// userTokens issues a signed-in user's access token, with an ID token when
// openid was asked for and a new refresh token when offline_access was.
func (s *Service) userTokens(r *http.Request, f url.Values, base string, a *attempt, user *tenant.User, app *tenant.Application, req *delegated) (*tokenResponse, *oauthError) {
	raw, exp, uti, err := s.userToken(user, app, req.resource, req.scp, base, a.credType == "clientSecret")
	if err != nil {
		s.logf("token: sign for %s: %v", user.ID, err)
		return nil, transient()
	}
	a.uti = uti
	secs := s.secondsUntil(exp)
	resp := &tokenResponse{TokenType: "Bearer", Scope: strings.Join(req.granted, " "), ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: raw}
	if req.openid {
		if resp.IDToken, err = s.idToken(user, app, base, req.nonce); err != nil {
			return nil, transient()
		}
	}
	if req.offline {
		if resp.RefreshToken, err = s.issueRefresh(user.ID, app.AppID, req.scope); err != nil {
			s.logf("token: refresh token for %s: %v", user.ID, err)
			return nil, transient()
		}
	}
	if f.Get("client_info") == "1" {
		resp.ClientInfo = clientInfo(user.ID, s.dir.TenantID())
	}
	s.logf("token: issued to user %s through %s (%s) for %s", user.ID, app.AppID, app.DisplayName, req.resource)
	return resp, nil
}

// secondsUntil is expires_in: the token's lifetime in seconds, which is
// what is left of it when it is issued.
func (s *Service) secondsUntil(time.Time) int64 {
	return int64(s.lifetime / time.Second)
}

// delegated is the scope of a user grant: one resource and the
// permissions asked of it.
type delegated struct {
	scope    string // as sent, kept with a refresh token
	resource string
	scp      string   // the scp claim
	granted  []string // the scopes answered in the response
	openid   bool
	offline  bool
	nonce    string // the authorization request's, for the ID token
}

// graphResource is the resource of a permission named without one
// ("User.Read"), as Entra reads it.
const graphResource = "https://graph.microsoft.com"

// delegatedScopes reads a user grant's scope: permissions of one resource
// ("https://graph.microsoft.com/User.Read", "<resource>/.default") beside
// the OpenID scopes. ".default" asks for whatever the user consented to;
// idlogs, with no consent model, grants user_impersonation.
func delegatedScopes(scope string) (*delegated, *oauthError) {
	d := &delegated{scope: scope}
	var perms []string
	for _, sc := range strings.Fields(scope) {
		low := strings.ToLower(sc)
		if oidcScopes[low] {
			d.openid = d.openid || low == "openid"
			d.offline = d.offline || low == "offline_access"
			continue
		}
		resource, perm := graphResource, sc
		if i := strings.LastIndex(sc, "/"); i >= 0 && strings.Contains(sc, "://") {
			resource, perm = sc[:i], sc[i+1:]
		}
		if resource == "" || perm == "" {
			return nil, newError(http.StatusBadRequest, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", sc)
		}
		if d.resource != "" && !strings.EqualFold(strings.TrimSuffix(d.resource, "/"), strings.TrimSuffix(resource, "/")) {
			return nil, newError(http.StatusBadRequest, "invalid_scope", 28000,
				"Provided value for the input parameter scope is not valid because it contains more than one resource. Scope %s is not valid.", scope)
		}
		d.resource = resource
		if perm == ".default" {
			perm = "user_impersonation"
		}
		if !slices.Contains(perms, perm) {
			perms = append(perms, perm)
		}
		d.granted = append(d.granted, sc)
	}
	if d.resource == "" {
		return nil, newError(http.StatusBadRequest, "invalid_scope", 70011,
			"The provided request must include a 'scope' input parameter naming a resource, such as 'https://graph.microsoft.com/.default'.")
	}
	d.scp = strings.Join(perms, " ")
	for _, o := range []string{"openid", "profile", "offline_access"} {
		if strings.Contains(" "+strings.ToLower(scope)+" ", " "+o+" ") {
			d.granted = append(d.granted, o)
		}
	}
	return d, nil
}
