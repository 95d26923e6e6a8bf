package diagnostics

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/state"
)

const ws = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws1"

func str(s string) *string { return &s }

func setting(category string) Setting {
	return Setting{Properties: SettingProperties{WorkspaceID: str(ws), Logs: []Log{{Category: category, Enabled: true}}}}
}

func openDB(t testing.TB, path string) *state.DB {
	t.Helper()
	db, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestSettingsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db := openDB(t, path)
	r, err := Open(db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := setting(activity.AuditLogs)
	in.Properties.Logs[0].RetentionPolicy = &RetentionPolicy{Days: 7}
	want, err := r.Put(ProviderAADIAM, "Keep", in, Initiator{})
	if err != nil {
		t.Fatal(err)
	}
	wantCSA, err := r.Put("MICROSOFT.AADCUSTOMSECURITYATTRIBUTESDIAGNOSTICSETTINGS", "csa", setting("customsecurityattributeauditlogs"), Initiator{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Put(ProviderAADIAM, "gone", setting(activity.SignInLogs), Initiator{}); err != nil {
		t.Fatal(err)
	}
	if found, err := r.Delete(ProviderAADIAM, "GONE", Initiator{}); err != nil || !found {
		t.Fatalf("delete: %v %v", found, err)
	}
	db.Close()

	db = openDB(t, path)
	defer db.Close()
	r, err = Open(db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := r.Get(ProviderAADIAM, "keep"); !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("after reopen: %+v %v, want %+v", got, ok, want)
	}
	if wantCSA.Properties.Logs[0].Category != activity.CustomSecurityAttributeAuditLogs || wantCSA.Type != ProviderCustomSecurityAttributes+"/diagnosticSettings" {
		t.Errorf("custom-security-attribute setting %+v", wantCSA)
	}
	all := r.Settings()
	if len(all) != 2 || all[0].Name != "Keep" || !reflect.DeepEqual(all[1], wantCSA) {
		t.Errorf("Settings() = %+v", all)
	}
	if l := r.List(ProviderAADIAM); len(l) != 1 {
		t.Errorf("List = %+v", l)
	}
}

func TestChangeNotification(t *testing.T) {
	r, err := Open(openDB(t, filepath.Join(t.TempDir(), "state.db")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ch := r.Subscribe()
	v0 := r.Version()
	if _, err := r.Put(ProviderAADIAM, "a", setting(activity.AuditLogs), Initiator{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Put(ProviderAADIAM, "a", setting(activity.SignInLogs), Initiator{}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	default:
		t.Fatal("no notification after a change")
	}
	select {
	case <-ch:
		t.Fatal("notifications are not coalesced")
	default:
	}
	if r.Version() != v0+2 {
		t.Errorf("version %d, want %d", r.Version(), v0+2)
	}
	if _, err := r.Put(ProviderAADIAM, "b", Setting{}, Initiator{}); err == nil {
		t.Fatal("an invalid setting was accepted")
	}
	if r.Version() != v0+2 {
		t.Error("a refused request changed the version")
	}
	if found, _ := r.Delete(ProviderAADIAM, "nothing", Initiator{}); found || r.Version() != v0+2 {
		t.Error("deleting nothing changed the version")
	}
}

func TestConfigurableCategories(t *testing.T) {
	r, err := Open(openDB(t, filepath.Join(t.TempDir(), "state.db")), Options{Categories: []string{activity.AuditLogs}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Categories("Microsoft.AADIAM"); !reflect.DeepEqual(got, []string{activity.AuditLogs}) {
		t.Errorf("categories %v", got)
	}
	_, err = r.Put(ProviderAADIAM, "a", setting(activity.SignInLogs), Initiator{})
	var ae *apierror.Error
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Message != "Category 'SignInLogs' is not supported." {
		t.Errorf("err = %v", err)
	}
	if r.Categories("microsoft.insights") != nil {
		t.Error("an unknown provider has categories")
	}
}

func TestNameRules(t *testing.T) {
	r, err := Open(openDB(t, filepath.Join(t.TempDir(), "state.db")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "a/b", `a\b`, "a?b", "a<b", "a>b", "a*b", "a%b", "a&b", "a:b", "a+b"} {
		_, err := r.Put(ProviderAADIAM, name, setting(activity.AuditLogs), Initiator{})
		var ae *apierror.Error
		if !errors.As(err, &ae) || ae.Code != "InvalidResourceName" {
			t.Errorf("name %q: %v", name, err)
		}
	}
	if _, err := r.Put(ProviderAADIAM, "a b-c_d.é", setting(activity.AuditLogs), Initiator{}); err != nil {
		t.Errorf("spaces, dots and letters: %v", err)
	}
}

type failingSink struct{}

func (failingSink) Emit(context.Context, ...activity.Record) error { return errors.New("log full") }

func TestSinkFailureFailsTheRequest(t *testing.T) {
	r, err := Open(openDB(t, filepath.Join(t.TempDir(), "state.db")), Options{Activity: failingSink{}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Put(ProviderAADIAM, "a", setting(activity.AuditLogs), Initiator{})
	var ae *apierror.Error
	if err == nil || errors.As(err, &ae) {
		t.Fatalf("err = %v, want a plain error", err)
	}
}

func TestExistsIsAskedPerDestination(t *testing.T) {
	var asked [][2]string
	r, err := Open(openDB(t, filepath.Join(t.TempDir(), "state.db")), Options{Exists: func(kind, id string) bool {
		asked = append(asked, [2]string{kind, id})
		return true
	}})
	if err != nil {
		t.Fatal(err)
	}
	s := setting(activity.AuditLogs)
	s.Properties.StorageAccountID = str("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa")
	s.Properties.MarketplacePartnerID = str("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Datadog/monitors/m")
	if _, err := r.Put(ProviderAADIAM, "a", s, Initiator{}); err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{DestWorkspace, ws}, {DestStorage, *s.Properties.StorageAccountID}, {DestPartner, *s.Properties.MarketplacePartnerID}}
	if !reflect.DeepEqual(asked, want) {
		t.Errorf("asked %v", asked)
	}
}
