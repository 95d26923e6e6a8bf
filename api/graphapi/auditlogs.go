package graphapi

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/reports"
)

// auditRoles may read the audit log reports: the roles Graph documents for
// signIns, directoryAudits and provisioning (Security Operator, which
// idlogs does not have, aside), and Global Administrator.
var auditRoles = []string{
	tenant.RoleGlobalAdministrator, tenant.RoleSecurityAdministrator, tenant.RoleSecurityReader,
	tenant.RoleReportsReader, tenant.RoleGlobalReader,
}

// The application permissions (app roles of Microsoft Graph) that let an
// application read the reports without a directory role.
var (
	auditAppRoles     = []string{"AuditLog.Read.All"}
	riskyUserAppRoles = []string{"IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All"}
	riskEventAppRoles = []string{"IdentityRiskEvent.Read.All"}
)

// Page sizes of the report lists: $top may ask for 1 to maxPage items; a
// request without $top gets defaultPage.
const (
	defaultPage = 1000
	maxPage     = 1000
)

// report is one /auditLogs collection.
type report struct {
	feed reports.Feed
	// timeProp is the resource's time property: $filter and $orderby
	// take it.
	timeProp string
	// kind is the resource type, for error messages.
	kind string
}

var auditReports = []report{
	{reports.SignIns, "createdDateTime", "signIn"},
	{reports.DirectoryAudits, "activityDateTime", "directoryAudit"},
	{reports.Provisioning, "activityDateTime", "provisioningObjectSummary"},
}

// registerAuditLogs adds the report routes, on v1.0 and beta:
//
//	GET /{version}/auditLogs/signIns          $filter on createdDateTime, signInEventTypes/any(...) and other properties
//	GET /{version}/auditLogs/directoryAudits  $filter on activityDateTime and other properties
//	GET /{version}/auditLogs/provisioning     $filter on activityDateTime and other properties
//	GET /{version}/auditLogs/{collection}/{id}
//
// each with $top, $orderby on the time property (desc by default, as
// Graph lists reports newest first), $select and @odata.nextLink paging.
//
// signIns lists interactive sign-ins unless the filter names other event
// types with signInEventTypes/any(t: t eq '...'), the form Graph's beta
// endpoint documents; idlogs accepts it on v1.0 too, and beta resources
// carry signInEventTypes.
func (h *Handlers) registerAuditLogs(rt *api.Router) {
	for _, version := range []string{"v1.0", "beta"} {
		for _, rep := range auditReports {
			rt.Handle(http.MethodGet, "/"+version+"/auditLogs/"+string(rep.feed), h.Server.Authenticate(api.AudienceGraph, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if _, ok := h.authorizeApp(w, r, auditAppRoles, auditRoles); ok {
					h.listReport(w, r, rep, version)
				}
			})))
			rt.Handle(http.MethodGet, "/"+version+"/auditLogs/"+string(rep.feed)+"/{id}", h.Server.Authenticate(api.AudienceGraph, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if _, ok := h.authorizeApp(w, r, auditAppRoles, auditRoles); ok {
					h.getReport(w, r, rep, version)
				}
			})))
		}
	}
}

// authorizeApp admits an application of this tenant holding one of the
// application permissions appRoles, else a caller holding one of the
// directory roles.
func (h *Handlers) authorizeApp(w http.ResponseWriter, r *http.Request, appRoles, roles []string) (tenant.Initiator, bool) {
	if p, _ := auth.FromContext(r.Context()); p != nil && p.App && p.TenantID == h.Dir.TenantID() &&
		slices.ContainsFunc(p.Roles, func(role string) bool { return containsFold(appRoles, role) }) {
		corr := r.Header.Get("client-request-id")
		if corr == "" || len(corr) > 64 {
			corr = tenant.NewGUID()
		}
		w.Header().Set("client-request-id", corr)
		w.Header().Set("request-id", corr)
		return tenant.InitiatorOf(p, h.clientIP(r), corr), true
	}
	return h.authorizeRoles(w, r, roles)
}

// listQuery is what a list request asks for beyond its filter.
type listQuery struct {
	filter *filter
	// orderBy is the time property the list is ordered by.
	orderBy string
	desc    bool
	top     int
	after   *reports.Key
	sel     []string
}

