package authz

import (
	"slices"
	"strings"
)

// PutRoleDefinition creates or updates the custom role d.Name, created at
// d.Scope (a subscription or below). Azure's way to grant one table of a
// workspace is such a role with the action
// "Microsoft.OperationalInsights/workspaces/query/{table}/read". CreatedOn
// and UpdatedOn are filled in, RoleType is CustomRole. It reports whether
// the role is new.
//
// Errors (*Error): InvalidRoleDefinition for a name that is not a GUID or
// names a built-in role, a missing role name, no permissions or no
// assignable scopes; RoleDefinitionWithSameNameExists when another custom
// role has the role name.
func (a *Authorizer) PutRoleDefinition(d RoleDefinition) (RoleDefinition, bool, error) {
	if !IsGUID(d.Name) {
		return RoleDefinition{}, false, errorf(CodeInvalidRoleDefinition, "The role definition ID '%s' is not valid. It must be a GUID.", d.Name)
	}
	if strings.TrimSpace(d.RoleName) == "" {
		return RoleDefinition{}, false, errorf(CodeInvalidRoleDefinition, "The role definition must have a roleName.")
	}
	if len(d.Permissions) == 0 {
		return RoleDefinition{}, false, errorf(CodeInvalidRoleDefinition, "The role definition must have at least one permissions entry.")
	}
	if len(d.AssignableScopes) == 0 {
		return RoleDefinition{}, false, errorf(CodeInvalidRoleDefinition, "The role definition must have at least one assignable scope.")
	}
	for _, s := range d.AssignableScopes {
		if d.Scope != "" && !Within(s, d.Scope) {
			return RoleDefinition{}, false, errorf(CodeInvalidRoleDefinition,
				"The assignable scope '%s' is not within the scope '%s' the role definition is created at.", s, d.Scope)
		}
	}
	for i := range d.Permissions {
		p := &d.Permissions[i]
		for _, l := range []*[]string{&p.Actions, &p.NotActions, &p.DataActions, &p.NotDataActions} {
			if *l == nil {
				*l = []string{}
			}
		}
	}
	key := strings.ToLower(d.Name)
	d.RoleType = CustomRole

	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.builtin[key]; ok {
		return RoleDefinition{}, false, errorf(CodeInvalidRoleDefinition, "The role definition '%s' is a built-in role and cannot be changed.", d.Name)
	}
	for k, o := range a.custom {
		if k != key && strings.EqualFold(o.RoleName, d.RoleName) {
			return RoleDefinition{}, false, errorf(CodeRoleDefinitionWithSameNameExists,
				"A custom role with the same name already exists in this directory. Use a different name.")
		}
	}
	now := a.now().UTC()
	old, exists := a.custom[key]
	d.CreatedOn, d.UpdatedOn = now, now
	if exists {
		d.CreatedOn, d.CreatedBy, d.Scope = old.CreatedOn, old.CreatedBy, old.Scope
	} else if d.UpdatedBy == "" {
		d.UpdatedBy = d.CreatedBy
	}
	if err := a.db.Put(roleKind, key, &d); err != nil {
		return RoleDefinition{}, false, err
	}
	d.prepare()
	a.custom[key] = &d
	return d, !exists, nil
}

// DeleteRoleDefinition deletes the custom role with the given id or GUID
// and returns it; found is false when there is none. A role still named by
// an assignment is not deleted (RoleDefinitionHasAssignments).
func (a *Authorizer) DeleteRoleDefinition(id string) (d RoleDefinition, found bool, err error) {
	key := RoleGUID(id)
	a.mu.Lock()
	defer a.mu.Unlock()
	old, ok := a.custom[key]
	if !ok {
		return RoleDefinition{}, false, nil
	}
	if slices.ContainsFunc(mapValues(a.assignments), func(as *Assignment) bool { return RoleGUID(as.RoleDefinitionID) == key }) {
		return RoleDefinition{}, false, errorf(CodeRoleDefinitionHasAssignments,
			"There are existing role assignments referencing role (code: RoleDefinitionHasAssignments).")
	}
	if _, err := a.db.Delete(roleKind, key); err != nil {
		return RoleDefinition{}, false, err
	}
	delete(a.custom, key)
	return *old, true, nil
}

func mapValues[K comparable, V any](m map[K]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
