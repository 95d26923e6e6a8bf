package armapi

import (
	"errors"
	"net/http"
	"slices"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/workspace"
)

// RBAC actions of the saved search routes.
const (
	actionSavedSearchRead   = "Microsoft.OperationalInsights/workspaces/savedSearches/read"
	actionSavedSearchWrite  = "Microsoft.OperationalInsights/workspaces/savedSearches/write"
	actionSavedSearchDelete = "Microsoft.OperationalInsights/workspaces/savedSearches/delete"
)

const (
	savedSearchPattern = workspacePattern + "/savedSearches/{savedSearch}"
	savedSearchType    = "Microsoft.OperationalInsights/savedSearches"
)

// savedSearchJSON is a saved search as the Saved Searches API sends it
// (api-version 2020-08-01).
type savedSearchJSON struct {
	ID         string               `json:"id"`
	ETag       string               `json:"etag"`
	Name       string               `json:"name"`
	Type       string               `json:"type"`
	Properties savedSearchPropsJSON `json:"properties"`
}

type savedSearchPropsJSON struct {
	Category           string                     `json:"category"`
	DisplayName        string                     `json:"displayName"`
	Query              string                     `json:"query"`
	FunctionAlias      string                     `json:"functionAlias,omitempty"`
	FunctionParameters string                     `json:"functionParameters,omitempty"`
	Version            int64                      `json:"version,omitempty"`
	Tags               []workspace.SavedSearchTag `json:"tags,omitempty"`
}

// savedSearchBody is the PUT body.
type savedSearchBody struct {
	ETag       string                `json:"etag"`
	Properties *savedSearchPropsJSON `json:"properties"`
}

func toSavedSearchJSON(ws *workspace.Workspace, s workspace.SavedSearch) savedSearchJSON {
	return savedSearchJSON{
		ID: ws.ResourceID() + "/savedSearches/" + s.ID, ETag: s.ETag, Name: s.ID, Type: savedSearchType,
		Properties: savedSearchPropsJSON{
			Category: s.Category, DisplayName: s.DisplayName, Query: s.Query,
			FunctionAlias: s.FunctionAlias, FunctionParameters: s.FunctionParameters,
			Version: s.Version, Tags: s.Tags,
		},
	}
}

func (h *Handlers) registerSavedSearches(rt *api.Router) {
	h.handle(rt, http.MethodGet, workspacePattern+"/savedSearches", h.listSavedSearches)
	h.handle(rt, http.MethodGet, savedSearchPattern, h.getSavedSearch)
	h.handle(rt, http.MethodPut, savedSearchPattern, h.putSavedSearch)
	h.handle(rt, http.MethodDelete, savedSearchPattern, h.deleteSavedSearch)
}

func writeSavedSearchNotFound(w http.ResponseWriter, r *http.Request) {
	apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound",
		"The Resource 'Microsoft.OperationalInsights/workspaces/%s/savedSearches/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
		r.PathValue("ws"), r.PathValue("savedSearch"), r.PathValue("rg")))
}

