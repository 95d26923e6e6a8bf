// Package queryapi serves the Log Analytics query API: workspace queries
// on /v1/workspaces/{id}/query (and without /v1), resource-centric queries,
// the ARM-hosted /api/query and /api/metadata, workspace metadata and the
// $batch endpoint. Queries run in package workspace/query; this package
// reads requests, checks the caller's roles and writes responses as Azure
// does.
package queryapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/query"
)

// maxBody bounds a query request body.
const maxBody = 8 << 20

// Handlers serves the query API.
type Handlers struct {
	Server  *api.Server
	Service *query.Service
}

const wsPath = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}"

// Register adds the query API's routes to rt.
func (h *Handlers) Register(rt *api.Router) {
	la := func(f http.HandlerFunc) http.Handler { return h.Server.Authenticate(api.AudienceLogAnalytics, f) }
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		rt.Handle(m, "/v1/workspaces/{id}/query", la(h.workspaceQuery))
		rt.Handle(m, "/workspaces/{id}/query", la(h.workspaceQuery))
		rt.Handle(m, "/v1/workspaces/{id}/metadata", la(h.workspaceMetadata))
		rt.Handle(m, "/v1"+wsPath+"/query", la(h.resourceQuery))
		rt.Handle(m, wsPath+"/api/query", h.Server.ARM(http.HandlerFunc(h.resourceQuery)))
		rt.Handle(m, wsPath+"/api/metadata", h.Server.ARM(http.HandlerFunc(h.resourceMetadata)))
	}
	rt.Handle(http.MethodPost, "/v1/$batch", la(h.batch))
}

// setHeaders sets the headers every query API response carries.
func setHeaders(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("Vary", "Accept-Encoding")
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Access-Control-Expose-Headers", "Retry-After,Age,WWW-Authenticate,x-resource-identities,x-ms-status-location")
	hd.Set("Strict-Transport-Security", "max-age=15724800; includeSubDomains")
	hd.Set("X-Content-Type-Options", "nosniff")
}

// workspaceNotFound answers an unknown workspace id. The code is the one
// Azure CLI users report for a mistyped workspace id (not re-verified).
func workspaceNotFound(id string) *apierror.Error {
	return apierror.New(http.StatusNotFound, "WorkspaceNotFoundError", "The workspace '%s' could not be found.", id)
}

func (h *Handlers) workspaceQuery(w http.ResponseWriter, r *http.Request) {
	setHeaders(w)
	ws, ok := h.Server.Workspaces.Resolve(r.PathValue("id"))
	if !ok {
		apierror.Write(w, workspaceNotFound(r.PathValue("id")))
		return
	}
	h.serveQuery(w, r, ws)
}

// workspaceFromPath returns the workspace an ARM-style path names.
func (h *Handlers) workspaceFromPath(w http.ResponseWriter, r *http.Request) (*workspace.Workspace, bool) {
	id := workspace.ResourceID(r.PathValue("sub"), r.PathValue("rg"), r.PathValue("name"))
	ws, ok := h.Server.Workspaces.Get(id)
	if !ok {
		apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFoundError", "The resource '%s' could not be found.", id))
	}
	return ws, ok
}

func (h *Handlers) resourceQuery(w http.ResponseWriter, r *http.Request) {
	setHeaders(w)
	if ws, ok := h.workspaceFromPath(w, r); ok {
		h.serveQuery(w, r, ws)
	}
}

// QueryBody is a query request: the JSON body of a POST, or the URL
// parameters of a GET.
type QueryBody struct {
	Query       string   `json:"query"`
	Timespan    string   `json:"timespan,omitempty"`
	Workspaces  []string `json:"workspaces,omitempty"`
	urlTimespan string
}

