// Package graph is the Microsoft Graph connector: it mirrors an Entra
// tenant's sign-ins, directory audits, provisioning events, risky users and
// risk detections, read from Graph with an application's client
// credentials, into an activity.Sink as the records Entra's diagnostic
// export would have written, so they reach the same tables.
//
// Each feed (see Feeds) is polled with a $filter on its time property from
// the feed's mark minus an overlap window (Graph shows records minutes
// after their time) up to now, oldest first, following @odata.nextLink.
// Resources of the overlap already emitted are recognised by id (id and
// time for risky users and detections, which change) and dropped. After
// every page the records are emitted, then the checkpoint (mark, seen
// keys, next link) is replaced atomically. Nothing is lost. Into a sink
// that can read back what it holds (LogSink: the activity log) delivery is
// exactly once; into another, a crash after the sink acknowledged a page
// and before its checkpoint was renamed into place (a few milliseconds)
// emits that page again after the restart. Throttling (429) and
// unavailability (503, 5xx) are retried after Retry-After.
package graph

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// Config configures a Connector.
type Config struct {
	// TenantID is the tenant to read (its id or a domain name); its
	// records keep this tenant id, so it should be the id.
	TenantID string
	// ClientID and ClientSecret are the application's credentials. It
	// needs Graph's application permissions AuditLog.Read.All,
	// IdentityRiskyUser.Read.All and IdentityRiskEvent.Read.All.
	ClientID, ClientSecret string
	// Authority is the token service; https://login.microsoftonline.com
	// when empty.
	Authority string
	// GraphURL is Graph's base URL; https://graph.microsoft.com when empty.
	GraphURL string
	// Scope is asked for with the token; https://graph.microsoft.com/.default
	// when empty.
	Scope string
	// HTTPClient makes the requests; http.DefaultClient when nil.
	HTTPClient *http.Client
	// Sink receives the records.
	Sink activity.Sink
	// StateDir holds a checkpoint file per feed; it is created if missing.
	StateDir string
	// Feeds names the feeds to poll (see Feeds); all when empty.
	Feeds []string
	// Overlap is how far before its mark each poll of a feed starts again,
	// for records Graph shows late; 15 minutes when zero.
	Overlap time.Duration
	// Interval is the time between polls of a feed; one minute when zero.
	Interval time.Duration
	// Lookback is how far back a new feed starts; 24 hours when zero.
	Lookback time.Duration
	// PageSize, when set, is the $top of each request.
	PageSize int
	// Logf receives notices; log.Printf when nil.
	Logf func(format string, args ...any)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Sleep waits d or until ctx ends (returning its error); a timer when
	// nil.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Connector polls the feeds of one tenant. Create it with New.
type Connector struct {
	cfg    Config
	client *client
	feeds  []*feedState
}

// feedState is a feed with its status.
type feedState struct {
	feed Feed

	mu     sync.Mutex
	status FeedStatus
}

// FeedStatus is the state of one feed.
type FeedStatus struct {
	Feed string `json:"feed"`
	// Position is the feed's mark: every record before Position-Overlap
	// has been emitted.
	Position time.Time `json:"position"`
	// Lag is how far Position is behind now.
	Lag time.Duration `json:"lag"`
	// Emitted counts the records emitted since the connector started.
	Emitted int64 `json:"emitted"`
	// LastPoll is when the last poll ended, successfully or not.
	LastPoll      time.Time `json:"lastPoll,omitzero"`
	LastError     string    `json:"lastError,omitempty"`
	LastErrorTime time.Time `json:"lastErrorTime,omitzero"`
	// Retries counts the requests retried (throttling, outages).
	Retries int64 `json:"retries"`
}

// New checks cfg and returns a connector.
func New(cfg Config) (*Connector, error) {
	if cfg.TenantID == "" || cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("graph connector: a tenant, client id and client secret are needed")
	}
	if cfg.Sink == nil || cfg.StateDir == "" {
		return nil, errors.New("graph connector: a sink and a state directory are needed")
	}
	if cfg.Authority == "" {
		cfg.Authority = "https://login.microsoftonline.com"
	}
	if cfg.GraphURL == "" {
		cfg.GraphURL = "https://graph.microsoft.com"
	}
	if cfg.Scope == "" {
		cfg.Scope = "https://graph.microsoft.com/.default"
	}
	for _, u := range []string{cfg.Authority, cfg.GraphURL} {
		if p, err := url.Parse(u); err != nil || p.Scheme != "https" || p.Host == "" {
			return nil, fmt.Errorf("graph connector: %q is not an https URL", u)
		}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Overlap <= 0 {
		cfg.Overlap = 15 * time.Minute
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = 24 * time.Hour
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("graph connector: %w", err)
	}
	c := &Connector{cfg: cfg}
	c.client = &client{cfg: &c.cfg}
	names := cfg.Feeds
	if len(names) == 0 {
		for _, f := range Feeds {
			names = append(names, f.Name)
		}
	}
	for _, n := range names {
		f, ok := FeedNamed(n)
		if !ok {
			return nil, fmt.Errorf("graph connector: no feed %q", n)
		}
		fs := &feedState{feed: f, status: FeedStatus{Feed: f.Name}}
		cp, err := loadCheckpoint(cfg.StateDir, f.Name)
		if err != nil {
			return nil, fmt.Errorf("graph connector: %w", err)
		}
		fs.status.Position = cp.Mark
		c.feeds = append(c.feeds, fs)
	}
	return c, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Run polls every feed each Interval until ctx ends; it then returns nil.
// Feeds are polled one after another, so a throttled tenant is not asked
// more than one request at a time.
func (c *Connector) Run(ctx context.Context) error {
	for {
		c.PollOnce(ctx)
		if err := c.cfg.Sleep(ctx, c.cfg.Interval); err != nil {
			return nil
		}
	}
}

// PollOnce polls every feed once, up to now. It returns the errors of the
// feeds that failed (also in their status).
func (c *Connector) PollOnce(ctx context.Context) error {
	var errs []error
	for _, fs := range c.feeds {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := c.poll(ctx, fs); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", fs.feed.Name, err))
		}
	}
	return errors.Join(errs...)
}

// Status returns the state of every feed.
func (c *Connector) Status() []FeedStatus {
	now := c.cfg.Now()
	out := make([]FeedStatus, len(c.feeds))
	for i, fs := range c.feeds {
		fs.mu.Lock()
		out[i] = fs.status
		fs.mu.Unlock()
		if !out[i].Position.IsZero() {
			out[i].Lag = max(now.Sub(out[i].Position), 0)
		}
	}
	return out
}

func (fs *feedState) retry(err error, wait time.Duration, now time.Time) {
	fs.mu.Lock()
	fs.status.Retries++
	fs.status.LastError = fmt.Sprintf("%v (retrying in %v)", err, wait)
	fs.status.LastErrorTime = now
	fs.mu.Unlock()
}

// poll reads one feed up to now and records the outcome in its status.
func (c *Connector) poll(ctx context.Context, fs *feedState) error {
	err := c.pollFeed(ctx, fs)
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.status.LastPoll = c.cfg.Now()
	switch {
	case err == nil:
		fs.status.LastError = ""
	case ctx.Err() == nil:
		fs.status.LastError, fs.status.LastErrorTime = err.Error(), c.cfg.Now()
		c.cfg.Logf("graph connector: feed %s: %v", fs.feed.Name, err)
	}
	return err
}

// unorderedWindow bounds the time span of one query of a feed whose
// tenant refuses $orderby: should its pages come in no time order, the
// query's resources are all in the seen-set until it ends.
const unorderedWindow = 6 * time.Hour

// pollFeed reads one feed up to now: the query a checkpoint left in
// progress, then new queries until the feed's mark reaches the time the
// poll began.
func (c *Connector) pollFeed(ctx context.Context, fs *feedState) error {
	f := fs.feed
	cp, err := loadCheckpoint(c.cfg.StateDir, f.Name)
	if err != nil {
		return err
	}
	if cp.Mark.IsZero() {
		cp.Mark = c.cfg.Now().Add(-c.cfg.Lookback).UTC()
	}
	if cp.Pending != nil {
		if err := c.resolvePending(f, cp); err != nil {
			return err
		}
	}
	until := c.cfg.Now().UTC()
	for {
		if err := c.query(ctx, fs, cp, until); err != nil {
			return err
		}
		fs.mu.Lock()
		fs.status.Position = cp.Mark
		fs.mu.Unlock()
		if !cp.Mark.Before(until) {
			return nil
		}
	}
}

// query runs the query in progress in cp, or a new one up to until, to its
// last page.
func (c *Connector) query(ctx context.Context, fs *feedState, cp *checkpoint, until time.Time) error {
	f := fs.feed
	resumed := cp.NextLink != ""
	link := cp.NextLink
	fresh := func() string {
		to := until
		if cp.NoOrderBy {
			to = earlierOf(until, cp.Mark.Add(unorderedWindow))
		}
		cp.startQuery(to)
		return c.firstLink(f, cp.Mark.Add(-c.cfg.Overlap), cp.QueryTo, !cp.NoOrderBy)
	}
	if !resumed {
		link = fresh()
	}
	for first := true; link != ""; first = false {
		p, err := c.client.get(ctx, link, fs)
		switch {
		case err != nil && resumed && isFinal(err):
			// The saved link is refused (expired): ask again for what the
			// query has not shown (newest first: up to the earliest time
			// shown; else from the mark, which followed the pages). Seen
			// keeps what was emitted from being emitted twice.
			c.cfg.Logf("graph connector: feed %s: saved next link refused (%v); querying again", f.Name, err)
			resumed = false
			if cp.Order == "desc" {
				to, low := cp.QueryTo, cp.Low
				cp.startQuery(to)
				cp.Low = low
				link = c.firstLink(f, cp.Mark.Add(-c.cfg.Overlap), low, !cp.NoOrderBy)
			} else {
				link = fresh()
			}
			continue
		case err != nil && first && !cp.NoOrderBy && isFinal(err):
			// A tenant that will not order this collection by time: read
			// it unordered, in bounded windows (see unorderedWindow).
			c.cfg.Logf("graph connector: feed %s: %v; reading without $orderby", f.Name, err)
			cp.NoOrderBy = true
			link = fresh()
			continue
		case err != nil:
			return err
		}
		resumed = false
		if err := c.takePage(ctx, fs, cp, p); err != nil {
			return err
		}
		link = p.NextLink
		cp.NextLink = link
		if err := cp.save(c.cfg.StateDir, f.Name); err != nil {
			return err
		}
	}
	cp.Mark = laterOf(cp.Mark, cp.QueryTo)
	cp.startQuery(time.Time{})
	cp.prune(cp.Mark.Add(-c.cfg.Overlap))
	return cp.save(c.cfg.StateDir, f.Name)
}

// LogSink is a sink whose records have sequence numbers it can read back,
// as *activity.Log's do. With one, a crash between emitting a page and
// saving the checkpoint repeats nothing: before emitting, the connector
// saves the sink's last sequence number and the page's keys in the
// checkpoint, and a restarted connector reads the sink from there to learn
// which of them it holds.
type LogSink interface {
	activity.Sink
	Last() uint64
	Read(after uint64, max int) ([]activity.Entry, error)
}

// resolvePending adds to cp.Seen the keys of the page a crash left
// between emit and checkpoint that the sink holds. When the sink cannot
// tell (not a LogSink, or its entries are gone), the page is emitted
// again.
func (c *Connector) resolvePending(f Feed, cp *checkpoint) error {
	ls, ok := c.cfg.Sink.(LogSink)
	after := cp.Pending.After
	for ok {
		es, err := ls.Read(after, 4096)
		if err != nil {
			c.cfg.Logf("graph connector: feed %s: cannot read back the page emitted before a restart (%v); emitting it again", f.Name, err)
			break
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			r := &e.Record
			if r.Category != f.Category || !strings.EqualFold(r.TenantID, c.cfg.TenantID) {
				continue
			}
			key := r.ID()
			if f.Versioned {
				key += "|" + r.Time.Format(time.RFC3339Nano)
			}
			if t, ok := cp.Pending.Keys[key]; ok {
				cp.Seen[key] = t
			}
		}
		after = es[len(es)-1].Seq
	}
	cp.Pending = nil
	return cp.save(c.cfg.StateDir, f.Name)
}

func earlierOf(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// firstLink is the URL of a query of f for times in [from, to], oldest
// first when ordered.
func (c *Connector) firstLink(f Feed, from, to time.Time, ordered bool) string {
	const layout = "2006-01-02T15:04:05.0000000Z"
	filter := f.TimeProp + " ge " + from.UTC().Format(layout) + " and " + f.TimeProp + " le " + to.UTC().Format(layout)
	if f.Filter != "" {
		filter = f.Filter + " and " + filter
	}
	q := url.Values{"$filter": {filter}}
	if ordered {
		q.Set("$orderby", f.TimeProp+" asc")
	}
	if c.cfg.PageSize > 0 {
		q.Set("$top", fmt.Sprint(c.cfg.PageSize))
	}
	// Spaces as %20, not +: OData services need not read + as a space.
	return c.cfg.GraphURL + f.Path + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// takePage emits the page's new records, then moves the checkpoint past
// them (saved by the caller).
func (c *Connector) takePage(ctx context.Context, fs *feedState, cp *checkpoint, p *page) error {
	f := fs.feed
	var recs []activity.Record
	seen := map[string]time.Time{}
	var last time.Time
	// The order state before the page: a page emitted again after a
	// restart is observed afresh.
	before := *cp
	for _, raw := range p.Value {
		r, id, err := toRecord(f, c.cfg.TenantID, raw)
		if err != nil {
			// A resource that cannot be mapped never will be: report it
			// and go on rather than stall the feed.
			c.cfg.Logf("graph connector: feed %s: %v", f.Name, err)
			continue
		}
		cp.observe(r.Time)
		last = laterOf(last, r.Time)
		key := id
		if f.Versioned {
			key += "|" + r.Time.Format(time.RFC3339Nano)
		}
		if _, ok := cp.Seen[key]; ok {
			continue
		}
		if _, ok := seen[key]; ok {
			continue
		}
		seen[key] = r.Time
		recs = append(recs, r)
	}
	if len(recs) > 0 {
		if ls, ok := c.cfg.Sink.(LogSink); ok {
			before.Pending = &pending{After: ls.Last(), Keys: seen}
			if err := before.save(c.cfg.StateDir, f.Name); err != nil {
				return err
			}
		}
		if err := c.cfg.Sink.Emit(ctx, recs...); err != nil {
			return fmt.Errorf("emit %d records: %w", len(recs), err)
		}
	}
	cp.Pending = nil
	for k, t := range seen {
		cp.Seen[k] = t
	}
	switch cp.Order {
	case "asc":
		// Oldest first: everything before the page's last time has been
		// shown.
		cp.Mark = laterOf(cp.Mark, last)
		cp.prune(cp.Mark.Add(-c.cfg.Overlap))
	case "desc":
		// Newest first: the keys still needed are those the next query
		// reads again (from QueryTo-Overlap) and those of the times not
		// yet passed (down to Low), which the earlier queries' keys
		// dedupe; a query asked again after an expired link starts at Low.
		cp.pruneBetween(cp.Low, cp.QueryTo.Add(-c.cfg.Overlap))
	}
	fs.mu.Lock()
	fs.status.Emitted += int64(len(recs))
	fs.status.Position = cp.Mark
	fs.mu.Unlock()
	return nil
}
