package diagnostics

import (
	"errors"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api/apierror"
)

func TestLicenceGate(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "state.db"))
	defer db.Close()
	licence := LicenceP1
	r, err := Open(db, Options{Licence: func() string { return licence }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Put(ProviderAADIAM, "p1", setting(activity.SignInLogs), Initiator{}); err != nil {
		t.Fatalf("P1 tenant: %v", err)
	}
	// P1 may route ID Protection's categories; their records hide the
	// detail a P2 tenant sees.
	if _, err := r.Put(ProviderAADIAM, "risk", setting(activity.RiskyUsers), Initiator{}); err != nil {
		t.Fatalf("P1 tenant, RiskyUsers: %v", err)
	}
	for _, l := range []string{LicenceFree, ""} {
		licence = l
		_, err = r.Put(ProviderAADIAM, "free", setting(activity.AuditLogs), Initiator{})
		var ae *apierror.Error
		if !errors.As(err, &ae) || ae.Status != http.StatusForbidden || ae.Code != "LicenseRequired" {
			t.Errorf("licence %q: PUT answered %v, want 403 LicenseRequired", l, err)
		}
		if _, ok := r.Get(ProviderAADIAM, "free"); ok {
			t.Errorf("licence %q: the refused setting was kept", l)
		}
	}
	// A Free tenant may still turn a setting's logs off, which removes it,
	// and delete one.
	off := setting(activity.SignInLogs)
	off.Properties.Logs[0].Enabled = false
	if _, err := r.Put(ProviderAADIAM, "p1", off, Initiator{}); err != nil {
		t.Errorf("Free tenant turning logs off: %v", err)
	}
	if found, err := r.Delete(ProviderAADIAM, "risk", Initiator{}); err != nil || !found {
		t.Errorf("Free tenant deleting: %v, %v", found, err)
	}
	if n := len(r.Settings()); n != 0 {
		t.Errorf("%d settings left", n)
	}
	licence = LicenceP2
	if _, err := r.Put(ProviderAADIAM, "p2", setting(activity.UserRiskEvents), Initiator{}); err != nil {
		t.Errorf("P2 tenant: %v", err)
	}
}
