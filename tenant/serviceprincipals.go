package tenant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/state"
)

// Service principal types.
const (
	SPTypeApplication     = "Application"
	SPTypeManagedIdentity = "ManagedIdentity"
)

// ServicePrincipal is the identity of an application (or managed identity)
// in the tenant: what role assignments name and app tokens' oid is.
type ServicePrincipal struct {
	// ID is the object id.
	ID          string `json:"id"`
	AppID       string `json:"appId"`
	DisplayName string `json:"displayName"`
	// Type is SPTypeApplication or SPTypeManagedIdentity.
	Type           string `json:"servicePrincipalType"`
	AccountEnabled bool   `json:"accountEnabled"`
}

func (a *Application) servicePrincipal() *ServicePrincipal {
	t := a.ServicePrincipalType
	if t == "" {
		t = SPTypeApplication
	}
	return &ServicePrincipal{ID: a.ObjectID, AppID: a.AppID, DisplayName: a.DisplayName, Type: t, AccountEnabled: true}
}

// ServicePrincipals returns the service principal of every application,
// first-party application and managed identity, ordered by app id.
func (d *Directory) ServicePrincipals() ([]*ServicePrincipal, error) {
	apps, err := d.allApps()
	if err != nil {
		return nil, err
	}
	sps := make([]*ServicePrincipal, len(apps))
	for i, a := range apps {
		sps[i] = a.servicePrincipal()
	}
	return sps, nil
}

// ServicePrincipal returns the service principal with object id or app id
// id.
func (d *Directory) ServicePrincipal(id string) (*ServicePrincipal, error) {
	if a, ok := d.Application(id); ok {
		return a.servicePrincipal(), nil
	}
	var sp *ServicePrincipal
	err := d.db.View(func(tx *state.Tx) error {
		rec, found, err := appByObjectID(tx, id)
		if found {
			sp = rec.servicePrincipal()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if sp == nil {
		return nil, fmt.Errorf("%w: service principal %s", ErrNotFound, id)
	}
	return sp, nil
}

func appByObjectID(tx *state.Tx, id string) (*appRecord, bool, error) {
	var out *appRecord
	errFound := errors.New("found")
	err := tx.List(kindApplications, func(_ string, v json.RawMessage) error {
		var rec appRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		if strings.EqualFold(rec.ObjectID, id) {
			out = &rec
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return nil, false, err
	}
	return out, out != nil, nil
}

// principalTarget describes the user or service principal with object id
// id as the target of a change.
func principalTarget(tx *state.Tx, id string) (Target, bool, error) {
	if !IsGUID(id) {
		return Target{}, false, nil
	}
	u, found, err := lookupUser(tx, id)
	if err != nil {
		return Target{}, false, err
	}
	if found {
		return Target{ID: u.ID, DisplayName: u.DisplayName, Type: "User", UserPrincipalName: u.UserPrincipalName}, true, nil
	}
	a, found, err := appByObjectID(tx, id)
	if err != nil || !found {
		return Target{}, false, err
	}
	return Target{ID: a.ObjectID, DisplayName: a.DisplayName, Type: "ServicePrincipal"}, true, nil
}

// CreateManagedIdentity adds a user-assigned managed identity: a service
// principal of type ManagedIdentity with an app id and no credentials of
// its own.
func (d *Directory) CreateManagedIdentity(ctx context.Context, by Initiator, displayName string) (*ServicePrincipal, *Change, error) {
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		return nil, nil, fmt.Errorf("%w: a managed identity needs a display name", ErrInvalid)
	}
	rec := &appRecord{Application: Application{
		AppID: NewGUID(), ObjectID: NewGUID(), DisplayName: displayName,
		Created: d.now().UTC(), ServicePrincipalType: SPTypeManagedIdentity,
	}}
	if err := d.db.Put(kindApplications, rec.AppID, rec); err != nil {
		return nil, nil, fmt.Errorf("tenant: create managed identity %q: %w", displayName, err)
	}
	sp := rec.servicePrincipal()
	c := &Change{Activity: "Add service principal", Category: CategoryApplicationManagement, Operation: OpAdd,
		Targets: []Target{{ID: sp.ID, DisplayName: sp.DisplayName, Type: "ServicePrincipal", Modified: withIncluded([]ModifiedProperty{
			prop("AccountEnabled", "", "true"), prop("AppPrincipalId", "", sp.AppID), prop("DisplayName", "", sp.DisplayName),
			prop("ServicePrincipalType", "", sp.Type),
		})}},
		AdditionalDetails: []KeyValue{{Key: "AppId", Value: sp.AppID}}}
	d.record(ctx, by, c)
	return sp, c, nil
}

// License is the tenant's Microsoft Entra ID licence tier, which decides
// which logs and features Entra offers (sign-in logs need P1, risk
// detections P2).
type License string

// The licence tiers.
const (
	LicenseFree License = "Free"
	LicenseP1   License = "P1"
	LicenseP2   License = "P2"
)

// DefaultLicense is the licence tier of a new tenant: the highest, so that
// every log can be routed and shown in full until an administrator says
// otherwise.
const DefaultLicense = LicenseP2

// License returns the tenant's licence tier.
func (d *Directory) License() License {
	var rec tenantRecord
	if found, err := d.db.Get(kindTenant, keyTenant, &rec); err != nil || !found || rec.License == "" {
		return LicenseFree
	}
	return rec.License
}

// SetLicense changes the tenant's licence tier.
func (d *Directory) SetLicense(ctx context.Context, by Initiator, l License) (*Change, error) {
	switch l {
	case LicenseFree, LicenseP1, LicenseP2:
	default:
		return nil, fmt.Errorf("%w: licence tier %q (want Free, P1 or P2)", ErrInvalid, l)
	}
	var old License
	err := d.db.Update(func(tx *state.Tx) error {
		var rec tenantRecord
		if _, err := tx.Get(kindTenant, keyTenant, &rec); err != nil {
			return err
		}
		old = rec.License
		if old == "" {
			old = LicenseFree
		}
		rec.License = l
		return tx.Put(kindTenant, keyTenant, rec)
	})
	if err != nil {
		return nil, err
	}
	// Entra records a tenant's subscription changes as company updates; the
	// property name is idlogs' own.
	c := &Change{Activity: "Update company", Category: CategoryDirectoryManagement, Operation: OpUpdate,
		Targets: []Target{{ID: d.rec.ID, DisplayName: d.rec.Domain, Type: "Directory",
			Modified: withIncluded([]ModifiedProperty{prop("LicenseTier", string(old), string(l))})}}}
	d.record(ctx, by, c)
	return c, nil
}
