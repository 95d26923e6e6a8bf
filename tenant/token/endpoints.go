package token

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/tenant"
)

// maxTokenRequest bounds a token request's form body.
const maxTokenRequest = 64 << 10

// tokenResponse is a successful token response, in the fields Entra sends
// for client credentials.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// AppToken issues an access token for app to call resource (the aud claim,
// exactly as given), with issuer base/{tenant id}/v2.0.
func (s *Service) AppToken(app *tenant.Application, resource, base string) (string, time.Time, error) {
	now := s.now()
	exp := now.Add(s.lifetime)
	uti := make([]byte, 16)
	if _, err := rand.Read(uti); err != nil {
		return "", time.Time{}, err
	}
	c := claims{
		Aud:      audience(resource),
		Iss:      s.issuer(base),
		Iat:      numericDate(now.Unix()),
		Nbf:      numericDate(now.Unix()),
		Exp:      numericDate(exp.Unix()),
		Appid:    app.AppID,
		Appidacr: "1", // authenticated with a client secret
		Azp:      app.AppID,
		Azpacr:   "1",
		Idtyp:    "app",
		Oid:      app.ObjectID,
		Roles:    app.Roles,
		Sub:      app.ObjectID, // an app token's subject is its service principal
		Tid:      s.dir.TenantID(),
		Uti:      b64.EncodeToString(uti),
		Ver:      "2.0",
	}
	raw, err := sign(s.key.key, header{Typ: "JWT", Alg: algRS256, Kid: s.key.kid, X5t: s.key.kid}, c)
	if err != nil {
		return "", time.Time{}, err
	}
	return raw, exp, nil
}

// tokenRequest is a client-credentials request as read from the form and
// the Authorization header.
type tokenRequest struct {
	clientID, secret string
	resource         string
}

func (s *Service) serveToken(w http.ResponseWriter, r *http.Request, base string) {
	t := r.PathValue("tenant")
	if !s.dir.IsTenant(t) {
		s.writeError(w, r, base, unknownTenant(t, "invalid_request"))
		return
	}
	req, e := readTokenRequest(w, r)
	if e != nil {
		s.writeError(w, r, base, e)
		return
	}
	app, err := s.dir.AuthenticateClient(req.clientID, req.secret)
	switch {
	case errors.Is(err, tenant.ErrUnknownApplication):
		s.writeError(w, r, base, newError(http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
			req.clientID, s.dir.Domain()))
		return
	case errors.Is(err, tenant.ErrInvalidSecret):
		s.writeError(w, r, base, newError(http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.",
			req.clientID))
		return
	case err != nil:
		s.logf("token: authenticate client %s: %v", req.clientID, err)
		s.writeError(w, r, base, newError(http.StatusInternalServerError, "temporarily_unavailable", 90033,
			"A transient error has occurred. Please try again."))
		return
	}
	raw, exp, err := s.AppToken(app, req.resource, base)
	if err != nil {
		s.logf("token: sign for %s: %v", app.AppID, err)
		s.writeError(w, r, base, newError(http.StatusInternalServerError, "temporarily_unavailable", 90033,
			"A transient error has occurred. Please try again."))
		return
	}
	correlationID(w, r)
	s.logf("token: issued to %s (%s) for %s", app.AppID, app.DisplayName, req.resource)
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	secs := int64(exp.Sub(s.now()).Round(time.Second) / time.Second)
	api.WriteJSON(w, http.StatusOK, tokenResponse{TokenType: "Bearer", ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: raw})
}

func unknownTenant(t, code string) *oauthError {
	return newError(http.StatusBadRequest, code, 90002,
		"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", t)
}

// readTokenRequest reads and checks a client-credentials request. Only the
// form body counts, as at Entra: parameters in the query string are ignored.
func readTokenRequest(w http.ResponseWriter, r *http.Request) (*tokenRequest, *oauthError) {
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequest)
	if err := r.ParseForm(); err != nil {
		return nil, newError(http.StatusBadRequest, "invalid_request", 900144,
			"The request body must be an application/x-www-form-urlencoded form: %v", err)
	}
	f := r.PostForm
	missing := func(name string) *oauthError {
		return newError(http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: '%s'.", name)
	}
	switch g := f.Get("grant_type"); g {
	case "":
		return nil, missing("grant_type")
	case "client_credentials":
	default:
		return nil, newError(http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '%s'. idlogs issues tokens for client credentials only.", g)
	}
	req := &tokenRequest{clientID: f.Get("client_id"), secret: f.Get("client_secret")}
	if user, pass, ok := r.BasicAuth(); ok {
		// client_secret_basic: both halves are form-encoded (RFC 6749 2.3.1).
		id, err1 := url.QueryUnescape(user)
		secret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return nil, newError(http.StatusUnauthorized, "invalid_client", 7000215,
				"The client credentials in the Authorization header are not form-encoded.")
		}
		// Entra's code for a body client_id that contradicts the header is
		// not documented; a request that names two clients is malformed.
		if req.clientID != "" && !strings.EqualFold(req.clientID, id) {
			return nil, newError(http.StatusBadRequest, "invalid_request", 900144,
				"The client_id in the request body ('%s') is not the one in the Authorization header ('%s').", req.clientID, id)
		}
		req.clientID, req.secret = id, secret
	}
	if req.clientID == "" {
		return nil, missing("client_id")
	}
	if req.secret == "" {
		desc := "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
		if f.Get("client_assertion") != "" {
			desc = "idlogs authenticates clients by client_secret only; certificate credentials (client_assertion) are not supported yet."
		}
		return nil, newError(http.StatusUnauthorized, "invalid_client", 7000218, "%s", desc)
	}
	resource, e := scopeResource(f.Get("scope"))
	if e != nil {
		return nil, e
	}
	req.resource = resource
	return req, nil
}

