// Package armapi serves the Azure Resource Manager resources of idlogs:
// Log Analytics workspaces, their tables and saved searches (provider
// Microsoft.OperationalInsights) and Azure RBAC role assignments and role
// definitions (provider Microsoft.Authorization), in ARM's JSON shapes.
//
// Every route runs through api.Server.ARM (an ARM-audience token and an
// api-version) and checks the caller's right to the route's action at the
// resource's scope with api.Server.Allowed before it reads or changes
// anything.
package armapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/authz"
)

// Handlers serves the ARM routes. Server provides authentication, the
// access check and the workspace registry; Authz holds the role
// assignments and definitions the Microsoft.Authorization routes manage
// (normally also Server.Authz).
type Handlers struct {
	Server *api.Server
	Authz  *authz.Authorizer
	// Now is the clock of computed times (a workspace's next quota
	// reset); nil means time.Now.
	Now func() time.Time
}

// Route patterns of the ARM resources.
const (
	subPattern       = "/subscriptions/{sub}"
	rgPattern        = subPattern + "/resourceGroups/{rg}"
	workspacePattern = rgPattern + "/providers/Microsoft.OperationalInsights/workspaces/{ws}"
	tablePattern     = workspacePattern + "/tables/{table}"
)

// scopePatterns are the scopes role assignments and definitions are served
// at; the router's "{rest...}" only matches a path's end, so each level has
// its own routes. "" is the tenant root.
var scopePatterns = []string{
	"",
	"/providers/Microsoft.aadiam",
	subPattern,
	rgPattern,
	workspacePattern,
	tablePattern,
	savedSearchPattern,
	// Any other resource of a resource group, such as the data collection
	// rule a Monitoring Metrics Publisher assignment names.
	rgPattern + "/providers/{namespace}/{type}/{resource}",
}

// Register adds the ARM routes to rt.
func (h *Handlers) Register(rt *api.Router) {
	h.registerWorkspaces(rt)
	h.registerTables(rt)
	h.registerSavedSearches(rt)
	for _, scope := range scopePatterns {
		h.registerRoleAssignments(rt, scope)
		h.registerRoleDefinitions(rt, scope)
	}
}

// handle registers f for method and pattern behind Server.ARM.
func (h *Handlers) handle(rt *api.Router, method, pattern string, f http.HandlerFunc) {
	rt.Handle(method, pattern, h.Server.ARM(f))
}

// expand returns pattern with its "{name}" segments replaced by the
// request's path values: the scope in its canonical spelling ("/" for the
// empty pattern).
func expand(pattern string, r *http.Request) string {
	if pattern == "" {
		return "/"
	}
	segs := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = r.PathValue(s[1 : len(s)-1])
		}
	}
	return "/" + strings.Join(segs, "/")
}

// caller returns the object id of the request's principal.
func caller(r *http.Request) string {
	if p, ok := auth.FromContext(r.Context()); ok {
		return p.ObjectID
	}
	return ""
}

// armTime formats t as ARM does: UTC, RFC 3339 with fractional seconds.
func armTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// writeErr answers err: an authz.Error with its code and status, anything
// else as 500 InternalServerError.
func (h *Handlers) writeErr(w http.ResponseWriter, err error) {
	var ae *authz.Error
	if errors.As(err, &ae) {
		status := http.StatusBadRequest
		switch ae.Code {
		case authz.CodeRoleAssignmentExists, authz.CodeRoleDefinitionWithSameNameExists, authz.CodeRoleDefinitionHasAssignments:
			status = http.StatusConflict
		case authz.CodeRoleAssignmentNotFound:
			status = http.StatusNotFound
		}
		apierror.Write(w, apierror.New(status, ae.Code, "%s", ae.Message))
		return
	}
	if h.Server.Logf != nil {
		h.Server.Logf("arm: %v", err)
	}
	apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "The server could not complete the request: %v", err))
}

// badRequest answers 400 with code and message.
func badRequest(w http.ResponseWriter, code, format string, args ...any) {
	apierror.Write(w, apierror.New(http.StatusBadRequest, code, format, args...))
}

// list is ARM's collection envelope.
type list[T any] struct {
	Value []T `json:"value"`
}
