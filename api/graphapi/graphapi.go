// Package graphapi serves the directory's admin API in Microsoft Graph's
// shape (v1.0): users, groups and their members, applications and their
// secrets, service principals, directory role assignments and
// definitions, and identity protection's risky users and detections.
//
// Every route needs a token for https://graph.microsoft.com from this
// tenant. What the caller may do is decided by the directory roles in the
// token's wids claim, as Entra decides it for admin APIs: reads need an
// administrator or reader role, writes Global Administrator (role
// assignments also Privileged Role Administrator); anyone else gets 403
// Authorization_RequestDenied. Every change goes through the directory,
// which records it in the audit log with the caller as initiator.
package graphapi

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/reports"
	"github.com/idlogs/idlogs/tenant/risk"
)

// Handlers serves the Graph routes of one directory.
type Handlers struct {
	// Server authenticates requests (its Tokens verify the bearer token).
	Server *api.Server
	// Dir is the directory the routes read and change.
	Dir *tenant.Directory
	// TrustForwardedFor takes the caller's address, for audit records, from
	// the first X-Forwarded-For entry (behind a reverse proxy).
	TrustForwardedFor bool
	// Now is the clock of error timestamps; nil means time.Now.
	Now func() time.Time
	// Risk, when set, serves identityProtection's risky users and risk
	// detections (see identityprotection.go).
	Risk *risk.Engine
	// Activity receives the RiskyUsers and UserRiskEvents records of a
	// dismissal; nil records nothing.
	Activity activity.Sink
	// Reports, when set, serves the activity reports under /auditLogs
	// (see auditlogs.go).
	Reports *reports.Store
	// BaseURL returns the https base URL of @odata.nextLink links for a
	// request; nil means https:// and the request's host.
	BaseURL func(r *http.Request) string
}

// contextBase starts every @odata.context, as Graph writes them.
const contextBase = "https://graph.microsoft.com/v1.0/$metadata#"

// Register adds the Graph routes to rt.
func (h *Handlers) Register(rt *api.Router) {
	handle := func(method, pattern string, write bool, f func(w http.ResponseWriter, r *http.Request, by tenant.Initiator)) {
		rt.Handle(method, pattern, h.Server.Authenticate(api.AudienceGraph, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			by, ok := h.authorize(w, r, write, strings.Contains(pattern, "roleAssignments"))
			if ok {
				f(w, r, by)
			}
		})))
	}
	const users, groups = "/v1.0/users", "/v1.0/groups"
	handle(http.MethodGet, users, false, h.listUsers)
	handle(http.MethodPost, users, true, h.createUser)
	handle(http.MethodGet, users+"/{id}", false, h.getUser)
	handle(http.MethodPatch, users+"/{id}", true, h.updateUser)
	handle(http.MethodDelete, users+"/{id}", true, h.deleteUser)
	handle(http.MethodGet, groups, false, h.listGroups)
	handle(http.MethodPost, groups, true, h.createGroup)
	handle(http.MethodGet, groups+"/{id}", false, h.getGroup)
	handle(http.MethodDelete, groups+"/{id}", true, h.deleteGroup)
	handle(http.MethodGet, groups+"/{id}/members", false, h.listMembers)
	handle(http.MethodPost, groups+"/{id}/members/$ref", true, h.addMember)
	handle(http.MethodDelete, groups+"/{id}/members/{member}/$ref", true, h.removeMember)
	handle(http.MethodGet, "/v1.0/servicePrincipals", false, h.listServicePrincipals)
	handle(http.MethodGet, "/v1.0/servicePrincipals/{id}", false, h.getServicePrincipal)
	handle(http.MethodGet, "/v1.0/applications", false, h.listApplications)
	handle(http.MethodPost, "/v1.0/applications", true, h.createApplication)
	handle(http.MethodGet, "/v1.0/applications/{id}", false, h.getApplication)
	handle(http.MethodPatch, "/v1.0/applications/{id}", true, h.updateApplication)
	handle(http.MethodPost, "/v1.0/applications/{id}/addPassword", true, h.addPassword)
	const roles = "/v1.0/roleManagement/directory"
	handle(http.MethodGet, roles+"/roleAssignments", false, h.listRoleAssignments)
	handle(http.MethodPost, roles+"/roleAssignments", true, h.createRoleAssignment)
	handle(http.MethodGet, roles+"/roleAssignments/{id}", false, h.getRoleAssignment)
	handle(http.MethodDelete, roles+"/roleAssignments/{id}", true, h.deleteRoleAssignment)
	handle(http.MethodGet, roles+"/roleDefinitions", false, h.listRoleDefinitions)
	handle(http.MethodGet, roles+"/roleDefinitions/{id}", false, h.getRoleDefinition)
	if h.Risk != nil {
		h.registerIdentityProtection(rt)
	}
	h.registerAuditLogs(rt)
}

