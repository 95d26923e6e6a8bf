package router

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
)

const wsID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws1"

var toWorkspace = map[string]string{diagnostics.DestWorkspace: wsID}

func newTestRouter(t *testing.T, settings Settings, open Opener) (*Router, *activity.Log) {
	t.Helper()
	dir := t.TempDir()
	l := openLog(t, dir+"/log")
	t.Cleanup(func() { l.Close() })
	db := openDB(t, dir)
	t.Cleanup(func() { db.Close() })
	r := New(l, settings, db, open, Options{Logf: t.Logf})
	return r, l
}

func pairOf(name, kind string) string {
	return pairKey("/providers/microsoft.aadiam/diagnosticsettings/"+name, kind)
}

func TestSettingChangeTakesEffectForTheNextRecord(t *testing.T) {
	fs := newFakeSettings(setting("s1", toWorkspace, activity.SignInLogs))
	cs := &collectors{}
	r, l := newTestRouter(t, fs, cs)
	startRouter(t, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	c := cs.get(pairOf("s1", diagnostics.DestWorkspace))

	emit(t, l, "a", activity.AuditLogs, 1, 1)
	si := emit(t, l, "s", activity.SignInLogs, 1, 1)
	waitFor(t, "s1", func() bool { return c.has(si...) })
	if c.count("a1") != 0 {
		t.Fatal("AuditLogs record delivered while only SignInLogs is enabled")
	}

	fs.set(setting("s1", toWorkspace, activity.AuditLogs))
	au := emit(t, l, "a", activity.AuditLogs, 2, 1)
	si2 := emit(t, l, "s", activity.SignInLogs, 2, 1)
	au3 := emit(t, l, "a", activity.AuditLogs, 3, 1)
	waitFor(t, "a3", func() bool { return c.has(au3...) })
	if !c.has(au...) || c.count(si2[0]) != 0 {
		t.Fatalf("after the change: a2 %d, s2 %d", c.count(au[0]), c.count(si2[0]))
	}
	waitFor(t, "the cursor to reach the end", func() bool { return r.Status()[0].Lag == 0 })
	if st := r.Status(); len(st) != 1 || st[0].Delivered != 3 || st[0].Cursor != l.Last() {
		t.Fatalf("status %+v, want 3 delivered, cursor at %d", st, l.Last())
	}
}

func TestDeletedSettingStops(t *testing.T) {
	fs := newFakeSettings(setting("s1", toWorkspace, activity.SignInLogs))
	cs := &collectors{}
	r, l := newTestRouter(t, fs, cs)
	startRouter(t, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	c := cs.get(pairOf("s1", diagnostics.DestWorkspace))
	first := emit(t, l, "s", activity.SignInLogs, 1, 3)
	waitFor(t, "the first records", func() bool { return c.has(first...) })

	fs.set()
	later := emit(t, l, "s", activity.SignInLogs, 4, 1)
	waitFor(t, "the pair to stop", func() bool { return len(r.Status()) == 0 })
	if c.count(later[0]) != 0 {
		t.Fatal("a record emitted after the setting was deleted was delivered")
	}
	var cur cursor
	if ok, _ := r.db.Get(cursorKind, pairOf("s1", diagnostics.DestWorkspace), &cur); ok {
		t.Fatalf("the cursor of a deleted setting remains: %+v", cur)
	}
	// A setting created again starts at the log's end.
	fs.set(setting("s1", toWorkspace, activity.SignInLogs))
	waitFor(t, "the pair to start again", func() bool { return len(r.Status()) == 1 })
	again := emit(t, l, "s", activity.SignInLogs, 5, 1)
	waitFor(t, "s5", func() bool { return c.has(again...) })
	if c.count(later[0]) != 0 {
		t.Fatal("a record emitted while no setting existed was delivered")
	}
}

func TestAcceptedBatchIsDeliveredAfterTheSettingIsGone(t *testing.T) {
	s := setting("s1", toWorkspace, activity.SignInLogs)
	fs := newFakeSettings()
	cs := &collectors{}
	r, l := newTestRouter(t, fs, cs)
	ids := emit(t, l, "s", activity.SignInLogs, 1, 4)
	emit(t, l, "a", activity.AuditLogs, 1, 1)
	// As a crash leaves it: records 2..5 accepted with s, not delivered,
	// and s deleted meanwhile.
	key := pairOf("s1", diagnostics.DestWorkspace)
	if err := r.db.Put(cursorKind, key, &cursor{Setting: key, Kind: diagnostics.DestWorkspace, Cursor: 1, Accepted: 5, AcceptedBy: &s}); err != nil {
		t.Fatal(err)
	}
	startRouter(t, r)
	c := cs.get(key)
	waitFor(t, "the accepted batch", func() bool { return c.has(ids[1:]...) })
	if c.count(ids[0]) != 0 {
		t.Fatal("a record before the cursor was delivered")
	}
	waitFor(t, "the pair to stop", func() bool {
		ok, _ := r.db.Get(cursorKind, key, new(cursor))
		return !ok && len(r.Status()) == 0
	})
}

func TestFailingDestinationIsRetried(t *testing.T) {
	fs := newFakeSettings(setting("s1", toWorkspace, activity.SignInLogs))
	cs := &collectors{}
	r, l := newTestRouter(t, fs, cs)
	r.opt.MaxBackoff = r.opt.MinBackoff * 4
	c := cs.get(pairOf("s1", diagnostics.DestWorkspace))
	c.fail = errors.New("destination unavailable")
	startRouter(t, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	ids := emit(t, l, "s", activity.SignInLogs, 1, 5)
	waitFor(t, "a reported failure", func() bool {
		st := r.Status()
		return st[0].Retrying && st[0].LastError != "" && st[0].Lag == 5
	})
	c.mu.Lock()
	c.fail = nil
	c.mu.Unlock()
	waitFor(t, "the records", func() bool { return c.has(ids...) })
	for _, id := range ids {
		if n := c.count(id); n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	waitFor(t, "the status", func() bool { st := r.Status(); return !st[0].Retrying && st[0].Lag == 0 })
	_ = context.Background
}

func TestRouterTruncatesBelowTheSlowestCursor(t *testing.T) {
	dir := t.TempDir()
	l, err := activity.OpenLog(dir+"/log", activity.LogOptions{SegmentBytes: 1024, WindowEntries: 16, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	db := openDB(t, dir)
	defer db.Close()
	fs := newFakeSettings(setting("fast", toWorkspace, activity.SignInLogs), setting("slow", toWorkspace, activity.SignInLogs))
	cs := &collectors{}
	slow := cs.get(pairOf("slow", diagnostics.DestWorkspace))
	slow.fail = errors.New("down")
	r := New(l, fs, db, cs, Options{Logf: t.Logf, TruncateEvery: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	startRouter(t, r)
	waitFor(t, "the pairs to start", func() bool { return len(r.Status()) == 2 })
	var ids []string
	for i := range 100 { // one WAL record each: the last is always kept
		ids = append(ids, emit(t, l, "s", activity.SignInLogs, i, 1)...)
	}
	fast := cs.get(pairOf("fast", diagnostics.DestWorkspace))
	waitFor(t, "the fast pair", func() bool { return fast.has(ids...) })
	time.Sleep(50 * time.Millisecond) // several truncation rounds
	if l.First() != 1 {
		t.Fatalf("the log was truncated to %d while a pair is at 0", l.First())
	}
	slow.mu.Lock()
	slow.fail = nil
	slow.mu.Unlock()
	waitFor(t, "the slow pair", func() bool { return slow.has(ids...) })
	waitFor(t, "truncation", func() bool { return l.First() > 50 })
	if _, err := l.Read(0, 1); !errors.Is(err, activity.ErrTruncated) {
		t.Fatalf("Read(0) after truncation: %v", err)
	}
}

// failingOpener cannot open anything: the destination is gone.
type failingOpener struct{}

func (failingOpener) Open(key, kind string, s *diagnostics.Setting) (Destination, error) {
	return nil, errors.New("workspace does not exist")
}

func TestAcceptedBatchWithoutSettingOrDestinationIsDropped(t *testing.T) {
	s := setting("s1", toWorkspace, activity.SignInLogs)
	r, l := newTestRouter(t, newFakeSettings(), failingOpener{})
	emit(t, l, "s", activity.SignInLogs, 1, 2)
	key := pairOf("s1", diagnostics.DestWorkspace)
	if err := r.db.Put(cursorKind, key, &cursor{Setting: key, Kind: diagnostics.DestWorkspace, Cursor: 0, Accepted: 2, AcceptedBy: &s}); err != nil {
		t.Fatal(err)
	}
	startRouter(t, r)
	waitFor(t, "the pair to give up", func() bool {
		ok, _ := r.db.Get(cursorKind, key, new(cursor))
		return !ok
	})
}

// TestNewSettingStartsWhereItWasCreated: a setting that the router sees
// only after records were emitted still gets the records after its
// creation when Options.StartOf says where it was created.
func TestNewSettingStartsWhereItWasCreated(t *testing.T) {
	fs := newFakeSettings()
	cs := &collectors{}
	dir := t.TempDir()
	l := openLog(t, dir+"/log")
	t.Cleanup(func() { l.Close() })
	db := openDB(t, dir)
	t.Cleanup(func() { db.Close() })
	emit(t, l, "s", activity.SignInLogs, 1, 1) // before the setting: not sent
	created := l.Last()
	after := emit(t, l, "s", activity.SignInLogs, 2, 1) // after it, before the router runs
	fs.set(setting("s1", toWorkspace, activity.SignInLogs))
	r := New(l, fs, db, cs, Options{Logf: t.Logf, StartOf: func(s diagnostics.Setting) (uint64, bool) {
		return created, s.Name == "s1"
	}})
	startRouter(t, r)
	waitFor(t, "the pair to start", func() bool { return len(r.Status()) == 1 })
	c := cs.get(pairOf("s1", diagnostics.DestWorkspace))
	waitFor(t, "s2", func() bool { return c.has(after...) })
	if c.count("s1") != 0 {
		t.Fatal("a record from before the setting's creation was delivered")
	}
}
