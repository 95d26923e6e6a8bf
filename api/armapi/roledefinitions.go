package armapi

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/authz"
)

// RBAC actions of the role definition routes.
const (
	actionRoleDefinitionRead   = "Microsoft.Authorization/roleDefinitions/read"
	actionRoleDefinitionWrite  = "Microsoft.Authorization/roleDefinitions/write"
	actionRoleDefinitionDelete = "Microsoft.Authorization/roleDefinitions/delete"
)

const roleDefinitionType = "Microsoft.Authorization/roleDefinitions"

// roleDefinitionJSON is a role definition as ARM sends it (api-version
// 2022-04-01).
type roleDefinitionJSON struct {
	ID         string                  `json:"id"`
	Name       string                  `json:"name"`
	Type       string                  `json:"type"`
	Properties roleDefinitionPropsJSON `json:"properties"`
}

type roleDefinitionPropsJSON struct {
	RoleName         string             `json:"roleName"`
	Type             string             `json:"type"`
	Description      string             `json:"description"`
	AssignableScopes []string           `json:"assignableScopes"`
	Permissions      []authz.Permission `json:"permissions"`
	CreatedOn        string             `json:"createdOn"`
	UpdatedOn        string             `json:"updatedOn"`
	CreatedBy        *string            `json:"createdBy"`
	UpdatedBy        *string            `json:"updatedBy"`
}

func definitionJSON(d authz.RoleDefinition, scope string) roleDefinitionJSON {
	return roleDefinitionJSON{
		ID: d.IDAt(scope), Name: d.Name, Type: roleDefinitionType,
		Properties: roleDefinitionPropsJSON{
			RoleName: d.RoleName, Type: d.RoleType, Description: d.Description,
			AssignableScopes: d.AssignableScopes, Permissions: d.Permissions,
			CreatedOn: armTime(d.CreatedOn), UpdatedOn: armTime(d.UpdatedOn),
			CreatedBy: optional(d.CreatedBy), UpdatedBy: optional(d.UpdatedBy),
		},
	}
}

// roleDefinitionBody is the PUT body of a custom role.
type roleDefinitionBody struct {
	Properties *struct {
		RoleName         string             `json:"roleName"`
		Description      string             `json:"description"`
		Type             string             `json:"type"`
		Permissions      []authz.Permission `json:"permissions"`
		AssignableScopes []string           `json:"assignableScopes"`
	} `json:"properties"`
}

func (h *Handlers) registerRoleDefinitions(rt *api.Router, scope string) {
	coll := scope + "/providers/Microsoft.Authorization/roleDefinitions"
	one := coll + "/{roleDefinition}"
	h.handle(rt, http.MethodGet, coll, func(w http.ResponseWriter, r *http.Request) { h.listDefinitions(w, r, expand(scope, r)) })
	h.handle(rt, http.MethodGet, one, func(w http.ResponseWriter, r *http.Request) { h.getDefinition(w, r, expand(scope, r)) })
	h.handle(rt, http.MethodPut, one, func(w http.ResponseWriter, r *http.Request) { h.putDefinition(w, r, expand(scope, r)) })
	h.handle(rt, http.MethodDelete, one, func(w http.ResponseWriter, r *http.Request) { h.deleteDefinition(w, r, expand(scope, r)) })
}

// visibleAt reports whether a role can be seen from scope: built-in roles
// everywhere, custom roles where one of their assignable scopes is at,
// above or below scope.
func visibleAt(d authz.RoleDefinition, scope string) bool {
	if d.RoleType == authz.BuiltInRole {
		return true
	}
	for _, s := range d.AssignableScopes {
		if authz.Within(scope, s) || authz.Within(s, scope) {
			return true
		}
	}
	return false
}

func (h *Handlers) listDefinitions(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionRoleDefinitionRead, scope) {
		return
	}
	roleName, roleType, err := parseDefinitionFilter(r.URL.Query().Get("$filter"))
	if err != nil {
		badRequest(w, "UnsupportedQuery", "%v", err)
		return
	}
	out := list[roleDefinitionJSON]{Value: []roleDefinitionJSON{}}
	for _, d := range h.Authz.RoleDefinitions() {
		if !visibleAt(d, scope) || roleName != "" && !strings.EqualFold(d.RoleName, roleName) || roleType != "" && !strings.EqualFold(d.RoleType, roleType) {
			continue
		}
		out.Value = append(out.Value, definitionJSON(d, scope))
	}
	api.WriteJSON(w, http.StatusOK, out)
}

// parseDefinitionFilter reads "roleName eq '{name}'" and "type eq
// 'BuiltInRole'|'CustomRole'", alone or joined with "and" (Terraform and
// the Azure CLI look roles up by name this way).
func parseDefinitionFilter(s string) (roleName, roleType string, err error) {
	if strings.TrimSpace(s) == "" {
		return "", "", nil
	}
	for _, term := range splitAnd(s) {
		low := strings.ToLower(term)
		var ok bool
		switch {
		case strings.HasPrefix(low, "rolename eq "):
			roleName, ok = quoted(term[len("rolename eq "):])
		case strings.HasPrefix(low, "type eq "):
			roleType, ok = quoted(term[len("type eq "):])
		}
		if !ok {
			return "", "", filterError("The filter '" + s + "' is not supported. Supported filters are roleName eq '{name}' and type eq '{type}'.")
		}
	}
	return roleName, roleType, nil
}

func (h *Handlers) getDefinition(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionRoleDefinitionRead, scope) {
		return
	}
	id := r.PathValue("roleDefinition")
	d, ok := h.Authz.RoleDefinition(id)
	if !ok || !visibleAt(d, scope) {
		apierror.Write(w, apierror.New(http.StatusNotFound, authz.CodeRoleDefinitionDoesNotExist,
			"The specified role definition with ID '%s' does not exist.", id))
		return
	}
	api.WriteJSON(w, http.StatusOK, definitionJSON(d, scope))
}

func (h *Handlers) putDefinition(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionRoleDefinitionWrite, scope) {
		return
	}
	if authz.SubscriptionOf(scope) == "" {
		badRequest(w, authz.CodeInvalidRoleDefinition, "Custom roles are created at a subscription or below, not at '%s'.", scope)
		return
	}
	var body roleDefinitionBody
	if !api.ReadJSON(w, r, &body) {
		return
	}
	if body.Properties == nil {
		badRequest(w, "InvalidRequestContent", "The request content was invalid: the 'properties' object is required.")
		return
	}
	p := body.Properties
	if p.Type != "" && !strings.EqualFold(p.Type, authz.CustomRole) {
		badRequest(w, authz.CodeInvalidRoleDefinition, "Only custom roles (type 'CustomRole') can be created.")
		return
	}
	d, created, err := h.Authz.PutRoleDefinition(authz.RoleDefinition{
		Name: r.PathValue("roleDefinition"), RoleName: p.RoleName, Description: p.Description,
		Permissions: p.Permissions, AssignableScopes: p.AssignableScopes, Scope: scope,
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
	api.WriteJSON(w, status, definitionJSON(d, scope))
}

func (h *Handlers) deleteDefinition(w http.ResponseWriter, r *http.Request, scope string) {
	if !h.Server.Allowed(w, r, actionRoleDefinitionDelete, scope) {
		return
	}
	d, found, err := h.Authz.DeleteRoleDefinition(r.PathValue("roleDefinition"))
	if err != nil {
		h.writeErr(w, err)
		return
	}
	if !found {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	api.WriteJSON(w, http.StatusOK, definitionJSON(d, scope))
}
