package tenant

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/auth"
)

// Audit categories (the directoryAudit category property) of the changes
// the directory makes.
const (
	CategoryUserManagement        = "UserManagement"
	CategoryGroupManagement       = "GroupManagement"
	CategoryRoleManagement        = "RoleManagement"
	CategoryApplicationManagement = "ApplicationManagement"
	CategoryDirectoryManagement   = "DirectoryManagement"
)

// Operation types (the directoryAudit operationType property).
const (
	OpAdd    = "Add"
	OpUpdate = "Update"
	OpDelete = "Delete"
	OpAssign = "Assign"
)

// Initiator is who asked for a change: a user or an application (service
// principal), as the caller of the API that made it. The zero value is the
// directory itself (a change made at bootstrap or from the command line).
type Initiator struct {
	// UserID, UserPrincipalName and DisplayName name a user initiator.
	UserID            string
	UserPrincipalName string
	DisplayName       string
	// AppID and ServicePrincipalID name an application initiator; its
	// DisplayName is DisplayName.
	AppID              string
	ServicePrincipalID string
	// IPAddress is the caller's address.
	IPAddress string
	// CorrelationID ties the change to the request that made it; a new one
	// is made when empty.
	CorrelationID string
}

// InitiatorOf returns the initiator of a request by p (nil for none) from
// address ip, with the request's correlation id.
func InitiatorOf(p *auth.Principal, ip, correlationID string) Initiator {
	by := Initiator{IPAddress: ip, CorrelationID: correlationID}
	if p == nil {
		return by
	}
	by.DisplayName = p.Name
	if p.App {
		by.AppID, by.ServicePrincipalID = p.AppID, p.ObjectID
	} else {
		by.UserID = p.ObjectID
	}
	return by
}

// Change describes one change of the directory as Entra's audit log does:
// what was done, to what, and the old and new value of every property.
type Change struct {
	// Activity is the activity display name, such as "Add user".
	Activity string
	// Category is the audit category, such as UserManagement.
	Category string
	// Operation is Add, Update, Delete or Assign.
	Operation string
	// Targets are the objects changed, with their modified properties.
	Targets []Target
	// AdditionalDetails are further key/value facts of the change.
	AdditionalDetails []KeyValue
}

// Target is one object a change touched.
type Target struct {
	ID          string
	DisplayName string
	// Type is User, Group, Role, Application, ServicePrincipal, Directory.
	Type              string
	UserPrincipalName string
	Modified          []ModifiedProperty
}

// ModifiedProperty is one property's value before and after a change, each
// JSON-encoded as Entra writes them (a string value is "[\"x\"]").
type ModifiedProperty struct {
	DisplayName string `json:"displayName"`
	OldValue    string `json:"oldValue"`
	NewValue    string `json:"newValue"`
}

// KeyValue is one additional detail.
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// prop is a modified property whose old and new values are strings: Entra
// writes each as a one-element JSON array, and an absent value as "[]".
func prop(name, oldValue, newValue string) ModifiedProperty {
	return ModifiedProperty{DisplayName: name, OldValue: jsonList(oldValue), NewValue: jsonList(newValue)}
}

func jsonList(v string) string {
	if v == "" {
		return "[]"
	}
	b, _ := json.Marshal([]string{v})
	return string(b)
}

func boolProp(name string, oldValue, newValue *bool) ModifiedProperty {
	f := func(b *bool) string {
		if b == nil {
			return "[]"
		}
		return "[" + strconv.FormatBool(*b) + "]"
	}
	return ModifiedProperty{DisplayName: name, OldValue: f(oldValue), NewValue: f(newValue)}
}

// directoryAudit is the Graph directoryAudit resource, the properties of an
// AuditLogs record.
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
	AdditionalDetails   []KeyValue       `json:"additionalDetails"`
}

// initiatedBy names a user or an app; the other is null, as in Graph.
type initiatedBy struct {
	User *auditUser `json:"user"`
	App  *auditApp  `json:"app"`
}

type auditUser struct {
	ID                string `json:"id"`
	DisplayName       string `json:"displayName"`
	UserPrincipalName string `json:"userPrincipalName"`
	IPAddress         string `json:"ipAddress"`
	Roles             []any  `json:"roles"`
}

