package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/simulate"
	"github.com/idlogs/idlogs/workspace"
)

// The demo tenant (Config.Demo): a simulated organisation's activity goes
// into the activity log, the path of the tenant's own records, and a
// diagnostic setting delivers every category to the default workspace.
//
// The first demo start of a data directory creates the setting DemoSetting
// and backfills Config.DemoDays of history in the background: first the
// rows of the products beside Entra (see appendRows), then the records (the records
// carry activity.Record.KeepTime, so the workspace files them at their own
// times rather than at the receive time); then, and on every later start,
// activity continues live until Shutdown. The backfill's progress is kept,
// so a backfill cut short by a restart resumes where it stopped (records
// delivered twice are dropped by their ids). Time the server was down is
// not filled in.

// DemoSetting is the name of the diagnostic setting a demo start creates.
const DemoSetting = "demo-all"

const (
	demoKey = "demo"
	// demoSeed makes every demo organisation the same, so that examples
	// can name its users.
	demoSeed = 20260601
	// demoProgressEvery is how often the backfill reports and records its
	// progress.
	demoProgressEvery = 3 * time.Second
	// demoLiveInterval is how often live activity is emitted.
	demoLiveInterval = 2 * time.Second
)

// demoRecord is the state of a data directory's demo.
type demoRecord struct {
	Seed  uint64 `json:"seed"`
	Users int    `json:"users"`
	// From and To are the backfilled stretch of time; To is when the demo
	// was created, which also places the simulator's planted threats.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Through is how far the backfill of records got, RowsThrough that
	// of rows (zero: not started).
	Through     time.Time `json:"through"`
	RowsThrough time.Time `json:"rowsThrough,omitzero"`
}

// demo is the running demo.
type demo struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// startDemo creates the demo on the first demo start and starts its
// backfill and live activity.
func (s *Server) startDemo() error {
	var rec demoRecord
	found, err := s.db.Get(bootKind, demoKey, &rec)
	if err != nil {
		return err
	}
	if !found {
		days := s.cfg.DemoDays
		if days <= 0 {
			days = 30
		}
		users := s.cfg.DemoUsers
		if users <= 0 {
			users = 5000
		}
		now := s.cfg.Now().UTC()
		rec = demoRecord{Seed: demoSeed, Users: users, From: now.Add(-time.Duration(days) * 24 * time.Hour), To: now}
		rec.Through = rec.From
		if err := s.demoSetting(); err != nil {
			return fmt.Errorf("demo: diagnostic setting %s: %w", DemoSetting, err)
		}
		if err := s.db.Put(bootKind, demoKey, rec); err != nil {
			return err
		}
	}
	if err := s.ensureDemoUser(); err != nil {
		return err
	}
	sim := simulate.New(simulate.Options{Seed: rec.Seed, Users: rec.Users, TenantID: s.parts.tenantID(), Domain: s.parts.dir.Domain(), Now: rec.To})
	ctx, cancel := context.WithCancel(context.Background())
	d := &demo{cancel: cancel, done: make(chan struct{})}
	s.demo = d
	go func() {
		defer close(d.done)
		if err := s.runDemo(ctx, sim, rec); err != nil && ctx.Err() == nil {
			s.cfg.Logf("idlogs: demo stopped: %v", err)
		}
	}()
	return nil
}

// stopDemo stops the demo's activity and waits for it.
func (s *Server) stopDemo() {
	if s.demo != nil {
		s.demo.cancel()
		<-s.demo.done
	}
}

// demoSetting creates the setting that sends every category the default
// workspace has a table for to it.
func (s *Server) demoSetting() error {
	w, ok := s.Workspaces.Get(workspace.ResourceID(s.boot.SubscriptionID, s.boot.ResourceGroup, DefaultWorkspace))
	if !ok {
		return errors.New("the default workspace does not exist")
	}
	var logs []diagnostics.Log
	for _, c := range s.parts.diag.Categories(diagnostics.ProviderAADIAM) {
		if t, ok := tablemap.Table(c); ok {
			if _, ok := w.Store().Lookup(t); ok {
				logs = append(logs, diagnostics.Log{Category: c, Enabled: true})
			}
		}
	}
	id := w.ResourceID()
	_, err := s.parts.diag.Put(diagnostics.ProviderAADIAM, DemoSetting,
		diagnostics.Setting{Properties: diagnostics.SettingProperties{WorkspaceID: &id, Logs: logs}},
		diagnostics.Initiator{DisplayName: "idlogs demo", App: true, TenantID: s.parts.tenantID()})
	return err
}

