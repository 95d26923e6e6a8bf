package diagnostics

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/state"
)

// MaxSettings is the number of diagnostic settings a tenant may hold per
// provider: Azure Monitor's hard per-resource limit.
const MaxSettings = 5

// stateKinds are the state.DB kinds the settings of each provider live in,
// keyed by lower-case name (ARM names are case-insensitive).
var stateKinds = map[string]string{
	ProviderAADIAM:                   "diagnosticSettings",
	ProviderCustomSecurityAttributes: "diagnosticSettings.customSecurityAttributes",
}

// Options configure a Registry.
type Options struct {
	// Categories are the general blade's categories; nil means
	// DefaultCategories. The custom-security-attribute blade always has
	// CustomSecurityAttributeCategories.
	Categories []string
	// Exists reports whether a destination exists: kind is DestWorkspace,
	// DestStorage, DestEventHub or DestPartner and resourceID its ARM id
	// as the setting names it. Nil accepts every destination.
	Exists func(kind, resourceID string) bool
	// Activity receives an AuditLogs record of every change; nil records
	// nothing.
	Activity activity.Sink
	// TenantID is the tenant the records belong to; empty means the
	// initiator's tenant.
	TenantID string
	// Now is the clock of the records; nil means time.Now.
	Now func() time.Time
	// Position, when set, returns the activity log's last sequence number.
	// Put notes it before the change (and before the change's own audit
	// record), so that delivery to a new destination starts with the
	// first record after the change: see StartOf.
	Position func() uint64
	// Licence, when set, returns the tenant's licence tier (Free, P1 or
	// P2). A setting that enables a log needs P1 or P2: Put refuses it on
	// a Free tenant. Nil allows every setting.
	Licence func() string
}

// Registry holds the tenant's diagnostic settings of both providers,
// persisted in a state.DB. It is safe for concurrent use.
type Registry struct {
	db   *state.DB
	opts Options

	mu       sync.RWMutex
	settings map[string]map[string]Setting // provider → lower-case name → setting
	version  uint64
	subs     []chan struct{}
	starts   map[string]uint64 // lower-case setting id → Position at its last Put
}

