// Package workspace is the registry of idlogs' Log Analytics workspaces: each
// workspace has an ARM identity (subscription, resource group, name), a
// customer id (the GUID the query and Data Collector APIs address it by),
// shared keys, and its own store of tables.
//
// A new workspace gets every table of the schema catalog (SigninLogs,
// AuditLogs, SecurityAlert, ...) at once, empty, as Azure's workspaces do:
// queries over a table that has had no data yet return no rows instead of a
// resolution error. Custom _CL tables are added by the tables API and the
// ingestion APIs.
package workspace

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/internal/guid"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace/schema"
)

// stateKind is the state kind of workspace records, keyed by lower-case
// resource id.
const stateKind = "workspaces"

// DefaultRetentionDays is a new workspace's retention when none is given,
// as in Azure.
const DefaultRetentionDays = 30

// Workspace is one Log Analytics workspace. The exported fields are its
// durable record; they are read-only once the workspace is registered
// (change them through Registry.Put).
type Workspace struct {
	SubscriptionID  string            `json:"subscriptionId"`
	ResourceGroup   string            `json:"resourceGroup"`
	Name            string            `json:"name"`
	Location        string            `json:"location"`
	Tags            map[string]string `json:"tags,omitempty"`
	CustomerID      string            `json:"customerId"`
	RetentionInDays int               `json:"retentionInDays"`
	// PrimarySharedKey and SecondarySharedKey are the base64 keys the Data
	// Collector API signs requests with.
	PrimarySharedKey   string    `json:"primarySharedKey"`
	SecondarySharedKey string    `json:"secondarySharedKey"`
	Created            time.Time `json:"created"`
	Modified           time.Time `json:"modified"`

	store *store.Store
	fns   *functions // saved searches
}

// ResourceID returns the workspace's ARM resource id.
func (w *Workspace) ResourceID() string {
	return ResourceID(w.SubscriptionID, w.ResourceGroup, w.Name)
}

// Store returns the workspace's tables.
func (w *Workspace) Store() *store.Store { return w.store }

// ResourceID returns the ARM id of workspace name in subscription sub and
// resource group rg.
func ResourceID(sub, rg, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.OperationalInsights/workspaces/" + name
}

// Registry holds the workspaces of an idlogs data directory. Its methods are
// safe for concurrent use.
type Registry struct {
	dir string
	db  *state.DB
	opt store.Options
	now func() time.Time

	mu  sync.RWMutex
	all map[string]*Workspace // by lower-case resource id
}

// ErrNotFound is returned for a workspace that does not exist.
var ErrNotFound = errors.New("workspace not found")

