// Package reports keeps the tenant's own activity reports: the sign-ins,
// directory audits and provisioning events that Microsoft Graph serves at
// /auditLogs. Entra keeps these reports whatever the diagnostic settings
// say (30 days with a P1 or P2 licence), so they are stored apart from the
// workspaces: one store/Store table per feed, fed from the activity log by
// a cursor of its own, read by time range.
//
// Each table has four columns: Time (the activity's time, the record's
// Time), Id (properties.id), Kind (the sign-in event type of sign-ins:
// interactiveUser, nonInteractiveUser, servicePrincipal or
// managedIdentity; empty for other feeds) and Properties (the Graph
// resource, the record's properties, as JSON text).
package reports

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
)

// Feed names a report: the Graph collection under /auditLogs.
type Feed string

// The feeds a Store keeps.
const (
	SignIns         Feed = "signIns"
	DirectoryAudits Feed = "directoryAudits"
	Provisioning    Feed = "provisioning"
)

// Feeds lists every feed.
var Feeds = []Feed{SignIns, DirectoryAudits, Provisioning}

// The sign-in event types, as Graph's signInEventTypes spells them.
const (
	InteractiveUser    = "interactiveUser"
	NonInteractiveUser = "nonInteractiveUser"
	ServicePrincipal   = "servicePrincipal"
	ManagedIdentity    = "managedIdentity"
)

// EventTypes lists the sign-in event types.
var EventTypes = []string{InteractiveUser, NonInteractiveUser, ServicePrincipal, ManagedIdentity}

// FeedOf returns the feed and sign-in event type of records of a
// diagnostic category; false when the category has no report.
func FeedOf(category string) (Feed, string, bool) {
	switch category {
	case activity.SignInLogs:
		return SignIns, InteractiveUser, true
	case activity.NonInteractiveUserSignInLogs:
		return SignIns, NonInteractiveUser, true
	case activity.ServicePrincipalSignInLogs:
		return SignIns, ServicePrincipal, true
	case activity.ManagedIdentitySignInLogs:
		return SignIns, ManagedIdentity, true
	case activity.AuditLogs:
		return DirectoryAudits, "", true
	case activity.ProvisioningLogs:
		return Provisioning, "", true
	}
	return "", "", false
}

// DefaultRetention is how long reports are kept: Entra's 30 days for
// tenants with P1 or P2.
const DefaultRetention = 30 * 24 * time.Hour

