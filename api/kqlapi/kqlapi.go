// Package kqlapi serves the query editor's language service: diagnostics
// and completions for KQL text, computed by idlogs' own parser and checker
// against a workspace's tables, so that the editor and the query API never
// disagree about a query.
//
// Routes (audience api.loganalytics.io, the caller must be allowed to
// query the workspace):
//
//	POST /v1/workspaces/{id}/kql/check     {"query": "..."}
//	POST /v1/workspaces/{id}/kql/complete  {"query": "...", "offset": 17}
//	POST /v1/workspaces/{id}/kql/format    {"query": "..."}
//
// Offsets in requests and answers count UTF-16 code units, as browsers'
// text fields do. A text holds several queries separated by blank lines,
// as in the Log Analytics editor; each is checked on its own.
package kqlapi

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/workspace"
)

// maxBody bounds a request body.
const maxBody = 1 << 20

// Handlers serves the language service.
type Handlers struct {
	Server *api.Server
}

// Register adds the routes to rt.
func (h *Handlers) Register(rt *api.Router) {
	la := func(f func(http.ResponseWriter, *http.Request, *workspace.Workspace)) http.Handler {
		return h.Server.Authenticate(api.AudienceLogAnalytics, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ws, ok := h.workspace(w, r)
			if ok {
				f(w, r, ws)
			}
		}))
	}
	rt.Handle(http.MethodPost, "/v1/workspaces/{id}/kql/check", la(h.check))
	rt.Handle(http.MethodPost, "/v1/workspaces/{id}/kql/complete", la(h.complete))
	rt.Handle(http.MethodPost, "/v1/workspaces/{id}/kql/format", la(h.format))
}

// workspace resolves the request's workspace and checks that the caller
// may query it, answering 404 or 403 when not.
func (h *Handlers) workspace(w http.ResponseWriter, r *http.Request) (*workspace.Workspace, bool) {
	ws, ok := h.Server.Workspaces.Resolve(r.PathValue("id"))
	if !ok {
		apierror.Write(w, apierror.New(http.StatusNotFound, "WorkspaceNotFoundError", "The workspace '%s' could not be found.", r.PathValue("id")))
		return nil, false
	}
	p, ok := auth.FromContext(r.Context())
	if !ok || !h.Server.Authz.Allowed(p, authz.ActionQueryRead, ws.ResourceID()) {
		apierror.Write(w, apierror.New(http.StatusForbidden, "InsufficientAccessError",
			"The provided credentials have insufficient access to perform the requested operation").
			Inner(apierror.New(http.StatusForbidden, "AuthorizationFailedError", "The caller may not query workspace '%s' (action %s).", ws.ResourceID(), authz.ActionQueryRead)))
		return nil, false
	}
	return ws, true
}

// Request is the body of both routes.
type Request struct {
	Query string `json:"query"`
	// Offset is the cursor, for completions.
	Offset int `json:"offset"`
}

func readRequest(w http.ResponseWriter, r *http.Request) (Request, bool) {
	var req Request
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil {
		err = json.Unmarshal(data, &req)
	}
	if err != nil {
		apierror.Write(w, apierror.New(http.StatusBadRequest, "BadArgumentError", "The body must be a JSON object with query and offset: %v", err))
		return req, false
	}
	return req, true
}

func (h *Handlers) check(w http.ResponseWriter, r *http.Request, ws *workspace.Workspace) {
	req, ok := readRequest(w, r)
	if !ok {
		return
	}
	api.WriteJSON(w, http.StatusOK, struct {
		Diagnostics []Diagnostic `json:"diagnostics"`
	}{Check(req.Query, h.catalog(r, ws))})
}

func (h *Handlers) complete(w http.ResponseWriter, r *http.Request, ws *workspace.Workspace) {
	req, ok := readRequest(w, r)
	if !ok {
		return
	}
	api.WriteJSON(w, http.StatusOK, Complete(req.Query, req.Offset, h.catalog(r, ws)))
}

// catalog is ws's tables for the caller of r, who may query ws; other
// workspaces that workspace("...") names resolve when the caller may query
// them too, as in the query API.
func (h *Handlers) catalog(r *http.Request, ws *workspace.Workspace) storeCatalog {
	p, _ := auth.FromContext(r.Context())
	return storeCatalog{ws: ws, resolve: func(ident string) (*workspace.Workspace, bool) {
		other, ok := h.Server.Workspaces.Resolve(ident)
		if !ok || !h.Server.Authz.Allowed(p, authz.ActionQueryRead, other.ResourceID()) {
			return nil, false
		}
		return other, true
	}}
}

func (h *Handlers) format(w http.ResponseWriter, r *http.Request, _ *workspace.Workspace) {
	req, ok := readRequest(w, r)
	if !ok {
		return
	}
	api.WriteJSON(w, http.StatusOK, struct {
		Query string `json:"query"`
	}{Format(req.Query)})
}

// storeCatalog resolves a workspace's tables for checking: their schemas
// only, nothing is scanned.
type storeCatalog struct {
	ws      *workspace.Workspace
	resolve func(ident string) (*workspace.Workspace, bool)
}

// Workspace resolves workspace("ident") (check.WorkspaceCatalog).
func (c storeCatalog) Workspace(ident string) (check.Catalog, bool) {
	if c.resolve == nil {
		return nil, false
	}
	other, ok := c.resolve(ident)
	if !ok {
		return nil, false
	}
	return storeCatalog{ws: other}, true
}

func (c storeCatalog) Table(name string) (plan.Table, bool) {
	t, ok := c.ws.Store().Lookup(name)
	if !ok {
		return nil, false
	}
	return t, true
}

func (c storeCatalog) TableNames() []string { return c.ws.Store().Tables() }

// Function resolves the workspace's functions (check.FunctionCatalog), so
// that the editor checks calls of saved functions as queries run them.
func (c storeCatalog) Function(name string) (params, body string, ok bool) {
	return c.ws.Function(name)
}

// StoredFunctions lists the workspace's functions (FunctionLister) for
// completion.
func (c storeCatalog) StoredFunctions() []StoredFunction {
	var out []StoredFunction
	for _, s := range c.ws.SavedSearches() {
		if s.FunctionAlias != "" {
			out = append(out, StoredFunction{Name: s.FunctionAlias, Params: s.FunctionParameters})
		}
	}
	return out
}
