package diagnostics

import (
	"strings"

	"github.com/idlogs/idlogs/activity"
)

// The providers that hold diagnostic settings: the general Entra blade and
// the custom-security-attribute blade. Their literal spelling is the one
// Azure's documentation and clients use; requests match them
// case-insensitively.
const (
	ProviderAADIAM                   = "microsoft.aadiam"
	ProviderCustomSecurityAttributes = "microsoft.AadCustomSecurityAttributesDiagnosticSettings"
)

// Providers lists the providers in a fixed order.
var Providers = []string{ProviderAADIAM, ProviderCustomSecurityAttributes}

// CanonicalProvider returns the provider constant p names, in any case, and
// false for any other provider.
func CanonicalProvider(p string) (string, bool) {
	for _, c := range Providers {
		if strings.EqualFold(p, c) {
			return c, true
		}
	}
	return "", false
}

// DefaultCategories are the categories of the general blade (provider
// microsoft.aadiam) in the order the portal and REST payloads that enable
// everything list them. B2CRequestLogs, sent only by Azure AD B2C tenants, is
// accepted too: Microsoft's Bicep sample for microsoft.aadiam/diagnosticSettings
// names it.
var DefaultCategories = []string{
	activity.AuditLogs,
	activity.SignInLogs,
	activity.NonInteractiveUserSignInLogs,
	activity.ServicePrincipalSignInLogs,
	activity.ManagedIdentitySignInLogs,
	activity.ProvisioningLogs,
	activity.ADFSSignInLogs,
	activity.RiskyUsers,
	activity.UserRiskEvents,
	activity.NetworkAccessTrafficLogs,
	activity.RiskyServicePrincipals,
	activity.ServicePrincipalRiskEvents,
	activity.EnrichedOffice365AuditLogs,
	activity.MicrosoftGraphActivityLogs,
	activity.RemoteNetworkHealthLogs,
	"NetworkAccessAlerts",
	"NetworkAccessConnectionEvents",
	"MicrosoftServicePrincipalSignInLogs",
	"AzureADGraphActivityLogs",
	"NetworkAccessGenerativeAIInsights",
	"RiskyAgents",
	"AgentRiskEvents",
	activity.B2CRequestLogs,
}

// CustomSecurityAttributeCategories are the categories of the
// custom-security-attribute blade.
var CustomSecurityAttributeCategories = []string{activity.CustomSecurityAttributeAuditLogs}

// resourceType returns the ARM type of the settings of provider.
func resourceType(provider string) string { return provider + "/diagnosticSettings" }

// ResourceID returns the ARM id of setting name of provider.
func ResourceID(provider, name string) string {
	return "/providers/" + provider + "/diagnosticSettings/" + name
}
