// Package tenant is idlogs' directory: the one Entra-shaped tenant a server
// stands for, with its users, groups, applications (with their service
// principals), managed identities, directory role assignments and licence
// tier.
//
// Everything is kept in the server's state file, so the directory survives
// restarts. Secrets are never stored: only a salted SHA-256 of each client
// secret (256 random bits need no slow hash) and an argon2id hash of each
// user password, compared in constant time.
//
// Every change made through a method that takes an Initiator returns a
// Change that describes it (old and new values) and, when the directory has
// an activity sink, is emitted as an AuditLogs record in Entra's shape.
package tenant

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/internal/guid"
	"github.com/idlogs/idlogs/state"
)

// Record kinds in the state file.
const (
	kindTenant       = "tenant"
	kindApplications = "tenant.applications"
	keyTenant        = "directory"
)

// DefaultDomain is the verified domain every idlogs tenant has besides its
// id; token requests may name the tenant by either.
const DefaultDomain = "idlogs.local"

// Errors of AuthenticateClient, which the token service turns into Entra's
// AADSTS codes.
var (
	// ErrUnknownApplication: no application has the client id.
	ErrUnknownApplication = errors.New("tenant: no application with this client id")
	// ErrInvalidSecret: the application exists but the secret is not one of
	// its secrets.
	ErrInvalidSecret = errors.New("tenant: invalid client secret")
)

// Options configure a Directory. The zero value is usable.
type Options struct {
	// Activity receives an AuditLogs record for every change; nil means no
	// records.
	Activity activity.Sink
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logf receives a line when an audit record cannot be emitted; nil
	// discards it.
	Logf func(format string, args ...any)
}

// Directory is one tenant's directory. Its methods are safe for concurrent
// use; every change is durable when the call returns.
type Directory struct {
	db   *state.DB
	rec  tenantRecord
	sink activity.Sink
	now  func() time.Time
	logf func(format string, args ...any)
}

type tenantRecord struct {
	ID      string    `json:"id"`
	Domain  string    `json:"domain"`
	Created time.Time `json:"created"`
	// License is the tenant's Entra ID licence tier; empty means Free
	// (tenants made before new tenants were DefaultLicense).
	License License `json:"license,omitempty"`
}

// Application is an app registration together with its service principal,
// as a client of the token service sees it.
type Application struct {
	// AppID is the application (client) id: what clients send as client_id
	// and tokens carry as appid/azp.
	AppID string `json:"appId"`
	// ObjectID is the object id of the application's service principal: the
	// oid of its tokens and the principal id role assignments name.
	ObjectID string `json:"objectId"`
	// DisplayName is the name shown in logs and sign-in records.
	DisplayName string `json:"displayName"`
	// Roles are the app roles granted to the service principal; its tokens
	// carry them in the roles claim.
	Roles []string `json:"roles,omitempty"`
	// Secrets describe the application's client secrets, never their values.
	Secrets []Secret `json:"secrets,omitempty"`
	// Created is when the application was registered.
	Created time.Time `json:"created"`
	// ServicePrincipalType is "Application" (also when empty) or
	// "ManagedIdentity".
	ServicePrincipalType string `json:"servicePrincipalType,omitempty"`
	// PublicClient is set for applications that sign users in without a
	// secret of their own (the password and refresh grants), such as the
	// Azure CLI.
	PublicClient bool `json:"publicClient,omitempty"`
	// FirstParty is set for Microsoft's own applications that every tenant
	// has a service principal of; they are not app registrations of the
	// tenant.
	FirstParty bool `json:"firstParty,omitempty"`
	// WebRedirectURIs are where the authorization endpoint may send a
	// confidential (web) client's codes: Graph's web.redirectUris.
	WebRedirectURIs []string `json:"webRedirectUris,omitempty"`
	// PublicClientRedirectURIs are those of a public (native) client:
	// Graph's publicClient.redirectUris. A loopback one (http://localhost,
	// http://127.0.0.1) matches any port.
	PublicClientRedirectURIs []string `json:"publicClientRedirectUris,omitempty"`
}

