// Package querypackapi serves idlogs' built-in query pack (package
// workspace/querypack) as a Log Analytics query pack resource of Azure
// Resource Manager: Microsoft.OperationalInsights/queryPacks/{pack} and its
// queries, in ARM's JSON shapes (api-version 2019-09-01). The pack lives in
// the server's resource group and is read-only.
package querypackapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/workspace/querypack"
)

// RBAC actions of the routes (Reader's */read grants both).
const (
	ActionQueryPackRead = "Microsoft.OperationalInsights/queryPacks/read"
	ActionQueryRead     = "Microsoft.OperationalInsights/queryPacks/queries/read"
)

// Resource types as ARM spells them in answers.
const (
	packType  = "Microsoft.OperationalInsights/queryPacks"
	queryType = "Microsoft.OperationalInsights/queryPacks/queries"
)

// Handlers serves the query pack routes.
type Handlers struct {
	Server *api.Server
	// Place says where the pack is; it is called per request (a server
	// knows its subscription only after its first start's bootstrap).
	Place func() Place
}

// Place is where the pack lives.
type Place struct {
	SubscriptionID, ResourceGroup string
	// Location is the pack's region.
	Location string
	// Created is the pack's creation time (the server's first start).
	Created time.Time
}

const (
	rgPattern    = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/queryPacks"
	packPattern  = rgPattern + "/{pack}"
	queryPattern = packPattern + "/queries/{id}"
)

// Register adds the routes to rt.
func (h *Handlers) Register(rt *api.Router) {
	rt.Handle(http.MethodGet, "/subscriptions/{sub}/providers/Microsoft.OperationalInsights/queryPacks", h.Server.ARM(http.HandlerFunc(h.listPacks)))
	rt.Handle(http.MethodGet, rgPattern, h.Server.ARM(http.HandlerFunc(h.listPacks)))
	rt.Handle(http.MethodGet, packPattern, h.Server.ARM(http.HandlerFunc(h.getPack)))
	rt.Handle(http.MethodGet, packPattern+"/queries", h.Server.ARM(http.HandlerFunc(h.listQueries)))
	rt.Handle(http.MethodGet, queryPattern, h.Server.ARM(http.HandlerFunc(h.getQuery)))
}

// PackID returns the resource id of the pack of p.
func PackID(p Place) string {
	return "/subscriptions/" + p.SubscriptionID + "/resourceGroups/" + p.ResourceGroup + "/providers/" + packType + "/" + querypack.Name
}

type packJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties packProps         `json:"properties"`
}

type packProps struct {
	QueryPackID       string `json:"queryPackId"`
	TimeCreated       string `json:"timeCreated"`
	TimeModified      string `json:"timeModified"`
	ProvisioningState string `json:"provisioningState"`
}

type queryJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Type       string     `json:"type"`
	Properties queryProps `json:"properties"`
}

type queryProps struct {
	ID           string              `json:"id"`
	DisplayName  string              `json:"displayName"`
	TimeCreated  string              `json:"timeCreated"`
	TimeModified string              `json:"timeModified"`
	Author       string              `json:"author"`
	Description  string              `json:"description"`
	Body         string              `json:"body,omitempty"`
	Related      related             `json:"related"`
	Tags         map[string][]string `json:"tags"`
	// Properties are the query's free-form properties: idlogs puts its
	// short name, tables and source here.
	Properties map[string]any `json:"properties"`
}

type related struct {
	Categories    []string `json:"categories"`
	ResourceTypes []string `json:"resourceTypes"`
	Solutions     []string `json:"solutions"`
}

func stamp(p Place) string { return p.Created.UTC().Format(time.RFC3339Nano) }

func pack(p Place) packJSON {
	return packJSON{ID: PackID(p), Name: querypack.Name, Type: packType, Location: p.Location, Tags: map[string]string{},
		Properties: packProps{QueryPackID: querypack.ID(), TimeCreated: stamp(p), TimeModified: stamp(p), ProvisioningState: "Succeeded"}}
}

