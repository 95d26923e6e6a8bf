// Package diagapi serves Entra's diagnostic settings ARM API: the settings
// of provider microsoft.aadiam (the general Entra blade) and of
// microsoft.AadCustomSecurityAttributesDiagnosticSettings (custom security
// attribute audit logs), their categories and the provider's operations, in
// Azure's JSON shapes.
//
// Every route runs through api.Server.ARM (an ARM-audience token and an
// api-version) and accepts api-versions 2017-04-01, 2017-04-01-preview and
// 2017-05-01-preview alike. Who may read and write settings is decided by
// the caller's Entra directory roles (the wids claim) or an Azure RBAC role
// at the provider's scope; see authorize.
package diagapi

import (
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/diagnostics"
)

// APIVersions are the api-versions real clients send; they behave the same.
var APIVersions = []string{"2017-04-01", "2017-04-01-preview", "2017-05-01-preview"}

// Handlers serves the diagnostic settings routes.
type Handlers struct {
	// Server authenticates requests and decides Azure RBAC checks.
	Server *api.Server
	// Settings holds the settings.
	Settings *diagnostics.Registry
	// Tenants, when set, gives the settings of the external tenants idlogs
	// mirrors (connectors/mirror): a caller whose token a mirrored tenant
	// issued (tid) reads and writes that tenant's settings, as Azure's
	// settings API acts on the caller's tenant. Other callers get
	// Settings.
	Tenants func(tenantID string) (*diagnostics.Registry, bool)
	// LinkedAllowed reports whether p may attach the Log Analytics
	// workspace workspaceID to a setting; nil means p holds
	// Microsoft.OperationalInsights/workspaces/sharedKeys/action on it
	// (Server.Authz).
	LinkedAllowed func(p *auth.Principal, workspaceID string) bool
}

// handler serves one route of one provider.
type handler func(w http.ResponseWriter, r *http.Request, provider string)

// Register adds the routes of both providers to rt. Literal segments match
// case-insensitively, so microsoft.aadiam, Microsoft.AADIAM and
// Microsoft.Aadiam all reach the same routes.
func (h *Handlers) Register(rt *api.Router) {
	for _, p := range diagnostics.Providers {
		base := "/providers/" + p
		h.handle(rt, http.MethodGet, base+"/diagnosticSettings", p, h.list)
		h.handle(rt, http.MethodGet, base+"/diagnosticSettings/{name}", p, h.get)
		h.handle(rt, http.MethodPut, base+"/diagnosticSettings/{name}", p, h.put)
		h.handle(rt, http.MethodDelete, base+"/diagnosticSettings/{name}", p, h.delete)
		h.handle(rt, http.MethodGet, base+"/diagnosticSettingsCategories", p, h.categories)
		h.handle(rt, http.MethodGet, base+"/operations", p, h.operations)
	}
}

// handle registers f behind Server.ARM and the api-version check.
func (h *Handlers) handle(rt *api.Router, method, pattern, provider string, f handler) {
	rt.Handle(method, pattern, h.Server.ARM(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.URL.Query().Get("api-version"); !slices.Contains(APIVersions, v) {
			// ARM's answer when a provider does not register an
			// api-version for a resource type; the location ARM names
			// for a tenant-level type was not captured.
			apierror.Write(w, apierror.New(http.StatusBadRequest, "NoRegisteredProviderFound",
				"No registered resource provider found for location 'global' and API version '%s' for type '%s'. The supported api-versions are '%s'. The supported locations are ''.",
				v, routeType(pattern), strings.Join(APIVersions, ", ")))
			return
		}
		f(w, r, provider)
	})))
}

// routeType is the resource type a route pattern serves, for errors.
func routeType(pattern string) string {
	segs := strings.Split(strings.Trim(pattern, "/"), "/")
	if len(segs) >= 3 {
		return segs[2]
	}
	return pattern
}

// settings returns the registry of the caller's tenant.
func (h *Handlers) settings(r *http.Request) *diagnostics.Registry {
	if h.Tenants != nil {
		if caller, ok := auth.FromContext(r.Context()); ok {
			if reg, ok := h.Tenants(caller.TenantID); ok {
				return reg
			}
		}
	}
	return h.Settings
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request, p string) {
	if !h.authorize(w, r, p, actionRead) {
		return
	}
	api.WriteJSON(w, http.StatusOK, struct {
		Value []diagnostics.Setting `json:"value"`
	}{h.settings(r).List(p)})
}

func (h *Handlers) get(w http.ResponseWriter, r *http.Request, p string) {
	if !h.authorize(w, r, p, actionRead) {
		return
	}
	name := r.PathValue("name")
	s, ok := h.settings(r).Get(p, name)
	if !ok {
		writeNotFound(w, p, name)
		return
	}
	api.WriteJSON(w, http.StatusOK, s)
}

