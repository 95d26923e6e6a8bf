// Package router delivers the tenant's activity records from the activity
// log to the destinations of the diagnostic settings: a Log Analytics
// workspace, a storage archive, an event stream (Kafka protocol, as Event
// Hubs speaks it) and a partner webhook.
//
// # Cursors
//
// Every (setting, destination kind) pair has a cursor: the sequence number
// of the last log entry it has dealt with, persisted in the state database
// (kind "diagnosticCursors"). One goroutine per pair reads the entries after
// its cursor, keeps those whose category the setting enables, delivers them
// as a batch, retrying with exponential backoff (Options.MaxBackoff), and
// only then advances the cursor.
//
// # Which records a setting gets
//
// A record is accepted by a setting when the router reads it from the log
// while the setting exists, names the destination and enables the record's
// category: the setting is looked up afresh for every batch, after the
// batch is read, so a change applies to every record read after it is
// visible. Before delivering, the router persists the accepted range and the
// setting as it was (Cursor, Accepted, Setting); accepted records are
// delivered even if the setting is then changed or deleted, also across a
// restart. A new setting (or a destination new to a setting) starts where
// the setting was changed, when Options.StartOf knows it (the server notes
// the log's position at every Put), else at the log's end when the router
// first sees it; records committed before are not sent. When a batch is read and the
// setting (or its destination) is gone, the pair stops and its cursor is
// dropped: records committed before the deletion but not yet read are not
// delivered, as Azure stops routing when a setting is removed.
//
// # Exactly once
//
// The cursor advances after delivery, so a crash in between delivers the
// batch again. Destinations drop what they already have, by record id
// (properties.id): see each destination's comment.
package router

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/state"
)

// Settings is where the router reads the diagnostic settings. Settings
// returns the current ones (the router does not modify them); Changed
// receives a value after every change. Both are safe for concurrent use.
type Settings interface {
	Settings() []diagnostics.Setting
	Changed() <-chan struct{}
}

// Log is the activity log the router reads; *activity.Log implements it.
type Log interface {
	Read(after uint64, max int) ([]activity.Entry, error)
	Wait(ctx context.Context, after uint64) error
	Last() uint64
	// First is the oldest entry still readable.
	First() uint64
	Truncate(upTo uint64) error
}

// Destination receives the accepted entries of one (setting, destination
// kind) pair. Deliver is called by one goroutine at a time with entries in
// sequence order and returns once they are stored at the destination; on
// error the router calls it again with the same entries (after a backoff),
// and after a crash it may call it again with entries already delivered, so
// a destination drops records whose id it has. Entries are shared and must
// not be modified.
type Destination interface {
	Deliver(ctx context.Context, es []activity.Entry) error
	Close() error
}

// Opener opens the destination of kind (diagnostics.DestWorkspace, ...)
// named by setting s. key identifies the (setting, kind) pair durably; a
// destination may keep state under it.
type Opener interface {
	Open(key, kind string, s *diagnostics.Setting) (Destination, error)
}

// Target returns the identity of the destination of kind in s: the router
// reopens a pair's destination when it changes.
func Target(kind string, s *diagnostics.Setting) string {
	p := &s.Properties
	str := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	switch kind {
	case diagnostics.DestWorkspace:
		return strings.ToLower(str(p.WorkspaceID))
	case diagnostics.DestStorage:
		return strings.ToLower(str(p.StorageAccountID))
	case diagnostics.DestEventHub:
		return strings.ToLower(str(p.EventHubAuthorizationRuleID)) + "|" + str(p.EventHubName)
	case diagnostics.DestPartner:
		return strings.ToLower(str(p.MarketplacePartnerID))
	}
	return ""
}

