package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// fakeGraph serves directoryAudits the way a tenant that refuses $orderby
// would: newest first, pages of three, and 503s without Retry-After on
// every fifth request. A $skiptoken of "expired" is refused.
type fakeGraph struct {
	mu       sync.Mutex
	items    []fakeItem
	requests int
	orderBy  int // requests refused for their $orderby
}

type fakeItem struct {
	id string
	at time.Time
}

var timeRange = regexp.MustCompile(`activityDateTime ge (\S+) and activityDateTime le (\S+)`)

func (g *fakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		json.NewEncoder(w).Encode(map[string]any{"access_token": "t", "expires_in": 3600})
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests++
	q := r.URL.Query()
	fail := func(status int, code string) {
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"code":%q,"message":"refused"}}`, code)
	}
	switch {
	case g.requests%5 == 0:
		fail(http.StatusServiceUnavailable, "ServiceUnavailable")
		return
	case q.Get("$orderby") != "":
		g.orderBy++
		fail(http.StatusBadRequest, "Request_UnsupportedQuery")
		return
	case q.Get("$skiptoken") == "expired":
		fail(http.StatusBadRequest, "Request_BadRequest")
		return
	}
	m := timeRange.FindStringSubmatch(q.Get("$filter"))
	from, _ := time.Parse(time.RFC3339Nano, m[1])
	to, _ := time.Parse(time.RFC3339Nano, m[2])
	var sel []fakeItem
	for _, it := range g.items {
		if !it.at.Before(from) && !it.at.After(to) {
			sel = append(sel, it)
		}
	}
	slices.SortFunc(sel, func(a, b fakeItem) int { return b.at.Compare(a.at) })
	skip, _ := strconv.Atoi(q.Get("$skiptoken"))
	body := map[string]any{}
	var value []map[string]any
	for _, it := range sel[min(skip, len(sel)):min(skip+3, len(sel))] {
		value = append(value, map[string]any{"id": it.id, "activityDateTime": it.at.Format(time.RFC3339Nano), "activityDisplayName": "Update user"})
	}
	body["value"] = value
	if skip+3 < len(sel) {
		q.Set("$skiptoken", strconv.Itoa(skip+3))
		body["@odata.nextLink"] = "https://" + r.Host + r.URL.Path + "?" + q.Encode()
	}
	json.NewEncoder(w).Encode(body)
}

type memorySink struct {
	mu   sync.Mutex
	recs []activity.Record
	// onEmit, when set, is called at each Emit.
	onEmit func()
}

func (s *memorySink) Emit(_ context.Context, recs ...activity.Record) error {
	s.mu.Lock()
	s.recs = append(s.recs, recs...)
	s.mu.Unlock()
	if s.onEmit != nil {
		s.onEmit()
	}
	return nil
}

func (s *memorySink) count() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, r := range s.recs {
		out[r.ID()]++
	}
	return out
}

// TestUnorderedTenant reads a feed whose tenant refuses $orderby and
// answers newest first, over a lookback longer than one unordered
// window, with 503s on the way and a saved next link that has expired.
func TestUnorderedTenant(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	g := &fakeGraph{}
	for i := range 40 {
		g.items = append(g.items, fakeItem{fmt.Sprintf("a%02d", i), now.Add(-time.Duration(i) * 17 * time.Minute)})
	}
	srv := httptest.NewTLSServer(g)
	defer srv.Close()
	sink := &memorySink{}
	cfg := Config{
		TenantID: "t", ClientID: "c", ClientSecret: "s", Authority: srv.URL, GraphURL: srv.URL,
		HTTPClient: srv.Client(), Sink: sink, StateDir: t.TempDir(), Feeds: []string{"directoryAudits"},
		Lookback: 12 * time.Hour, Now: func() time.Time { return now }, Logf: t.Logf,
		Sleep: func(context.Context, time.Duration) error { return nil },
	}
	// Newest first, the seen-set holds the keys of the overlap and of the
	// page, not of the whole query.
	maxSeen := 0
	sink.onEmit = func() {
		if cp, err := loadCheckpoint(cfg.StateDir, "directoryAudits"); err == nil {
			maxSeen = max(maxSeen, len(cp.Seen))
		}
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if maxSeen > 6 {
		t.Errorf("the seen-set grew to %d keys", maxSeen)
	}
	// The saved query in progress has a link Graph no longer takes.
	cp, err := loadCheckpoint(cfg.StateDir, "directoryAudits")
	if err != nil {
		t.Fatal(err)
	}
	cp.NextLink, cp.QueryTo = srv.URL+"/v1.0/auditLogs/directoryAudits?$skiptoken=expired", now
	if err := cp.save(cfg.StateDir, "directoryAudits"); err != nil {
		t.Fatal(err)
	}
	if err := c.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sink.count()
	for _, it := range g.items {
		want := 1
		if now.Sub(it.at) > cfg.Lookback {
			want = 0
		}
		if got[it.id] != want {
			t.Errorf("%s (%v old) emitted %d times, want %d", it.id, now.Sub(it.at), got[it.id], want)
		}
	}
	if g.orderBy != 1 {
		t.Errorf("$orderby refused %d times, want once: the refusal is remembered", g.orderBy)
	}
	st := c.Status()[0]
	if !st.Position.Equal(now) || st.LastError != "" || st.Retries == 0 {
		t.Errorf("status %+v", st)
	}
	data, _ := os.ReadFile(filepath.Join(cfg.StateDir, "directoryAudits.json"))
	var saved checkpoint
	json.Unmarshal(data, &saved)
	if !saved.NoOrderBy || len(saved.Seen) == 0 {
		t.Errorf("checkpoint %s", data)
	}
}

// crashingSink keeps the records of every call and then, once, fails the
// call after keeping them: a crash after the sink made them durable and
// before the connector saved its checkpoint.
type crashingSink struct {
	memorySink
	crashAt, calls int
	crashed        []activity.Record
}

func (s *crashingSink) Emit(ctx context.Context, recs ...activity.Record) error {
	s.memorySink.Emit(ctx, recs...)
	s.calls++
	if s.calls == s.crashAt {
		s.crashed = recs
		return fmt.Errorf("crashed")
	}
	return nil
}

// TestCrashBetweenEmitAndCheckpoint: the page the sink took before the
// crash comes again after the restart, and only that page; nothing is
// lost.
func TestCrashBetweenEmitAndCheckpoint(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	g := &fakeGraph{}
	for i := range 20 {
		g.items = append(g.items, fakeItem{fmt.Sprintf("a%02d", i), now.Add(-time.Duration(i) * time.Minute)})
	}
	srv := httptest.NewTLSServer(g)
	defer srv.Close()
	sink := &crashingSink{crashAt: 3}
	cfg := Config{
		TenantID: "t", ClientID: "c", ClientSecret: "s", Authority: srv.URL, GraphURL: srv.URL,
		HTTPClient: srv.Client(), Sink: sink, StateDir: t.TempDir(), Feeds: []string{"directoryAudits"},
		Lookback: time.Hour, Now: func() time.Time { return now }, Logf: t.Logf,
		Sleep: func(context.Context, time.Duration) error { return nil },
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PollOnce(context.Background()); err == nil {
		t.Fatal("the crashed poll reported no error")
	}
	if c, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	if err := c.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	again := map[string]bool{}
	for _, r := range sink.crashed {
		again[r.ID()] = true
	}
	if len(again) == 0 {
		t.Fatal("no page was emitted before the crash")
	}
	got := sink.count()
	for _, it := range g.items {
		want := 1
		if again[it.id] {
			want = 2
		}
		if got[it.id] != want {
			t.Errorf("%s emitted %d times, want %d", it.id, got[it.id], want)
		}
	}
}

// crashingLog is the activity log as a sink that, once, fails a call after
// the log made its records durable.
type crashingLog struct {
	*activity.Log
	crashAt, calls int
}

func (s *crashingLog) Emit(ctx context.Context, recs ...activity.Record) error {
	if err := s.Log.Emit(ctx, recs...); err != nil {
		return err
	}
	s.calls++
	if s.calls == s.crashAt {
		return fmt.Errorf("crashed")
	}
	return nil
}

// TestCrashIntoActivityLog: into the activity log, which can be read
// back, the page of a crash between emit and checkpoint is not emitted
// again.
func TestCrashIntoActivityLog(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	g := &fakeGraph{}
	for i := range 20 {
		g.items = append(g.items, fakeItem{fmt.Sprintf("a%02d", i), now.Add(-time.Duration(i) * time.Minute)})
	}
	srv := httptest.NewTLSServer(g)
	defer srv.Close()
	l, err := activity.OpenLog(t.TempDir(), activity.LogOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// Another writer's record between the pages.
	if err := l.Emit(context.Background(), activity.Record{Category: activity.AuditLogs, TenantID: "other", Properties: []byte(`{"id":"a05"}`)}); err != nil {
		t.Fatal(err)
	}
	sink := &crashingLog{Log: l, crashAt: 3}
	cfg := Config{
		TenantID: "t", ClientID: "c", ClientSecret: "s", Authority: srv.URL, GraphURL: srv.URL,
		HTTPClient: srv.Client(), Sink: sink, StateDir: t.TempDir(), Feeds: []string{"directoryAudits"},
		Lookback: time.Hour, Now: func() time.Time { return now }, Logf: t.Logf,
		Sleep: func(context.Context, time.Duration) error { return nil },
	}
	for round := range 2 {
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.PollOnce(context.Background()); (err == nil) != (round == 1) {
			t.Fatalf("poll %d: %v", round, err)
		}
	}
	es, err := l.Read(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range es {
		if e.Record.TenantID == "t" {
			got[e.Record.ID()]++
		}
	}
	for _, it := range g.items {
		if got[it.id] != 1 {
			t.Errorf("%s is %d times in the log", it.id, got[it.id])
		}
	}
}

// TestDescendingQueryExpiredLink: a newest-first query stopped part way,
// whose next link has expired by the restart, is asked again below the
// earliest time it showed; every resource arrives once.
func TestDescendingQueryExpiredLink(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	g := &fakeGraph{}
	for i := range 30 {
		g.items = append(g.items, fakeItem{fmt.Sprintf("a%02d", i), now.Add(-time.Duration(i) * 3 * time.Minute)})
	}
	srv := httptest.NewTLSServer(g)
	defer srv.Close()
	l, err := activity.OpenLog(t.TempDir(), activity.LogOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sink := &crashingLog{Log: l, crashAt: 4}
	cfg := Config{
		TenantID: "t", ClientID: "c", ClientSecret: "s", Authority: srv.URL, GraphURL: srv.URL,
		HTTPClient: srv.Client(), Sink: sink, StateDir: t.TempDir(), Feeds: []string{"directoryAudits"},
		Lookback: 2 * time.Hour, Now: func() time.Time { return now }, Logf: t.Logf,
		Sleep: func(context.Context, time.Duration) error { return nil },
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PollOnce(context.Background()); err == nil {
		t.Fatal("the crashed poll reported no error")
	}
	cp, err := loadCheckpoint(cfg.StateDir, "directoryAudits")
	if err != nil {
		t.Fatal(err)
	}
	if cp.Order != "desc" || cp.NextLink == "" {
		t.Fatalf("checkpoint after the crash: order %q, next link %q", cp.Order, cp.NextLink)
	}
	cp.NextLink = srv.URL + "/v1.0/auditLogs/directoryAudits?$skiptoken=expired"
	if err := cp.save(cfg.StateDir, "directoryAudits"); err != nil {
		t.Fatal(err)
	}
	if c, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	if err := c.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	es, err := l.Read(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range es {
		got[e.Record.ID()]++
	}
	for _, it := range g.items {
		if got[it.id] != 1 {
			t.Errorf("%s is %d times in the log", it.id, got[it.id])
		}
	}
}