// parseList reads $filter, $orderby (on one of timeProps, the first by
// default), $top and $skiptoken, answering 400 when one cannot be served.
func (h *Handlers) parseList(w http.ResponseWriter, r *http.Request, timeProps []string, defaultTop int) (*listQuery, bool) {
	q := r.URL.Query()
	lq := &listQuery{orderBy: timeProps[0], desc: true, top: defaultTop, sel: selected(q.Get("$select"))}
	var err error
	if lq.filter, err = parseFilter(strings.TrimSpace(q.Get("$filter"))); err != nil {
		h.writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
		return nil, false
	}
	if o := strings.Fields(q.Get("$orderby")); len(o) > 0 {
		i := slices.IndexFunc(timeProps, func(p string) bool { return strings.EqualFold(p, o[0]) })
		if len(o) > 2 || i < 0 || len(o) == 2 && !strings.EqualFold(o[1], "asc") && !strings.EqualFold(o[1], "desc") {
			h.writeError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery",
				"Unsupported $orderby '"+q.Get("$orderby")+"': idlogs orders this list by "+strings.Join(timeProps, ", ")+" (asc or desc) only.")
			return nil, false
		}
		lq.orderBy, lq.desc = timeProps[i], len(o) == 2 && strings.EqualFold(o[1], "desc")
	}
	if t := q.Get("$top"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > maxPage {
			h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid page size specified: '"+t+"'. Must be between 1 and "+strconv.Itoa(maxPage)+" inclusive.")
			return nil, false
		}
		lq.top = n
	}
	if s := q.Get("$skiptoken"); s != "" {
		k, ok := decodeSkipToken(s)
		if !ok {
			h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "The $skiptoken '"+s+"' is not one this list gave out.")
			return nil, false
		}
		lq.after = &k
	}
	return lq, true
}

// The skip token is the position of a page's last item: its time in
// ticks and its id. It keeps no state on the server, so a token stays good
// across restarts.
func encodeSkipToken(k reports.Key) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(k.Time, 10) + "." + k.ID))
}

func decodeSkipToken(s string) (reports.Key, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return reports.Key{}, false
	}
	ts, id, ok := strings.Cut(string(b), ".")
	t, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return reports.Key{}, false
	}
	return reports.Key{Time: t, ID: id}, true
}

// nextLink is the URL of the page after last: the request's own URL with
// $skiptoken replaced.
func (h *Handlers) nextLink(r *http.Request, last reports.Key) string {
	base := "https://" + r.Host
	if h.BaseURL != nil {
		base = h.BaseURL(r)
	}
	q := r.URL.Query()
	q.Set("$skiptoken", encodeSkipToken(last))
	return strings.TrimRight(base, "/") + r.URL.Path + "?" + odataQuery(q)
}

// odataQuery encodes q keeping the $ of OData's options readable, as
// Graph's own links do.
func odataQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "%24", "$")
}