// Options configure a Store.
type Options struct {
	// TenantID is the tenant whose records are kept; records of other
	// tenants (mirrored external tenants) pass by.
	TenantID string
	// Retention is how long reports are kept; DefaultRetention when zero.
	Retention time.Duration
	// Store configures the underlying store (NoSync for tests); zero
	// BlockRows, FlushRows and MergeRows take 4096, 32 Ki and 64 Ki rows.
	Store store.Options
	// BatchSize is the most records one append takes; 5000 when zero.
	BatchSize int
	// Logf receives notices; log.Printf when nil.
	Logf func(format string, args ...any)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Log is what a Store reads: *activity.Log implements it.
type Log interface {
	Read(after uint64, max int) ([]activity.Entry, error)
	Wait(ctx context.Context, after uint64) error
	First() uint64
}

// Store is the tenant's reports. Its methods are safe for concurrent use.
type Store struct {
	st     *store.Store
	db     *state.DB
	opt    Options
	tables map[Feed]*store.Table
	pos    atomic.Uint64
	// oldest holds a time in ticks no row of each table is older than.
	oldest map[Feed]*atomic.Int64
	// mu guards lastErr.
	mu      sync.Mutex
	lastErr error
}

// Column positions of a report table.
const (
	colTime = iota
	colID
	colKind
	colProps
)

var schema = vec.Schema{
	{Name: "Time", Type: types.Datetime},
	{Name: "Id", Type: types.String},
	{Name: "Kind", Type: types.String},
	{Name: "Properties", Type: types.String},
}

// cursorKind/cursorKey name the cursor in the state file: the sequence
// number of the last activity record the store has dealt with.
const (
	cursorKind = "reportsCursor"
	cursorKey  = "activity"
)

// Open opens or creates the reports in dir, with the cursor in db.
func Open(dir string, db *state.DB, opt Options) (*Store, error) {
	if opt.Retention <= 0 {
		opt.Retention = DefaultRetention
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
	}
	if opt.Logf == nil {
		opt.Logf = log.Printf
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	// Rows are kilobytes of JSON each: small blocks keep a page's read
	// to a few megabytes, and small tails and merges (which hold their
	// rows in memory) keep the store's memory to tens of megabytes.
	if opt.Store.BlockRows == 0 {
		opt.Store.BlockRows = 4096
	}
	if opt.Store.FlushRows == 0 {
		opt.Store.FlushRows = 1 << 15
	}
	if opt.Store.MergeRows == 0 {
		opt.Store.MergeRows = 1 << 16
	}
	if opt.Store.Now == nil {
		opt.Store.Now = opt.Now
	}
	if opt.Store.Logf == nil {
		opt.Store.Logf = opt.Logf
	}
	st, err := store.Open(dir, opt.Store)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	s := &Store{st: st, db: db, opt: opt, tables: map[Feed]*store.Table{}, oldest: map[Feed]*atomic.Int64{}}
	for _, f := range Feeds {
		t, ok := st.Lookup(string(f))
		if !ok {
			if t, err = st.CreateTable(string(f), schema, store.TableOptions{TimeColumn: "Time", Retention: opt.Retention}); err != nil {
				st.Close()
				return nil, fmt.Errorf("reports: create table %s: %w", f, err)
			}
		}
		s.tables[f] = t
		s.oldest[f] = new(atomic.Int64)
		s.oldest[f].Store(math.MaxInt64)
		err := scan(t, []int{}, math.MinInt64, math.MaxInt64, func(b *vec.Batch, i int) {
			s.oldest[f].Store(min(s.oldest[f].Load(), b.Cols[0].Int(i)))
		})
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("reports: %w", err)
		}
	}
	var c cursor
	if _, err := db.Get(cursorKind, cursorKey, &c); err != nil {
		st.Close()
		return nil, fmt.Errorf("reports: read cursor: %w", err)
	}
	s.pos.Store(c.Seq)
	return s, nil
}

type cursor struct {
	Seq uint64 `json:"seq"`
	// Started is true once the store has read from a log: a store that
	// never did starts at the oldest record the log still holds.
	Started bool `json:"started"`
}

// Close closes the store.
func (s *Store) Close() error { return s.st.Close() }

// Position returns the sequence number of the last activity record the
// store has dealt with. The activity log must keep the records after it.
func (s *Store) Position() uint64 { return s.pos.Load() }

// Err returns the last error of Run's delivery, nil once a later delivery
// succeeded.
func (s *Store) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// Run stores the records of l as they are committed, from the store's
// cursor on, until ctx ends (it then returns nil). A failed append is
// retried with backoff; records a crash stored before the cursor was
// saved are not stored twice.
func (s *Store) Run(ctx context.Context, l Log) error {
	var c cursor
	if _, err := s.db.Get(cursorKind, cursorKey, &c); err != nil {
		return fmt.Errorf("reports: read cursor: %w", err)
	}
	if !c.Started {
		c = cursor{Seq: l.First() - 1, Started: true}
	}
	s.pos.Store(c.Seq)
	check := true // the first batch after opening may be stored already
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		es, err := l.Read(c.Seq, s.opt.BatchSize)
		if errors.Is(err, activity.ErrTruncated) {
			first := l.First()
			s.opt.Logf("reports: activity records %d to %d were dropped before they were stored", c.Seq+1, first-1)
			c.Seq = first - 1
			continue
		}
		if err == nil && len(es) == 0 {
			if err := l.Wait(ctx, c.Seq); err != nil {
				if ctx.Err() != nil || errors.Is(err, activity.ErrLogClosed) {
					return nil
				}
				return fmt.Errorf("reports: %w", err)
			}
			continue
		}
		if err == nil {
			err = s.store(ctx, es, check)
		}
		if err == nil {
			c.Seq = es[len(es)-1].Seq
			err = s.db.Put(cursorKind, cursorKey, c)
		}
		s.setErr(err)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.opt.Logf("reports: %v (retrying in %v)", err, backoff)
			check = true
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		check, backoff = false, 100*time.Millisecond
		s.pos.Store(c.Seq)
	}
	return nil
}

