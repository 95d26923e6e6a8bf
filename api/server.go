// Package api serves Azure's HTTP APIs on one origin: the token service,
// ARM resources (workspaces, tables, role assignments, data collection
// rules), the Log Analytics query API and the ingestion APIs. Handlers are
// grouped by API family, one file each; every request except the token
// service's own endpoints carries a bearer token whose audience must fit the
// API family, and every handler checks the caller's role for its action and
// scope before it does anything.
package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/workspace"
)

// TokenVerifier checks a bearer token and returns its caller. A token that
// is malformed, badly signed, expired or from an untrusted issuer is an
// error.
type TokenVerifier interface {
	Verify(token string) (*auth.Principal, error)
}

// Authorizer decides whether a caller may perform an Azure RBAC action
// (such as "Microsoft.OperationalInsights/workspaces/query/SigninLogs/read")
// at an ARM scope (such as a workspace's resource id); assignments at a
// parent scope apply to its children.
type Authorizer interface {
	Allowed(p *auth.Principal, action, scope string) bool
}

// Audience is the family of APIs a token is issued for.
type Audience int

// The audiences of the APIs idlogs serves.
const (
	AudienceARM Audience = iota
	AudienceLogAnalytics
	AudienceMonitor
	AudienceGraph
)

// audiences lists the aud claim values each family accepts, without a
// trailing slash (tokens carry the resource URI with or without one).
var audiences = map[Audience][]string{
	AudienceARM:          {"https://management.azure.com", "https://management.core.windows.net"},
	AudienceLogAnalytics: {"https://api.loganalytics.io", "https://api.loganalytics.azure.com"},
	AudienceMonitor:      {"https://monitor.azure.com", "https://ingest.monitor.azure.com"},
	AudienceGraph:        {"https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"},
}

// AcceptsAudience reports whether a token with aud claim aud is good for
// family a.
func AcceptsAudience(a Audience, aud string) bool {
	aud = strings.TrimSuffix(strings.ToLower(aud), "/")
	for _, ok := range audiences[a] {
		if aud == ok {
			return true
		}
	}
	return false
}

// Server holds what the handlers need. Fields are set before Handler is
// called and not changed afterwards.
type Server struct {
	Tokens     TokenVerifier
	Authz      Authorizer
	Workspaces *workspace.Registry
	// Logf receives one line per failed request; never tokens or secrets.
	Logf func(format string, args ...any)
}

// Authenticate wraps h so that it runs only for a request with a valid
// bearer token for family a; the caller is in the request context (see
// auth.FromContext). No token gives 401 AuthenticationFailed, a bad token
// InvalidAuthenticationToken (401, or 403 on the query API as Azure's query
// service answers), a token for another API 403
// InvalidAuthenticationTokenAudience.
func (s *Server) Authenticate(a Audience, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := r.Header.Get("Authorization")
		if hdr == "" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request", error_description="No access token was provided"`)
			apierror.Write(w, apierror.New(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."))
			return
		}
		scheme, token, ok := strings.Cut(hdr, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
			apierror.Write(w, apierror.New(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is not a bearer token."))
			return
		}
		p, err := s.Tokens.Verify(token)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			// ARM and the ingestion API answer a bad token with 401; the
			// query API with 403.
			status := http.StatusUnauthorized
			if a == AudienceLogAnalytics {
				status = http.StatusForbidden
			}
			apierror.Write(w, apierror.New(status, "InvalidAuthenticationToken", "The access token is invalid."))
			return
		}
		if !AcceptsAudience(a, p.Audience) {
			apierror.Write(w, apierror.New(http.StatusForbidden, "InvalidAuthenticationTokenAudience",
				"The access token has been obtained for wrong audience or resource '%s'. It should exactly match with one of the allowed audiences '%s'.",
				p.Audience, strings.Join(audiences[a], "','")))
			return
		}
		h.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// Allowed reports whether the request's caller may do action at scope, and
// when not, answers 403 with ARM's AuthorizationFailed envelope.
func (s *Server) Allowed(w http.ResponseWriter, r *http.Request, action, scope string) bool {
	p, ok := auth.FromContext(r.Context())
	if ok && s.Authz.Allowed(p, action, scope) {
		return true
	}
	oid := ""
	if p != nil {
		oid = p.ObjectID
	}
	apierror.Write(w, apierror.New(http.StatusForbidden, "AuthorizationFailed",
		"The client '%s' with object id '%s' does not have authorization to perform action '%s' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
		oid, oid, action, scope))
	return false
}

// WriteJSON sends v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
