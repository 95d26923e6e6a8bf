package token

import (
	"context"
	"fmt"
	"time"

	"github.com/idlogs/idlogs/tenant"
)

// grantManagedIdentity marks a managed identity's token in the sign-in
// log; it is not a grant the token endpoint takes.
const grantManagedIdentity = "managed_identity"

// ManagedIdentityToken issues an access token for the managed identity id
// (object id or app id) to call resource, as Azure's instance metadata
// service hands one to code on the resource the identity is attached to,
// and records it in ManagedIdentitySignInLogs with ip as the caller's
// address. There is no HTTP route to it: whoever can call it is trusted to
// be that resource (the simulator, tests).
func (s *Service) ManagedIdentityToken(ctx context.Context, id, resource, base, ip string) (string, time.Time, error) {
	sp, err := s.dir.ServicePrincipal(id)
	if err != nil {
		return "", time.Time{}, err
	}
	if sp.Type != tenant.SPTypeManagedIdentity {
		return "", time.Time{}, fmt.Errorf("token: %s (%s) is not a managed identity", sp.DisplayName, sp.ID)
	}
	app, ok := s.dir.Application(sp.AppID)
	if !ok {
		return "", time.Time{}, fmt.Errorf("token: managed identity %s has no application record", sp.ID)
	}
	a := &attempt{start: s.now(), ip: ip, correlation: tenant.NewGUID(), grant: grantManagedIdentity,
		clientID: app.AppID, app: app, credType: "managedIdentity", resource: resource}
	raw, exp, uti, err := s.appToken(app, resource, base)
	if err != nil {
		return "", time.Time{}, err
	}
	a.uti = uti
	if s.sink != nil {
		if err := s.sink.Emit(ctx, s.signInRecord(a)); err != nil {
			s.logf("token: sign-in record of %s not emitted: %v", app.AppID, err)
		}
	}
	return raw, exp, nil
}
