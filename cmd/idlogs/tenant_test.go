package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/tenant"
)

func TestTenantCommands(t *testing.T) {
	data := t.TempDir()
	if r := runCLI(t, "", "tenant", "show", "--data", data); r.code != 1 || !strings.Contains(r.stderr, "no server state") {
		t.Fatalf("show without state: %+v", r)
	}
	db, err := state.Open(filepath.Join(data, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := tenant.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	tid := d.TenantID()
	db.Close()

	r := runCLI(t, "analyst password\n", "tenant", "user", "add", "--data", data, "--upn", "ana@idlogs.local", "--name", "Ana", "--country", "FR")
	if r.code != 0 || !strings.HasSuffix(r.stdout, " ana@idlogs.local\n") {
		t.Fatalf("user add: %+v", r)
	}
	if r := runCLI(t, "", "tenant", "user", "add", "--data", data, "--upn", "bob@idlogs.local", "--name", "Bob"); r.code != 1 || !strings.Contains(r.stderr, "standard input") {
		t.Errorf("user add without a password: %+v", r)
	}
	if r := runCLI(t, "", "tenant", "role", "assign", "--data", data, "ana@idlogs.local", "security reader"); r.code != 0 || !strings.Contains(r.stdout, "Security Reader") {
		t.Fatalf("role assign: %+v", r)
	}
	if r := runCLI(t, "", "tenant", "role", "assign", "--data", data, "ana@idlogs.local", "Owner"); r.code != 1 || !strings.Contains(r.stderr, "known: GlobalAdministrator") {
		t.Errorf("unknown role: %+v", r)
	}
	if r := runCLI(t, "", "tenant", "licence", "--data", data, "P1"); r.code != 0 {
		t.Fatalf("licence: %+v", r)
	}
	r = runCLI(t, "", "tenant", "user", "list", "--data", data)
	if r.code != 0 || !strings.Contains(r.stdout, `ana@idlogs.local "Ana" enabled [SecurityReader]`) {
		t.Errorf("user list: %+v", r)
	}
	r = runCLI(t, "", "tenant", "show", "--data", data)
	if r.code != 0 || !strings.Contains(r.stdout, tid) || !strings.Contains(r.stdout, "licence  P1") || !strings.Contains(r.stdout, "users    1") {
		t.Errorf("show: %+v", r)
	}
}

func TestTenantAzureRole(t *testing.T) {
	data := t.TempDir()
	db, err := state.Open(filepath.Join(data, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tenant.Open(db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	boot := `{"subscriptionId":"11111111-2222-3333-4444-555555555555","workspace":{"resourceId":"/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/idlogs/providers/Microsoft.OperationalInsights/workspaces/idlogs-default"}}`
	if err := os.WriteFile(filepath.Join(data, "bootstrap.json"), []byte(boot), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "analyst password\n", "tenant", "user", "add", "--data", data, "--upn", "ana@idlogs.local", "--name", "Ana"); r.code != 0 {
		t.Fatalf("user add: %+v", r)
	}
	r := runCLI(t, "", "tenant", "role", "assign", "--data", data, "ana@idlogs.local", "Log Analytics Reader", "--scope", "workspace")
	if r.code != 0 || !strings.Contains(r.stdout, " Log Analytics Reader at /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/idlogs/providers/Microsoft.OperationalInsights/workspaces/idlogs-default\n") {
		t.Fatalf("Azure role at the workspace: %+v", r)
	}
	if r := runCLI(t, "", "tenant", "role", "assign", "--data", data, "ana@idlogs.local", "Log Analytics Tea Maker", "--scope", "subscription"); r.code != 1 || !strings.Contains(r.stderr, "known: ") {
		t.Errorf("unknown Azure role: %+v", r)
	}
}