func query(p Place, q querypack.Query, body bool) queryJSON {
	j := queryJSON{ID: PackID(p) + "/queries/" + q.ID, Name: q.ID, Type: queryType, Properties: queryProps{
		ID: q.ID, DisplayName: q.DisplayName, TimeCreated: stamp(p), TimeModified: stamp(p), Author: "idlogs",
		Description: q.Description,
		Related:     related{Categories: q.Categories, ResourceTypes: []string{"microsoft.operationalinsights/workspaces"}, Solutions: []string{}},
		Tags:        map[string][]string{"labels": {"built-in"}},
		Properties:  map[string]any{"name": q.Name, "tables": q.Tables, "source": q.Source},
	}}
	if body {
		j.Properties.Body = q.Body
	}
	return j
}

// inScope returns the pack's place and whether the request names its
// subscription and resource group (and, when pack is set, the pack),
// answering 404 when not, then 403 when the caller may not do action.
func (h *Handlers) inScope(w http.ResponseWriter, r *http.Request, pack bool, action string) (Place, bool) {
	p := h.Place()
	if !h.names(w, r, p, pack) || !h.Server.Allowed(w, r, action, PackID(p)) {
		return p, false
	}
	return p, true
}

func (h *Handlers) names(w http.ResponseWriter, r *http.Request, p Place, pack bool) bool {
	sub, rg := r.PathValue("sub"), r.PathValue("rg")
	switch {
	case !strings.EqualFold(sub, p.SubscriptionID):
		apierror.Write(w, apierror.New(http.StatusNotFound, "SubscriptionNotFound", "The subscription '%s' could not be found.", sub))
		return false
	case rg != "" && !strings.EqualFold(rg, p.ResourceGroup):
		apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceGroupNotFound", "Resource group '%s' could not be found.", rg))
		return false
	case pack && !strings.EqualFold(r.PathValue("pack"), querypack.Name):
		apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound",
			"The Resource '%s/%s' under resource group '%s' was not found. The built-in query pack is '%s'.", packType, r.PathValue("pack"), rg, querypack.Name))
		return false
	}
	return true
}

func (h *Handlers) listPacks(w http.ResponseWriter, r *http.Request) {
	p, ok := h.inScope(w, r, false, ActionQueryPackRead)
	if !ok {
		return
	}
	api.WriteJSON(w, http.StatusOK, map[string]any{"value": []packJSON{pack(p)}})
}

func (h *Handlers) getPack(w http.ResponseWriter, r *http.Request) {
	p, ok := h.inScope(w, r, true, ActionQueryPackRead)
	if !ok {
		return
	}
	api.WriteJSON(w, http.StatusOK, pack(p))
}

// listQueries answers Queries_List: the queries with their bodies when
// includeBody=true (Azure's default is false), the first $top of them
// when $top is given.
func (h *Handlers) listQueries(w http.ResponseWriter, r *http.Request) {
	p, ok := h.inScope(w, r, true, ActionQueryRead)
	if !ok {
		return
	}
	qv := r.URL.Query()
	body := strings.EqualFold(qv.Get("includeBody"), "true")
	qs := querypack.Queries()
	if top := qv.Get("$top"); top != "" {
		n, err := strconv.Atoi(top)
		if err != nil || n < 1 {
			apierror.Write(w, apierror.New(http.StatusBadRequest, "InvalidParameter", "$top must be a positive integer, not '%s'.", top))
			return
		}
		qs = qs[:min(n, len(qs))]
	}
	out := make([]queryJSON, 0, len(qs))
	for _, q := range qs {
		out = append(out, query(p, q, body))
	}
	api.WriteJSON(w, http.StatusOK, map[string]any{"value": out})
}

// getQuery answers Queries_Get, by the query's id or, as an idlogs
// convenience, its short name.
func (h *Handlers) getQuery(w http.ResponseWriter, r *http.Request) {
	p, ok := h.inScope(w, r, true, ActionQueryRead)
	if !ok {
		return
	}
	q, ok := querypack.Lookup(r.PathValue("id"))
	if !ok {
		apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound",
			"The query '%s' is not in query pack '%s'; list the pack's queries for their ids.", r.PathValue("id"), querypack.Name))
		return
	}
	api.WriteJSON(w, http.StatusOK, query(p, q, true))
}