type auditApp struct {
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
	ModifiedProperties []ModifiedProperty `json:"modifiedProperties"`
}

// AuditRecord returns the AuditLogs record of change c made by by at time
// at in tenant tenantID, with a new record id.
func AuditRecord(tenantID string, by Initiator, c *Change, at time.Time) activity.Record {
	at = at.UTC()
	corr := by.CorrelationID
	if corr == "" {
		corr = NewGUID()
	}
	a := directoryAudit{
		ID: "Directory_" + corr + "_" + randomSuffix(), Category: c.Category, CorrelationID: corr,
		Result: "success", ActivityDisplayName: c.Activity,
		ActivityDateTime: at.Format("2006-01-02T15:04:05.0000000Z"),
		LoggedByService:  "Core Directory", OperationType: c.Operation,
		AdditionalDetails: c.AdditionalDetails,
	}
	if a.AdditionalDetails == nil {
		a.AdditionalDetails = []KeyValue{}
	}
	identity := by.DisplayName
	switch {
	case by.AppID != "" || by.ServicePrincipalID != "":
		a.InitiatedBy.App = &auditApp{AppID: by.AppID, DisplayName: by.DisplayName, ServicePrincipalID: by.ServicePrincipalID, ServicePrincipalName: by.DisplayName}
	case by.UserID != "":
		a.InitiatedBy.User = &auditUser{ID: by.UserID, DisplayName: by.DisplayName, UserPrincipalName: by.UserPrincipalName, IPAddress: by.IPAddress, Roles: []any{}}
		if identity == "" {
			identity = by.UserPrincipalName
		}
	default:
		// Changes the directory makes itself; Entra names such an actor by
		// its service, as for its own background jobs.
		a.InitiatedBy.App = &auditApp{DisplayName: "idlogs", ServicePrincipalName: "idlogs"}
		identity = "idlogs"
	}
	for _, t := range c.Targets {
		mp := t.Modified
		if mp == nil {
			mp = []ModifiedProperty{}
		}
		tr := targetResource{ID: t.ID, DisplayName: t.DisplayName, Type: t.Type, ModifiedProperties: mp}
		if t.UserPrincipalName != "" {
			tr.UserPrincipalName = &t.UserPrincipalName
		}
		a.TargetResources = append(a.TargetResources, tr)
	}
	if a.TargetResources == nil {
		a.TargetResources = []targetResource{}
	}
	props, _ := json.Marshal(a)
	return activity.Record{
		Time:             at,
		ResourceID:       activity.ResourceIDOf(tenantID),
		OperationName:    c.Activity,
		OperationVersion: "1.0",
		Category:         activity.AuditLogs,
		TenantID:         tenantID,
		// Entra's audit records carry no resultType (the outcome is
		// properties.result) and write an unknown caller address as
		// "<null>", as its documented sample record does.
		ResultSignature: "None",
		DurationMs:      0,
		CallerIPAddress: orNull(by.IPAddress),
		CorrelationID:   corr,
		Identity:        identity,
		Level:           4,
		Properties:      props,
	}
}

func orNull(s string) string {
	if s == "" {
		return "<null>"
	}
	return s
}

// randomSuffix is the part of a directory audit id after the correlation
// id; Entra's ids look like Directory_{correlation}_{5 characters}_{9
// digits}.
func randomSuffix() string {
	g := NewGUID()
	return strings.ToUpper(g[:5]) + "_" + strconv.FormatUint(uint64(g[9])<<24|uint64(g[10])<<16|uint64(g[11])<<8|uint64(g[12]), 10)
}

// record emits c's audit record when the directory has a sink. The change
// is already durable; a record that cannot be emitted is logged, not
// returned, so the caller does not take the change for failed.
func (d *Directory) record(ctx context.Context, by Initiator, c *Change) {
	if d.sink == nil || c == nil {
		return
	}
	rec := AuditRecord(d.rec.ID, by, c, d.now())
	if err := d.sink.Emit(context.WithoutCancel(ctx), rec); err != nil {
		d.logf("tenant: audit record of %q not emitted: %v", c.Activity, err)
	}
}
