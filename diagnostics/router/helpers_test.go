package router

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/state"
)

// fakeSettings is a settings registry in memory.
type fakeSettings struct {
	mu   sync.Mutex
	list []diagnostics.Setting
	ch   chan struct{}
}

func newFakeSettings(list ...diagnostics.Setting) *fakeSettings {
	return &fakeSettings{list: list, ch: make(chan struct{}, 1)}
}

func (f *fakeSettings) Settings() []diagnostics.Setting {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]diagnostics.Setting(nil), f.list...)
}

func (f *fakeSettings) Changed() <-chan struct{} { return f.ch }

func (f *fakeSettings) set(list ...diagnostics.Setting) {
	f.mu.Lock()
	f.list = list
	f.mu.Unlock()
	select {
	case f.ch <- struct{}{}:
	default:
	}
}

func ptr(s string) *string { return &s }

// setting returns a setting named name that sends categories to the
// destinations in dests (kind → resource id).
func setting(name string, dests map[string]string, categories ...string) diagnostics.Setting {
	s := diagnostics.Setting{
		ID:   "/providers/microsoft.aadiam/diagnosticSettings/" + name,
		Name: name,
		Type: "microsoft.aadiam/diagnosticSettings",
	}
	for kind, id := range dests {
		switch kind {
		case diagnostics.DestWorkspace:
			s.Properties.WorkspaceID = ptr(id)
		case diagnostics.DestStorage:
			s.Properties.StorageAccountID = ptr(id)
		case diagnostics.DestEventHub:
			s.Properties.EventHubAuthorizationRuleID = ptr(id)
		case diagnostics.DestPartner:
			s.Properties.MarketplacePartnerID = ptr(id)
		}
	}
	for _, c := range categories {
		s.Properties.Logs = append(s.Properties.Logs, diagnostics.Log{Category: c, Enabled: true})
	}
	return s
}

func record(id, category string) activity.Record {
	return activity.Record{
		Time:          time.Now().UTC().Truncate(time.Microsecond),
		ResourceID:    activity.ResourceIDOf("tenant1"),
		OperationName: "Sign-in activity",
		Category:      category,
		TenantID:      "tenant1",
		Level:         4,
		Properties:    json.RawMessage(`{"id":"` + id + `"}`),
	}
}

func openLog(t testing.TB, dir string) *activity.Log {
	t.Helper()
	l, err := activity.OpenLog(dir, activity.LogOptions{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func openStateDB(dir string) (*state.DB, error) {
	return state.Open(filepath.Join(dir, "state.db"))
}

func openDB(t testing.TB, dir string) *state.DB {
	t.Helper()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// emit emits records id prefix+from .. prefix+(from+n-1) of category.
func emit(t testing.TB, l activity.Sink, prefix, category string, from, n int) []string {
	t.Helper()
	var ids []string
	var recs []activity.Record
	for i := range n {
		id := fmt.Sprintf("%s%d", prefix, from+i)
		ids = append(ids, id)
		recs = append(recs, record(id, category))
	}
	if err := l.Emit(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
	return ids
}

// waitFor polls cond until it holds or a minute passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startRouter runs a router until the test ends.
func startRouter(t testing.TB, r *Router) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}

// collector is a destination that keeps what it is given, failing while
// fail is set.
type collector struct {
	mu   sync.Mutex
	got  map[string]int
	seqs []uint64
	fail error
}

func newCollector() *collector { return &collector{got: map[string]int{}} }

func (c *collector) Deliver(_ context.Context, es []activity.Entry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return c.fail
	}
	for _, e := range es {
		c.got[e.Record.ID()]++
		c.seqs = append(c.seqs, e.Seq)
	}
	return nil
}

func (c *collector) Close() error { return nil }

func (c *collector) has(ids ...string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if c.got[id] == 0 {
			return false
		}
	}
	return true
}

func (c *collector) count(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.got[id]
}

// collectors opens one collector per (setting key, kind) pair.
type collectors struct {
	mu sync.Mutex
	m  map[string]*collector
}

func (cs *collectors) Open(key, kind string, s *diagnostics.Setting) (Destination, error) {
	return cs.get(key), nil
}

func (cs *collectors) get(key string) *collector {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.m == nil {
		cs.m = map[string]*collector{}
	}
	if cs.m[key] == nil {
		cs.m[key] = newCollector()
	}
	return cs.m[key]
}

// fakeRows maps records to rows of any table: TimeGenerated, Id, Category
// and TenantId are set, other columns are null.
func fakeRows(category string, schema vec.Schema, customerID string, recs []activity.Record, received time.Time) (*vec.Batch, []error) {
	cols := make([]*vec.Column, len(schema))
	for i, f := range schema {
		b := vec.NewBuilder(f.Type, len(recs))
		for _, r := range recs {
			switch f.Name {
			case "TimeGenerated":
				b.Append(types.NewDatetime(types.TicksFromTime(r.Time)))
			case "Id":
				b.Append(types.NewString(r.ID()))
			case "Category":
				b.Append(types.NewString(r.Category))
			case "TenantId":
				b.Append(types.NewString(customerID))
			default:
				b.AppendNull()
			}
		}
		cols[i] = b.Build()
	}
	return vec.NewBatch(cols, len(recs)), nil
}

func fakeTable(category string) (string, bool) {
	switch category {
	case activity.SignInLogs:
		return "SigninLogs", true
	case activity.AuditLogs:
		return "AuditLogs", true
	}
	return "", false
}

var planScanAll = plan.ScanRequest{TimeColumn: -1}
