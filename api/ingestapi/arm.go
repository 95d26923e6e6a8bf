package ingestapi

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/workspace/ingest"
)

// ARM paths of the two resource types.
const (
	rgPath       = "/subscriptions/{sub}/resourceGroups/{rg}/providers/"
	subPath      = "/subscriptions/{sub}/providers/"
	rulesPath    = "Microsoft.Insights/dataCollectionRules"
	endpointPath = "Microsoft.Insights/dataCollectionEndpoints"
)

func (h *Handlers) registerARM(rt *api.Router) {
	arm := func(method, pattern string, f http.HandlerFunc) {
		rt.Handle(method, pattern, h.Server.ARM(f))
	}
	arm(http.MethodPut, rgPath+rulesPath+"/{name}", h.putRule)
	arm(http.MethodPatch, rgPath+rulesPath+"/{name}", h.patchRule)
	arm(http.MethodGet, rgPath+rulesPath+"/{name}", h.getRule)
	arm(http.MethodDelete, rgPath+rulesPath+"/{name}", h.deleter(rulesPath, ingest.RuleID, h.Ingest.DeleteRule))
	arm(http.MethodGet, rgPath+rulesPath, h.listRules)
	arm(http.MethodGet, subPath+rulesPath, h.listRules)

	arm(http.MethodPut, rgPath+endpointPath+"/{name}", h.putEndpoint)
	arm(http.MethodPatch, rgPath+endpointPath+"/{name}", h.patchEndpoint)
	arm(http.MethodGet, rgPath+endpointPath+"/{name}", h.getEndpoint)
	arm(http.MethodDelete, rgPath+endpointPath+"/{name}", h.deleter(endpointPath, ingest.EndpointID, h.Ingest.DeleteEndpoint))
	arm(http.MethodGet, rgPath+endpointPath, h.listEndpoints)
	arm(http.MethodGet, subPath+endpointPath, h.listEndpoints)
}

// show returns a rule as ARM shows it: Direct rules carry the server's
// address as their logs ingestion endpoint.
func (h *Handlers) show(r *ingest.Rule) *ingest.Rule {
	if strings.EqualFold(r.Kind, "Direct") {
		return r.WithEndpoints(h.baseURL())
	}
	return r
}

func notFound(typ, name, rg string) *apierror.Error {
	return apierror.New(http.StatusNotFound, "ResourceNotFound",
		"The Resource '%s/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", typ, name, rg)
}

// scope returns the ARM scope a list request names: the resource group, or
// the subscription when the path has none.
func scope(r *http.Request) (sub, rg, id string) {
	sub, rg = r.PathValue("sub"), r.PathValue("rg")
	id = "/subscriptions/" + sub
	if rg != "" {
		id += "/resourceGroups/" + rg
	}
	return sub, rg, id
}

// createdStatus is ARM's answer to a PUT: 201 for a new resource, 200 for
// an update (the DCR API's swagger lists both).
func createdStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