// readRoles may read the directory; writeRoles may change it.
var (
	readRoles = []string{
		tenant.RoleGlobalAdministrator, tenant.RolePrivilegedRoleAdministrator, tenant.RoleSecurityAdministrator,
		tenant.RoleSecurityReader, tenant.RoleReportsReader, tenant.RoleGlobalReader, tenant.RoleAttributeLogAdministrator,
	}
	writeRoles     = []string{tenant.RoleGlobalAdministrator}
	roleAdminRoles = []string{tenant.RoleGlobalAdministrator, tenant.RolePrivilegedRoleAdministrator}
)

// authorize checks the caller's directory roles for a read or a write and
// returns the caller as the initiator of the changes it asks for. A token
// of another tenant (a trusted external issuer) holds no roles here.
func (h *Handlers) authorize(w http.ResponseWriter, r *http.Request, write, roleAssignment bool) (tenant.Initiator, bool) {
	need := readRoles
	switch {
	case write && roleAssignment:
		need = roleAdminRoles
	case write:
		need = writeRoles
	}
	return h.authorizeRoles(w, r, need)
}

// authorizeRoles checks that the caller holds one of the roles need.
func (h *Handlers) authorizeRoles(w http.ResponseWriter, r *http.Request, need []string) (tenant.Initiator, bool) {
	p, _ := auth.FromContext(r.Context())
	corr := r.Header.Get("client-request-id")
	if corr == "" || len(corr) > 64 {
		corr = tenant.NewGUID()
	}
	w.Header().Set("client-request-id", corr)
	w.Header().Set("request-id", corr)
	if p == nil || p.TenantID != h.Dir.TenantID() || !slices.ContainsFunc(p.DirectoryRoles, func(id string) bool {
		return slices.Contains(need, strings.ToLower(id))
	}) {
		h.writeError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return tenant.Initiator{}, false
	}
	by := tenant.InitiatorOf(p, h.clientIP(r), corr)
	if !p.App {
		if u, err := h.Dir.User(p.ObjectID); err == nil {
			by.UserPrincipalName, by.DisplayName = u.UserPrincipalName, u.DisplayName
		}
	}
	return by, true
}

func (h *Handlers) clientIP(r *http.Request) string {
	if h.TrustForwardedFor {
		if first, _, _ := strings.Cut(r.Header.Get("X-Forwarded-For"), ","); net.ParseIP(strings.TrimSpace(first)) != nil {
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// graphError is Graph's error envelope.
type graphError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

func (h *Handlers) writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	var e graphError
	e.Error.Code, e.Error.Message = code, message
	e.Error.InnerError.Date = now().UTC().Format("2006-01-02T15:04:05")
	e.Error.InnerError.RequestID = w.Header().Get("request-id")
	e.Error.InnerError.ClientRequestID = w.Header().Get("client-request-id")
	api.WriteJSON(w, status, e)
}

// fail answers a directory error with Graph's code for it.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, tenant.ErrNotFound):
		h.writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound", strings.TrimPrefix(err.Error(), "tenant: ")+".")
	case errors.Is(err, tenant.ErrExists):
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest",
			"A conflicting object with one or more of the specified property values is present in the directory: "+strings.TrimPrefix(err.Error(), "tenant: ")+".")
	case errors.Is(err, tenant.ErrInvalid):
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", strings.TrimPrefix(err.Error(), "tenant: ")+".")
	default:
		if h.Server.Logf != nil {
			h.Server.Logf("graph: %s %s: %v", r.Method, r.URL.Path, err)
		}
		h.writeError(w, r, http.StatusInternalServerError, "InternalServerError", "The directory could not complete the request.")
	}
}

