package reports

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
)

const tenantID = "11111111-2222-3333-4444-555555555555"

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	t   testing.TB
	dir string
	db  *state.DB
	log *activity.Log
}

func newEnv(t testing.TB) *env {
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := activity.OpenLog(filepath.Join(dir, "activity"), activity.LogOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close(); db.Close() })
	return &env{t: t, dir: dir, db: db, log: l}
}

func (e *env) open() *Store {
	s, err := Open(filepath.Join(e.dir, "reports"), e.db, Options{
		TenantID: tenantID, Store: store.Options{NoSync: true, NoBackground: true},
		Now: func() time.Time { return t0.Add(time.Hour) },
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// runUntil runs s until it has dealt with every record of the log.
func (e *env) runUntil(s *Store) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx, e.log) }()
	for deadline := time.Now().Add(10 * time.Second); s.Position() < e.log.Last(); {
		if time.Now().After(deadline) {
			e.t.Fatalf("store at %d of %d", s.Position(), e.log.Last())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		e.t.Fatal(err)
	}
}

func rec(category string, at time.Time, id, tenant string) activity.Record {
	return activity.Record{
		Time: at, Category: category, TenantID: tenant, ResourceID: activity.ResourceIDOf(tenant),
		Properties: []byte(fmt.Sprintf(`{"id":%q,"createdDateTime":%q}`, id, at.Format(time.RFC3339Nano))),
	}
}

func TestStoreFollowsLogAndPages(t *testing.T) {
	e := newEnv(t)
	var recs []activity.Record
	cats := []string{activity.SignInLogs, activity.NonInteractiveUserSignInLogs, activity.ServicePrincipalSignInLogs}
	for i := range 30 {
		recs = append(recs, rec(cats[i%3], t0.Add(time.Duration(i)*time.Minute), fmt.Sprintf("s%02d", i), tenantID))
	}
	recs = append(recs,
		rec(activity.AuditLogs, t0, "a1", tenantID),
		rec(activity.SignInLogs, t0, "other-tenant", "99999999-2222-3333-4444-555555555555"),
		rec(activity.RiskyUsers, t0, "not-a-report", tenantID))
	if err := e.log.Emit(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
	s := e.open()
	e.runUntil(s)

	// Page through the interactive and non-interactive sign-ins, newest first.
	var got []string
	q := Query{Kinds: []string{InteractiveUser, NonInteractiveUser}, Desc: true, Limit: 7}
	for {
		p, err := s.Query(SignIns, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			got = append(got, it.ID)
		}
		if !p.More {
			break
		}
		k := p.Items[len(p.Items)-1].Key()
		q.After = &k
	}
	var want []string
	for i := 29; i >= 0; i-- {
		if i%3 != 2 {
			want = append(want, fmt.Sprintf("s%02d", i))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("desc pages = %v, want %v", got, want)
	}

	// A time range, oldest first.
	p, err := s.Query(SignIns, Query{Min: types.TicksFromTime(t0.Add(10 * time.Minute)), Max: types.TicksFromTime(t0.Add(13 * time.Minute)), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if ids := itemIDs(p.Items); !slices.Equal(ids, []string{"s10", "s11", "s12"}) || p.More {
		t.Errorf("range = %v (more %v), want s10..s12", ids, p.More)
	}
	p, _ = s.Query(DirectoryAudits, Query{Limit: 10})
	if ids := itemIDs(p.Items); !slices.Equal(ids, []string{"a1"}) {
		t.Errorf("directoryAudits = %v, want [a1]", ids)
	}
	s.Close()
}

func itemIDs(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func TestRestartDoesNotStoreTwice(t *testing.T) {
	e := newEnv(t)
	recs := []activity.Record{rec(activity.AuditLogs, t0, "a1", tenantID), rec(activity.AuditLogs, t0.Add(time.Second), "a2", tenantID)}
	if err := e.log.Emit(context.Background(), recs...); err != nil {
		t.Fatal(err)
	}
	s := e.open()
	e.runUntil(s)
	s.Close()
	// A crash after the append and before the cursor was saved.
	if err := e.db.Put(cursorKind, cursorKey, cursor{Seq: 0, Started: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.log.Emit(context.Background(), rec(activity.AuditLogs, t0.Add(2*time.Second), "a3", tenantID)); err != nil {
		t.Fatal(err)
	}
	s = e.open()
	defer s.Close()
	e.runUntil(s)
	p, err := s.Query(DirectoryAudits, Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if ids := itemIDs(p.Items); !slices.Equal(ids, []string{"a1", "a2", "a3"}) {
		t.Errorf("after restart = %v, want a1 a2 a3 once each", ids)
	}
}

func TestEmptyFeedBothOrders(t *testing.T) {
	e := newEnv(t)
	s := e.open()
	defer s.Close()
	for _, desc := range []bool{false, true} {
		p, err := s.Query(Provisioning, Query{Desc: desc, Limit: 5})
		if err != nil || len(p.Items) != 0 || p.More {
			t.Errorf("desc=%v: %v %v", desc, p, err)
		}
	}
}