func (h *Handlers) putRule(w http.ResponseWriter, r *http.Request) {
	sub, rg, name := r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name")
	if !h.Server.Allowed(w, r, rulesPath+"/write", ingest.RuleID(sub, rg, name)) {
		return
	}
	var in ingest.Rule
	if !api.ReadJSON(w, r, &in) {
		return
	}
	out, created, err := h.Ingest.PutRule(sub, rg, name, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	api.WriteJSON(w, createdStatus(created), h.show(out))
}

// patchRule updates a rule's tags, the one property ARM's PATCH changes.
func (h *Handlers) patchRule(w http.ResponseWriter, r *http.Request) {
	sub, rg, name := r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name")
	id := ingest.RuleID(sub, rg, name)
	if !h.Server.Allowed(w, r, rulesPath+"/write", id) {
		return
	}
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if !api.ReadJSON(w, r, &in) {
		return
	}
	cur, ok := h.Ingest.Rule(id)
	if !ok {
		apierror.Write(w, notFound(rulesPath, name, rg))
		return
	}
	cur.Tags = in.Tags
	out, _, err := h.Ingest.PutRule(sub, rg, name, *cur)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	api.WriteJSON(w, http.StatusOK, h.show(out))
}

func (h *Handlers) getRule(w http.ResponseWriter, r *http.Request) {
	sub, rg, name := r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name")
	id := ingest.RuleID(sub, rg, name)
	if !h.Server.Allowed(w, r, rulesPath+"/read", id) {
		return
	}
	out, ok := h.Ingest.Rule(id)
	if !ok {
		apierror.Write(w, notFound(rulesPath, name, rg))
		return
	}
	api.WriteJSON(w, http.StatusOK, h.show(out))
}

func (h *Handlers) listRules(w http.ResponseWriter, r *http.Request) {
	sub, rg, id := scope(r)
	if !h.Server.Allowed(w, r, rulesPath+"/read", id) {
		return
	}
	out := []*ingest.Rule{}
	for _, rule := range h.Ingest.Rules(sub, rg) {
		out = append(out, h.show(rule))
	}
	api.WriteJSON(w, http.StatusOK, map[string]any{"value": out})
}

func (h *Handlers) putEndpoint(w http.ResponseWriter, r *http.Request) {
	sub, rg, name := r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name")
	if !h.Server.Allowed(w, r, endpointPath+"/write", ingest.EndpointID(sub, rg, name)) {
		return
	}
	var in ingest.Endpoint
	if !api.ReadJSON(w, r, &in) {
		return
	}
	out, created, err := h.Ingest.PutEndpoint(sub, rg, name, in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	api.WriteJSON(w, createdStatus(created), out.WithEndpoints(h.baseURL()))
}

// patchEndpoint updates an endpoint's tags.
func (h *Handlers) patchEndpoint(w http.ResponseWriter, r *http.Request) {
	sub, rg, name := r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name")
	id := ingest.EndpointID(sub, rg, name)
	if !h.Server.Allowed(w, r, endpointPath+"/write", id) {
		return
	}
	var in struct {
		Tags map[string]string `json:"tags"`
	}
	if !api.ReadJSON(w, r, &in) {
		return
	}
	cur, ok := h.Ingest.Endpoint(id)
	if !ok {
		apierror.Write(w, notFound(endpointPath, name, rg))
		return
	}
	cur.Tags = in.Tags
	out, _, err := h.Ingest.PutEndpoint(sub, rg, name, *cur)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	api.WriteJSON(w, http.StatusOK, out.WithEndpoints(h.baseURL()))
}

func (h *Handlers) getEndpoint(w http.ResponseWriter, r *http.Request) {
	sub, rg, name := r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name")
	id := ingest.EndpointID(sub, rg, name)
	if !h.Server.Allowed(w, r, endpointPath+"/read", id) {
		return
	}
	out, ok := h.Ingest.Endpoint(id)
	if !ok {
		apierror.Write(w, notFound(endpointPath, name, rg))
		return
	}
	api.WriteJSON(w, http.StatusOK, out.WithEndpoints(h.baseURL()))
}

func (h *Handlers) listEndpoints(w http.ResponseWriter, r *http.Request) {
	sub, rg, id := scope(r)
	if !h.Server.Allowed(w, r, endpointPath+"/read", id) {
		return
	}
	out := []*ingest.Endpoint{}
	for _, e := range h.Ingest.Endpoints(sub, rg) {
		out = append(out, e.WithEndpoints(h.baseURL()))
	}
	api.WriteJSON(w, http.StatusOK, map[string]any{"value": out})
}

// deleter answers DELETE of a rule or endpoint (resource type path, ARM
// id from idOf): 200 when it existed, 204 when it did not, as ARM does.
func (h *Handlers) deleter(path string, idOf func(sub, rg, name string) string, del func(id string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := idOf(r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name"))
		if !h.Server.Allowed(w, r, path+"/delete", id) {
			return
		}
		switch err := del(id); err {
		case nil:
			w.WriteHeader(http.StatusOK)
		case ingest.ErrNotFound:
			w.WriteHeader(http.StatusNoContent)
		default:
			h.writeError(w, r, err)
		}
	}
}