func (s *Store) setErr(err error) {
	s.mu.Lock()
	s.lastErr = err
	s.mu.Unlock()
}

// store appends the tenant's report records of es to their tables; with
// check, ids a table holds already are left out.
func (s *Store) store(ctx context.Context, es []activity.Entry, check bool) error {
	rows := map[Feed]*rowsOf{}
	for i := range es {
		r := &es[i].Record
		f, kind, ok := FeedOf(r.Category)
		if !ok || !strings.EqualFold(r.TenantID, s.opt.TenantID) {
			continue
		}
		id := r.ID()
		if id == "" {
			continue // Graph serves no resource without an id
		}
		b := rows[f]
		if b == nil {
			b = &rowsOf{}
			rows[f] = b
		}
		b.add(r.Time, id, kind, string(r.Properties))
	}
	for _, f := range Feeds {
		b := rows[f]
		if b == nil {
			continue
		}
		t := s.tables[f]
		if check {
			if err := b.dropStored(t); err != nil {
				return err
			}
		}
		if len(b.ids) == 0 {
			continue
		}
		for _, x := range b.times {
			if x < s.oldest[f].Load() {
				s.oldest[f].Store(x) // only Run appends
			}
		}
		if err := t.Append(ctx, b.batch()); err != nil {
			return fmt.Errorf("append to %s: %w", f, err)
		}
	}
	return nil
}

// rowsOf collects the rows of one table.
type rowsOf struct {
	times            []int64
	ids, kinds, prop []string
}

func (b *rowsOf) add(t time.Time, id, kind, props string) {
	b.times = append(b.times, types.TicksFromTime(t))
	b.ids = append(b.ids, id)
	b.kinds = append(b.kinds, kind)
	b.prop = append(b.prop, props)
}

func (b *rowsOf) batch() *vec.Batch {
	n := len(b.ids)
	return vec.NewBatch([]*vec.Column{
		{Type: types.Datetime, N: n, Ints: b.times},
		{Type: types.String, N: n, Strs: b.ids},
		{Type: types.String, N: n, Strs: b.kinds},
		{Type: types.String, N: n, Strs: b.prop},
	}, n)
}

// dropStored removes the rows whose id t holds near their times.
func (b *rowsOf) dropStored(t *store.Table) error {
	lo, hi := b.times[0], b.times[0]
	for _, x := range b.times {
		lo, hi = min(lo, x), max(hi, x)
	}
	stored := map[string]bool{}
	for _, id := range b.ids {
		stored[id] = false
	}
	err := scan(t, []int{colID}, lo, hi+1, func(bt *vec.Batch, i int) {
		if _, ok := stored[bt.Cols[0].Str(i)]; ok {
			stored[bt.Cols[0].Str(i)] = true
		}
	})
	if err != nil {
		return err
	}
	keep := rowsOf{}
	for i, id := range b.ids {
		if !stored[id] {
			keep.times = append(keep.times, b.times[i])
			keep.ids = append(keep.ids, id)
			keep.kinds = append(keep.kinds, b.kinds[i])
			keep.prop = append(keep.prop, b.prop[i])
		}
	}
	*b = keep
	return nil
}