// maxBody bounds a request body.
const maxBody = 1 << 20

// readBody decodes a JSON body into v, answering 400 when it is not one.
func (h *Handlers) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		h.writeError(w, r, http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload: "+err.Error())
		return false
	}
	return true
}

// entity writes one object with its @odata.context.
func entity(w http.ResponseWriter, status int, set string, v any) {
	m := toMap(v)
	m["@odata.context"] = contextBase + set + "/$entity"
	api.WriteJSON(w, status, m)
}

// collection writes a list as Graph does: {"@odata.context", "value"},
// honouring $top and $select.
func (h *Handlers) collection(w http.ResponseWriter, r *http.Request, set string, items []any) {
	q := r.URL.Query()
	if t := q.Get("$top"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > 999 {
			h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid page size specified: '"+t+"'. Must be between 1 and 999 inclusive.")
			return
		}
		if len(items) > n {
			items = items[:n]
		}
	}
	sel := selected(q.Get("$select"))
	value := make([]map[string]any, len(items))
	for i, it := range items {
		value[i] = project(toMap(it), sel)
	}
	api.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": contextBase + set, "value": value})
}

func selected(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// project keeps the $select-ed properties (matched without regard to
// case, as Graph does) of m; no selection keeps all.
func project(m map[string]any, sel []string) map[string]any {
	if len(sel) == 0 {
		return m
	}
	out := map[string]any{}
	for k, v := range m {
		for _, s := range sel {
			if strings.EqualFold(k, s) {
				out[k] = v
			}
		}
	}
	return out
}

func toMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// eqFilter reads a $filter of the one form the routes serve:
// "<property> eq '<value>'", the property being one of allowed.
func (h *Handlers) eqFilter(w http.ResponseWriter, r *http.Request, resource string, allowed ...string) (prop, value string, ok bool) {
	f := strings.TrimSpace(r.URL.Query().Get("$filter"))
	if f == "" {
		return "", "", true
	}
	left, right, found := strings.Cut(f, " eq ")
	left, right = strings.TrimSpace(left), strings.TrimSpace(right)
	if !found || len(right) < 2 || right[0] != '\'' || right[len(right)-1] != '\'' {
		h.writeError(w, r, http.StatusBadRequest, "BadRequest", "Invalid filter clause: idlogs supports only \"<property> eq '<value>'\", not '"+f+"'.")
		return "", "", false
	}
	for _, a := range allowed {
		if strings.EqualFold(a, left) {
			return a, strings.ReplaceAll(right[1:len(right)-1], "''", "'"), true
		}
	}
	h.writeError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery",
		"Unsupported or invalid query filter clause specified for property '"+left+"' of resource '"+resource+"'.")
	return "", "", false
}

// objectID is the id a directory object reference names: the last segment
// of an @odata.id such as https://graph.microsoft.com/v1.0/directoryObjects/{id}.
func objectID(ref string) string {
	ref = strings.TrimRight(ref, "/")
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		ref = ref[i+1:]
	}
	if strings.HasPrefix(ref, "directoryObjects('") || strings.HasPrefix(ref, "users('") {
		_, ref, _ = strings.Cut(ref, "('")
		ref = strings.TrimSuffix(ref, "')")
	}
	return ref
}
