// Package auth holds the caller of a request once its token has been
// verified: who it is, which tenant it belongs to, and which audience the
// token was issued for. Handlers read it from the request context; the token
// service (package tenant/token) verifies the token it comes from and the
// role checks (package authz) decide what it may do.
package auth

import "context"

// Principal is an authenticated caller, taken from a verified access token.
type Principal struct {
	// TenantID is the directory that issued the token (claim tid).
	TenantID string
	// ObjectID is the caller's object id in that directory (claim oid): the
	// id role assignments name.
	ObjectID string
	// AppID is the client application the token was issued to (claim appid
	// or azp).
	AppID string
	// Name is a display name for logs and audit records (claim name, upn or
	// app display name); never used for decisions.
	Name string
	// Audience is the resource the token is for (claim aud).
	Audience string
	// Roles are the application roles granted to the caller (claim roles).
	Roles []string
	// DirectoryRoles are the template ids of the caller's directory roles
	// (claim wids).
	DirectoryRoles []string
	// App is true when the caller is an application (client credentials),
	// false for a user.
	App bool
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal of ctx, if any.
func FromContext(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}