// Secret describes one client secret (a password credential).
type Secret struct {
	// KeyID identifies the secret among the application's.
	KeyID string `json:"keyId"`
	// Hint is the secret's first three characters, as Entra shows them.
	Hint string `json:"hint"`
	// DisplayName is the secret's description, if it was given one.
	DisplayName string    `json:"displayName,omitempty"`
	Created     time.Time `json:"created"`
}

// appRecord is an Application as stored: with the salted hashes of its
// secrets.
type appRecord struct {
	Application
	Hashes []secretHash `json:"hashes,omitempty"`
}

type secretHash struct {
	KeyID string `json:"keyId"`
	Salt  []byte `json:"salt"`
	Hash  []byte `json:"hash"`
}

// Open returns the directory kept in db, creating the tenant (with a new
// random id) the first time. Its changes are not recorded.
func Open(db *state.DB) (*Directory, error) { return OpenWith(db, Options{}) }

// OpenWith is Open with options: the activity sink audit records go to and
// the clock.
func OpenWith(db *state.DB, opts Options) (*Directory, error) {
	d := &Directory{db: db, sink: opts.Activity, now: opts.Now, logf: opts.Logf}
	if d.now == nil {
		d.now = time.Now
	}
	if d.logf == nil {
		d.logf = func(string, ...any) {}
	}
	err := db.Update(func(tx *state.Tx) error {
		found, err := tx.Get(kindTenant, keyTenant, &d.rec)
		if err != nil {
			return err
		}
		if !found {
			// A new tenant is P2, so that a fresh server routes its
			// activity logs (which needs P1 or P2) and shows ID
			// Protection's detail (P2); SetLicense lowers it.
			d.rec = tenantRecord{ID: NewGUID(), Domain: DefaultDomain, Created: d.now().UTC(), License: DefaultLicense}
			if err := tx.Put(kindTenant, keyTenant, d.rec); err != nil {
				return err
			}
		}
		return d.ensureFirstParty(tx)
	})
	if err != nil {
		return nil, fmt.Errorf("tenant: open directory: %w", err)
	}
	return d, nil
}

// AzureCLIAppID is the well-known client id of the Azure CLI (and Azure
// PowerShell's older sibling tools), a first-party public client that signs
// users in with the password and refresh grants.
const AzureCLIAppID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// firstParty are Microsoft's applications every tenant has a service
// principal of.
var firstParty = []Application{
	{AppID: AzureCLIAppID, DisplayName: "Microsoft Azure CLI", PublicClient: true, FirstParty: true},
}

func (d *Directory) ensureFirstParty(tx *state.Tx) error {
	for _, a := range firstParty {
		var rec appRecord
		found, err := tx.Get(kindApplications, a.AppID, &rec)
		if err != nil || found {
			if err != nil {
				return err
			}
			continue
		}
		rec.Application = a
		rec.ObjectID = NewGUID()
		rec.Created = d.now().UTC()
		if err := tx.Put(kindApplications, a.AppID, &rec); err != nil {
			return err
		}
	}
	return nil
}

// TenantID returns the tenant's id (a GUID, lower case): the tid of its
// tokens.
func (d *Directory) TenantID() string { return d.rec.ID }

// Domain returns the tenant's default domain.
func (d *Directory) Domain() string { return d.rec.Domain }

// IsTenant reports whether s names this tenant: its id or its domain, in any
// letter case, as the path segment of a token endpoint does.
func (d *Directory) IsTenant(s string) bool {
	return strings.EqualFold(s, d.rec.ID) || strings.EqualFold(s, d.rec.Domain)
}

// CreateApplication registers an application with its service principal
// and one client secret, which is returned once and never again. The
// change is recorded as the directory's own (no initiator).
func (d *Directory) CreateApplication(displayName string) (*Application, string, error) {
	app, _, err := d.AddApplication(context.Background(), Initiator{}, displayName)
	if err != nil {
		return nil, "", err
	}
	secret, _, _, err := d.AddPassword(context.Background(), Initiator{}, app.AppID, "")
	if err != nil {
		return nil, "", err
	}
	app, _ = d.Application(app.AppID)
	return app, secret, nil
}

