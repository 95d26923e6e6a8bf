package tenant

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/state"
)

func openDir(t *testing.T, path string) (*state.DB, *Directory) {
	t.Helper()
	db, err := state.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(db)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, d
}

func TestTenantIDKeptAcrossOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, d := openDir(t, path)
	id := d.TenantID()
	if !IsGUID(id) || id != strings.ToLower(id) {
		t.Fatalf("tenant id %q is not a lower-case GUID", id)
	}
	app, _, err := d.CreateApplication("collector")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, d = openDir(t, path)
	defer db.Close()
	if d.TenantID() != id {
		t.Fatalf("tenant id changed on reopen: %s then %s", id, d.TenantID())
	}
	if got, ok := d.Application(app.AppID); !ok || got.ObjectID != app.ObjectID || got.DisplayName != "collector" {
		t.Fatalf("application after reopen = %+v, %v", got, ok)
	}
	for _, s := range []string{id, strings.ToUpper(id), DefaultDomain, "IDLOGS.local"} {
		if !d.IsTenant(s) {
			t.Errorf("IsTenant(%q) = false", s)
		}
	}
	for _, s := range []string{"common", "organizations", "", "00000000-0000-0000-0000-000000000000"} {
		if d.IsTenant(s) {
			t.Errorf("IsTenant(%q) = true", s)
		}
	}
}

func TestAuthenticateClient(t *testing.T) {
	db, d := openDir(t, filepath.Join(t.TempDir(), "state.db"))
	defer db.Close()
	app, secret, err := d.CreateApplication("  ingest  ")
	if err != nil {
		t.Fatal(err)
	}
	if app.DisplayName != "ingest" || app.AppID == app.ObjectID || !IsGUID(app.AppID) || !IsGUID(app.ObjectID) {
		t.Fatalf("application = %+v", app)
	}
	if len(app.Secrets) != 1 || app.Secrets[0].Hint != secret[:3] {
		t.Fatalf("secrets = %+v", app.Secrets)
	}
	got, err := d.AuthenticateClient(app.AppID, secret)
	if err != nil || got.ObjectID != app.ObjectID {
		t.Fatalf("right secret: %+v, %v", got, err)
	}
	// Client ids are GUIDs, which clients may send in upper case.
	if _, err := d.AuthenticateClient(strings.ToUpper(app.AppID), secret); err != nil {
		t.Fatalf("upper-case client id: %v", err)
	}

	second, err := d.AddSecret(app.AppID)
	if err != nil {
		t.Fatal(err)
	}
	if second == secret {
		t.Fatal("AddSecret returned the first secret again")
	}
	for _, s := range []string{secret, second} {
		if _, err := d.AuthenticateClient(app.AppID, s); err != nil {
			t.Fatalf("secret %s...: %v", s[:3], err)
		}
	}

	cases := []struct {
		name, id, secret string
		want             error
	}{
		{"wrong secret", app.AppID, secret + "x", ErrInvalidSecret},
		{"empty secret", app.AppID, "", ErrInvalidSecret},
		{"secret of the id", app.AppID, app.Secrets[0].KeyID, ErrInvalidSecret},
		{"unknown client", "11111111-2222-3333-4444-555555555555", secret, ErrUnknownApplication},
		{"not a guid", "collector", secret, ErrUnknownApplication},
	}
	for _, c := range cases {
		if _, err := d.AuthenticateClient(c.id, c.secret); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestSecretsAreNotStored(t *testing.T) {
	db, d := openDir(t, filepath.Join(t.TempDir(), "state.db"))
	defer db.Close()
	app, secret, err := d.CreateApplication("a")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if _, err := db.Get(kindApplications, app.AppID, &raw); err != nil {
		t.Fatal(err)
	}
	if dump := strings.Join(flatten(raw), " "); strings.Contains(dump, secret) {
		t.Fatalf("the stored record holds the secret: %s", dump)
	}
}

func flatten(v any) []string {
	switch v := v.(type) {
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, flatten(x)...)
		}
		return out
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, flatten(x)...)
		}
		return out
	case string:
		return []string{v}
	}
	return nil
}

func TestApplicationsAndRoles(t *testing.T) {
	db, d := openDir(t, filepath.Join(t.TempDir(), "state.db"))
	defer db.Close()
	if _, _, err := d.CreateApplication(" "); err == nil {
		t.Fatal("an application without a name was created")
	}
	a, _, _ := d.CreateApplication("a")
	b, _, _ := d.CreateApplication("b")
	if err := d.SetRoles(b.AppID, []string{"Data.Read"}); err != nil {
		t.Fatal(err)
	}
	if err := d.SetRoles("11111111-2222-3333-4444-555555555555", nil); err == nil {
		t.Fatal("SetRoles on a missing application succeeded")
	}
	if _, err := d.AddSecret("nope"); err == nil {
		t.Fatal("AddSecret on a missing application succeeded")
	}
	apps, err := d.Applications()
	if err != nil || len(apps) != 2 {
		t.Fatalf("applications = %v, %v", apps, err)
	}
	byID := map[string]*Application{apps[0].AppID: apps[0], apps[1].AppID: apps[1]}
	if byID[a.AppID].DisplayName != "a" || len(byID[a.AppID].Roles) != 0 {
		t.Errorf("a = %+v", byID[a.AppID])
	}
	if r := byID[b.AppID].Roles; len(r) != 1 || r[0] != "Data.Read" {
		t.Errorf("b roles = %v", r)
	}
	if _, ok := d.Application("11111111-2222-3333-4444-555555555555"); ok {
		t.Error("a missing application was found")
	}
}

func TestSetPublicClient(t *testing.T) {
	db, d := openDir(t, filepath.Join(t.TempDir(), "state.db"))
	defer db.Close()
	app, _, err := d.CreateApplication("web")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetPublicClient(app.AppID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Application(app.AppID); !got.PublicClient {
		t.Errorf("%s is not a public client after SetPublicClient(true)", app.AppID)
	}
	if err := d.SetPublicClient(app.AppID, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Application(app.AppID); got.PublicClient {
		t.Errorf("%s is still a public client after SetPublicClient(false)", app.AppID)
	}
	if err := d.SetPublicClient(AzureCLIAppID, false); err == nil {
		t.Error("the Azure CLI, a first-party application, was changed")
	}
}