// writeNotFound answers 404 for an unknown setting. Azure's exact aadiam
// message was not captured; the code is ARM's for a missing resource.
func writeNotFound(w http.ResponseWriter, p, name string) {
	apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound",
		"The diagnostic setting '%s' of provider '%s' was not found.", name, p))
}

func (h *Handlers) put(w http.ResponseWriter, r *http.Request, p string) {
	if !h.authorize(w, r, p, actionWrite) {
		return
	}
	var body diagnostics.Setting
	if !api.ReadJSON(w, r, &body) {
		return
	}
	name := r.PathValue("name")
	caller, _ := auth.FromContext(r.Context())
	if ws := body.Properties.WorkspaceID; ws != nil && diagnostics.IsARMID(*ws) && !h.linkedAllowed(caller, *ws) {
		writeLinkedAuthorizationFailed(w, caller, actionFor(p, actionWrite), diagnostics.ResourceID(p, name), *ws)
		return
	}
	s, err := h.settings(r).Put(p, name, body, initiator(w, r, caller))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// PUT answers 200 for a creation as well: the spec lists no 201.
	api.WriteJSON(w, http.StatusOK, s)
}

func (h *Handlers) delete(w http.ResponseWriter, r *http.Request, p string) {
	if !h.authorize(w, r, p, actionDelete) {
		return
	}
	caller, _ := auth.FromContext(r.Context())
	found, err := h.settings(r).Delete(p, r.PathValue("name"), initiator(w, r, caller))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// ARM's convention: 200 when the resource was deleted, 204 when there
	// was nothing to delete; both with an empty body.
	if found {
		w.WriteHeader(http.StatusOK)
	} else {
		w.WriteHeader(http.StatusNoContent)
	}
}

// fail answers err: Azure's error when it is one, 500 otherwise.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apierror.Error
	if errors.As(err, &ae) {
		apierror.Write(w, ae)
		return
	}
	if h.Server.Logf != nil {
		h.Server.Logf("diagapi: %s %s: %v", r.Method, r.URL.Path, err)
	}
	apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "The diagnostic setting could not be saved; try again."))
}

func (h *Handlers) linkedAllowed(p *auth.Principal, workspaceID string) bool {
	if h.LinkedAllowed != nil {
		return h.LinkedAllowed(p, workspaceID)
	}
	return h.Server.Authz != nil && h.Server.Authz.Allowed(p, authz.ActionSharedKeys, workspaceID)
}

// writeLinkedAuthorizationFailed answers ARM's 403 for a caller who may
// write the setting but not use the workspace it names.
func writeLinkedAuthorizationFailed(w http.ResponseWriter, p *auth.Principal, action, scope, workspaceID string) {
	name, oid := callerNames(p)
	apierror.Write(w, apierror.New(http.StatusForbidden, "LinkedAuthorizationFailed",
		"The client '%s' with object id '%s' has permission to perform action '%s' on scope '%s'; however, it does not have permission to perform action(s) '%s' on the linked scope(s) '%s' (respectively) or the linked scope(s) are invalid.",
		name, oid, action, scope, authz.ActionSharedKeys, workspaceID))
}

func callerNames(p *auth.Principal) (name, oid string) {
	if p == nil {
		return "", ""
	}
	name = p.Name
	if name == "" {
		name = p.ObjectID
	}
	return name, p.ObjectID
}

// initiator returns who makes request r, for the audit record.
func initiator(w http.ResponseWriter, r *http.Request, p *auth.Principal) diagnostics.Initiator {
	ip := r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	return diagnostics.InitiatorOf(p, ip, w.Header().Get("x-ms-correlation-request-id"))
}

// category is one entry of the categories list.
type category struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Properties struct {
		CategoryType string `json:"categoryType"`
	} `json:"properties"`
}

func (h *Handlers) categories(w http.ResponseWriter, r *http.Request, p string) {
	if !h.authorize(w, r, p, actionCategoriesRead) {
		return
	}
	// The spec's example is copied from microsoft.insights; the id and
	// type follow its shape under this provider (literal values
	// unverified).
	out := []category{}
	for _, c := range h.settings(r).Categories(p) {
		e := category{ID: "/providers/" + p + "/diagnosticSettingsCategories/" + c, Name: c, Type: p + "/diagnosticSettingsCategories"}
		e.Properties.CategoryType = "Logs"
		out = append(out, e)
	}
	api.WriteJSON(w, http.StatusOK, struct {
		Value []category `json:"value"`
	}{out})
}