// AddApplication registers an application with its service principal and
// no secret (Graph's POST /applications).
func (d *Directory) AddApplication(ctx context.Context, by Initiator, displayName string) (*Application, *Change, error) {
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		return nil, nil, errors.New("tenant: an application needs a display name")
	}
	rec := &appRecord{Application: Application{
		AppID:       NewGUID(),
		ObjectID:    NewGUID(),
		DisplayName: displayName,
		Created:     d.now().UTC(),
	}}
	if err := d.db.Put(kindApplications, rec.AppID, rec); err != nil {
		return nil, nil, fmt.Errorf("tenant: create application %q: %w", displayName, err)
	}
	c := &Change{
		Activity: "Add application", Category: CategoryApplicationManagement, Operation: OpAdd,
		Targets: []Target{{ID: rec.ObjectID, DisplayName: displayName, Type: "Application", Modified: []ModifiedProperty{
			prop("AppId", "", rec.AppID), prop("DisplayName", "", displayName),
		}}},
		AdditionalDetails: []KeyValue{{Key: "AppId", Value: rec.AppID}},
	}
	d.record(ctx, by, c)
	return rec.public(), c, nil
}

// AddSecret adds a client secret to the application and returns it; the
// application's other secrets stay valid.
func (d *Directory) AddSecret(appID string) (string, error) {
	secret, _, _, err := d.AddPassword(context.Background(), Initiator{}, appID, "")
	return secret, err
}

// AddPassword adds a client secret (a password credential) named
// displayName to the application and returns its value, which is shown
// once, and its description.
func (d *Directory) AddPassword(ctx context.Context, by Initiator, appID, displayName string) (string, *Secret, *Change, error) {
	var secret string
	var desc Secret
	var name string
	err := d.update(appID, func(rec *appRecord) error {
		if rec.FirstParty || rec.ServicePrincipalType == SPTypeManagedIdentity {
			return fmt.Errorf("tenant: %s has no credentials of its own to add to", rec.DisplayName)
		}
		var err error
		secret, err = d.addSecret(rec, displayName)
		desc = rec.Secrets[len(rec.Secrets)-1]
		name = rec.DisplayName
		return err
	})
	if err != nil {
		return "", nil, nil, err
	}
	// The activity name is Entra's, en dash and trailing space included.
	c := &Change{
		Activity: "Update application – Certificates and secrets management ", Category: CategoryApplicationManagement, Operation: OpUpdate,
		Targets: []Target{{ID: appID, DisplayName: name, Type: "Application", Modified: []ModifiedProperty{
			prop("KeyDescription", "[]", fmt.Sprintf("[\"[KeyIdentifier=%s,KeyType=Password,KeyUsage=Verify,DisplayName=%s]\"]", desc.KeyID, displayName)),
		}}},
		AdditionalDetails: []KeyValue{{Key: "AppId", Value: appID}},
	}
	d.record(ctx, by, c)
	return secret, &desc, c, nil
}

// SetRoles replaces the app roles granted to the application's service
// principal.
func (d *Directory) SetRoles(appID string, roles []string) error {
	return d.update(appID, func(rec *appRecord) error {
		rec.Roles = slices.Clone(roles)
		return nil
	})
}

// SetPublicClient marks the application as a public client, or not:
// Graph's isFallbackPublicClient. A public client redeems codes and
// refresh tokens without a secret, so the authorization endpoint requires
// PKCE of it; browser applications such as idlogs' own web UI are public
// clients.
func (d *Directory) SetPublicClient(appID string, public bool) error {
	return d.update(appID, func(rec *appRecord) error {
		if rec.FirstParty || rec.ServicePrincipalType == SPTypeManagedIdentity {
			return fmt.Errorf("tenant: %s is not an app registration of the tenant", rec.DisplayName)
		}
		rec.PublicClient = public
		return nil
	})
}

// SetRedirectURIs replaces the application's web and public-client
// redirect URIs (Graph's web.redirectUris and publicClient.redirectUris).
// Each must be an absolute URI without a fragment; a web one must use https
// unless its host is a loopback one, as Entra requires.
func (d *Directory) SetRedirectURIs(appID string, web, public []string) error {
	if err := CheckRedirectURIs(web, public); err != nil {
		return err
	}
	return d.update(appID, func(rec *appRecord) error {
		rec.WebRedirectURIs = slices.Clone(web)
		rec.PublicClientRedirectURIs = slices.Clone(public)
		return nil
	})
}