func (h *Handlers) listReport(w http.ResponseWriter, r *http.Request, rep report, version string) {
	if h.Reports == nil {
		h.writeError(w, r, http.StatusNotImplemented, "NotImplemented", "This server keeps no activity reports.")
		return
	}
	lq, ok := h.parseList(w, r, []string{rep.timeProp}, defaultPage)
	if !ok {
		return
	}
	f := lq.filter
	lo, hi, err := f.timeRange(rep.timeProp)
	if err != nil {
		h.writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	rq := reports.Query{Min: lo, Max: hi, Desc: lq.desc, After: lq.after, Limit: lq.top}
	switch {
	case rep.feed == reports.SignIns && f.kinds == nil:
		rq.Kinds = []string{reports.InteractiveUser}
	case rep.feed == reports.SignIns:
		rq.Kinds = f.kinds
	case f.kinds != nil:
		h.writeError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery",
			"Unsupported or invalid query filter clause specified for property 'signInEventTypes' of resource '"+rep.kind+"'.")
		return
	}
	if len(f.conds) > 0 {
		rq.Match = func(it *reports.Item) bool {
			var m map[string]any
			return json.Unmarshal(it.Properties, &m) == nil && f.match(m)
		}
	}
	var page reports.Page
	if rq.Kinds == nil || len(rq.Kinds) > 0 {
		if page, err = h.Reports.Query(rep.feed, rq); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	value := make([]json.RawMessage, len(page.Items))
	for i := range page.Items {
		value[i] = h.resource(&page.Items[i], lq.sel, version == "beta" && rep.feed == reports.SignIns)
	}
	body := map[string]any{"@odata.context": "https://graph.microsoft.com/" + version + "/$metadata#auditLogs/" + string(rep.feed), "value": value}
	if page.More {
		body["@odata.nextLink"] = h.nextLink(r, page.Items[len(page.Items)-1].Key())
	}
	api.WriteJSON(w, http.StatusOK, body)
}

func (h *Handlers) getReport(w http.ResponseWriter, r *http.Request, rep report, version string) {
	if h.Reports == nil {
		h.writeError(w, r, http.StatusNotImplemented, "NotImplemented", "This server keeps no activity reports.")
		return
	}
	id := r.PathValue("id")
	it, ok, err := h.Reports.Get(rep.feed, id)
	switch {
	case err != nil:
		h.fail(w, r, err)
		return
	case !ok:
		h.writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' of type '"+rep.kind+"' does not exist.")
		return
	}
	var m map[string]any
	if err := json.Unmarshal(h.resource(&it, selected(r.URL.Query().Get("$select")), version == "beta" && rep.feed == reports.SignIns), &m); err != nil {
		h.fail(w, r, err)
		return
	}
	m["@odata.context"] = "https://graph.microsoft.com/" + version + "/$metadata#auditLogs/" + string(rep.feed) + "/$entity"
	api.WriteJSON(w, http.StatusOK, m)
}

// resource returns an item's Graph resource, with only the $select-ed
// properties and, for beta sign-ins, signInEventTypes.
func (h *Handlers) resource(it *reports.Item, sel []string, eventTypes bool) json.RawMessage {
	if len(sel) == 0 && !eventTypes {
		return it.Properties
	}
	var m map[string]any
	if json.Unmarshal(it.Properties, &m) != nil {
		return it.Properties
	}
	if _, ok := m["signInEventTypes"]; eventTypes && !ok && it.Kind != "" {
		m["signInEventTypes"] = []string{it.Kind}
	}
	b, err := json.Marshal(project(m, sel))
	if err != nil {
		return it.Properties
	}
	return b
}

// eventTypes are the sign-in event types, as signInEventTypes names them.
var eventTypes = reports.EventTypes

// eventType returns the canonical spelling of a sign-in event type.
func eventType(s string) (string, bool) {
	for _, k := range eventTypes {
		if strings.EqualFold(k, s) {
			return k, true
		}
	}
	return "", false
}

// pageOf orders items (Graph resources held in memory) by lq.orderBy and
// id and returns the page lq asks for, with the position of its last item
// when more follow. Items whose time property is missing sort as the
// earliest.
func pageOf(items []map[string]any, lq *listQuery) ([]map[string]any, *reports.Key, error) {
	timeProp := lq.orderBy
	type keyed struct {
		k reports.Key
		m map[string]any
	}
	ks := make([]keyed, 0, len(items))
	lo, hi, err := lq.filter.timeRange(timeProp)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range items {
		var k reports.Key
		k.ID, _ = m["id"].(string)
		if s, ok := lookupPath(m, timeProp).(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				k.Time = types.TicksFromTime(t)
			}
		}
		if k.Time < lo || hi != 0 && k.Time >= hi || !lq.filter.match(m) {
			continue
		}
		if lq.after != nil && !keyAfter(k, *lq.after, lq.desc) {
			continue
		}
		ks = append(ks, keyed{k, m})
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		c := cmp.Or(cmp.Compare(a.k.Time, b.k.Time), cmp.Compare(a.k.ID, b.k.ID))
		if lq.desc {
			return -c
		}
		return c
	})
	var next *reports.Key
	if len(ks) > lq.top {
		ks = ks[:lq.top]
		next = &ks[len(ks)-1].k
	}
	out := make([]map[string]any, len(ks))
	for i, k := range ks {
		out[i] = project(k.m, lq.sel)
	}
	return out, next, nil
}

func keyAfter(k, pos reports.Key, desc bool) bool {
	c := cmp.Or(cmp.Compare(k.Time, pos.Time), cmp.Compare(k.ID, pos.ID))
	if desc {
		return c < 0
	}
	return c > 0
}

// writePage writes a page of in-memory items as Graph does.
func (h *Handlers) writePage(w http.ResponseWriter, r *http.Request, set string, items []map[string]any, next *reports.Key) {
	body := map[string]any{"@odata.context": contextBase + set, "value": items}
	if next != nil {
		body["@odata.nextLink"] = h.nextLink(r, *next)
	}
	api.WriteJSON(w, http.StatusOK, body)
}

// listMemory answers a list of in-memory items with $filter, $orderby on
// one of timeProps (the first by default), $top and paging.
func (h *Handlers) listMemory(w http.ResponseWriter, r *http.Request, set string, timeProps []string, items []map[string]any) {
	lq, ok := h.parseList(w, r, timeProps, defaultPage)
	if !ok {
		return
	}
	if lq.filter.kinds != nil {
		h.writeError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property 'signInEventTypes'.")
		return
	}
	page, next, err := pageOf(items, lq)
	var fe *filterError
	if errors.As(err, &fe) {
		h.writeError(w, r, http.StatusBadRequest, "BadRequest", fe.Error())
		return
	}
	h.writePage(w, r, set, page, next)
}