// Open loads the settings stored in db.
func Open(db *state.DB, opts Options) (*Registry, error) {
	if opts.Categories == nil {
		opts.Categories = DefaultCategories
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &Registry{db: db, opts: opts, settings: map[string]map[string]Setting{}}
	for _, p := range Providers {
		m := map[string]Setting{}
		err := db.List(stateKinds[p], func(key string, raw json.RawMessage) error {
			var s Setting
			if err := json.Unmarshal(raw, &s); err != nil {
				return fmt.Errorf("diagnostics: setting %s of %s: %w", key, p, err)
			}
			m[key] = s
			return nil
		})
		if err != nil {
			return nil, err
		}
		r.settings[p] = m
	}
	return r, nil
}

// Categories returns the categories settings of provider may name, or nil
// for an unknown provider.
func (r *Registry) Categories(provider string) []string {
	p, ok := CanonicalProvider(provider)
	switch {
	case !ok:
		return nil
	case p == ProviderCustomSecurityAttributes:
		return slices.Clone(CustomSecurityAttributeCategories)
	default:
		return slices.Clone(r.opts.Categories)
	}
}

// Get returns the setting name of provider; names match case-insensitively.
func (r *Registry) Get(provider, name string) (Setting, bool) {
	p, ok := CanonicalProvider(provider)
	if !ok {
		return Setting{}, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.settings[p][strings.ToLower(name)]
	return s, ok
}

// List returns the settings of provider ordered by name.
func (r *Registry) List(provider string) []Setting {
	p, ok := CanonicalProvider(provider)
	if !ok {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return sortedValues(r.settings[p])
}

// Settings returns the settings of every provider, the general blade's
// first, each ordered by name. The router delivers by them.
func (r *Registry) Settings() []Setting {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Setting
	for _, p := range Providers {
		out = append(out, sortedValues(r.settings[p])...)
	}
	return out
}

func sortedValues(m map[string]Setting) []Setting {
	out := make([]Setting, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Setting) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}

// Version counts the changes since Open; a reader that saw version v and
// now sees another reads Settings again.
func (r *Registry) Version() uint64 {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.version
}

// StartOf returns the activity log position noted at the last Put of s in
// this process (see Options.Position): a destination s did not have before
// gets the records after it. It reports false for settings not changed
// since start-up; their new destinations start where the router first sees
// them.
func (r *Registry) StartOf(s Setting) (uint64, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	seq, ok := r.starts[strings.ToLower(s.ID)]
	return seq, ok
}

// Subscribe returns a channel that receives a value after every change
// (coalesced: one pending value stands for any number of changes). The
// router re-reads Settings when it fires, so a change applies from the next
// record on.
func (r *Registry) Subscribe() <-chan struct{} {
	c := make(chan struct{}, 1)
	r.mu.Lock()
	r.subs = append(r.subs, c)
	r.mu.Unlock()
	return c
}

// changedLocked bumps the version and notifies subscribers; r.mu is held.
func (r *Registry) changedLocked() {
	r.version++
	for _, c := range r.subs {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// Put creates or replaces setting name of provider with s's properties
// (s's id, name and type are ignored) and returns the stored resource. A
// request Azure refuses returns an *apierror.Error with Azure's status,
// code and message; see validate for the rules.
//
// Azure quirk, kept on purpose: a setting with no enabled log is answered
// as a success (the caller gets 200 and the resource) but is not kept, so
// the next GET answers 404; a setting of that name that existed before is
// gone as well. Terraform's azurerm_monitor_aad_diagnostic_setting documents
// the behaviour and relies on it.
func (r *Registry) Put(provider, name string, s Setting, by Initiator) (Setting, error) {
	p, ok := CanonicalProvider(provider)
	if !ok {
		return Setting{}, unknownProvider(provider)
	}
	if err := validateName(name); err != nil {
		return Setting{}, err
	}
	props := normalize(s.Properties)
	if err := r.validateProperties(p, &props); err != nil {
		return Setting{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := strings.ToLower(name)
	old, existed := r.settings[p][key]
	if existed {
		name = old.Name // the name keeps the spelling it was created with
	}
	out := Setting{ID: ResourceID(p, name), Name: name, Type: resourceType(p), Properties: props}
	if !hasEnabledLog(props) {
		// Turning every log off removes the setting, which any tenant may.
		if existed {
			if err := r.removeLocked(p, key, old, by); err != nil {
				return Setting{}, err
			}
		}
		return out, nil
	}
	if err := r.licensed(); err != nil {
		return Setting{}, err
	}
	if !existed && len(r.settings[p]) >= MaxSettings {
		return Setting{}, apierror.New(http.StatusBadRequest, "BadRequest",
			"The limit of %d diagnostic settings for this resource has been reached; delete a setting before creating '%s'.", MaxSettings, name)
	}
	if err := r.conflictLocked(p, key, out); err != nil {
		return Setting{}, err
	}
	if r.opts.Position != nil {
		if r.starts == nil {
			r.starts = map[string]uint64{}
		}
		r.starts[strings.ToLower(out.ID)] = r.opts.Position()
	}
	if err := r.db.Put(stateKinds[p], key, out); err != nil {
		return Setting{}, err
	}
	r.settings[p][key] = out
	r.changedLocked()
	op := opAdd
	var before *Setting
	if existed {
		op, before = opUpdate, &old
	}
	if err := r.record(op, p, before, &out, by); err != nil {
		return out, err
	}
	return out, nil
}

// Delete removes setting name of provider and reports whether it existed.
func (r *Registry) Delete(provider, name string, by Initiator) (bool, error) {
	p, ok := CanonicalProvider(provider)
	if !ok {
		return false, unknownProvider(provider)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := strings.ToLower(name)
	old, existed := r.settings[p][key]
	if !existed {
		return false, nil
	}
	return true, r.removeLocked(p, key, old, by)
}

// removeLocked deletes a stored setting and records it; r.mu is held.
func (r *Registry) removeLocked(p, key string, old Setting, by Initiator) error {
	if _, err := r.db.Delete(stateKinds[p], key); err != nil {
		return err
	}
	delete(r.settings[p], key)
	r.changedLocked()
	return r.record(opDelete, p, &old, nil, by)
}

// record emits the AuditLogs record of a change. The change is already
// stored; a sink that fails makes the request fail, and the caller's retry
// (PUT and DELETE are idempotent) records it again.
func (r *Registry) record(op operation, p string, before, after *Setting, by Initiator) error {
	if r.opts.Activity == nil {
		return nil
	}
	rec, err := auditRecord(op, p, before, after, by, r.opts.TenantID, r.opts.Now())
	if err != nil {
		return err
	}
	if err := r.opts.Activity.Emit(context.Background(), rec); err != nil {
		return fmt.Errorf("diagnostics: recording the change of setting: %w", err)
	}
	return nil
}

func unknownProvider(p string) error {
	return apierror.New(http.StatusNotFound, "OperationNotFound", "The provider '%s' holds no diagnostic settings.", p)
}