// UpdateRedirectURIs is SetRedirectURIs made by a user or app, recorded
// as Entra records it: an "Update application" audit event whose AppAddress
// property lists the redirect URIs before and after. A nil list leaves
// that kind of redirect URI as it is. Entra writes each address as an
// object with its type; idlogs writes the URIs, each prefixed with its
// kind ("web:", "publicClient:").
func (d *Directory) UpdateRedirectURIs(ctx context.Context, by Initiator, appID string, web, public []string) (*Application, *Change, error) {
	old, ok := d.Application(appID)
	if !ok {
		return nil, nil, fmt.Errorf("%w: application %s", ErrNotFound, appID)
	}
	if web == nil {
		web = old.WebRedirectURIs
	}
	if public == nil {
		public = old.PublicClientRedirectURIs
	}
	if err := d.SetRedirectURIs(appID, web, public); err != nil {
		return nil, nil, err
	}
	addresses := func(web, public []string) string {
		all := []string{}
		for _, u := range web {
			all = append(all, "web:"+u)
		}
		for _, u := range public {
			all = append(all, "publicClient:"+u)
		}
		b, _ := json.Marshal(all)
		return string(b)
	}
	c := &Change{
		Activity: "Update application", Category: CategoryApplicationManagement, Operation: OpUpdate,
		Targets: []Target{{ID: old.ObjectID, DisplayName: old.DisplayName, Type: "Application", Modified: withIncluded([]ModifiedProperty{
			{DisplayName: "AppAddress", OldValue: addresses(old.WebRedirectURIs, old.PublicClientRedirectURIs), NewValue: addresses(web, public)},
		})}},
		AdditionalDetails: []KeyValue{{Key: "AppId", Value: old.AppID}},
	}
	d.record(ctx, by, c)
	app, _ := d.Application(appID)
	return app, c, nil
}

// CheckRedirectURIs checks web and public-client redirect URIs as
// SetRedirectURIs does; its error wraps ErrInvalid.
func CheckRedirectURIs(web, public []string) error {
	for _, u := range web {
		if err := checkRedirectURI(u, true); err != nil {
			return err
		}
	}
	for _, u := range public {
		if err := checkRedirectURI(u, false); err != nil {
			return err
		}
	}
	return nil
}

// maxRedirectURI is the longest redirect URI Entra accepts.
const maxRedirectURI = 256

func checkRedirectURI(raw string, web bool) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("%w: redirect URI %q is not a URI: %v", ErrInvalid, raw, err)
	case len(raw) > maxRedirectURI:
		return fmt.Errorf("%w: redirect URI %q is longer than %d characters", ErrInvalid, raw, maxRedirectURI)
	case u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == ""):
		return fmt.Errorf("%w: redirect URI %q is not absolute", ErrInvalid, raw)
	case unsafeSchemes[strings.ToLower(u.Scheme)]:
		return fmt.Errorf("%w: redirect URI %q has a scheme browsers run or read locally", ErrInvalid, raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("%w: redirect URI %q has a fragment", ErrInvalid, raw)
	case web && u.Scheme != "https" && !(u.Scheme == "http" && IsLoopbackHost(u.Hostname())):
		return fmt.Errorf("%w: web redirect URI %q must use https (http only for localhost)", ErrInvalid, raw)
	}
	return nil
}

// unsafeSchemes are never redirect URIs: a browser sent to one runs or
// reads something instead of handing the code to an application.
var unsafeSchemes = map[string]bool{"javascript": true, "data": true, "vbscript": true, "file": true, "blob": true, "about": true}

// IsLoopbackHost reports whether host names the loopback interface:
// localhost, 127.0.0.1 or ::1.
func IsLoopbackHost(host string) bool {
	return strings.EqualFold(host, "localhost") || host == "127.0.0.1" || host == "::1"
}

