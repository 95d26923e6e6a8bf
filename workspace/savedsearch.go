package workspace

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// savedSearchKind is the state kind of saved searches, keyed by the
// lower-case ARM id of the saved search (the workspace's id followed by
// "/savedsearches/{id}").
const savedSearchKind = "savedSearches"

// SavedSearch is a saved query of a workspace (the ARM resource
// Microsoft.OperationalInsights/workspaces/savedSearches). One with a
// FunctionAlias is a workspace function: queries of the workspace call it
// by that name.
type SavedSearch struct {
	// ID is the savedSearchId of the resource's path, as first created.
	ID                 string           `json:"id"`
	Category           string           `json:"category"`
	DisplayName        string           `json:"displayName"`
	Query              string           `json:"query"`
	FunctionAlias      string           `json:"functionAlias,omitempty"`
	FunctionParameters string           `json:"functionParameters,omitempty"`
	Version            int64            `json:"version,omitempty"`
	Tags               []SavedSearchTag `json:"tags,omitempty"`
	// ETag changes with every write (see Registry.PutSavedSearch).
	ETag     string    `json:"etag"`
	Modified time.Time `json:"modified"`
}

// SavedSearchTag is one of a saved search's tags.
type SavedSearchTag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// AliasInUseError is returned when a saved search's function alias is
// already another saved search's.
type AliasInUseError struct {
	Alias string
	// By is the id of the saved search that has the alias.
	By string
}

func (e *AliasInUseError) Error() string {
	return fmt.Sprintf("the function alias '%s' is already used by the saved search '%s'", e.Alias, e.By)
}

// functions holds a workspace's saved searches. Its methods are safe for
// concurrent use.
type functions struct {
	mu      sync.RWMutex
	byID    map[string]*SavedSearch // by lower-case id
	byAlias map[string]*SavedSearch // by function alias, case-sensitive
}

func newFunctions() *functions {
	return &functions{byID: map[string]*SavedSearch{}, byAlias: map[string]*SavedSearch{}}
}

func (f *functions) add(s *SavedSearch) {
	f.byID[strings.ToLower(s.ID)] = s
	if s.FunctionAlias != "" {
		f.byAlias[s.FunctionAlias] = s
	}
}

func (f *functions) remove(id string) (*SavedSearch, bool) {
	s, ok := f.byID[strings.ToLower(id)]
	if !ok {
		return nil, false
	}
	delete(f.byID, strings.ToLower(id))
	if s.FunctionAlias != "" && f.byAlias[s.FunctionAlias] == s {
		delete(f.byAlias, s.FunctionAlias)
	}
	return s, true
}

// Function returns the parameter list and body of the workspace function
// called name (a saved search's function alias; case-sensitive, as KQL
// names are). It makes a Workspace usable as a kql/check.FunctionCatalog.
func (w *Workspace) Function(name string) (params, body string, ok bool) {
	if w.fns == nil {
		return "", "", false
	}
	w.fns.mu.RLock()
	defer w.fns.mu.RUnlock()
	s, ok := w.fns.byAlias[name]
	if !ok {
		return "", "", false
	}
	return s.FunctionParameters, s.Query, true
}

// SavedSearch returns the saved search id (case-insensitive) of w.
func (w *Workspace) SavedSearch(id string) (SavedSearch, bool) {
	if w.fns == nil {
		return SavedSearch{}, false
	}
	w.fns.mu.RLock()
	defer w.fns.mu.RUnlock()
	s, ok := w.fns.byID[strings.ToLower(id)]
	if !ok {
		return SavedSearch{}, false
	}
	return *s, true
}

// SavedSearches returns w's saved searches ordered by lower-case id.
func (w *Workspace) SavedSearches() []SavedSearch {
	if w.fns == nil {
		return nil
	}
	w.fns.mu.RLock()
	out := make([]SavedSearch, 0, len(w.fns.byID))
	for _, s := range w.fns.byID {
		out = append(out, *s)
	}
	w.fns.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return out
}

func savedSearchKey(w *Workspace, id string) string {
	return strings.ToLower(w.ResourceID() + "/savedSearches/" + id)
}

// PutSavedSearch creates or replaces saved search s.ID of w and returns it
// as stored, with a new ETag, and whether it was created. An existing
// saved search keeps the id's spelling it was created with. A function
// alias another saved search of w has is an *AliasInUseError. The caller
// validates the query and parameters.
func (r *Registry) PutSavedSearch(w *Workspace, s SavedSearch) (saved SavedSearch, created bool, err error) {
	if s.ID == "" {
		return SavedSearch{}, false, fmt.Errorf("workspace %s: a saved search needs an id", w.Name)
	}
	w.fns.mu.Lock()
	defer w.fns.mu.Unlock()
	old, exists := w.fns.byID[strings.ToLower(s.ID)]
	if exists {
		s.ID = old.ID
	}
	if s.FunctionAlias != "" {
		if other, ok := w.fns.byAlias[s.FunctionAlias]; ok && other != old {
			return SavedSearch{}, false, &AliasInUseError{Alias: s.FunctionAlias, By: other.ID}
		}
	}
	s.Modified = r.now().UTC()
	if exists && !s.Modified.After(old.Modified) {
		// ETags differ from one write to the next even within a tick.
		s.Modified = old.Modified.Add(100 * time.Nanosecond)
	}
	s.ETag = savedSearchETag(s.Modified)
	if err := r.db.Put(savedSearchKind, savedSearchKey(w, s.ID), &s); err != nil {
		return SavedSearch{}, false, err
	}
	if exists {
		w.fns.remove(s.ID)
	}
	w.fns.add(&s)
	return s, !exists, nil
}

// savedSearchETag is the ETag of a saved search written at t. Azure's
// saved searches have had weak ETags of Azure Table storage's form,
// W/"datetime'2017-10-05T23%3A34%3A58.4412467Z'"; this one is made the
// same way (the exact format is unverified).
func savedSearchETag(t time.Time) string {
	return `W/"datetime'` + url.QueryEscape(t.UTC().Format("2006-01-02T15:04:05.0000000Z")) + `'"`
}

// DeleteSavedSearch removes saved search id (case-insensitive) of w and
// reports whether it existed.
func (r *Registry) DeleteSavedSearch(w *Workspace, id string) (bool, error) {
	w.fns.mu.Lock()
	defer w.fns.mu.Unlock()
	s, ok := w.fns.byID[strings.ToLower(id)]
	if !ok {
		return false, nil
	}
	if _, err := r.db.Delete(savedSearchKind, savedSearchKey(w, s.ID)); err != nil {
		return false, err
	}
	w.fns.remove(s.ID)
	return true, nil
}

// loadSavedSearches gives each workspace of r its saved searches from the
// state file.
func (r *Registry) loadSavedSearches() error {
	return r.db.List(savedSearchKind, func(key string, raw json.RawMessage) error {
		i := strings.LastIndex(key, "/savedsearches/")
		if i < 0 {
			return nil
		}
		w, ok := r.all[key[:i]]
		if !ok {
			return nil
		}
		s := new(SavedSearch)
		if err := json.Unmarshal(raw, s); err != nil {
			return fmt.Errorf("saved search %s: %w", key, err)
		}
		w.fns.add(s)
		return nil
	})
}

// deleteSavedSearches removes the state records of w's saved searches.
func (r *Registry) deleteSavedSearches(w *Workspace) error {
	for _, s := range w.SavedSearches() {
		if _, err := r.db.Delete(savedSearchKind, savedSearchKey(w, s.ID)); err != nil {
			return err
		}
	}
	return nil
}
