package diagapi

import (
	"testing"

	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/diagnostics"
)

func TestDirectoryMayRead(t *testing.T) {
	for _, tc := range []struct {
		role     string
		provider string
		want     bool
	}{
		{RoleSecurityReader, diagnostics.ProviderAADIAM, true},
		{RoleGlobalAdministrator, "Microsoft.AADIAM", true},
		{RoleAttributeLogAdministrator, diagnostics.ProviderAADIAM, false},
		{RoleGlobalAdministrator, diagnostics.ProviderCustomSecurityAttributes, false},
		{RoleAttributeLogAdministrator, diagnostics.ProviderCustomSecurityAttributes, true},
		{"", diagnostics.ProviderAADIAM, false},
	} {
		p := &auth.Principal{}
		if tc.role != "" {
			p.DirectoryRoles = []string{tc.role}
		}
		if got := DirectoryMayRead(p, tc.provider); got != tc.want {
			t.Errorf("role %s, provider %s: %v, want %v", tc.role, tc.provider, got, tc.want)
		}
	}
}