// runDemo backfills what is left of rec's stretch, then keeps activity
// going until ctx ends.
func (s *Server) runDemo(ctx context.Context, sim *simulate.Sim, rec demoRecord) error {
	ws, ok := s.Workspaces.Get(workspace.ResourceID(s.boot.SubscriptionID, s.boot.ResourceGroup, DefaultWorkspace))
	if !ok {
		return errors.New("the default workspace does not exist")
	}
	rows := func(ctx context.Context, rs []simulate.Row) error { return appendRows(ctx, ws, rs, s.cfg.Now()) }
	if rec.RowsThrough.IsZero() {
		rec.RowsThrough = rec.From
	}
	if rec.RowsThrough.Before(rec.To) {
		if err := s.backfillRows(ctx, sim, &rec, rows); err != nil {
			return err
		}
	}
	if rec.Through.Before(rec.To) {
		if err := s.backfill(ctx, sim, rec); err != nil {
			return err
		}
	}
	start := s.cfg.Now()
	if start.Before(rec.To) {
		start = rec.To
	}
	return sim.Live(ctx, s.actLog, rows, start, demoLiveInterval, s.cfg.Now)
}

// backfillRows appends the rows of [rec.RowsThrough, rec.To), recording
// its progress after each batch. Rows carry no ids to drop repeats by: a
// restart between an append and its record repeats that batch's rows.
func (s *Server) backfillRows(ctx context.Context, sim *simulate.Sim, rec *demoRecord, rows func(context.Context, []simulate.Row) error) error {
	began, n := time.Now(), 0
	err := sim.RowsBetween(rec.RowsThrough, rec.To, func(rs []simulate.Row) error {
		if err := rows(ctx, rs); err != nil {
			return err
		}
		n += len(rs)
		rec.RowsThrough = rs[len(rs)-1].Time.Add(1)
		return s.db.Put(bootKind, demoKey, *rec)
	})
	if err != nil {
		return err
	}
	rec.RowsThrough = rec.To
	if err := s.db.Put(bootKind, demoKey, *rec); err != nil {
		return err
	}
	s.cfg.Logf("idlogs: demo backfill: %d rows of SecurityAlert, AppRequests and AppPerformanceCounters in %.1f s", n, time.Since(began).Seconds())
	return nil
}

// backfill emits the records of [rec.Through, rec.To), reporting and
// recording its progress every few seconds.
func (s *Server) backfill(ctx context.Context, sim *simulate.Sim, rec demoRecord) error {
	began, last := time.Now(), time.Now()
	n := 0
	total := rec.To.Sub(rec.From)
	err := sim.Between(rec.Through, rec.To, func(recs []activity.Record) error {
		if err := s.actLog.Emit(ctx, recs...); err != nil {
			return err
		}
		n += len(recs)
		if time.Since(last) < demoProgressEvery {
			return nil
		}
		last = time.Now()
		// The records of a batch share no more than a few minutes; the
		// next start may repeat the last of them, which delivery drops.
		rec.Through = recs[len(recs)-1].Time.Truncate(time.Minute)
		if err := s.db.Put(bootKind, demoKey, rec); err != nil {
			return err
		}
		s.cfg.Logf("idlogs: demo backfill: %d records, through %s (%.0f%%)", n, rec.Through.Format(time.DateTime),
			100*float64(rec.Through.Sub(rec.From))/float64(total))
		return nil
	})
	if err != nil {
		return err
	}
	rec.Through = rec.To
	if err := s.db.Put(bootKind, demoKey, rec); err != nil {
		return err
	}
	secs := time.Since(began).Seconds()
	s.cfg.Logf("idlogs: demo backfill done: %d records in %.1f s (%.0f records/s)", n, secs, float64(n)/secs)
	return nil
}
