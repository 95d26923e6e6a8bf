package graphapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/tenant"
)

// The roles that read and dismiss user risk, as Entra documents them for
// the riskyUsers and riskDetections APIs.
var (
	riskReadRoles = []string{
		tenant.RoleGlobalAdministrator, tenant.RoleSecurityAdministrator, tenant.RoleSecurityReader, tenant.RoleGlobalReader,
	}
	riskWriteRoles = []string{tenant.RoleGlobalAdministrator, tenant.RoleSecurityAdministrator}
)

// maxDismiss is the number of users one dismiss request may name: Graph's
// documented limit of 60.
const maxDismiss = 60

// registerIdentityProtection adds the identityProtection routes:
//
//	GET  /v1.0/identityProtection/riskyUsers          $orderby riskLastUpdatedDateTime
//	GET  /v1.0/identityProtection/riskyUsers/{id}
//	POST /v1.0/identityProtection/riskyUsers/dismiss  {"userIds": [...]} → 204
//	GET  /v1.0/identityProtection/riskDetections      $orderby detectedDateTime, activityDateTime or lastUpdatedDateTime
//	GET  /v1.0/identityProtection/riskDetections/{id}
//
// The lists take $filter on any property (see filter), $top and
// @odata.nextLink paging, newest first unless $orderby says asc. Besides
// the directory roles, applications holding Graph's application
// permissions (IdentityRiskyUser.Read.All, IdentityRiskEvent.Read.All;
// IdentityRiskyUser.ReadWrite.All to dismiss) may call them.
//
// What a tenant below P2 sees is limited as in its logs: levels hidden,
// premium detections generic.
func (h *Handlers) registerIdentityProtection(rt *api.Router) {
	handle := func(method, pattern string, appRoles, roles []string, f func(w http.ResponseWriter, r *http.Request, by tenant.Initiator)) {
		rt.Handle(method, pattern, h.Server.Authenticate(api.AudienceGraph, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if by, ok := h.authorizeApp(w, r, appRoles, roles); ok {
				f(w, r, by)
			}
		})))
	}
	const base = "/v1.0/identityProtection"
	handle(http.MethodGet, base+"/riskyUsers", riskyUserAppRoles, riskReadRoles, h.listRiskyUsers)
	handle(http.MethodPost, base+"/riskyUsers/dismiss", riskyUserAppRoles[1:], riskWriteRoles, h.dismissRiskyUsers)
	handle(http.MethodGet, base+"/riskyUsers/{id}", riskyUserAppRoles, riskReadRoles, h.getRiskyUser)
	handle(http.MethodGet, base+"/riskDetections", riskEventAppRoles, riskReadRoles, h.listRiskDetections)
	handle(http.MethodGet, base+"/riskDetections/{id}", riskEventAppRoles, riskReadRoles, h.getRiskDetection)
}

func (h *Handlers) riskyUsers(w http.ResponseWriter, r *http.Request) ([]map[string]any, bool) {
	users, err := h.Risk.RiskyUsers()
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	lic := h.Dir.License()
	out := make([]map[string]any, len(users))
	for i, u := range users {
		out[i] = u.As(lic).Properties()
	}
	return out, true
}

func (h *Handlers) riskDetections(w http.ResponseWriter, r *http.Request) ([]map[string]any, bool) {
	dets, err := h.Risk.Detections()
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	lic := h.Dir.License()
	out := make([]map[string]any, len(dets))
	for i, d := range dets {
		out[i] = d.As(lic).Properties()
	}
	return out, true
}

func (h *Handlers) listRiskyUsers(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	if items, ok := h.riskyUsers(w, r); ok {
		h.listMemory(w, r, "identityProtection/riskyUsers", []string{"riskLastUpdatedDateTime"}, items)
	}
}

func (h *Handlers) getRiskyUser(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	h.getRisk(w, r, "identityProtection/riskyUsers", "riskyUser", h.riskyUsers)
}

func (h *Handlers) listRiskDetections(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	if items, ok := h.riskDetections(w, r); ok {
		h.listMemory(w, r, "identityProtection/riskDetections", []string{"detectedDateTime", "activityDateTime", "lastUpdatedDateTime"}, items)
	}
}

func (h *Handlers) getRiskDetection(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	h.getRisk(w, r, "identityProtection/riskDetections", "riskDetection", h.riskDetections)
}

func (h *Handlers) getRisk(w http.ResponseWriter, r *http.Request, set, kind string,
	list func(http.ResponseWriter, *http.Request) ([]map[string]any, bool)) {
	items, ok := list(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	for _, m := range items {
		if v, _ := m["id"].(string); strings.EqualFold(v, id) {
			entity(w, http.StatusOK, set, project(m, selected(r.URL.Query().Get("$select"))))
			return
		}
	}
	h.writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' of type '"+kind+"' does not exist.")
}

// dismissRiskyUsers dismisses the risk of the users named, answering 204
// as Graph does, and emits the changed users and detections to Activity.
func (h *Handlers) dismissRiskyUsers(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	var body struct {
		UserIDs []string `json:"userIds"`
	}
	if !h.readBody(w, r, &body) {
		return
	}
	if len(body.UserIDs) == 0 || len(body.UserIDs) > maxDismiss {
		h.writeError(w, r, http.StatusBadRequest, "BadRequest", "userIds must name between 1 and 60 users.")
		return
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	res, err := h.Risk.Dismiss(body.UserIDs, now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if h.Activity != nil {
		if err := h.Activity.Emit(context.WithoutCancel(r.Context()), res.Records(h.Dir.TenantID(), h.Dir.License())...); err != nil && h.Server.Logf != nil {
			h.Server.Logf("graph: records of the risk dismissed by %s: %v", by.DisplayName, err)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
