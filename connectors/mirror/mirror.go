// Package mirror keeps idlogs' copies of external Entra tenants: real
// tenants whose activity idlogs imports (from Event Hubs, see
// connectors/eventhub) beside the tenant it stands for itself.
//
// Each mirrored tenant has, under Options.Dir/{tenantId}/, its own activity
// log (activity/), and its own state file (state.db) with its diagnostic
// settings and its router's cursors; its router delivers to the server's
// destinations (workspaces, storage, event hubs, partners), exactly as the
// own tenant's router does. Records keep their tenant id, so a workspace's
// AADTenantId column tells the tenants apart. A new mirror gets the
// settings Options.DefaultWorkspace names: every category, of both
// providers, to that workspace.
//
// Changing a mirror's settings records no AuditLogs record: the tenant's
// audit log is the real tenant's own, imported like its other records.
package mirror

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/diagnostics/router"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/workspace"
)

// DefaultSetting is the name of the setting a new mirror gets.
const DefaultSetting = "idlogs-mirror-all"

// ErrUnknownTenant is returned by Emit for a record of a tenant that is
// not mirrored (and Options.AutoAdd is off).
var ErrUnknownTenant = errors.New("the tenant is not mirrored")

// Options configure Mirrors.
type Options struct {
	// Dir holds one folder per mirrored tenant (the server's
	// DataDir/tenants).
	Dir string
	// Destinations open the routers' destinations: the server's
	// *router.Destinations.
	Destinations router.Opener
	// Exists validates the destinations settings name (the server's
	// router.Resources.Exists); nil accepts every destination.
	Exists func(kind, resourceID string) bool
	// DefaultWorkspace is the ARM id of the workspace a new mirror's
	// default settings send every category to (every category whose table
	// the workspace has); empty means no default settings.
	DefaultWorkspace string
	// Workspaces are the server's workspaces; needed with
	// DefaultWorkspace.
	Workspaces *workspace.Registry
	// Categories are the categories of the general blade a mirror's
	// settings may name; nil means diagnostics.DefaultCategories.
	Categories []string
	// AutoAdd mirrors a tenant the first time Emit sees one of its
	// records.
	AutoAdd bool
	// NoSync skips fsync of the activity logs; for tests.
	NoSync bool
	// Router tunes every mirror's router; Logf and Now default to these.
	Router router.Options
	// Logf receives notices; log.Printf when nil. Never secrets.
	Logf func(format string, args ...any)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Tenant is one mirrored tenant.
type Tenant struct {
	// ID is the tenant id (lower case).
	ID string
	// Log is the tenant's activity log.
	Log *activity.Log
	// Settings are the tenant's diagnostic settings.
	Settings *diagnostics.Registry
	// Router delivers the log to the settings' destinations.
	Router *router.Router
	db     *state.DB
}

// Mirrors holds the mirrored tenants. It implements activity.Sink:
// records go to their tenant's activity log.
type Mirrors struct {
	opt Options

	mu      sync.Mutex
	tenants map[string]*Tenant
	// run is the context of Run, nil before; routers of tenants added
	// later start under it.
	run   context.Context
	wg    sync.WaitGroup
	close bool
}

var tenantIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// Open opens every mirror found in opt.Dir.
func Open(opt Options) (*Mirrors, error) {
	if opt.Logf == nil {
		opt.Logf = log.Printf
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Router.Logf == nil {
		opt.Router.Logf = opt.Logf
	}
	if opt.Router.Now == nil {
		opt.Router.Now = opt.Now
	}
	if opt.Destinations == nil {
		return nil, errors.New("mirror: no destinations")
	}
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("mirror: %w", err)
	}
	m := &Mirrors{opt: opt, tenants: map[string]*Tenant{}}
	ents, err := os.ReadDir(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("mirror: %w", err)
	}
	for _, e := range ents {
		if !e.IsDir() || !tenantIDPattern.MatchString(e.Name()) {
			continue
		}
		t, err := m.open(e.Name())
		if err != nil {
			m.Close()
			return nil, err
		}
		m.tenants[t.ID] = t
	}
	return m, nil
}

// open opens or makes the mirror of tenant id.
func (m *Mirrors) open(id string) (_ *Tenant, err error) {
	dir := filepath.Join(m.opt.Dir, id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mirror %s: %w", id, err)
	}
	t := &Tenant{ID: id}
	defer func() {
		if err != nil {
			t.close()
		}
	}()
	if t.db, err = state.Open(filepath.Join(dir, "state.db")); err != nil {
		return nil, fmt.Errorf("mirror %s: %w", id, err)
	}
	if t.Log, err = activity.OpenLog(filepath.Join(dir, "activity"), activity.LogOptions{NoSync: m.opt.NoSync, Logf: m.opt.Logf, Now: m.opt.Now}); err != nil {
		return nil, fmt.Errorf("mirror %s: %w", id, err)
	}
	t.Settings, err = diagnostics.Open(t.db, diagnostics.Options{
		TenantID: id, Categories: m.opt.Categories, Exists: m.opt.Exists, Now: m.opt.Now, Position: t.Log.Last,
	})
	if err != nil {
		return nil, fmt.Errorf("mirror %s: %w", id, err)
	}
	// The marker file says the mirror is complete: a crash while making
	// it leaves the default settings to be made at the next open.
	marker := filepath.Join(dir, "mirror.json")
	if _, err := os.Stat(marker); os.IsNotExist(err) {
		if m.opt.DefaultWorkspace != "" {
			if err := m.defaultSettings(t); err != nil {
				return nil, fmt.Errorf("mirror %s: default settings: %w", id, err)
			}
		}
		if err := writeMarker(marker, id); err != nil {
			return nil, fmt.Errorf("mirror %s: %w", id, err)
		}
	}
	ro := m.opt.Router
	ro.StartOf = func(s diagnostics.Setting) (uint64, bool) {
		if seq, ok := t.Settings.StartOf(s); ok {
			return seq, true
		}
		// The default settings are made with the mirror, before its first
		// record: after a crash that left them without cursors they
		// start at the beginning (records delivered twice are dropped by
		// id on the first batch).
		if strings.EqualFold(s.Name, DefaultSetting) {
			return 0, true
		}
		return 0, false
	}
	t.Router = router.New(t.Log, settingsSource{t.Settings, t.Settings.Subscribe()}, t.db, m.opt.Destinations, ro)
	return t, nil
}

// defaultSettings sends every category of both providers to the default
// workspace.
func (m *Mirrors) defaultSettings(t *Tenant) error {
	if m.opt.Workspaces == nil {
		return errors.New("no workspaces")
	}
	w, ok := m.opt.Workspaces.Get(m.opt.DefaultWorkspace)
	if !ok {
		return fmt.Errorf("the workspace %s does not exist", m.opt.DefaultWorkspace)
	}
	ws := w.ResourceID()
	by := diagnostics.Initiator{DisplayName: "idlogs", App: true, TenantID: t.ID}
	for _, p := range diagnostics.Providers {
		var logs []diagnostics.Log
		for _, c := range t.Settings.Categories(p) {
			if table, ok := tablemap.Table(c); ok {
				if _, ok := w.Store().Lookup(table); ok {
					logs = append(logs, diagnostics.Log{Category: c, Enabled: true})
				}
			}
		}
		s := diagnostics.Setting{Properties: diagnostics.SettingProperties{WorkspaceID: &ws, Logs: logs}}
		if _, err := t.Settings.Put(p, DefaultSetting, s, by); err != nil {
			return err
		}
	}
	return nil
}

// writeMarker durably writes the marker file of a complete mirror.
func writeMarker(path, id string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "{\"tenantId\":%q}\n", id); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (t *Tenant) close() error {
	var errs []error
	if t.Log != nil {
		errs = append(errs, t.Log.Close())
	}
	if t.db != nil {
		errs = append(errs, t.db.Close())
	}
	return errors.Join(errs...)
}

// Add mirrors tenant id (a GUID) unless it is already, and returns it.
func (m *Mirrors) Add(id string) (*Tenant, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if !tenantIDPattern.MatchString(id) {
		return nil, fmt.Errorf("mirror: tenant id %q is not a GUID", id)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.close {
		return nil, errors.New("mirror: closed")
	}
	if t, ok := m.tenants[id]; ok {
		return t, nil
	}
	t, err := m.open(id)
	if err != nil {
		return nil, err
	}
	m.tenants[id] = t
	if m.run != nil {
		m.start(t)
	}
	return t, nil
}

// Get returns the mirror of tenant id.
func (m *Mirrors) Get(id string) (*Tenant, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tenants[strings.ToLower(id)]
	return t, ok
}

// Has reports whether tenant id is mirrored.
func (m *Mirrors) Has(id string) bool {
	_, ok := m.Get(id)
	return ok
}

// Tenants returns the mirrored tenants ordered by id.
func (m *Mirrors) Tenants() []*Tenant {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*Tenant, 0, len(m.tenants))
	for _, t := range m.tenants {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *Tenant) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Emit writes records to their tenants' activity logs, each tenant's in
// one durable append, in the order given; the tenants' appends run side by
// side, and a failure of one leaves the others' records kept. A record of a tenant not
// mirrored fails the call with ErrUnknownTenant (before anything is
// written) unless Options.AutoAdd is set.
func (m *Mirrors) Emit(ctx context.Context, recs ...activity.Record) error {
	var order []string
	by := map[string][]activity.Record{}
	for _, r := range recs {
		id := strings.ToLower(r.TenantID)
		if by[id] == nil {
			order = append(order, id)
		}
		by[id] = append(by[id], r)
	}
	logs := make([]*activity.Log, len(order))
	for i, id := range order {
		t, ok := m.Get(id)
		if !ok && m.opt.AutoAdd {
			var err error
			if t, err = m.Add(id); err != nil {
				return err
			}
			ok = true
		}
		if !ok {
			return fmt.Errorf("mirror: tenant %q: %w", id, ErrUnknownTenant)
		}
		logs[i] = t.Log
	}
	// The tenants' logs are independent: their appends (encoding and
	// fsync) run side by side.
	errs := make([]error, len(order))
	var wg sync.WaitGroup
	for i, id := range order {
		wg.Go(func() {
			if err := logs[i].Emit(ctx, by[id]...); err != nil {
				errs[i] = fmt.Errorf("mirror %s: %w", id, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Run runs every mirror's router, and those of mirrors added later, until
// ctx ends; it returns when they have stopped.
func (m *Mirrors) Run(ctx context.Context) error {
	m.mu.Lock()
	if m.run != nil {
		m.mu.Unlock()
		return errors.New("mirror: Run called twice")
	}
	m.run = ctx
	for _, t := range m.tenants {
		m.start(t)
	}
	m.mu.Unlock()
	<-ctx.Done()
	m.wg.Wait()
	return nil
}

// start runs t's router under the Run context; m.mu is held.
func (m *Mirrors) start(t *Tenant) {
	ctx := m.run
	m.wg.Go(func() {
		if err := t.Router.Run(ctx); err != nil && ctx.Err() == nil {
			m.opt.Logf("mirror %s: diagnostics router stopped: %v", t.ID, err)
		}
	})
}

// Close closes every mirror's log and state file; call it after Run
// returned.
func (m *Mirrors) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.close = true
	var errs []error
	for _, t := range m.tenants {
		errs = append(errs, t.close())
	}
	return errors.Join(errs...)
}

// settingsSource gives a router a registry's settings and one subscription
// to their changes.
type settingsSource struct {
	*diagnostics.Registry
	changed <-chan struct{}
}

func (s settingsSource) Changed() <-chan struct{} { return s.changed }