// Options tunes a Router.
type Options struct {
	// BatchSize is the most entries read per batch; 2000 when zero.
	BatchSize int
	// MinBackoff and MaxBackoff bound the wait between delivery attempts;
	// 100 ms and 30 s when zero.
	MinBackoff, MaxBackoff time.Duration
	// TruncateEvery is how often the log is truncated to the slowest
	// cursor; 10 s when zero.
	TruncateEvery time.Duration
	// Logf receives one line per failed delivery; log.Printf when nil.
	Logf func(format string, args ...any)
	// Now is the clock of status times; time.Now when nil.
	Now func() time.Time
	// StartOf, when set, says where a new (setting, destination) pair
	// starts: the log position at which the setting was created or given
	// the destination, so the records after the change (its own audit
	// record first) are delivered however soon the router sees it. A pair
	// it has no answer for starts at the log's end.
	StartOf func(s diagnostics.Setting) (uint64, bool)
}

// cursorKind is the state kind of cursor records.
const cursorKind = "diagnosticCursors"

// cursor is the persisted position of one pair.
type cursor struct {
	Setting string `json:"setting"`
	Kind    string `json:"kind"`
	// Cursor is the last entry dealt with.
	Cursor uint64 `json:"cursor"`
	// Accepted, when above Cursor, is the end of a batch accepted for
	// delivery with AcceptedBy, not yet delivered.
	Accepted   uint64               `json:"accepted,omitempty"`
	AcceptedBy *diagnostics.Setting `json:"acceptedBy,omitempty"`
	// Delivered counts the records delivered since the pair began.
	Delivered int64 `json:"delivered"`
}

// Status is the state of one (setting, destination) pair.
type Status struct {
	Setting     string `json:"setting"`
	Destination string `json:"destination"`
	Target      string `json:"target,omitempty"`
	// Cursor is the last log entry dealt with; Lag how many entries of the
	// log come after it.
	Cursor    uint64 `json:"cursor"`
	Lag       uint64 `json:"lag"`
	Delivered int64  `json:"delivered"`
	// Retrying is true while a batch is failing.
	Retrying      bool       `json:"retrying"`
	LastError     string     `json:"lastError,omitempty"`
	LastErrorTime *time.Time `json:"lastErrorTime,omitempty"`
	LastDelivery  *time.Time `json:"lastDeliveryTime,omitempty"`
}

// Router runs the delivery loops. Create it with New and start it with Run.
type Router struct {
	log      Log
	settings Settings
	db       *state.DB
	open     Opener
	opt      Options

	mu      sync.Mutex
	workers map[string]*worker
	// stopped receives a value when a worker ends, so that a setting
	// re-created meanwhile gets a new one.
	stopped chan struct{}
}

// New returns a router delivering from log to the destinations of
// settings, keeping cursors in db.
func New(log_ Log, settings Settings, db *state.DB, open Opener, opt Options) *Router {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 2000
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 100 * time.Millisecond
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 30 * time.Second
	}
	if opt.TruncateEvery <= 0 {
		opt.TruncateEvery = 10 * time.Second
	}
	if opt.Logf == nil {
		opt.Logf = log.Printf
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Router{log: log_, settings: settings, db: db, open: open, opt: opt, workers: map[string]*worker{}, stopped: make(chan struct{}, 1)}
}

// settingKey is the durable name of a setting: its lower-case ARM id (the
// two Entra providers have settings of the same name), else its name.
func settingKey(s *diagnostics.Setting) string {
	if s.ID != "" {
		return strings.ToLower(s.ID)
	}
	return strings.ToLower(s.Name)
}

func pairKey(setting, kind string) string { return setting + "|" + kind }

