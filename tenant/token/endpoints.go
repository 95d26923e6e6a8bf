package token

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/idlogs/idlogs/api"
)

func unknownTenant(t, code string) *oauthError {
	return newError(http.StatusBadRequest, code, 90002,
		"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", t)
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
	GrantTypesSupported               []string `json:"grant_types_supported"`
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
		GrantTypesSupported:               []string{"client_credentials", "password", "refresh_token", "authorization_code"},
		JWKSURI:                           root + "/discovery/v2.0/keys",
		ResponseModesSupported:            []string{"query", "fragment", "form_post"},
		SubjectTypesSupported:             []string{"pairwise"},
		IDTokenSigningAlgValuesSupported:  []string{algRS256},
		ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "id_token token"},
		ScopesSupported:                   []string{"openid", "profile", "email", "offline_access"},
		Issuer:                            s.issuer(base),
		AuthorizationEndpoint:             root + "/oauth2/v2.0/authorize",
		ClaimsSupported:                   []string{"sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "ver", "appid", "azp", "idtyp", "roles", "wids", "scp", "upn", "name", "preferred_username"},
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

// userRealm is the answer of /common/userrealm/{user}, which MSAL asks
// before a password grant to learn whether the user's domain is managed
// (password checked by the tenant) or federated.
type userRealm struct {
	Ver               string `json:"ver"`
	AccountType       string `json:"account_type"`
	DomainName        string `json:"domain_name,omitempty"`
	CloudInstanceName string `json:"cloud_instance_name,omitempty"`
	CloudAudienceURN  string `json:"cloud_audience_urn,omitempty"`
}

// serveUserRealm answers Managed for a user of the tenant's domain and
// Unknown for any other, as Entra does for a domain it does not know.
func (s *Service) serveUserRealm(w http.ResponseWriter, r *http.Request, base string) {
	user := r.PathValue("user")
	if u, err := url.PathUnescape(user); err == nil {
		user = u
	}
	_, domain, _ := strings.Cut(user, "@")
	if !strings.EqualFold(domain, s.dir.Domain()) {
		api.WriteJSON(w, http.StatusOK, userRealm{Ver: "1.0", AccountType: "Unknown"})
		return
	}
	api.WriteJSON(w, http.StatusOK, userRealm{
		Ver: "1.0", AccountType: "Managed", DomainName: s.dir.Domain(),
		CloudInstanceName: hostOf(base), CloudAudienceURN: "urn:federation:MicrosoftOnline",
	})
}
