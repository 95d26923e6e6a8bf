package ingest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/workspace"
)

// State kinds of the records, keyed by lower-case resource id.
const (
	ruleKind     = "dataCollectionRules"
	endpointKind = "dataCollectionEndpoints"
)

// Service holds the data collection rules and endpoints and ingests data
// into workspaces. Its methods are safe for concurrent use.
type Service struct {
	db  *state.DB
	reg *workspace.Registry
	now func() time.Time

	mu        sync.RWMutex
	rules     map[string]*compiledRule // by lower-case resource id
	immutable map[string]*compiledRule // by lower-case immutable id
	endpoints map[string]*Endpoint     // by lower-case resource id

	// tableLocks serialise the schema changes of one table (by customer id
	// and table name) with the layout of rows in its columns, so two Data
	// Collector calls never widen a table from the same old schema.
	tableLocks sync.Map
}

// ErrNotFound is returned for a rule or endpoint that does not exist.
var ErrNotFound = errors.New("not found")

// Open loads the rules and endpoints recorded in db. Rules whose
// destinations no longer validate (a table or workspace was deleted) are
// kept and shown, and fail at ingestion. now (nil means time.Now) is the
// receive time of ingested rows.
func Open(db *state.DB, reg *workspace.Registry, now func() time.Time) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	s := &Service{db: db, reg: reg, now: now, rules: map[string]*compiledRule{},
		immutable: map[string]*compiledRule{}, endpoints: map[string]*Endpoint{}}
	err := db.List(ruleKind, func(key string, raw json.RawMessage) error {
		r := new(Rule)
		if err := json.Unmarshal(raw, r); err != nil {
			return err
		}
		c, cerr := compile(r, reg)
		if cerr != nil {
			c = &compiledRule{rule: r, reg: reg, invalid: cerr} // shown, but ingests nothing
		}
		s.rules[key] = c
		s.immutable[strings.ToLower(r.Properties.ImmutableID)] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.List(endpointKind, func(key string, raw json.RawMessage) error {
		e := new(Endpoint)
		if err := json.Unmarshal(raw, e); err != nil {
			return err
		}
		s.endpoints[key] = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// RuleID returns the ARM id of rule name in subscription sub and resource
// group rg.
func RuleID(sub, rg, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + RuleType + "/" + name
}

// EndpointID returns the ARM id of endpoint name in subscription sub and
// resource group rg.
func EndpointID(sub, rg, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + EndpointType + "/" + name
}

func newImmutableID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail
	}
	return prefix + hex.EncodeToString(b[:])
}

// PutRule creates or replaces the rule name in sub/rg from r's location,
// kind, tags and properties, validating it first (400 InvalidPayload with
// details). An update keeps the immutable id. It returns the stored rule
// and whether it was created.
func (s *Service) PutRule(sub, rg, name string, r Rule) (*Rule, bool, error) {
	if r.Location == "" {
		return nil, false, apierror.New(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	}
	id := RuleID(sub, rg, name)
	key := strings.ToLower(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	old, exists := s.rules[key]
	nr := Rule{ID: id, Name: name, Type: RuleType, Location: r.Location, Kind: r.Kind, Tags: r.Tags, Properties: r.Properties}
	if exists {
		nr.ID, nr.Name = old.rule.ID, old.rule.Name
		nr.Properties.ImmutableID = old.rule.Properties.ImmutableID
	} else {
		nr.Properties.ImmutableID = newImmutableID("dcr-")
	}
	nr.Properties.Endpoints = nil
	nr.Properties.ProvisioningState = "Succeeded"
	c, verr := compile(&nr, s.reg)
	if verr != nil {
		return nil, false, verr
	}
	if err := s.db.Put(ruleKind, key, &nr); err != nil {
		return nil, false, err
	}
	s.rules[key] = c
	s.immutable[strings.ToLower(nr.Properties.ImmutableID)] = c
	out := nr
	return &out, !exists, nil
}

// Rule returns the rule with ARM id id (case-insensitive).
func (s *Service) Rule(id string) (*Rule, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.rules[strings.ToLower(id)]
	if !ok {
		return nil, false
	}
	r := *c.rule
	return &r, true
}

// RuleByImmutableID returns the rule with the given immutable id.
func (s *Service) RuleByImmutableID(immutableID string) (*Rule, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.immutable[strings.ToLower(immutableID)]
	if !ok {
		return nil, false
	}
	r := *c.rule
	return &r, true
}

// DeleteRule removes the rule with ARM id id; ErrNotFound if there is none.
func (s *Service) DeleteRule(id string) error {
	key := strings.ToLower(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.rules[key]
	if !ok {
		return ErrNotFound
	}
	if _, err := s.db.Delete(ruleKind, key); err != nil {
		return err
	}
	delete(s.rules, key)
	delete(s.immutable, strings.ToLower(c.rule.Properties.ImmutableID))
	return nil
}

// Rules lists the rules of subscription sub, and of resource group rg
// when rg is not empty, ordered by id.
func (s *Service) Rules(sub, rg string) []*Rule {
	prefix := scopePrefix(sub, rg)
	s.mu.RLock()
	var out []*Rule
	for key, c := range s.rules {
		if strings.HasPrefix(key, prefix) {
			r := *c.rule
			out = append(out, &r)
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return out
}

func scopePrefix(sub, rg string) string {
	p := "/subscriptions/" + sub + "/"
	if rg != "" {
		p += "resourcegroups/" + rg + "/"
	}
	return strings.ToLower(p)
}

// PutEndpoint creates or replaces the endpoint name in sub/rg. An update
// keeps the immutable id. It returns the stored endpoint and whether it
// was created.
func (s *Service) PutEndpoint(sub, rg, name string, e Endpoint) (*Endpoint, bool, error) {
	if e.Location == "" {
		return nil, false, apierror.New(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	}
	id := EndpointID(sub, rg, name)
	key := strings.ToLower(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	old, exists := s.endpoints[key]
	ne := Endpoint{ID: id, Name: name, Type: EndpointType, Location: e.Location, Kind: e.Kind, Tags: e.Tags, Properties: e.Properties}
	if exists {
		ne.ID, ne.Name = old.ID, old.Name
		ne.Properties.ImmutableID = old.Properties.ImmutableID
	} else {
		ne.Properties.ImmutableID = newImmutableID("dce-")
	}
	ne.Properties.ConfigurationAccess, ne.Properties.LogsIngestion = nil, nil
	ne.Properties.ProvisioningState = "Succeeded"
	if err := s.db.Put(endpointKind, key, &ne); err != nil {
		return nil, false, err
	}
	s.endpoints[key] = &ne
	out := ne
	return &out, !exists, nil
}

// Endpoint returns the endpoint with ARM id id (case-insensitive).
func (s *Service) Endpoint(id string) (*Endpoint, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.endpoints[strings.ToLower(id)]
	if !ok {
		return nil, false
	}
	c := *e
	return &c, true
}

// DeleteEndpoint removes the endpoint with ARM id id; ErrNotFound if there
// is none.
func (s *Service) DeleteEndpoint(id string) error {
	key := strings.ToLower(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.endpoints[key]; !ok {
		return ErrNotFound
	}
	if _, err := s.db.Delete(endpointKind, key); err != nil {
		return err
	}
	delete(s.endpoints, key)
	return nil
}

// Endpoints lists the endpoints of subscription sub, and of resource group
// rg when rg is not empty, ordered by id.
func (s *Service) Endpoints(sub, rg string) []*Endpoint {
	prefix := scopePrefix(sub, rg)
	s.mu.RLock()
	var out []*Endpoint
	for key, e := range s.endpoints {
		if strings.HasPrefix(key, prefix) {
			c := *e
			out = append(out, &c)
		}
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return out
}

// lockTable returns the held lock of table in ws; the caller unlocks it.
func (s *Service) lockTable(ws *workspace.Workspace, table string) *sync.Mutex {
	m, _ := s.tableLocks.LoadOrStore(strings.ToLower(ws.CustomerID)+"/"+table, new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu
}
