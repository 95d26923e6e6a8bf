// Package tablemap is the workspace destination's mapping from Entra
// activity records (activity.Record) to the rows of Log Analytics tables,
// as Azure Monitor fills SigninLogs, AuditLogs, AADRiskyUsers and the other
// tables a diagnostic setting's categories feed.
//
// A record becomes one row. The envelope fills the columns Azure's resource
// log pipeline fills for every Azure resource (TimeGenerated, OperationName,
// Category, ResultType, CorrelationId, Level, Location, CallerIpAddress as
// IPAddress, ...); each member of properties fills the column named like it
// in PascalCase, matched without regard to case (ipAddress → IPAddress,
// atContent → ATContent), converted to the column's type: a string column
// holds a string's text and an object or array as compact JSON text, a
// dynamic column holds the decoded value, datetime columns parse ISO 8601
// text. A member present in properties wins over the envelope field of the
// same column (an audit record's properties.category, "UserManagement",
// fills Category rather than the diagnostic category "AuditLogs"). The few
// members Azure puts elsewhere are listed in rules.go with their sources.
// Columns no member or envelope field fills are null; the Log Analytics
// standard columns (TenantId, Type, SourceSystem, _ResourceId,
// _TimeReceived, ...) are the workspace's own.
//
// The mapping works from the table's schema as the workspace has it, so a
// column added to a table is filled when a record has a member of its name.
package tablemap

import (
	"maps"
	"slices"

	"github.com/idlogs/idlogs/activity"
)

// categoryTables maps each diagnostic-setting category of the Entra blades
// to its table (shared spec categories-and-tables.md; sources:
// learn.microsoft.com/entra/identity/monitoring-health/concept-diagnostic-settings-logs-options
// and learn.microsoft.com/entra/global-secure-access/how-to-sentinel-integration).
var categoryTables = map[string]string{
	activity.AuditLogs:                    "AuditLogs",
	activity.SignInLogs:                   "SigninLogs",
	activity.NonInteractiveUserSignInLogs: "AADNonInteractiveUserSignInLogs",
	activity.ServicePrincipalSignInLogs:   "AADServicePrincipalSignInLogs",
	activity.ManagedIdentitySignInLogs:    "AADManagedIdentitySignInLogs",
	activity.ProvisioningLogs:             "AADProvisioningLogs",
	activity.ADFSSignInLogs:               "ADFSSignInLogs",
	activity.RiskyUsers:                   "AADRiskyUsers",
	activity.UserRiskEvents:               "AADUserRiskEvents",
	activity.NetworkAccessTrafficLogs:     "NetworkAccessTraffic",
	activity.RiskyServicePrincipals:       "AADRiskyServicePrincipals",
	activity.ServicePrincipalRiskEvents:   "AADServicePrincipalRiskEvents",
	activity.EnrichedOffice365AuditLogs:   "EnrichedMicrosoft365AuditLogs",
	activity.MicrosoftGraphActivityLogs:   "MicrosoftGraphActivityLogs",
	activity.RemoteNetworkHealthLogs:      "RemoteNetworkHealthLogs",
	"NetworkAccessAlerts":                 "NetworkAccessAlerts",
	"NetworkAccessConnectionEvents":       "NetworkAccessConnectionEvents",
	// The spec's mapping of this preview category is not confirmed.
	"MicrosoftServicePrincipalSignInLogs":     "AADFirstPartyToFirstPartySignInLogs",
	"AzureADGraphActivityLogs":                "AADGraphActivityLogs",
	"NetworkAccessGenerativeAIInsights":       "NetworkAccessGenerativeAIInsights",
	"RiskyAgents":                             "AADRiskyAgents",
	"AgentRiskEvents":                         "AADAgentRiskEvents",
	activity.B2CRequestLogs:                   "AADB2CRequestLogs",
	activity.CustomSecurityAttributeAuditLogs: "AADCustomSecurityAttributeAuditLogs",
}

// Table returns the Log Analytics table that records of a diagnostic
// category go to, and whether the category is known. Category names are
// matched exactly, as diagnostic settings spell them (SignInLogs goes to
// SigninLogs).
func Table(category string) (table string, ok bool) {
	table, ok = categoryTables[category]
	return table, ok
}

// Categories returns every category Table knows, sorted.
func Categories() []string {
	return slices.Sorted(maps.Keys(categoryTables))
}
