package mirror

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/diagnostics/router"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace"
)

const (
	tenantA = "f1d2c3b4-0a9e-4c8d-b7f6-5e4d3c2b1a09"
	tenantB = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
)

type fixture struct {
	dir  string
	db   *state.DB
	ws   *workspace.Registry
	w    *workspace.Workspace
	opts Options
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{dir: t.TempDir()}
	var err error
	if f.db, err = state.Open(filepath.Join(f.dir, "state.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	if f.ws, err = workspace.Open(f.dir, f.db, store.Options{NoSync: true, NoBackground: true}, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.ws.Close() })
	if f.w, _, err = f.ws.Put(workspace.Workspace{SubscriptionID: "s1", ResourceGroup: "rg", Name: "default", Location: "westeurope"}); err != nil {
		t.Fatal(err)
	}
	res := router.NewResources(f.db, filepath.Join(f.dir, "storage"), f.ws)
	f.opts = Options{
		Dir:          filepath.Join(f.dir, "tenants"),
		Destinations: &router.Destinations{Resources: res, Workspaces: f.ws, Table: tablemap.Table, Rows: tablemap.Build, NoSync: true, Logf: t.Logf},
		Exists:       res.Exists, DefaultWorkspace: f.w.ResourceID(), Workspaces: f.ws, NoSync: true, Logf: t.Logf,
		Router: router.Options{MinBackoff: 10 * time.Millisecond},
	}
	return f
}

func (f *fixture) open(t *testing.T, mutate func(*Options)) *Mirrors {
	o := f.opts
	if mutate != nil {
		mutate(&o)
	}
	m, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func run(t *testing.T, m *Mirrors) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	return func() { cancel(); <-done; m.Close() }
}

func rec(tenant, category, id string) activity.Record {
	return activity.Record{Time: time.Now().UTC(), Category: category, TenantID: tenant, ResourceID: activity.ResourceIDOf(tenant),
		OperationName: "Sign-in activity", Level: 4, Properties: json.RawMessage(`{"id":"` + id + `"}`)}
}

// tenantsByID reads table's Id and AADTenantId columns.
func tenantsByID(t *testing.T, w *workspace.Workspace, table string) map[string]string {
	tab, _ := w.Store().Lookup(table)
	sch := tab.Schema()
	it, err := tab.Scan(&plan.ScanRequest{Columns: []int{sch.Index("Id"), sch.Index("AADTenantId")}, TimeColumn: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	out := map[string]string{}
	for {
		b, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			return out
		}
		for i := range b.N {
			out[b.Cols[0].Str(i)] = b.Cols[1].Str(i)
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestMirrors: each mirrored tenant gets the default settings (every
// category of both blades to the default workspace), its records keep its
// tenant id, a tenant's own setting changes only its routing, records of
// an unknown tenant are refused, and mirrors survive a reopen.
func TestMirrors(t *testing.T) {
	f := newFixture(t)
	m := f.open(t, nil)
	stop := run(t, m)
	a, err := m.Add(tenantA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Add("not-a-guid"); err == nil {
		t.Error("a tenant id that is not a GUID was accepted")
	}
	b, err := m.Add(tenantB)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range diagnostics.Providers {
		s, ok := a.Settings.Get(p, DefaultSetting)
		if !ok || len(s.Properties.Logs) == 0 || *s.Properties.WorkspaceID != f.w.ResourceID() {
			t.Fatalf("%s: default setting %+v", p, s)
		}
	}
	// Tenant B sends sign-ins nowhere.
	s, _ := b.Settings.Get(diagnostics.ProviderAADIAM, DefaultSetting)
	var logs []diagnostics.Log
	for _, l := range s.Properties.Logs {
		if l.Category != activity.SignInLogs {
			logs = append(logs, l)
		}
	}
	s.Properties.Logs = logs
	if _, err := b.Settings.Put(diagnostics.ProviderAADIAM, DefaultSetting, s, diagnostics.Initiator{}); err != nil {
		t.Fatal(err)
	}
	err = m.Emit(context.Background(), rec(tenantA, activity.SignInLogs, "a1"), rec(tenantB, activity.SignInLogs, "b1"),
		rec(tenantB, activity.AuditLogs, "b2"), rec(tenantA, activity.AuditLogs, "a2"))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Emit(context.Background(), rec("11111111-2222-3333-4444-555555555555", activity.AuditLogs, "x")); !errors.Is(err, ErrUnknownTenant) {
		t.Errorf("unknown tenant: %v", err)
	}
	waitFor(t, "the audit records", func() bool { return len(tenantsByID(t, f.w, "AuditLogs")) == 2 })
	waitFor(t, "the sign-in", func() bool { return len(tenantsByID(t, f.w, "SigninLogs")) == 1 })
	if got := tenantsByID(t, f.w, "AuditLogs"); got["a2"] != tenantA || got["b2"] != tenantB {
		t.Errorf("AuditLogs tenants: %v", got)
	}
	if got := tenantsByID(t, f.w, "SigninLogs"); got["a1"] != tenantA || len(got) != 1 {
		t.Errorf("SigninLogs: %v (tenant B's sign-ins are not routed)", got)
	}
	stop()

	m = f.open(t, func(o *Options) { o.AutoAdd = true })
	defer run(t, m)()
	if ids := len(m.Tenants()); ids != 2 {
		t.Fatalf("%d tenants after reopening", ids)
	}
	if err := m.Emit(context.Background(), rec("11111111-2222-3333-4444-555555555555", activity.AuditLogs, "x")); err != nil {
		t.Fatalf("AutoAdd: %v", err)
	}
	waitFor(t, "the new tenant's record", func() bool { return len(tenantsByID(t, f.w, "AuditLogs")) == 3 })
}
