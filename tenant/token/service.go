// Package token is idlogs' token service, shaped like Entra ID's v2.0
// endpoint so that the Azure SDKs and MSAL get tokens from it unchanged:
// client credentials, password, refresh token and authorization code grants
// at /{tenant}/oauth2/v2.0/token, browser sign-in at
// /{tenant}/oauth2/v2.0/authorize, OpenID discovery, the signing keys, and
// MSAL's instance discovery. It also verifies bearer
// tokens for the API handlers (api.TokenVerifier): its own and those of
// trusted external Entra tenants.
//
// A client points at idlogs with its authority host set to idlogs' HTTPS
// base URL and instance discovery turned off (azidentity's
// DisableInstanceDiscovery, MSAL's WithInstanceDiscovery(false) or
// knownAuthorities): MSAL sends instance discovery for any host it does not
// know to login.microsoftonline.com itself, never to the authority. A
// client whose login.microsoftonline.com resolves to idlogs needs nothing:
// idlogs answers instance discovery too.
package token

import (
	"net/http"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/risk"
)

// DefaultLifetime is how long an access token lives unless Options says
// otherwise; Entra's default for app tokens is of the same order.
const DefaultLifetime = time.Hour

// Skew is the clock difference tolerated when checking exp and nbf.
const Skew = 5 * time.Minute

// Options configure a Service. The zero value is usable.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Lifetime of issued access tokens; zero means DefaultLifetime.
	Lifetime time.Duration
	// Logf receives one line per issued token and per refused request;
	// never a secret or a token. Nil discards them.
	Logf func(format string, args ...any)
	// Trusted lists external issuers (other Entra tenants) whose tokens
	// Verify accepts.
	Trusted []External
	// HTTPClient fetches trusted issuers' key sets; nil means a client with
	// a 10 s timeout.
	HTTPClient *http.Client
	// Activity receives one sign-in record per token request; nil means no
	// records.
	Activity activity.Sink
	// TrustForwardedFor takes a sign-in's client address from the first
	// X-Forwarded-For entry, for a server behind a reverse proxy; otherwise
	// the header is ignored (a client could write anything in it).
	TrustForwardedFor bool
	// RefreshLifetime of issued refresh tokens; zero means
	// DefaultRefreshLifetime.
	RefreshLifetime time.Duration
	// Risk assesses every interactive user sign-in attempt; its detections
	// and the risky users they change are emitted to Activity after the
	// sign-in record. Nil, or a nil Activity, detects nothing.
	Risk *risk.Engine
}

// External is an issuer whose tokens Verify trusts, with its key set.
type External struct {
	// Issuer is the iss claim exactly as its tokens carry it, such as
	// https://login.microsoftonline.com/{tenant id}/v2.0.
	Issuer string
	// JWKSURL is the HTTPS address of its signing keys (the jwks_uri of its
	// OpenID configuration).
	JWKSURL string
}

// Service issues and verifies tokens for one directory. Its methods are safe
// for concurrent use.
type Service struct {
	dir      *tenant.Directory
	db       *state.DB
	sink     activity.Sink
	trustXFF bool
	risk     *risk.Engine

	refreshLifetime time.Duration
	key             *signingKey
	now             func() time.Time
	lifetime        time.Duration
	logf            func(format string, args ...any)
	external        []*externalIssuer
	authz           *authzStore // pending sign-ins and authorization codes
}

// New returns the token service of dir, whose signing key is kept in db
// (made on first use).
func New(dir *tenant.Directory, db *state.DB, opts Options) (*Service, error) {
	s := &Service{dir: dir, db: db, sink: opts.Activity, trustXFF: opts.TrustForwardedFor, risk: opts.Risk, refreshLifetime: opts.RefreshLifetime,
		now: opts.Now, lifetime: opts.Lifetime, logf: opts.Logf}
	s.authz = newAuthzStore()
	if s.refreshLifetime <= 0 {
		s.refreshLifetime = DefaultRefreshLifetime
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.lifetime <= 0 {
		s.lifetime = DefaultLifetime
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	var err error
	if s.key, err = loadOrCreateKey(db, s.now()); err != nil {
		return nil, err
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	for _, t := range opts.Trusted {
		e, err := newExternalIssuer(t, client)
		if err != nil {
			return nil, err
		}
		s.external = append(s.external, e)
	}
	return s, nil
}

var _ api.TokenVerifier = (*Service)(nil)

// KeyID returns the kid of the signing key.
func (s *Service) KeyID() string { return s.key.kid }

// Register adds the token service's endpoints to rt. baseURL gives the
// HTTPS origin a request was made to, without a trailing slash (such as
// "https://localhost:8443"): idlogs answers, like Entra on each of its host
// names, with endpoints and an issuer on the host the client used, since
// MSAL refuses a discovery document whose issuer is on another host.
//
// The routes are unauthenticated:
//
//	GET  /{tenant}/oauth2/v2.0/authorize                 authorization code (PKCE): the sign-in page
//	POST /{tenant}/oauth2/v2.0/authorize                 the sign-in page's form
//	POST /{tenant}/oauth2/v2.0/token                     client credentials, password, refresh_token, authorization_code
//	GET  /{tenant}/v2.0/.well-known/openid-configuration OpenID discovery
//	GET  /{tenant}/discovery/v2.0/keys                   signing keys (JWKS)
//	GET  /common/discovery/instance                      MSAL instance discovery
//	GET  /common/userrealm/{user}                        MSAL home realm discovery (password grant)
func (s *Service) Register(rt *api.Router, baseURL func(r *http.Request) string) {
	s.registerAuthorize(rt, baseURL)
	rt.HandleFunc(http.MethodPost, "/{tenant}/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		s.serveToken(w, r, baseURL(r))
	})
	rt.HandleFunc(http.MethodGet, "/{tenant}/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		s.serveOpenIDConfiguration(w, r, baseURL(r))
	})
	rt.HandleFunc(http.MethodGet, "/{tenant}/discovery/v2.0/keys", func(w http.ResponseWriter, r *http.Request) {
		s.serveKeys(w, r, baseURL(r))
	})
	rt.HandleFunc(http.MethodGet, "/common/discovery/instance", func(w http.ResponseWriter, r *http.Request) {
		s.serveInstanceDiscovery(w, r, baseURL(r))
	})
	rt.HandleFunc(http.MethodGet, "/common/userrealm/{user}", func(w http.ResponseWriter, r *http.Request) {
		s.serveUserRealm(w, r, baseURL(r))
	})
}

// issuer is the iss of tokens issued through base.
func (s *Service) issuer(base string) string {
	return base + "/" + s.dir.TenantID() + "/v2.0"
}
