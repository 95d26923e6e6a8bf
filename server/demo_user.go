package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/idlogs/idlogs/tenant"
)

const (
	// demoAnalyst is the local part of the demo's web UI account.
	demoAnalyst = "analyst"
	// roleLogAnalyticsContributor is Azure's built-in role (its GUID):
	// read and write workspaces, query them, link them to diagnostic
	// settings.
	roleLogAnalyticsContributor = "92aaf0da-9dab-42b6-94a3-d43ce8d16293"
)

// ensureDemoUser makes the demo's web UI account when bootstrap.json names
// none: analyst@{domain}, a Global Administrator (Entra's diagnostic
// settings, the Graph admin API) holding Log Analytics Contributor on the
// subscription (its workspaces and their queries). The password is new and
// random, and written to bootstrap.json (0600) only.
func (s *Server) ensureDemoUser() error {
	if s.boot.DemoUser != nil {
		return nil
	}
	upn := demoAnalyst + "@" + s.parts.dir.Domain()
	password := rand.Text()
	ctx := context.Background()
	u, err := s.parts.dir.User(upn)
	switch {
	case errors.Is(err, tenant.ErrNotFound):
		u, _, err = s.parts.dir.CreateUser(ctx, tenant.Initiator{}, tenant.NewUser{
			UserPrincipalName: upn, DisplayName: "Demo Analyst", Department: "Security Operations", Password: password})
	case err == nil:
		// bootstrap.json lost the password: set a new one.
		_, _, err = s.parts.dir.UpdateUser(ctx, tenant.Initiator{}, u.ID, tenant.UserPatch{Password: &password})
	}
	if err != nil {
		return fmt.Errorf("demo: web UI account %s: %w", upn, err)
	}
	if err := s.parts.ensureDirectoryRole(u.ID, tenant.RoleGlobalAdministrator); err != nil {
		return fmt.Errorf("demo: Global Administrator for %s: %w", upn, err)
	}
	if err := s.parts.ensureRole(u.ID, "User", roleLogAnalyticsContributor, "/subscriptions/"+s.boot.SubscriptionID); err != nil {
		return fmt.Errorf("demo: Log Analytics Contributor for %s: %w", upn, err)
	}
	s.boot.DemoUser = &DemoUser{UserPrincipalName: upn, Password: password}
	return writeBootstrap(filepath.Join(s.cfg.DataDir, "bootstrap.json"), s.boot)
}
