package armapi

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/authz"
)

// RBAC actions of the Microsoft.Authorization routes.
const (
	actionAssignmentRead   = "Microsoft.Authorization/roleAssignments/read"
	actionAssignmentWrite  = "Microsoft.Authorization/roleAssignments/write"
	actionAssignmentDelete = "Microsoft.Authorization/roleAssignments/delete"
)

const roleAssignmentType = "Microsoft.Authorization/roleAssignments"

// roleAssignmentJSON is a role assignment as ARM sends it (api-version
// 2022-04-01).
type roleAssignmentJSON struct {
	ID         string                  `json:"id"`
	Name       string                  `json:"name"`
	Type       string                  `json:"type"`
	Properties roleAssignmentPropsJSON `json:"properties"`
}

type roleAssignmentPropsJSON struct {
	RoleDefinitionID                   string  `json:"roleDefinitionId"`
	PrincipalID                        string  `json:"principalId"`
	PrincipalType                      string  `json:"principalType"`
	Scope                              string  `json:"scope"`
	Condition                          *string `json:"condition"`
	ConditionVersion                   *string `json:"conditionVersion"`
	CreatedOn                          string  `json:"createdOn"`
	UpdatedOn                          string  `json:"updatedOn"`
	CreatedBy                          string  `json:"createdBy"`
	UpdatedBy                          string  `json:"updatedBy"`
	DelegatedManagedIdentityResourceID *string `json:"delegatedManagedIdentityResourceId"`
	Description                        *string `json:"description"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func assignmentJSON(a authz.Assignment) roleAssignmentJSON {
	return roleAssignmentJSON{
		ID: a.ID, Name: a.Name, Type: roleAssignmentType,
		Properties: roleAssignmentPropsJSON{
			RoleDefinitionID: a.RoleDefinitionID, PrincipalID: a.PrincipalID, PrincipalType: a.PrincipalType,
			Scope: a.Scope, Condition: optional(a.Condition), ConditionVersion: optional(a.ConditionVersion),
			CreatedOn: armTime(a.CreatedOn), UpdatedOn: armTime(a.UpdatedOn), CreatedBy: a.CreatedBy, UpdatedBy: a.UpdatedBy,
			Description: optional(a.Description),
		},
	}
}

// roleAssignmentBody is the PUT body.
type roleAssignmentBody struct {
	Properties *struct {
		RoleDefinitionID                   string `json:"roleDefinitionId"`
		PrincipalID                        string `json:"principalId"`
		PrincipalType                      string `json:"principalType"`
		Description                        string `json:"description"`
		Condition                          string `json:"condition"`
		ConditionVersion                   string `json:"conditionVersion"`
		DelegatedManagedIdentityResourceID string `json:"delegatedManagedIdentityResourceId"`
	} `json:"properties"`
}

func (h *Handlers) registerRoleAssignments(rt *api.Router, scope string) {
	coll := scope + "/providers/Microsoft.Authorization/roleAssignments"
	one := coll + "/{assignment}"
	h.handle(rt, http.MethodPut, one, func(w http.ResponseWriter, r *http.Request) { h.putAssignment(w, r, expand(scope, r)) })
	h.handle(rt, http.MethodGet, one, func(w http.ResponseWriter, r *http.Request) { h.getAssignment(w, r, expand(scope, r)) })
	h.handle(rt, http.MethodDelete, one, func(w http.ResponseWriter, r *http.Request) { h.deleteAssignment(w, r, expand(scope, r)) })
	h.handle(rt, http.MethodGet, coll, func(w http.ResponseWriter, r *http.Request) { h.listAssignments(w, r, expand(scope, r)) })
}

func (h *Handlers) putAssignment(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionAssignmentWrite, scope) {
		return
	}
	var body roleAssignmentBody
	if !api.ReadJSON(w, r, &body) {
		return
	}
	if body.Properties == nil {
		badRequest(w, "InvalidRequestContent", "The request content was invalid: the 'properties' object is required.")
		return
	}
	p := body.Properties
	if p.DelegatedManagedIdentityResourceID != "" {
		badRequest(w, "InvalidRequestContent", "delegatedManagedIdentityResourceId is not supported by this server.")
		return
	}
	a, created, err := h.Authz.Assign(authz.Assignment{
		Name: r.PathValue("assignment"), Scope: scope, RoleDefinitionID: p.RoleDefinitionID,
		PrincipalID: p.PrincipalID, PrincipalType: p.PrincipalType, Description: p.Description,
		Condition: p.Condition, ConditionVersion: p.ConditionVersion,
		CreatedBy: caller(r), UpdatedBy: caller(r),
	})
	if err != nil {
		h.writeErr(w, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	api.WriteJSON(w, status, assignmentJSON(a))
}

func (h *Handlers) getAssignment(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionAssignmentRead, scope) {
		return
	}
	name := r.PathValue("assignment")
	a, ok := h.Authz.Assignment(authz.AssignmentID(scope, name))
	if !ok {
		apierror.Write(w, apierror.New(http.StatusNotFound, authz.CodeRoleAssignmentNotFound, "The role assignment '%s' is not found.", name))
		return
	}
	api.WriteJSON(w, http.StatusOK, assignmentJSON(a))
}

func (h *Handlers) deleteAssignment(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionAssignmentDelete, scope) {
		return
	}
	a, found, err := h.Authz.Unassign(authz.AssignmentID(scope, r.PathValue("assignment")))
	if err != nil {
		h.writeErr(w, err)
		return
	}
	if !found {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	api.WriteJSON(w, http.StatusOK, assignmentJSON(a))
}

func (h *Handlers) listAssignments(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionAssignmentRead, scope) {
		return
	}
	f, err := parseAssignmentFilter(r.URL.Query().Get("$filter"))
	if err != nil {
		badRequest(w, "UnsupportedQuery", "%v", err)
		return
	}
	out := list[roleAssignmentJSON]{Value: []roleAssignmentJSON{}}
	for _, a := range h.Authz.List(scope, f) {
		out.Value = append(out.Value, assignmentJSON(a))
	}
	api.WriteJSON(w, http.StatusOK, out)
}

// parseAssignmentFilter reads the $filter forms ARM documents for role
// assignment lists: "atScope()", "principalId eq '{id}'",
// "assignedTo('{id}')" (the principal's own assignments; group expansion
// is not done) and their conjunction with "and".
func parseAssignmentFilter(s string) (authz.Filter, error) {
	var f authz.Filter
	if strings.TrimSpace(s) == "" {
		return f, nil
	}
	for _, term := range splitAnd(s) {
		low := strings.ToLower(term)
		switch {
		case low == "atscope()":
			f.AtScope = true
		case strings.HasPrefix(low, "principalid eq "):
			v, ok := quoted(term[len("principalid eq "):])
			if !ok {
				return f, errFilter(s)
			}
			f.PrincipalID = v
		case strings.HasPrefix(low, "assignedto(") && strings.HasSuffix(low, ")"):
			v, ok := quoted(term[len("assignedto(") : len(term)-1])
			if !ok {
				return f, errFilter(s)
			}
			f.PrincipalID = v
		default:
			return f, errFilter(s)
		}
	}
	return f, nil
}

func splitAnd(s string) []string {
	var out []string
	for {
		i := strings.Index(strings.ToLower(s), " and ")
		if i < 0 {
			return append(out, strings.TrimSpace(s))
		}
		out = append(out, strings.TrimSpace(s[:i]))
		s = s[i+len(" and "):]
	}
}

// quoted returns the content of a single-quoted OData string literal.
func quoted(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), true
}

type filterError string

func (e filterError) Error() string { return string(e) }

func errFilter(s string) error {
	return filterError("The filter '" + s + "' is not supported. Supported filters are atScope(), principalId eq '{id}' and assignedTo('{id}'), joined with 'and'.")
}
