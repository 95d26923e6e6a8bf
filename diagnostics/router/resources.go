package router

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/idlogs/idlogs/diagnostics"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/workspace"
)

// PartnerProvider is the ARM resource type of partner webhooks, an idlogs
// extension: PUT /subscriptions/{s}/resourceGroups/{rg}/providers/
// Idlogs.Partners/webhooks/{name} registers one, and a diagnostic setting
// names it in marketplacePartnerId (where Azure names a Datadog or Elastic
// monitor).
const PartnerProvider = "Idlogs.Partners/webhooks"

// State kinds of the destination resources, keyed by lower-case ARM id.
const (
	kindStorage   = "storageAccounts"
	kindNamespace = "eventHubNamespaces"
	kindRule      = "eventHubAuthorizationRules"
	kindPartner   = "partnerWebhooks"
)

// Resource is the ARM envelope of a destination resource.
type Resource[P any] struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties P                 `json:"properties"`
}

// StorageProperties are a storage account's properties. IdlogsPath, an
// idlogs extension, is the folder that holds the account's containers: a
// path relative to the storage root (Resources.StorageRoot); empty means
// {subscription}/{resourceGroup}/{name}.
type StorageProperties struct {
	IdlogsPath        string `json:"idlogsPath,omitempty"`
	ProvisioningState string `json:"provisioningState,omitempty"`
}

// StorageAccount is a Microsoft.Storage/storageAccounts resource.
type StorageAccount = Resource[StorageProperties]

// NamespaceProperties are an Event Hubs namespace's properties.
// IdlogsKafkaBrokers, an idlogs extension, are the bootstrap servers
// (host:port) of the Kafka-protocol broker the namespace stands for.
// IdlogsConnectionString, another, is a real namespace's connection string
// (Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=...;
// SharedAccessKey=...): the router then speaks TLS and SASL PLAIN to
// NS:9093, or to IdlogsKafkaBrokers when both are set. It is write-only:
// responses leave it out.
type NamespaceProperties struct {
	IdlogsKafkaBrokers     []string `json:"idlogsKafkaBrokers"`
	IdlogsConnectionString string   `json:"idlogsConnectionString,omitempty"`
	ProvisioningState      string   `json:"provisioningState,omitempty"`
}

// Namespace is a Microsoft.EventHub/namespaces resource.
type Namespace = Resource[NamespaceProperties]

// RuleProperties are an authorization rule's rights (Listen, Send, Manage).
type RuleProperties struct {
	Rights []string `json:"rights"`
}

// AuthorizationRule is a Microsoft.EventHub/namespaces/authorizationRules
// resource.
type AuthorizationRule = Resource[RuleProperties]

// PartnerProperties are a partner webhook's endpoint and signing secret.
// The secret is write-only: responses leave it out.
type PartnerProperties struct {
	URL    string `json:"url"`
	Secret string `json:"secret,omitempty"`
}

// Partner is an Idlogs.Partners/webhooks resource.
type Partner = Resource[PartnerProperties]

// Resources holds the destination resources other than workspaces in the
// state database. Its methods are safe for concurrent use.
type Resources struct {
	db *state.DB
	// StorageRoot is the folder under which storage accounts keep their
	// containers.
	StorageRoot string
	workspaces  *workspace.Registry
}

// NewResources returns the resources kept in db; storage accounts live
// under storageRoot; workspaces (may be nil) answer Exists for workspace
// ids.
func NewResources(db *state.DB, storageRoot string, workspaces *workspace.Registry) *Resources {
	return &Resources{db: db, StorageRoot: storageRoot, workspaces: workspaces}
}

func key(id string) string { return strings.ToLower(id) }

func (rs *Resources) get(kind, id string, v any) (bool, error) {
	return rs.db.Get(kind, key(id), v)
}

// StorageAccount returns the storage account with ARM id id.
func (rs *Resources) StorageAccount(id string) (*StorageAccount, bool) {
	var a StorageAccount
	ok, err := rs.get(kindStorage, id, &a)
	return &a, ok && err == nil
}

// StoragePath returns the folder of a storage account.
func (rs *Resources) StoragePath(a *StorageAccount) string {
	p := a.Properties.IdlogsPath
	if p == "" {
		sub, rg, name := idParts(a.ID)
		p = filepath.Join(strings.ToLower(sub), strings.ToLower(rg), strings.ToLower(name))
	}
	return filepath.Join(rs.StorageRoot, filepath.FromSlash(p))
}

// checkStoragePath reports a path that would leave the storage root.
func checkStoragePath(p string) error {
	if p == "" {
		return nil
	}
	c := filepath.ToSlash(filepath.Clean(filepath.FromSlash(p)))
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || c == ".." || strings.HasPrefix(c, "../") {
		return fmt.Errorf("properties.idlogsPath %q must be a relative path inside the storage root", p)
	}
	return nil
}

// idParts returns the subscription, resource group and last name of an
// ARM id.
func idParts(id string) (sub, rg, name string) {
	segs := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i+1 < len(segs); i += 2 {
		switch strings.ToLower(segs[i]) {
		case "subscriptions":
			sub = segs[i+1]
		case "resourcegroups":
			rg = segs[i+1]
		}
	}
	if len(segs) > 0 {
		name = segs[len(segs)-1]
	}
	return sub, rg, name
}

// Namespace returns the Event Hubs namespace with ARM id id.
func (rs *Resources) Namespace(id string) (*Namespace, bool) {
	var n Namespace
	ok, err := rs.get(kindNamespace, id, &n)
	return &n, ok && err == nil
}

// Rule returns an authorization rule and its namespace.
func (rs *Resources) Rule(id string) (*AuthorizationRule, *Namespace, bool) {
	var r AuthorizationRule
	if ok, err := rs.get(kindRule, id, &r); !ok || err != nil {
		return nil, nil, false
	}
	ns, ok := rs.Namespace(namespaceOf(id))
	return &r, ns, ok
}

// namespaceOf returns the namespace id of an authorization rule id.
func namespaceOf(ruleID string) string {
	i := strings.Index(strings.ToLower(ruleID), "/authorizationrules/")
	if i < 0 {
		return ruleID
	}
	return ruleID[:i]
}

// Partner returns the partner webhook with ARM id id, secret included.
func (rs *Resources) Partner(id string) (*Partner, bool) {
	var p Partner
	ok, err := rs.get(kindPartner, id, &p)
	return &p, ok && err == nil
}

// Exists reports whether the destination resource of kind
// (diagnostics.DestWorkspace, DestStorage, DestEventHub with an
// authorization rule id, DestPartner) exists: the settings API refuses a
// setting naming one that does not.
func (rs *Resources) Exists(kind, resourceID string) bool {
	switch kind {
	case diagnostics.DestWorkspace:
		if rs.workspaces == nil {
			return false
		}
		_, ok := rs.workspaces.Get(resourceID)
		return ok
	case diagnostics.DestStorage:
		_, ok := rs.StorageAccount(resourceID)
		return ok
	case diagnostics.DestEventHub:
		_, _, ok := rs.Rule(resourceID)
		return ok
	case diagnostics.DestPartner:
		_, ok := rs.Partner(resourceID)
		return ok
	}
	return false
}

func (rs *Resources) put(kind, id string, v any) error { return rs.db.Put(kind, key(id), v) }

func (rs *Resources) list(kind, prefix string, fn func(json.RawMessage) error) error {
	prefix = key(prefix)
	return rs.db.List(kind, func(k string, v json.RawMessage) error {
		if strings.HasPrefix(k, prefix) {
			return fn(v)
		}
		return nil
	})
}
