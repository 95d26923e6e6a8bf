package queryapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/query"
)

// maxBatchItems bounds the requests of one batch.
const maxBatchItems = 100

// BatchRequest is the body of POST /v1/$batch.
type BatchRequest struct {
	Requests []BatchItem `json:"requests"`
}

// BatchItem is one query of a batch. Method defaults to GET, which ignores
// Body; Path must be /query; Workspace is the workspace's identifier.
type BatchItem struct {
	ID        string            `json:"id"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      *QueryBody        `json:"body,omitempty"`
	Method    string            `json:"method,omitempty"`
	Path      string            `json:"path"`
	Workspace string            `json:"workspace"`
}

// BatchResponse is the answer to a batch: one response per item, in the
// order they completed.
type BatchResponse struct {
	Responses []BatchItemResponse `json:"responses"`
}

// BatchItemResponse is one item's answer.
type BatchItemResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

func (h *Handlers) batch(w http.ResponseWriter, r *http.Request) {
	setHeaders(w)
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		apierror.Write(w, invalidJSON("The request body could not be read: "+err.Error()))
		return
	}
	var req BatchRequest
	if err := json.Unmarshal(data, &req); err != nil {
		apierror.Write(w, invalidJSON("The batch body is not a JSON object with a requests array: "+err.Error()))
		return
	}
	if e := validateBatch(req.Requests); e != nil {
		apierror.Write(w, e)
		return
	}
	done := make(chan BatchItemResponse, len(req.Requests))
	for _, it := range req.Requests {
		go func() { done <- h.batchItem(r, it) }()
	}
	resp := BatchResponse{Responses: make([]BatchItemResponse, 0, len(req.Requests))}
	for range req.Requests {
		resp.Responses = append(resp.Responses, <-done)
	}
	writeResponse(w, r, resp)
}

// validateBatch checks what fails a whole batch: no requests, too many,
// an item without id or workspace, or two items with one id.
func validateBatch(items []BatchItem) *apierror.Error {
	bad := func(format string, args ...any) *apierror.Error {
		return apierror.New(http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties").
			Inner(apierror.New(http.StatusBadRequest, "QueryValidationError", format, args...))
	}
	if len(items) == 0 {
		return bad("The batch has no requests.")
	}
	if len(items) > maxBatchItems {
		return bad("The batch has %d requests; the most is %d.", len(items), maxBatchItems)
	}
	seen := map[string]bool{}
	for i, it := range items {
		switch {
		case it.ID == "":
			return bad("Request %d of the batch has no id.", i+1)
		case it.Workspace == "":
			return bad("Request '%s' of the batch names no workspace.", it.ID)
		case seen[it.ID]:
			return bad("Two requests of the batch have the id '%s'; ids must be unique.", it.ID)
		}
		seen[it.ID] = true
	}
	return nil
}

// batchItem runs one item of a batch for the caller of r.
func (h *Handlers) batchItem(r *http.Request, it BatchItem) BatchItemResponse {
	out := BatchItemResponse{ID: it.ID, Headers: map[string]string{"Age": "0"}}
	fail := func(e *apierror.Error) BatchItemResponse {
		out.Status = e.Status
		out.Body = map[string]any{"error": e}
		return out
	}
	u, err := url.Parse(it.Path)
	if err != nil || !strings.EqualFold(strings.TrimSuffix(u.Path, "/"), "/query") {
		return fail(apierror.New(http.StatusNotFound, "PathNotFoundError", "The requested path does not exist"))
	}
	var p QueryBody
	switch strings.ToUpper(it.Method) {
	case "", http.MethodGet:
		q := u.Query()
		p = QueryBody{Query: q.Get("query"), Timespan: q.Get("timespan"), Workspaces: splitList(q.Get("workspaces"))}
	case http.MethodPost:
		if it.Body != nil {
			p = *it.Body
		}
	default:
		return fail(apierror.New(http.StatusMethodNotAllowed, "MethodNotAllowed", "The requested method %s is not allowed on this path.", it.Method))
	}
	pr, _ := auth.FromContext(r.Context())
	var all []*workspace.Workspace
	for _, ident := range append([]string{it.Workspace}, p.Workspaces...) {
		ws, ok := h.Server.Workspaces.Resolve(ident)
		if !ok {
			return fail(failedToResolve(ident))
		}
		if pr == nil || !h.Server.Authz.Allowed(pr, authz.ActionQueryRead, ws.ResourceID()) {
			return fail(insufficientAccess(ws))
		}
		if !contains(all, ws) {
			all = append(all, ws)
		}
	}
	var prefer []string
	for k, v := range it.Headers {
		if strings.EqualFold(k, "Prefer") {
			prefer = append(prefer, v)
		}
	}
	resp, err := h.run(r.Context(), r, all, p, query.ParsePrefer(prefer...))
	if err != nil {
		e, retry := query.AsAPIError(err)
		if retry > 0 {
			out.Headers["Retry-After"] = strconv.Itoa(query.RetryAfterSeconds(retry))
		}
		return fail(e)
	}
	out.Status = http.StatusOK
	out.Body = resp
	return out
}