// Run starts a delivery loop per pair and follows setting changes until
// ctx ends; it returns after every loop has stopped. Run is called once.
func (r *Router) Run(ctx context.Context) error {
	rs := &run{r: r, ctx: ctx}
	defer rs.wg.Wait()
	saved, err := r.loadCursors()
	if err != nil {
		return err
	}
	// Pairs that accepted a batch before a restart finish it, whether or
	// not their setting still exists.
	for key, c := range saved {
		if c.Accepted > c.Cursor {
			rs.start(key, c)
		}
	}
	if err := rs.follow(saved); err != nil {
		return err
	}
	// Cursors of pairs neither configured nor holding a batch are stale.
	for key, c := range saved {
		if c.Accepted <= c.Cursor {
			if _, err := r.db.Delete(cursorKind, key); err != nil {
				return fmt.Errorf("diagnostics router: drop cursor %s: %w", key, err)
			}
		}
	}
	tick := time.NewTicker(r.opt.TruncateEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-r.settings.Changed():
		case <-r.stopped:
		case <-tick.C:
			r.truncate()
			continue
		}
		if err := rs.follow(nil); err != nil {
			r.opt.Logf("%v", err)
		}
	}
}

// loadCursors returns the persisted cursors by pair key.
func (r *Router) loadCursors() (map[string]*cursor, error) {
	saved := map[string]*cursor{}
	err := r.db.List(cursorKind, func(key string, v json.RawMessage) error {
		var c cursor
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("diagnostics router: cursor %s: %w", key, err)
		}
		saved[key] = &c
		return nil
	})
	return saved, err
}

// run is one Run call's goroutines.
type run struct {
	r   *Router
	ctx context.Context
	wg  sync.WaitGroup
}

// start runs the delivery loop of a pair.
func (rs *run) start(key string, c *cursor) {
	r := rs.r
	w := &worker{r: r, key: key, c: *c}
	w.publish()
	r.mu.Lock()
	r.workers[key] = w
	r.mu.Unlock()
	rs.wg.Go(func() {
		w.run(rs.ctx)
		r.mu.Lock()
		if r.workers[key] == w {
			delete(r.workers, key)
		}
		r.mu.Unlock()
		select {
		case r.stopped <- struct{}{}:
		default:
		}
	})
}

// follow starts a loop for every configured pair without one: from its
// saved cursor (taken out of saved) or, for a new pair, from where the
// setting was changed (Options.StartOf) or else the log's end.
func (rs *run) follow(saved map[string]*cursor) error {
	r := rs.r
	for _, s := range r.settings.Settings() {
		sk := settingKey(&s)
		for _, kind := range s.Destinations() {
			key := pairKey(sk, kind)
			r.mu.Lock()
			_, running := r.workers[key]
			r.mu.Unlock()
			if running {
				continue
			}
			c := saved[key]
			if c == nil {
				start := r.log.Last()
				if r.opt.StartOf != nil {
					if seq, ok := r.opt.StartOf(s); ok && seq < start {
						start = seq
					}
				}
				c = &cursor{Setting: sk, Kind: kind, Cursor: start}
				if err := r.db.Put(cursorKind, key, c); err != nil {
					return fmt.Errorf("diagnostics router: save cursor: %w", err)
				}
			}
			delete(saved, key)
			rs.start(key, c)
		}
	}
	return nil
}

// truncate lets the log drop what every pair has dealt with.
func (r *Router) truncate() {
	upTo := r.log.Last()
	r.mu.Lock()
	for _, w := range r.workers {
		upTo = min(upTo, w.position())
	}
	r.mu.Unlock()
	if err := r.log.Truncate(upTo); err != nil {
		r.opt.Logf("diagnostics router: %v", err)
	}
}

// Status returns the state of every running pair, ordered by setting and
// destination.
func (r *Router) Status() []Status {
	last := r.log.Last()
	r.mu.Lock()
	out := make([]Status, 0, len(r.workers))
	for _, w := range r.workers {
		out = append(out, w.status(last))
	}
	r.mu.Unlock()
	slices.SortFunc(out, func(a, b Status) int {
		return strings.Compare(a.Setting+"|"+a.Destination, b.Setting+"|"+b.Destination)
	})
	return out
}

// errStopped ends a worker whose setting or destination is gone.
var errStopped = errors.New("stopped")