// oidcScopes are the scopes MSAL adds to every request; for client
// credentials Entra ignores them.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "offline_access": true, "email": true}

// scopeResource returns the resource of a client-credentials scope: the one
// "<resource>/.default" it must name besides the OpenID scopes. The resource
// is kept as written, so "https://management.azure.com//.default" gives
// "https://management.azure.com/", as at Entra.
func scopeResource(scope string) (string, *oauthError) {
	var rest []string
	for _, s := range strings.Fields(scope) {
		if !oidcScopes[strings.ToLower(s)] {
			rest = append(rest, s)
		}
	}
	switch {
	case len(rest) == 0:
		return "", newError(http.StatusBadRequest, "invalid_scope", 70011,
			"The provided request must include a 'scope' input parameter naming a resource, such as 'https://api.loganalytics.io/.default'.")
	case len(rest) > 1:
		return "", newError(http.StatusBadRequest, "invalid_scope", 70011,
			"The provided value for the input parameter 'scope' is not valid. A client credentials request names one resource, but the scope '%s' names %d.", scope, len(rest))
	}
	resource, ok := strings.CutSuffix(rest[0], "/.default")
	if !ok {
		return "", newError(http.StatusBadRequest, "invalid_scope", 1002012,
			"The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", rest[0])
	}
	if resource == "" {
		return "", newError(http.StatusBadRequest, "invalid_scope", 70011,
			"The provided value for the input parameter 'scope' is not valid. The scope %s does not name a resource.", rest[0])
	}
	return resource, nil
}

// openIDConfiguration is the discovery document, with the fields MSAL
// requires (authorization_endpoint, token_endpoint, issuer) and those
// OpenID validators read.
type openIDConfiguration struct {
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	Issuer                            string   `json:"issuer"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	ClaimsSupported                   []string `json:"claims_supported"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
}

func (s *Service) serveOpenIDConfiguration(w http.ResponseWriter, r *http.Request, base string) {
	if t := r.PathValue("tenant"); !s.dir.IsTenant(t) {
		s.writeError(w, r, base, unknownTenant(t, "invalid_tenant"))
		return
	}
	root := base + "/" + s.dir.TenantID()
	api.WriteJSON(w, http.StatusOK, openIDConfiguration{
		TokenEndpoint:                     root + "/oauth2/v2.0/token",
		TokenEndpointAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic"},
		JWKSURI:                           root + "/discovery/v2.0/keys",
		ResponseModesSupported:            []string{"query", "fragment", "form_post"},
		SubjectTypesSupported:             []string{"pairwise"},
		IDTokenSigningAlgValuesSupported:  []string{algRS256},
		ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "id_token token"},
		ScopesSupported:                   []string{"openid", "profile", "email", "offline_access"},
		Issuer:                            s.issuer(base),
		AuthorizationEndpoint:             root + "/oauth2/v2.0/authorize",
		ClaimsSupported:                   []string{"sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "ver", "appid", "azp", "idtyp", "roles", "wids"},
		CloudInstanceName:                 hostOf(base),
	})
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil {
		return u.Hostname()
	}
	return ""
}

func (s *Service) serveKeys(w http.ResponseWriter, r *http.Request, base string) {
	t := r.PathValue("tenant")
	if !s.dir.IsTenant(t) && !strings.EqualFold(t, "common") && !strings.EqualFold(t, "organizations") {
		s.writeError(w, r, base, unknownTenant(t, "invalid_tenant"))
		return
	}
	w.Header().Set("Cache-Control", "max-age=86400, private")
	api.WriteJSON(w, http.StatusOK, jwks{Keys: []jwk{s.key.jwk(s.issuer(base))}})
}

// instanceDiscovery is the answer of /common/discovery/instance.
type instanceDiscovery struct {
	TenantDiscoveryEndpoint string             `json:"tenant_discovery_endpoint"`
	APIVersion              string             `json:"api-version"`
	Metadata                []instanceMetadata `json:"metadata"`
}

type instanceMetadata struct {
	PreferredNetwork string   `json:"preferred_network"`
	PreferredCache   string   `json:"preferred_cache"`
	Aliases          []string `json:"aliases"`
}

// serveInstanceDiscovery answers MSAL's instance discovery for the
// authority whose authorize endpoint the query names: its OpenID
// configuration is on its own host, which is its only alias. The host is
// not checked against idlogs' own names (a server cannot know every name
// it is reached by); the discovery document MSAL fetches next is what ties
// the authority to idlogs.
func (s *Service) serveInstanceDiscovery(w http.ResponseWriter, r *http.Request, base string) {
	ae := r.URL.Query().Get("authorization_endpoint")
	u, err := url.Parse(ae)
	segs := []string{}
	if err == nil {
		segs = strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	}
	if err != nil || u.Scheme != "https" || u.Host == "" || len(segs) != 4 || segs[0] == "" ||
		!strings.EqualFold(strings.Join(segs[1:], "/"), "oauth2/v2.0/authorize") {
		s.writeError(w, r, base, newError(http.StatusBadRequest, "invalid_instance", 50049,
			"Unknown or invalid instance. The authorization_endpoint parameter must be an https URL of the form https://{host}/{tenant}/oauth2/v2.0/authorize, not '%s'.", ae))
		return
	}
	host := strings.ToLower(u.Host)
	api.WriteJSON(w, http.StatusOK, instanceDiscovery{
		TenantDiscoveryEndpoint: "https://" + host + "/" + segs[0] + "/v2.0/.well-known/openid-configuration",
		APIVersion:              "1.1",
		Metadata:                []instanceMetadata{{PreferredNetwork: host, PreferredCache: host, Aliases: []string{host}}},
	})
}
