package tablemap

// The exceptions to the generic rule (a properties member fills the column
// of its own name, case aside), as data. Each sends a member to other
// columns of some tables; a target the table lacks is skipped, and a member
// whose targets are all missing is dropped rather than given to the column
// of its own name.
//
// Sources: the Entra Azure Monitor sign-in log schema
// (learn.microsoft.com/entra/identity/monitoring-health/reference-azure-monitor-sign-ins-log-schema)
// and the Azure Monitor table reference (azure-monitor-ref/tables in
// MicrosoftDocs/azure-reference-other) for column names and types; Microsoft's
// sample queries (azure-monitor-ref/queries/aadprovisioninglogs.md: Action,
// ResultType == "Success", SourceIdentity as JSON text with Graph's camelCase
// keys); a real AuditLogs row quoted in a public Wazuh integration script
// (SourceSystem "Azure AD", Resource and ResourceGroup "Microsoft.aadiam",
// ResourceId "/tenants/{tenant}/providers/Microsoft.aadiam", Level "4",
// Category "GroupManagement" from properties.category, AADOperationType
// from properties.operationType, InitiatedBy/TargetResources/
// AdditionalDetails as JSON); the shared spec ingestion-apis.md §(d).

// rule sends the member key of properties to columns.
type rule struct {
	tables  []string
	key     string
	columns []string
}

// signInTables are the tables of the sign-in categories; they share the
// Graph signIn resource as properties.
var signInTables = []string{
	"SigninLogs", "AADNonInteractiveUserSignInLogs", "AADServicePrincipalSignInLogs",
	"AADManagedIdentitySignInLogs", "ADFSSignInLogs", "AADFirstPartyToFirstPartySignInLogs",
}

var auditTables = []string{"AuditLogs", "AADCustomSecurityAttributeAuditLogs"}

// anyTable marks a rule for every table.
var anyTable = []string{"*"}

var rules = []rule{
	// The Entra tenant of the record; TenantId is the workspace's.
	{anyTable, "tenantId", []string{"AADTenantId"}},

	// signIn.location is the geo object; Location is the envelope's
	// country code.
	{signInTables, "location", []string{"LocationDetails"}},
	// ConditionalAccessPoliciesV2 (dynamic) sits beside the string column
	// on AADManagedIdentitySignInLogs (Sentinel validation schema); that it
	// holds the same policies is unverified.
	{signInTables, "appliedConditionalAccessPolicies", []string{"ConditionalAccessPolicies", "ConditionalAccessPoliciesV2"}},
	// SigninLogs keeps Graph's name; the other sign-in tables shorten it.
	{signInTables, "processingTimeInMilliseconds", []string{"ProcessingTimeInMilliseconds", "ProcessingTimeInMs"}},
	// signIn.resourceId is the application id of the resource signed in
	// to; ResourceId is the envelope's Azure resource id.
	{signInTables, "resourceId", []string{"ResourceIdentity"}},

	// directoryAudit.operationType (Add, Update, Delete, Assign, ...).
	{auditTables, "operationType", []string{"AADOperationType"}},

	// provisioningObjectSummary: the table carries the old and the new
	// column names, both filled (Microsoft's sample queries use Action).
	{[]string{"AADProvisioningLogs"}, "provisioningAction", []string{"ProvisioningAction", "Action"}},
	{[]string{"AADProvisioningLogs"}, "provisioningStatusInfo", []string{"ProvisioningStatusInfo", "StatusInfo"}},
	{[]string{"AADProvisioningLogs"}, "durationInMilliseconds", []string{"DurationMs"}},
	// riskyServicePrincipal.isEnabled; that AccountEnabled holds it is
	// unverified (no other member fits the column).
	{[]string{"AADRiskyServicePrincipals"}, "isEnabled", []string{"AccountEnabled"}},

	// provisioningObjectSummary.sourceSystem has no column of its own (the
	// table's SourceSystem is the standard one); where Azure puts it is
	// unverified, so it is dropped.
	{[]string{"AADProvisioningLogs"}, "sourceSystem", nil},
}

// envField is an envelope field of activity.Record.
type envField uint8

const (
	envNone envField = iota
	envOperationName
	envOperationVersion
	envCategory
	envResultType
	envResultSignature
	envResultDescription
	envDurationMs
	envCorrelationID
	envIdentity
	envLevel
	envLocation
	envCallerIP
	envTenantID
	envResourceID
	// envAADIAM is the constant "Microsoft.aadiam" of the resource columns.
	envAADIAM
)

// envelopeColumns are the columns (matched without regard to case) the
// envelope fills when no properties member does.
var envelopeColumns = map[string]envField{
	"operationname":     envOperationName,
	"operationversion":  envOperationVersion,
	"category":          envCategory,
	"resulttype":        envResultType,
	"resultsignature":   envResultSignature,
	"resultdescription": envResultDescription,
	"durationms":        envDurationMs,
	"correlationid":     envCorrelationID,
	"identity":          envIdentity,
	"level":             envLevel,
	"location":          envLocation,
	"ipaddress":         envCallerIP,
	"calleripaddress":   envCallerIP,
	"aadtenantid":       envTenantID,
	"resourceid":        envResourceID,
	// Seen as "Microsoft.aadiam" in real AuditLogs rows (Resource,
	// ResourceGroup); ResourceProvider is assumed to follow.
	"resource":         envAADIAM,
	"resourcegroup":    envAADIAM,
	"resourceprovider": envAADIAM,
}

// fixedField is a standard column the workspace fills whatever the record
// holds.
type fixedField uint8

const (
	fixedNone fixedField = iota
	fixedTimeGenerated
	fixedWorkspace
	fixedType
	fixedSourceSystem
	fixedResourceID
	fixedSubscriptionID
	fixedTimeReceived
	fixedItemID
	fixedBilledSize
	fixedIsBillable
)

// fixedColumns are the standard columns, by exact name.
var fixedColumns = map[string]fixedField{
	"TimeGenerated":   fixedTimeGenerated,
	"TenantId":        fixedWorkspace,
	"Type":            fixedType,
	"SourceSystem":    fixedSourceSystem,
	"_ResourceId":     fixedResourceID,
	"_SubscriptionId": fixedSubscriptionID,
	"_TimeReceived":   fixedTimeReceived,
	"_ItemId":         fixedItemID,
	"_BilledSize":     fixedBilledSize,
	"_IsBillable":     fixedIsBillable,
}

// sourceSystem is the SourceSystem of every Entra table's rows (seen in
// real AuditLogs rows; assumed for the other Entra tables).
const sourceSystem = "Azure AD"
