package diagnostics

import (
	"encoding/json"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/tenant"
)

// Initiator is who changed a setting, as the audit record names them.
type Initiator struct {
	// ObjectID is the caller's object id (a user, or an application's
	// service principal).
	ObjectID string
	// AppID is the client application (for an application caller).
	AppID string
	// DisplayName is the caller's name for the record.
	DisplayName string
	// UserPrincipalName is the signed-in user's UPN, when known.
	UserPrincipalName string
	// App is true for an application (client credentials) caller.
	App bool
	// TenantID is the caller's tenant.
	TenantID string
	// IPAddress is the caller's address.
	IPAddress string
	// CorrelationID ties the record to the request (x-ms-correlation-request-id).
	CorrelationID string
}

// InitiatorOf returns the initiator of a request by p from ip.
func InitiatorOf(p *auth.Principal, ip, correlationID string) Initiator {
	if p == nil {
		return Initiator{IPAddress: ip, CorrelationID: correlationID}
	}
	in := Initiator{ObjectID: p.ObjectID, AppID: p.AppID, DisplayName: p.Name, App: p.App,
		TenantID: p.TenantID, IPAddress: ip, CorrelationID: correlationID}
	if !p.App {
		in.UserPrincipalName = p.Name
	}
	return in
}

type operation int

const (
	opAdd operation = iota
	opUpdate
	opDelete
)

// Entra's activity names for diagnostic setting changes were not found in
// its audit activity reference (Azure itself records these changes in the
// tenant's Azure activity log as MICROSOFT.AADIAM/DIAGNOSTICSETTINGS/WRITE
// and /DELETE). idlogs records them in AuditLogs under Core Directory's
// DirectoryManagement category, the home of other tenant-wide settings,
// with activity names in Entra's "Verb noun" style.
var activityNames = map[operation]struct{ display, opType string }{
	opAdd:    {"Add diagnostic setting", "Add"},
	opUpdate: {"Update diagnostic setting", "Update"},
	opDelete: {"Delete diagnostic setting", "Delete"},
}

// auditCategory is the audit category of setting changes.
const auditCategory = "DirectoryManagement"

// destinationsJSON is the destinations part of a setting in its record.
type destinationsJSON struct {
	WorkspaceID                 *string `json:"workspaceId"`
	StorageAccountID            *string `json:"storageAccountId"`
	EventHubAuthorizationRuleID *string `json:"eventHubAuthorizationRuleId"`
	EventHubName                *string `json:"eventHubName"`
	MarketplacePartnerID        *string `json:"marketplacePartnerId,omitempty"`
}

// auditRecord builds the AuditLogs record of a change of a setting of
// provider p from before to after (nil for a creation or a deletion), in
// the directory's own audit record shape (tenant.AuditRecord).
func auditRecord(op operation, p string, before, after *Setting, by Initiator, tenantID string, now time.Time) (activity.Record, error) {
	if tenantID == "" {
		tenantID = by.TenantID
	}
	subject := after
	if subject == nil {
		subject = before
	}
	logs := func(s *Setting) (string, error) {
		if s == nil {
			return "", nil
		}
		b, err := json.Marshal(s.Properties.Logs)
		return string(b), err
	}
	dests := func(s *Setting) (string, error) {
		if s == nil {
			return "", nil
		}
		q := &s.Properties
		b, err := json.Marshal(destinationsJSON{q.WorkspaceID, q.StorageAccountID, q.EventHubAuthorizationRuleID, q.EventHubName, q.MarketplacePartnerID})
		return string(b), err
	}
	var props []tenant.ModifiedProperty
	for _, f := range []struct {
		name string
		get  func(*Setting) (string, error)
	}{{"Logs", logs}, {"Destinations", dests}} {
		oldV, err := f.get(before)
		if err != nil {
			return activity.Record{}, err
		}
		newV, err := f.get(after)
		if err != nil {
			return activity.Record{}, err
		}
		props = append(props, tenant.ModifiedProperty{DisplayName: f.name, OldValue: oldV, NewValue: newV})
	}
	names := activityNames[op]
	change := &tenant.Change{
		Activity: names.display, Category: auditCategory, Operation: names.opType,
		Targets:           []tenant.Target{{ID: subject.ID, DisplayName: subject.Name, Type: "Other", Modified: props}},
		AdditionalDetails: []tenant.KeyValue{{Key: "ResourceProvider", Value: p}},
	}
	return tenant.AuditRecord(tenantID, by.tenantInitiator(), change, now), nil
}

// tenantInitiator is by as the directory's audit records name initiators.
func (by Initiator) tenantInitiator() tenant.Initiator {
	in := tenant.Initiator{DisplayName: by.DisplayName, UserPrincipalName: by.UserPrincipalName,
		IPAddress: by.IPAddress, CorrelationID: by.CorrelationID}
	if by.App {
		in.AppID, in.ServicePrincipalID = by.AppID, by.ObjectID
	} else {
		in.UserID = by.ObjectID
	}
	return in
}