// readParams reads a query request. A POST without a JSON body gets the
// empty 200 Azure sends, and readParams returns false.
func readParams(w http.ResponseWriter, r *http.Request) (QueryBody, bool) {
	q := r.URL.Query()
	if r.Method == http.MethodGet {
		p := QueryBody{Query: q.Get("query"), Timespan: q.Get("timespan")}
		for _, v := range q["workspaces"] {
			p.Workspaces = append(p.Workspaces, splitList(v)...)
		}
		return p, true
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		w.WriteHeader(http.StatusOK)
		return QueryBody{}, false
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		apierror.Write(w, invalidJSON("The request body could not be read: "+err.Error()))
		return QueryBody{}, false
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		w.WriteHeader(http.StatusOK)
		return QueryBody{}, false
	}
	var p QueryBody
	if err := json.Unmarshal(data, &p); err != nil {
		apierror.Write(w, invalidJSON("The request body is not a JSON object with query, timespan and workspaces: "+err.Error()))
		return QueryBody{}, false
	}
	p.urlTimespan = q.Get("timespan")
	return p, true
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// invalidJSON is the envelope of a body that is not valid JSON.
func invalidJSON(msg string) *apierror.Error {
	e := apierror.New(http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties").
		Inner(apierror.New(http.StatusBadRequest, "QueryValidationError", "Failed parsing the query request body"))
	e.InnerError.Details = []*apierror.Error{{Code: "InvalidJsonBody", Message: msg}}
	return e
}

// failedToResolve is the envelope of a workspace identifier that names no
// workspace; Azure's message is misspelt and kept so.
func failedToResolve(ident string) *apierror.Error {
	e := apierror.New(http.StatusBadRequest, "FailedToResolveResource", "Resource identity could not be resovled")
	e.Details = []*apierror.Error{{Code: "FailedToResolveResource", Message: "No workspace is known by the identifier '" + ident + "'.", Target: ident}}
	return e
}

// insufficientAccess is the query API's 403 for a workspace the caller may
// not query.
func insufficientAccess(ws *workspace.Workspace) *apierror.Error {
	return apierror.New(http.StatusForbidden, "InsufficientAccessError",
		"The provided credentials have insufficient access to perform the requested operation").
		Inner(apierror.New(http.StatusForbidden, "AuthorizationFailedError", "The caller may not query workspace '%s' (action %s).", ws.ResourceID(), authz.ActionQueryRead))
}

// allowed reports whether the caller of r may query ws, and when not
// answers 403: through ARM with ARM's AuthorizationFailed, on the query
// API's own paths with its InsufficientAccessError.
func (h *Handlers) allowed(w http.ResponseWriter, r *http.Request, ws *workspace.Workspace) bool {
	if strings.HasPrefix(strings.ToLower(r.URL.Path), "/subscriptions/") {
		return h.Server.Allowed(w, r, authz.ActionQueryRead, ws.ResourceID())
	}
	if p, ok := auth.FromContext(r.Context()); ok && h.Server.Authz.Allowed(p, authz.ActionQueryRead, ws.ResourceID()) {
		return true
	}
	apierror.Write(w, insufficientAccess(ws))
	return false
}

// serveQuery runs the query of r against primary and writes the answer.
func (h *Handlers) serveQuery(w http.ResponseWriter, r *http.Request, primary *workspace.Workspace) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	all := []*workspace.Workspace{primary}
	for _, ident := range p.Workspaces {
		ws, ok := h.Server.Workspaces.Resolve(ident)
		if !ok {
			apierror.Write(w, failedToResolve(ident))
			return
		}
		if !contains(all, ws) {
			all = append(all, ws)
		}
	}
	for _, ws := range all {
		if !h.allowed(w, r, ws) {
			return
		}
	}
	prefer := query.ParsePrefer(r.Header.Values("Prefer")...)
	if applied := prefer.Applied(h.Service.Limits()); applied != "" {
		w.Header().Set("Preference-Applied", applied)
	}
	resp, err := h.run(r.Context(), r, all, p, prefer)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeResponse(w, r, resp)
}

func contains(list []*workspace.Workspace, ws *workspace.Workspace) bool {
	for _, x := range list {
		if x == ws {
			return true
		}
	}
	return false
}

// run runs a query for the caller of r.
func (h *Handlers) run(ctx context.Context, r *http.Request, all []*workspace.Workspace, p QueryBody, prefer query.Prefer) (*query.Response, error) {
	pr, _ := auth.FromContext(r.Context())
	return h.Service.Run(ctx, query.Request{
		Workspaces:  all,
		Query:       p.Query,
		Timespan:    p.Timespan,
		URLTimespan: p.urlTimespan,
		Prefer:      prefer,
		User:        userKey(pr, r),
		Authorize: func(ws *workspace.Workspace, table string) bool {
			return pr != nil && h.Server.Authz.Allowed(pr, authz.QueryTableAction(table), authz.TableScope(ws.ResourceID(), table))
		},
		// workspace("x") sees only workspaces the caller may query; any
		// other is unknown, so a query cannot probe for workspaces.
		Resolve: func(ident string) (*workspace.Workspace, bool) {
			ws, ok := h.Server.Workspaces.Resolve(ident)
			if !ok || pr == nil || !h.Server.Authz.Allowed(pr, authz.ActionQueryRead, ws.ResourceID()) {
				return nil, false
			}
			return ws, true
		},
	})
}

// userKey keys the per-user limits: the caller's object id, else its
// application, else the client address.
func userKey(p *auth.Principal, r *http.Request) string {
	if p != nil && p.ObjectID != "" {
		return "oid:" + p.ObjectID
	}
	if p != nil && p.AppID != "" {
		return "app:" + p.AppID
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// writeError answers a failed query, logging it under its correlation id;
// a throttled one carries Retry-After.
func (h *Handlers) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		// The client went away; there is no one to answer.
		return
	}
	e, retry := query.AsAPIError(err)
	if e.CorrelationID == "" {
		// The query API names each failed request so that it can be found
		// in the service's log.
		e.CorrelationID = workspace.NewGUID()
	}
	if h.Server.Logf != nil {
		h.Server.Logf("query %s %s: %d %s (correlation id %s)", r.Method, r.URL.Path, e.Status, e.Code, e.CorrelationID)
	}
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(query.RetryAfterSeconds(retry)))
	}
	apierror.Write(w, e)
}

// acceptsGzip reports whether the client takes a gzip response.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, enc := range strings.Split(v, ",") {
			name, q, _ := strings.Cut(strings.TrimSpace(enc), ";")
			if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
				return true
			}
		}
	}
	return false
}

// writeResponse sends a 200 with v as JSON, gzip-compressed when the client
// accepts it.
func writeResponse(w http.ResponseWriter, r *http.Request, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "The response could not be encoded: %v", err))
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Age", "0")
	if !acceptsGzip(r) {
		hd.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data)
		return
	}
	hd.Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	gz := gzip.NewWriter(w)
	_, _ = gz.Write(data)
	_ = gz.Close()
}