// AuthenticateClient checks a client id and secret (client_secret_post or
// client_secret_basic) and returns the application. The error is
// ErrUnknownApplication or ErrInvalidSecret when the credentials are wrong.
func (d *Directory) AuthenticateClient(clientID, secret string) (*Application, error) {
	rec, found, err := d.get(clientID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrUnknownApplication
	}
	ok := 0
	for _, h := range rec.Hashes {
		// Every stored secret is compared, so the time taken does not tell
		// which one came close.
		ok |= subtle.ConstantTimeCompare(hashSecret(h.Salt, secret), h.Hash)
	}
	if ok != 1 {
		return nil, ErrInvalidSecret
	}
	return rec.public(), nil
}

// Application returns the application with client id appID.
func (d *Directory) Application(appID string) (*Application, bool) {
	rec, found, err := d.get(appID)
	if err != nil || !found {
		return nil, false
	}
	return rec.public(), true
}

// Applications returns the tenant's app registrations, ordered by client
// id: neither first-party applications nor managed identities, which have
// a service principal only (see ServicePrincipals).
func (d *Directory) Applications() ([]*Application, error) {
	all, err := d.allApps()
	if err != nil {
		return nil, err
	}
	var apps []*Application
	for _, a := range all {
		if !a.FirstParty && a.ServicePrincipalType != SPTypeManagedIdentity {
			apps = append(apps, a)
		}
	}
	return apps, nil
}

func (d *Directory) allApps() ([]*Application, error) {
	var apps []*Application
	err := d.db.List(kindApplications, func(_ string, v json.RawMessage) error {
		var rec appRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		apps = append(apps, rec.public())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tenant: list applications: %w", err)
	}
	return apps, nil
}

// guidPattern matches a GUID in its usual 8-4-4-4-12 form.
var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// NewGUID returns a random (version 4) GUID in lower case, the form of
// every id the directory gives out.
func NewGUID() string { return guid.New() }

// IsGUID reports whether s is a GUID in its usual 8-4-4-4-12 form.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

func (d *Directory) get(appID string) (*appRecord, bool, error) {
	if !IsGUID(appID) {
		return nil, false, nil
	}
	var rec appRecord
	found, err := d.db.Get(kindApplications, strings.ToLower(appID), &rec)
	if err != nil {
		return nil, false, fmt.Errorf("tenant: read application %s: %w", appID, err)
	}
	return &rec, found, nil
}

func (d *Directory) update(appID string, fn func(*appRecord) error) error {
	key := strings.ToLower(appID)
	return d.db.Update(func(tx *state.Tx) error {
		var rec appRecord
		found, err := tx.Get(kindApplications, key, &rec)
		if err != nil {
			return err
		}
		if !found || !IsGUID(appID) {
			return fmt.Errorf("tenant: application %s does not exist", appID)
		}
		if err := fn(&rec); err != nil {
			return err
		}
		return tx.Put(kindApplications, key, &rec)
	})
}

// secretBytes is the entropy of a client secret: 256 bits, so a fast hash
// is enough to store it (nothing can be guessed).
const secretBytes = 32

func (d *Directory) addSecret(rec *appRecord, displayName string) (string, error) {
	raw := make([]byte, secretBytes)
	salt := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	// Entra's secrets are 40 characters with "Q~" in them; any printable
	// string works for clients, so idlogs' need only be unguessable and free
	// of characters that form encoding would change.
	secret := base64.RawURLEncoding.EncodeToString(raw)
	keyID := NewGUID()
	rec.Hashes = append(rec.Hashes, secretHash{KeyID: keyID, Salt: salt, Hash: hashSecret(salt, secret)})
	rec.Secrets = append(rec.Secrets, Secret{KeyID: keyID, Hint: secret[:3], DisplayName: displayName, Created: d.now().UTC()})
	return secret, nil
}

func hashSecret(salt []byte, secret string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(secret))
	return h.Sum(nil)
}

func (r *appRecord) public() *Application {
	a := r.Application
	a.Roles = slices.Clone(a.Roles)
	a.Secrets = slices.Clone(a.Secrets)
	a.WebRedirectURIs = slices.Clone(a.WebRedirectURIs)
	a.PublicClientRedirectURIs = slices.Clone(a.PublicClientRedirectURIs)
	return &a
}