func (h *Handlers) listSavedSearches(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, actionSavedSearchRead, expand(workspacePattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	out := list[savedSearchJSON]{Value: []savedSearchJSON{}}
	for _, s := range ws.SavedSearches() {
		out.Value = append(out.Value, toSavedSearchJSON(ws, s))
	}
	api.WriteJSON(w, http.StatusOK, out)
}

func (h *Handlers) getSavedSearch(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, actionSavedSearchRead, expand(savedSearchPattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	s, ok := ws.SavedSearch(r.PathValue("savedSearch"))
	if !ok {
		writeSavedSearchNotFound(w, r)
		return
	}
	api.WriteJSON(w, http.StatusOK, toSavedSearchJSON(ws, s))
}

// deleteSavedSearch removes a saved search; it answers 200 whether or not
// there was one.
func (h *Handlers) deleteSavedSearch(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, actionSavedSearchDelete, expand(savedSearchPattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	_, err := h.Server.Workspaces.DeleteSavedSearch(ws, r.PathValue("savedSearch"))
	if err != nil {
		h.writeErr(w, err)
		return
	}
	// Azure's API answers 200 whether or not there was one (its
	// specification lists no other success code, and the Azure SDK's
	// client accepts no other).
	w.WriteHeader(http.StatusOK)
}

// putSavedSearch creates or replaces a saved search. The body's etag is
// not compared with the stored one: a PUT always replaces.
func (h *Handlers) putSavedSearch(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, actionSavedSearchWrite, expand(savedSearchPattern, r)) {
		return
	}
	ws, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	var body savedSearchBody
	if !api.ReadJSON(w, r, &body) {
		return
	}
	p := body.Properties
	if p == nil {
		badRequest(w, "InvalidRequestContent", "The request content was invalid: the 'properties' object is required.")
		return
	}
	if msg := checkSavedSearch(p, ws); msg != "" {
		badRequest(w, "InvalidParameter", "%s", msg)
		return
	}
	s, _, err := h.Server.Workspaces.PutSavedSearch(ws, workspace.SavedSearch{
		ID: r.PathValue("savedSearch"), Category: p.Category, DisplayName: p.DisplayName, Query: p.Query,
		FunctionAlias: p.FunctionAlias, FunctionParameters: p.FunctionParameters, Version: p.Version, Tags: p.Tags,
	})
	var inUse *workspace.AliasInUseError
	switch {
	case errors.As(err, &inUse):
		// Unverified code; Azure answers a duplicate alias with a conflict.
		apierror.Write(w, apierror.New(http.StatusConflict, "Conflict",
			"The function alias '%s' is already used by the saved search '%s' of this workspace; function aliases are unique within a workspace.", inUse.Alias, inUse.By))
		return
	case err != nil:
		h.writeErr(w, err)
		return
	}
	// 200 for a new saved search too: Azure's specification lists no
	// other success code, and the Azure SDK's client accepts no other.
	api.WriteJSON(w, http.StatusOK, toSavedSearchJSON(ws, s))
}

// checkSavedSearch returns what is wrong with a saved search's properties
// for workspace ws, or "": the required fields, the function alias, and
// that the parameters and query parse (each error with its line:column in
// that field).
func checkSavedSearch(p *savedSearchPropsJSON, ws *workspace.Workspace) string {
	for _, f := range []struct{ name, value string }{
		{"category", p.Category}, {"displayName", p.DisplayName}, {"query", p.Query},
	} {
		if f.value == "" {
			return "The property 'properties." + f.name + "' is required."
		}
	}
	for _, t := range p.Tags {
		if t.Name == "" {
			return "Every tag in 'properties.tags' needs a name."
		}
	}
	if p.FunctionAlias == "" {
		if p.FunctionParameters != "" {
			return "The property 'properties.functionParameters' needs a 'properties.functionAlias': only a function has parameters."
		}
		if _, err := syntax.Parse(p.Query); err != nil {
			return "The query does not parse: " + err.Error()
		}
		return ""
	}
	if !validFunctionAlias(p.FunctionAlias) {
		return "The function alias '" + p.FunctionAlias + "' is invalid: it must be a KQL identifier (a letter or '_' followed by letters, digits and '_') and not a keyword."
	}
	if _, ok := ws.Store().Lookup(p.FunctionAlias); ok || isBuiltinFunction(p.FunctionAlias) {
		// Queries would read the table or built-in function, never the
		// saved function.
		return "The function alias '" + p.FunctionAlias + "' is the name of a table or built-in function of the workspace; choose another."
	}
	_, err := check.ParseFunction(p.FunctionAlias, p.FunctionParameters, p.Query)
	var fe *check.FunctionError
	switch {
	case errors.As(err, &fe) && fe.Part == "parameters":
		return "The function parameters do not parse: " + fe.Pos.String() + ": " + fe.Msg
	case errors.As(err, &fe):
		return "The query does not parse: " + fe.Pos.String() + ": " + fe.Msg
	case err != nil:
		return "The function does not parse: " + err.Error()
	}
	return ""
}

// isBuiltinFunction reports whether name is a built-in scalar or
// aggregate function.
func isBuiltinFunction(name string) bool {
	_, scalar := builtin.LookupScalar(name)
	_, agg := builtin.LookupAggregate(name)
	return scalar || agg
}

// validFunctionAlias reports whether name is a plain KQL identifier that
// a query can use as a table: not a keyword or operator name.
func validFunctionAlias(name string) bool {
	toks := syntax.Tokens(name)
	if len(name) > 1024 || len(toks) != 1 || toks[0].Kind != syntax.TokIdent || toks[0].Text != name {
		return false
	}
	if name == "true" || name == "false" || slices.Contains(syntax.OperatorNames(), name) {
		return false
	}
	script, err := syntax.Parse(name + " | count")
	if err != nil || len(script.Stmts) != 1 {
		return false
	}
	st, ok := script.Stmts[0].(*syntax.ExprStmt)
	if !ok {
		return false
	}
	p, ok := st.X.(*syntax.Pipe)
	if !ok {
		return false
	}
	id, ok := p.Source.(*syntax.Ident)
	return ok && id.Name == name
}
