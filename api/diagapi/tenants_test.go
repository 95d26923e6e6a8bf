package diagapi

import (
	"path/filepath"
	"testing"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/state"
)

// TestMirroredTenantSettings: a caller of a mirrored external tenant
// manages that tenant's settings, not the server's own tenant's, and
// the own tenant's callers do not see them.
func TestMirroredTenantSettings(t *testing.T) {
	e := newEnv(t)
	db, err := state.Open(filepath.Join(t.TempDir(), "mirror.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mirrored, err := diagnostics.Open(db, diagnostics.Options{Exists: exists, TenantID: "tenant-2"})
	if err != nil {
		t.Fatal(err)
	}
	az, err := authz.Open(e.db)
	if err != nil {
		t.Fatal(err)
	}
	e.rt = &api.Router{}
	(&Handlers{Server: &api.Server{Tokens: fakeTokens{}, Authz: az}, Settings: e.reg,
		Tenants: func(id string) (*diagnostics.Registry, bool) {
			if id == "tenant-2" {
				return mirrored, true
			}
			return nil, false
		}}).Register(e.rt)

	const path = "/providers/microsoft.aadiam/diagnosticSettings/ext?api-version=2017-04-01"
	body := `{"properties":{"workspaceId":"` + ws1 + `","logs":[{"category":"SignInLogs","enabled":true}]}}`
	e.expect(200, "ext-secadmin", "PUT", path, body)
	if _, ok := mirrored.Get(diagnostics.ProviderAADIAM, "ext"); !ok {
		t.Error("the setting is not the mirrored tenant's")
	}
	if _, ok := e.reg.Get(diagnostics.ProviderAADIAM, "ext"); ok {
		t.Error("the setting landed in the own tenant")
	}
	e.expect(404, "secadmin", "GET", path, "")
	e.expect(200, "ext-secadmin", "GET", path, "")
	e.expect(200, "ext-secadmin", "DELETE", path, "")
	if _, ok := mirrored.Get(diagnostics.ProviderAADIAM, "ext"); ok {
		t.Error("DELETE left the setting")
	}
}
