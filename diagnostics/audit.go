package diagnostics

import (
	"encoding/json"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/workspace"
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

// Audit record constants.
const (
	auditCategory   = "DirectoryManagement"
	loggedByService = "Core Directory"
)

// directoryAudit is the Graph directoryAudit object of a change.
type directoryAudit struct {
	ID                  string           `json:"id"`
	Category            string           `json:"category"`
	CorrelationID       string           `json:"correlationId"`
	Result              string           `json:"result"`
	ResultReason        string           `json:"resultReason"`
	ActivityDisplayName string           `json:"activityDisplayName"`
	ActivityDateTime    string           `json:"activityDateTime"`
	LoggedByService     string           `json:"loggedByService"`
	OperationType       string           `json:"operationType"`
	InitiatedBy         initiatedBy      `json:"initiatedBy"`
	TargetResources     []targetResource `json:"targetResources"`
	AdditionalDetails   []keyValue       `json:"additionalDetails"`
}

type initiatedBy struct {
	User *userIdentity `json:"user"`
	App  *appIdentity  `json:"app"`
}

type userIdentity struct {
	ID                string  `json:"id"`
	DisplayName       *string `json:"displayName"`
	UserPrincipalName string  `json:"userPrincipalName"`
	IPAddress         string  `json:"ipAddress"`
}

type appIdentity struct {
	AppID                string `json:"appId"`
	DisplayName          string `json:"displayName"`
	ServicePrincipalID   string `json:"servicePrincipalId"`
	ServicePrincipalName string `json:"servicePrincipalName"`
}

type targetResource struct {
	ID                 string             `json:"id"`
	DisplayName        string             `json:"displayName"`
	Type               string             `json:"type"`
	UserPrincipalName  *string            `json:"userPrincipalName"`
	GroupType          *string            `json:"groupType"`
	ModifiedProperties []modifiedProperty `json:"modifiedProperties"`
}

type modifiedProperty struct {
	DisplayName string `json:"displayName"`
	OldValue    string `json:"oldValue"`
	NewValue    string `json:"newValue"`
}

type keyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// destinationsJSON is the destinations part of a setting in its record.
type destinationsJSON struct {
	WorkspaceID                 *string `json:"workspaceId"`
	StorageAccountID            *string `json:"storageAccountId"`
	EventHubAuthorizationRuleID *string `json:"eventHubAuthorizationRuleId"`
	EventHubName                *string `json:"eventHubName"`
	MarketplacePartnerID        *string `json:"marketplacePartnerId,omitempty"`
}

// auditRecord builds the AuditLogs record of a change of a setting of
// provider p from before to after (nil for a creation or a deletion).
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
	var props []modifiedProperty
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
		props = append(props, modifiedProperty{DisplayName: f.name, OldValue: oldV, NewValue: newV})
	}
	correlation := by.CorrelationID
	if correlation == "" {
		correlation = workspace.NewGUID()
	}
	names := activityNames[op]
	a := directoryAudit{
		ID:                  "Directory_" + workspace.NewGUID(),
		Category:            auditCategory,
		CorrelationID:       correlation,
		Result:              "success",
		ActivityDisplayName: names.display,
		ActivityDateTime:    now.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		LoggedByService:     loggedByService,
		OperationType:       names.opType,
		TargetResources: []targetResource{{
			ID: subject.ID, DisplayName: subject.Name, Type: "Other", ModifiedProperties: props,
		}},
		AdditionalDetails: []keyValue{{Key: "ResourceProvider", Value: p}},
	}
	identity := by.DisplayName
	if by.App {
		a.InitiatedBy.App = &appIdentity{AppID: by.AppID, DisplayName: by.DisplayName,
			ServicePrincipalID: by.ObjectID, ServicePrincipalName: by.DisplayName}
	} else {
		var dn *string
		if by.DisplayName != "" {
			dn = &by.DisplayName
		}
		a.InitiatedBy.User = &userIdentity{ID: by.ObjectID, DisplayName: dn,
			UserPrincipalName: by.UserPrincipalName, IPAddress: by.IPAddress}
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return activity.Record{}, err
	}
	return activity.Record{
		Time:             now.UTC(),
		ResourceID:       activity.ResourceIDOf(tenantID),
		OperationName:    names.display,
		OperationVersion: "1.0",
		Category:         activity.AuditLogs,
		TenantID:         tenantID,
		ResultSignature:  "None",
		CallerIPAddress:  by.IPAddress,
		CorrelationID:    correlation,
		Identity:         identity,
		Level:            4,
		Properties:       raw,
	}, nil
}
