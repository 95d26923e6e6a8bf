// Package activity is the record format of Entra's activity logs as they
// leave the tenant: the envelope Azure Monitor writes to Event Hubs
// ({"records": [...]}) and storage (one record per line of PT1H.json), with
// the Graph-shaped object of the activity in properties.
//
// Everything the tenant does (a sign-in, a token refresh, an admin change,
// a risk detection) becomes one Record; so does every record imported from a
// real tenant or made by the simulator. The diagnostics router delivers
// records to destinations by category; the workspace destination maps them
// to table rows.
package activity

import (
	"context"
	"encoding/json"
	"time"
)

// The diagnostic-setting categories of the general Entra blade (provider
// microsoft.aadiam) and the custom-security-attribute blade, spelt as
// settings spell them (note SignInLogs against the table SigninLogs).
const (
	AuditLogs                        = "AuditLogs"
	SignInLogs                       = "SignInLogs"
	NonInteractiveUserSignInLogs     = "NonInteractiveUserSignInLogs"
	ServicePrincipalSignInLogs       = "ServicePrincipalSignInLogs"
	ManagedIdentitySignInLogs        = "ManagedIdentitySignInLogs"
	ProvisioningLogs                 = "ProvisioningLogs"
	ADFSSignInLogs                   = "ADFSSignInLogs"
	RiskyUsers                       = "RiskyUsers"
	UserRiskEvents                   = "UserRiskEvents"
	NetworkAccessTrafficLogs         = "NetworkAccessTrafficLogs"
	RiskyServicePrincipals           = "RiskyServicePrincipals"
	ServicePrincipalRiskEvents       = "ServicePrincipalRiskEvents"
	EnrichedOffice365AuditLogs       = "EnrichedOffice365AuditLogs"
	MicrosoftGraphActivityLogs       = "MicrosoftGraphActivityLogs"
	RemoteNetworkHealthLogs          = "RemoteNetworkHealthLogs"
	B2CRequestLogs                   = "B2CRequestLogs"
	CustomSecurityAttributeAuditLogs = "CustomSecurityAttributeAuditLogs"
)

// Record is one activity record in Entra's Azure Monitor format. Field
// names and JSON keys are Azure's, including the capital L of Level.
type Record struct {
	// Time is when the activity happened (JSON: 7-digit fraction, UTC).
	Time time.Time `json:"time"`
	// ResourceID is /tenants/{tenantId}/providers/Microsoft.aadiam.
	ResourceID       string `json:"resourceId"`
	OperationName    string `json:"operationName"`
	OperationVersion string `json:"operationVersion,omitempty"`
	// Category is the diagnostic-setting category (SignInLogs, AuditLogs, ...).
	Category string `json:"category"`
	TenantID string `json:"tenantId"`
	// ResultType is "0" for success or the error code ("50126").
	ResultType        string `json:"resultType,omitempty"`
	ResultSignature   string `json:"resultSignature,omitempty"`
	ResultDescription string `json:"resultDescription,omitempty"`
	DurationMs        int64  `json:"durationMs"`
	CallerIPAddress   string `json:"callerIpAddress,omitempty"`
	CorrelationID     string `json:"correlationId,omitempty"`
	// Identity is the display name of the caller.
	Identity string `json:"identity,omitempty"`
	Level    int    `json:"Level"`
	// Location is the caller's country code.
	Location string `json:"location,omitempty"`
	// Properties is the Graph-shaped object of the activity (signIn,
	// directoryAudit, riskDetection, ... in camelCase). Its "id" is the
	// record's identity: destinations drop a record whose id they have
	// delivered.
	Properties json.RawMessage `json:"properties"`
	// KeepTime is an idlogs extension, never set on the tenant's own
	// records nor by Azure: the record's Time is its TimeGenerated however
	// old it is. Workspaces otherwise stamp records more than two days old
	// with their receive time, as Azure Monitor does for every ingestion
	// path; records made for the past (the simulator's backfill of a demo
	// tenant) set KeepTime so they land where they belong in time.
	KeepTime bool `json:"idlogsKeepTime,omitempty"`
	// Redelivery is an idlogs extension set by importers of outside
	// streams (the Event Hubs connector) on a record they may have
	// emitted before: read again after a crash between emitting it and
	// committing the source's position. Destinations check such records
	// against the ids they hold instead of assuming them new.
	Redelivery bool `json:"idlogsRedelivery,omitempty"`
}

// ID returns the record's identity: properties.id, or for the categories
// whose objects have none, the member that names the one event
// (MicrosoftGraphActivityLogs: requestId; NetworkAccessTrafficLogs:
// transactionId); "" when absent.
func (r *Record) ID() string {
	var p struct {
		ID            string `json:"id"`
		RequestID     string `json:"requestId"`
		TransactionID string `json:"transactionId"`
	}
	if json.Unmarshal(r.Properties, &p) != nil {
		return ""
	}
	switch {
	case p.ID != "":
		return p.ID
	case r.Category == MicrosoftGraphActivityLogs:
		return p.RequestID
	case r.Category == NetworkAccessTrafficLogs:
		return p.TransactionID
	}
	return ""
}

// MarshalJSON writes the record with Time in Entra's format: UTC with seven
// fractional digits. See AppendJSON.
func (r Record) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(nil)
}

// Sink receives the tenant's activity. Emit returns once the records are
// durable (in the activity log the router delivers from); records of one
// call keep their order. Emit is safe for concurrent use.
type Sink interface {
	Emit(ctx context.Context, recs ...Record) error
}

// ResourceIDOf returns the resourceId of a tenant's records.
func ResourceIDOf(tenantID string) string {
	return "/tenants/" + tenantID + "/providers/Microsoft.aadiam"
}
