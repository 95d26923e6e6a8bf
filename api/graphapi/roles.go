package graphapi

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/tenant"
)

// roleAssignment is Graph's unifiedRoleAssignment.
type roleAssignment struct {
	ID               string `json:"id"`
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	DirectoryScopeID string `json:"directoryScopeId"`
}

func roleAssignmentOf(ra *tenant.RoleAssignment) roleAssignment {
	return roleAssignment{ID: ra.ID, PrincipalID: ra.PrincipalID, RoleDefinitionID: ra.RoleDefinitionID, DirectoryScopeID: ra.DirectoryScopeID}
}

const assignmentsSet = "roleManagement/directory/roleAssignments"

func (h *Handlers) listRoleAssignments(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	prop, value, ok := h.eqFilter(w, r, "UnifiedRoleAssignment", "principalId", "roleDefinitionId")
	if !ok {
		return
	}
	all, err := h.Dir.RoleAssignments()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var items []any
	for _, ra := range all {
		if prop == "" || strings.EqualFold(map[string]string{"principalId": ra.PrincipalID, "roleDefinitionId": ra.RoleDefinitionID}[prop], value) {
			items = append(items, roleAssignmentOf(ra))
		}
	}
	h.collection(w, r, assignmentsSet, items)
}

func (h *Handlers) getRoleAssignment(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	ra, err := h.Dir.RoleAssignment(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entity(w, http.StatusOK, assignmentsSet, roleAssignmentOf(ra))
}

func (h *Handlers) createRoleAssignment(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	var b roleAssignment
	if !h.readBody(w, r, &b) {
		return
	}
	if b.PrincipalID == "" || b.RoleDefinitionID == "" {
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "A role assignment needs principalId and roleDefinitionId.")
		return
	}
	if b.DirectoryScopeID != "/" {
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest",
			"idlogs assigns directory roles tenant-wide only: directoryScopeId must be '/', not '"+b.DirectoryScopeID+"'.")
		return
	}
	ra, _, err := h.Dir.AssignRole(r.Context(), by, b.PrincipalID, b.RoleDefinitionID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entity(w, http.StatusCreated, assignmentsSet, roleAssignmentOf(ra))
}

func (h *Handlers) deleteRoleAssignment(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	if _, err := h.Dir.RemoveRoleAssignment(r.Context(), by, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// roleDefinition is Graph's unifiedRoleDefinition for a built-in role.
type roleDefinition struct {
	ID              string `json:"id"`
	DisplayName     string `json:"displayName"`
	Description     string `json:"description"`
	IsBuiltIn       bool   `json:"isBuiltIn"`
	IsEnabled       bool   `json:"isEnabled"`
	IsPrivileged    bool   `json:"isPrivileged"`
	TemplateID      string `json:"templateId"`
	Version         string `json:"version"`
	RolePermissions []any  `json:"rolePermissions"`
}

func roleDefinitionOf(d tenant.RoleDefinition) roleDefinition {
	return roleDefinition{ID: d.ID, DisplayName: d.DisplayName, Description: d.Description, IsBuiltIn: true, IsEnabled: true,
		IsPrivileged: d.Privileged, TemplateID: d.ID, Version: "1", RolePermissions: []any{}}
}

func (h *Handlers) listRoleDefinitions(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	prop, value, ok := h.eqFilter(w, r, "UnifiedRoleDefinition", "displayName", "templateId", "id")
	if !ok {
		return
	}
	var items []any
	for _, d := range tenant.RoleDefinitions() {
		if prop == "" || strings.EqualFold(map[string]string{"displayName": d.DisplayName, "templateId": d.ID, "id": d.ID}[prop], value) {
			items = append(items, roleDefinitionOf(d))
		}
	}
	h.collection(w, r, "roleManagement/directory/roleDefinitions", items)
}

func (h *Handlers) getRoleDefinition(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	d, ok := tenant.RoleDefinitionByID(r.PathValue("id"))
	if !ok {
		h.writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+r.PathValue("id")+"' does not exist or one of its queried reference-property objects are not present.")
		return
	}
	entity(w, http.StatusOK, "roleManagement/directory/roleDefinitions", roleDefinitionOf(d))
}
