package diagapi

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/diagnostics"
)

// Template ids of the Entra directory roles (claim wids) that manage or
// read diagnostic settings.
const (
	RoleGlobalAdministrator       = "62e90394-69f5-4237-9190-012177145e10"
	RoleSecurityAdministrator     = "194ae4cb-b126-40b2-bd5b-6091b380977d"
	RoleSecurityReader            = "5d6b6bb7-de71-4623-b4af-96380a352509"
	RoleReportsReader             = "4a5d8f65-41da-4de4-8968-e035b65339cf"
	RoleGlobalReader              = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
	RoleAttributeLogAdministrator = "5b784334-f94b-471a-a387-e7219fc49ca2"
)

// access is what a route does to settings.
type access int

const (
	actionRead access = iota
	actionCategoriesRead
	actionWrite
	actionDelete
)

// actionFor returns the Azure RBAC action of a on provider p's settings.
func actionFor(p string, a access) string {
	switch a {
	case actionCategoriesRead:
		return p + "/diagnosticSettingsCategories/read"
	case actionWrite:
		return p + "/diagnosticSettings/write"
	case actionDelete:
		return p + "/diagnosticSettings/delete"
	default:
		return p + "/diagnosticSettings/read"
	}
}

// providerScope is the ARM scope of a provider's settings, where automation
// is given an Azure role (commonly Contributor at /providers/Microsoft.aadiam).
func providerScope(p string) string {
	if p == diagnostics.ProviderAADIAM {
		return "/providers/Microsoft.aadiam"
	}
	return "/providers/" + p
}

// Directory roles that grant each kind of access to the general blade:
// Security Administrator manages settings (Global Administrator is its
// superset); Security Reader, Reports Reader and Global Reader read them.
var (
	generalWriters = []string{RoleSecurityAdministrator, RoleGlobalAdministrator}
	generalReaders = []string{RoleSecurityReader, RoleReportsReader, RoleGlobalReader, RoleSecurityAdministrator, RoleGlobalAdministrator}
)

// authorize reports whether the caller may do a on provider p's settings
// and otherwise answers 403 AuthorizationFailed.
//
// General blade: an Entra directory role from the lists above, or an Azure
// RBAC role granting the action at /providers/Microsoft.aadiam.
// Custom-security-attribute blade: only Attribute Log Administrator; Global
// Administrator does not hold custom security attribute permissions by
// default, and no Azure role is documented for this provider.
func (h *Handlers) authorize(w http.ResponseWriter, r *http.Request, p string, a access) bool {
	caller, _ := auth.FromContext(r.Context())
	action := actionFor(p, a)
	if p == diagnostics.ProviderCustomSecurityAttributes {
		if hasRole(caller, RoleAttributeLogAdministrator) {
			return true
		}
		writeAuthorizationFailed(w, caller, action, providerScope(p))
		return false
	}
	roles := generalReaders
	if a == actionWrite || a == actionDelete {
		roles = generalWriters
	}
	if hasRole(caller, roles...) {
		return true
	}
	return h.Server.Allowed(w, r, action, providerScope(p))
}

// DirectoryMayRead reports whether p's Entra directory roles let it read
// the diagnostic settings of provider (diagnostics.ProviderAADIAM or
// diagnostics.ProviderCustomSecurityAttributes, in any case), as the
// settings routes decide it before trying Azure RBAC.
func DirectoryMayRead(p *auth.Principal, provider string) bool {
	if strings.EqualFold(provider, diagnostics.ProviderCustomSecurityAttributes) {
		return hasRole(p, RoleAttributeLogAdministrator)
	}
	return hasRole(p, generalReaders...)
}

// hasRole reports whether p holds one of the directory roles ids.
func hasRole(p *auth.Principal, ids ...string) bool {
	if p == nil {
		return false
	}
	for _, have := range p.DirectoryRoles {
		for _, want := range ids {
			if strings.EqualFold(have, want) {
				return true
			}
		}
	}
	return false
}

// writeAuthorizationFailed answers ARM's 403 in the words api.Server.Allowed
// uses.
func writeAuthorizationFailed(w http.ResponseWriter, p *auth.Principal, action, scope string) {
	oid := ""
	if p != nil {
		oid = p.ObjectID
	}
	apierror.Write(w, apierror.New(http.StatusForbidden, "AuthorizationFailed",
		"The client '%s' with object id '%s' does not have authorization to perform action '%s' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
		oid, oid, action, scope))
}