// Open loads the workspaces recorded in db and opens their stores under
// dir/workspaces/<customerId>. opt configures every store; now (nil means
// time.Now) stamps created and modified times.
func Open(dir string, db *state.DB, opt store.Options, now func() time.Time) (*Registry, error) {
	if now == nil {
		now = time.Now
	}
	r := &Registry{dir: dir, db: db, opt: opt, now: now, all: map[string]*Workspace{}}
	var recs []*Workspace
	err := db.List(stateKind, func(_ string, raw json.RawMessage) error {
		w := new(Workspace)
		if err := json.Unmarshal(raw, w); err != nil {
			return err
		}
		recs = append(recs, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, w := range recs {
		if err := r.openStore(w); err != nil {
			r.Close()
			return nil, err
		}
		r.all[strings.ToLower(w.ResourceID())] = w
	}
	if err := r.loadSavedSearches(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *Registry) storeDir(customerID string) string {
	return filepath.Join(r.dir, "workspaces", customerID)
}

func (r *Registry) openStore(w *Workspace) error {
	s, err := store.Open(r.storeDir(w.CustomerID), r.opt)
	if err != nil {
		return fmt.Errorf("workspace %s: %w", w.Name, err)
	}
	w.store = s
	w.fns = newFunctions()
	return ensureTables(s, w.RetentionInDays)
}

// ensureTables creates the catalog's tables a store lacks.
func ensureTables(s *store.Store, retentionDays int) error {
	ret := time.Duration(retentionDays) * 24 * time.Hour
	for _, t := range schema.Tables() {
		if _, ok := s.Lookup(t.Name); ok {
			continue
		}
		opt := store.TableOptions{Retention: ret}
		if t.Schema.Index("TimeGenerated") >= 0 {
			opt.TimeColumn = "TimeGenerated"
		}
		if _, err := s.CreateTable(t.Name, t.Schema, opt); err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	return nil
}

// Put creates or updates a workspace. For a new workspace it assigns the
// customer id and shared keys (when empty), creates its store and tables
// and reports created. An update keeps the customer id, keys, store and
// creation time and takes location, tags and retention from w.
func (r *Registry) Put(w Workspace) (ws *Workspace, created bool, err error) {
	if w.SubscriptionID == "" || w.ResourceGroup == "" || w.Name == "" {
		return nil, false, errors.New("workspace: subscription, resource group and name are required")
	}
	if w.RetentionInDays == 0 {
		w.RetentionInDays = DefaultRetentionDays
	}
	key := strings.ToLower(w.ResourceID())
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now().UTC()
	if old, ok := r.all[key]; ok {
		upd := *old
		upd.Location, upd.Tags, upd.RetentionInDays, upd.Modified = w.Location, w.Tags, w.RetentionInDays, now
		if err := r.db.Put(stateKind, key, &upd); err != nil {
			return nil, false, err
		}
		*old = upd
		return old, false, nil
	}
	if w.CustomerID == "" {
		w.CustomerID = NewGUID()
	}
	if w.PrimarySharedKey == "" {
		w.PrimarySharedKey, w.SecondarySharedKey = newKey(), newKey()
	}
	w.Created, w.Modified = now, now
	nw := w
	if err := r.openStore(&nw); err != nil {
		return nil, false, err
	}
	if err := r.db.Put(stateKind, key, &nw); err != nil {
		nw.store.Close()
		return nil, false, err
	}
	r.all[key] = &nw
	return &nw, true, nil
}

// Delete removes the workspace with ARM id resourceID and its data.
func (r *Registry) Delete(resourceID string) error {
	key := strings.ToLower(resourceID)
	r.mu.Lock()
	w, ok := r.all[key]
	if ok {
		delete(r.all, key)
	}
	r.mu.Unlock()
	if !ok {
		return ErrNotFound
	}
	if _, err := r.db.Delete(stateKind, key); err != nil {
		return err
	}
	if err := r.deleteSavedSearches(w); err != nil {
		return err
	}
	if err := w.store.Close(); err != nil {
		return err
	}
	return os.RemoveAll(r.storeDir(w.CustomerID))
}

// Get returns the workspace with ARM id resourceID (case-insensitive).
func (r *Registry) Get(resourceID string) (*Workspace, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	w, ok := r.all[strings.ToLower(resourceID)]
	return w, ok
}

// ByCustomerID returns the workspace whose customer id is id.
func (r *Registry) ByCustomerID(id string) (*Workspace, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, w := range r.all {
		if strings.EqualFold(w.CustomerID, id) {
			return w, true
		}
	}
	return nil, false
}

// Resolve finds a workspace by any identifier the query API accepts: its
// customer id, its ARM resource id, "subscription/resourceGroup/name", or
// its name when that is unique.
func (r *Registry) Resolve(ident string) (*Workspace, bool) {
	ident = strings.TrimSpace(ident)
	if w, ok := r.ByCustomerID(ident); ok {
		return w, true
	}
	if strings.HasPrefix(ident, "/") {
		return r.Get(ident)
	}
	if parts := strings.Split(ident, "/"); len(parts) == 3 {
		return r.Get(ResourceID(parts[0], parts[1], parts[2]))
	}
	var found *Workspace
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, w := range r.all {
		if strings.EqualFold(w.Name, ident) {
			if found != nil {
				return nil, false
			}
			found = w
		}
	}
	return found, found != nil
}

// List returns the workspaces ordered by resource id.
func (r *Registry) List() []*Workspace {
	r.mu.RLock()
	out := make([]*Workspace, 0, len(r.all))
	for _, w := range r.all {
		out = append(out, w)
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		return strings.ToLower(out[i].ResourceID()) < strings.ToLower(out[j].ResourceID())
	})
	return out
}

// Close flushes and closes every workspace's store.
func (r *Registry) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var first error
	for _, w := range r.all {
		if w.store == nil {
			continue
		}
		if err := w.store.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// NewGUID returns a random (version 4) GUID in lower-case dashed form.
func NewGUID() string { return guid.New() }

func newKey() string {
	var b [64]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b[:])
}
