// Package authz is idlogs' Azure role-based access control: the built-in
// role definitions (with Azure's ids and actions), custom role definitions,
// role assignments kept durably in the state file, and the decision whether
// a caller may perform an action at an ARM scope, made as Azure makes it.
//
// A caller may perform action A at scope S when some role assignment for
// the caller's object id sits at S or at a scope containing S (see Within)
// and names a role one of whose permission blocks lists A (wildcards
// allowed) without excluding it: in Actions/NotActions for control-plane
// actions, in DataActions/NotDataActions for data actions (IsDataAction).
// There are no deny assignments and no group expansion: a token carries no
// group memberships, so assignments to groups never match a caller.
package authz

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/state"
)

// State kinds, keyed by lower-case id (assignments) or GUID (roles).
const (
	assignmentKind = "roleAssignments"
	roleKind       = "roleDefinitions"
)

// AssignmentPrefix is the path between a scope and a role assignment's
// name in its id.
const AssignmentPrefix = "/providers/Microsoft.Authorization/roleAssignments/"

// Principal types a role assignment may name.
var principalTypes = []string{"User", "Group", "ServicePrincipal", "ForeignGroup", "Device"}

// Assignment is one role assignment: a principal holds a role at a scope.
type Assignment struct {
	// ID is the full ARM id: Scope + AssignmentPrefix + Name.
	ID string `json:"id"`
	// Name is the assignment's GUID.
	Name  string `json:"name"`
	Scope string `json:"scope"`
	// RoleDefinitionID is the role's id. Assign accepts the subscription
	// form (/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}),
	// the tenant form (/providers/Microsoft.Authorization/roleDefinitions/{guid})
	// or a bare GUID and stores the role's id as read at the assignment's
	// scope (RoleDefinition.IDAt), as Azure reports it.
	RoleDefinitionID string `json:"roleDefinitionId"`
	PrincipalID      string `json:"principalId"`
	// PrincipalType is "User", "ServicePrincipal", "Group", "ForeignGroup"
	// or "Device".
	PrincipalType    string    `json:"principalType"`
	Description      string    `json:"description,omitempty"`
	Condition        string    `json:"condition,omitempty"`
	ConditionVersion string    `json:"conditionVersion,omitempty"`
	CreatedOn        time.Time `json:"createdOn"`
	UpdatedOn        time.Time `json:"updatedOn"`
	CreatedBy        string    `json:"createdBy,omitempty"`
	UpdatedBy        string    `json:"updatedBy,omitempty"`

	// normScope is NormalizeScope(Scope) and roleGUID the role's GUID,
	// set when the assignment is recorded.
	normScope, roleGUID string
}

// AssignmentID returns the id of the role assignment name at scope.
func AssignmentID(scope, name string) string {
	return strings.TrimSuffix(scope, "/") + AssignmentPrefix + name
}

// Error is a rejected request, with the ARM error code that names why.
type Error struct {
	Code    string
	Message string
}

// Error returns "code: message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ARM error codes of the role assignment and role definition APIs.
// RoleAssignmentExists, RoleAssignmentUpdateNotPermitted (with its
// message), InvalidRoleAssignmentId and RoleDefinitionDoesNotExist are
// seen in Azure's answers; InvalidPrincipalId, InvalidPrincipalType,
// InvalidRoleAssignmentScope, RoleDefinitionWithSameNameExists,
// InvalidRoleDefinition and RoleDefinitionHasAssignments follow Azure's
// naming but their exact use is unverified; ConditionNotSupported is
// idlogs' own.
const (
	CodeRoleAssignmentExists             = "RoleAssignmentExists"
	CodeRoleAssignmentNotFound           = "RoleAssignmentNotFound"
	CodeRoleAssignmentUpdateNotPermitted = "RoleAssignmentUpdateNotPermitted"
	CodeInvalidRoleAssignmentID          = "InvalidRoleAssignmentId"
	CodeInvalidPrincipalID               = "InvalidPrincipalId"
	CodeInvalidPrincipalType             = "InvalidPrincipalType"
	CodeRoleDefinitionDoesNotExist       = "RoleDefinitionDoesNotExist"
	CodeInvalidRoleAssignmentScope       = "InvalidRoleAssignmentScope"
	CodeConditionNotSupported            = "ConditionNotSupported"
	CodeRoleDefinitionWithSameNameExists = "RoleDefinitionWithSameNameExists"
	CodeInvalidRoleDefinition            = "InvalidRoleDefinition"
	CodeRoleDefinitionHasAssignments     = "RoleDefinitionHasAssignments"
)

// Authorizer holds the role definitions and assignments and answers access
// decisions. Its methods are safe for concurrent use; decisions read an
// in-memory copy that every change updates after it is durable.
type Authorizer struct {
	db  *state.DB
	now func() time.Time

	mu          sync.RWMutex
	builtin     map[string]*RoleDefinition // by lower-case GUID
	custom      map[string]*RoleDefinition // by lower-case GUID
	assignments map[string]*Assignment     // by lower-case id
	// byPrincipal indexes assignments by lower-case principal id, then
	// lower-case assignment id: decisions look at the caller's only.
	byPrincipal map[string]map[string]*Assignment
}

// Open loads the role assignments and custom roles recorded in db.
func Open(db *state.DB) (*Authorizer, error) {
	builtin, err := builtinRoles()
	if err != nil {
		return nil, err
	}
	a := &Authorizer{db: db, now: time.Now, builtin: builtin,
		custom: map[string]*RoleDefinition{}, assignments: map[string]*Assignment{},
		byPrincipal: map[string]map[string]*Assignment{}}
	err = db.List(assignmentKind, func(key string, raw json.RawMessage) error {
		as := new(Assignment)
		if err := json.Unmarshal(raw, as); err != nil {
			return fmt.Errorf("authz: role assignment %s: %w", key, err)
		}
		a.addLocked(key, as)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.List(roleKind, func(key string, raw json.RawMessage) error {
		d := new(RoleDefinition)
		if err := json.Unmarshal(raw, d); err != nil {
			return fmt.Errorf("authz: role definition %s: %w", key, err)
		}
		d.prepare()
		a.custom[key] = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// SetClock replaces the clock that stamps created and updated times.
func (a *Authorizer) SetClock(now func() time.Time) { a.now = now }

// Allowed reports whether p may perform action at scope (an ARM id such as
// a workspace's or a table's). It implements api.Authorizer.
func (a *Authorizer) Allowed(p *auth.Principal, action, scope string) bool {
	if p == nil || p.ObjectID == "" {
		return false
	}
	action = strings.ToLower(action)
	data := dataActions[action]
	scope = NormalizeScope(scope)
	a.mu.RLock()
	defer a.mu.RUnlock()
	for _, as := range a.byPrincipal[strings.ToLower(p.ObjectID)] {
		if !withinNormalized(scope, as.normScope) {
			continue
		}
		if as.Condition != "" {
			continue // never stored; see Assign
		}
		if d := a.roleByGUIDLocked(as.roleGUID); d != nil && d.grants(action, data) {
			return true
		}
	}
	return false
}

// roleLocked resolves a role definition id or GUID; a.mu is held.
func (a *Authorizer) roleLocked(id string) *RoleDefinition {
	return a.roleByGUIDLocked(RoleGUID(id))
}

// roleByGUIDLocked resolves a lower-case role GUID; a.mu is held.
func (a *Authorizer) roleByGUIDLocked(g string) *RoleDefinition {
	if d, ok := a.builtin[g]; ok {
		return d
	}
	return a.custom[g]
}

// RoleDefinition returns the role with the given id (either form) or GUID.
func (a *Authorizer) RoleDefinition(id string) (RoleDefinition, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if d := a.roleLocked(id); d != nil {
		return *d, true
	}
	return RoleDefinition{}, false
}

// RoleDefinitions returns every built-in and custom role, ordered by role
// name.
func (a *Authorizer) RoleDefinitions() []RoleDefinition {
	a.mu.RLock()
	out := make([]RoleDefinition, 0, len(a.builtin)+len(a.custom))
	for _, d := range a.builtin {
		out = append(out, *d)
	}
	for _, d := range a.custom {
		out = append(out, *d)
	}
	a.mu.RUnlock()
	slices.SortFunc(out, func(x, y RoleDefinition) int { return strings.Compare(x.RoleName, y.RoleName) })
	return out
}

// Assign creates the role assignment as.Name at as.Scope, or confirms an
// identical one. ID, CreatedOn and UpdatedOn are filled in; CreatedBy and
// UpdatedBy are taken from as. An empty PrincipalType means "User" (Azure
// looks the principal up in the directory; idlogs cannot yet, so any GUID
// is accepted as a principal). It reports whether the assignment is new.
//
// Errors (*Error): InvalidRoleAssignmentId for a name that is not a GUID,
// InvalidPrincipalId, InvalidPrincipalType, RoleDefinitionDoesNotExist,
// InvalidRoleAssignmentScope when the role may not be assigned there,
// RoleAssignmentExists when another assignment already gives the principal
// the role at the scope, RoleAssignmentUpdateNotPermitted when the name
// exists with another principal, role or scope, and ConditionNotSupported
// for an ABAC condition, which idlogs cannot evaluate and so refuses rather
// than grant more than was meant.
func (a *Authorizer) Assign(as Assignment) (Assignment, bool, error) {
	if !IsGUID(as.Name) {
		return Assignment{}, false, errorf(CodeInvalidRoleAssignmentID,
			"The role assignment ID '%s' is not valid. The role assignment ID must be a GUID.", as.Name)
	}
	if !IsGUID(as.PrincipalID) {
		return Assignment{}, false, errorf(CodeInvalidPrincipalID, "A valid principal ID must be provided for role assignment.")
	}
	if as.PrincipalType == "" {
		as.PrincipalType = "User"
	}
	if i := slices.IndexFunc(principalTypes, func(t string) bool { return strings.EqualFold(t, as.PrincipalType) }); i >= 0 {
		as.PrincipalType = principalTypes[i]
	} else {
		return Assignment{}, false, errorf(CodeInvalidPrincipalType,
			"The principal type '%s' is not valid. It must be one of %s.", as.PrincipalType, strings.Join(principalTypes, ", "))
	}
	if as.Condition != "" || as.ConditionVersion != "" {
		return Assignment{}, false, errorf(CodeConditionNotSupported,
			"Role assignment conditions are not supported by this server; create the assignment without a condition.")
	}
	if as.Scope == "" {
		as.Scope = "/"
	}
	as.ID = AssignmentID(as.Scope, as.Name)
	key := strings.ToLower(as.ID)

	a.mu.Lock()
	defer a.mu.Unlock()
	role := a.roleLocked(as.RoleDefinitionID)
	if role == nil {
		return Assignment{}, false, errorf(CodeRoleDefinitionDoesNotExist,
			"The specified role definition with ID '%s' does not exist.", RoleGUID(as.RoleDefinitionID))
	}
	if !slices.ContainsFunc(role.AssignableScopes, func(s string) bool { return Within(as.Scope, s) }) {
		return Assignment{}, false, errorf(CodeInvalidRoleAssignmentScope,
			"The role '%s' cannot be assigned at scope '%s': it is assignable only at %s.", role.RoleName, as.Scope, strings.Join(role.AssignableScopes, ", "))
	}
	as.RoleDefinitionID = role.IDAt(as.Scope)
	now := a.now().UTC()
	if old, ok := a.assignments[key]; ok {
		if !strings.EqualFold(old.PrincipalID, as.PrincipalID) || RoleGUID(old.RoleDefinitionID) != RoleGUID(as.RoleDefinitionID) {
			return Assignment{}, false, errorf(CodeRoleAssignmentUpdateNotPermitted,
				"Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")
		}
		upd := *old
		upd.Description, upd.UpdatedOn, upd.UpdatedBy = as.Description, now, as.UpdatedBy
		if err := a.db.Put(assignmentKind, key, &upd); err != nil {
			return Assignment{}, false, err
		}
		*old = upd
		return upd, false, nil
	}
	for _, o := range a.byPrincipal[strings.ToLower(as.PrincipalID)] {
		if RoleGUID(o.RoleDefinitionID) == RoleGUID(as.RoleDefinitionID) && NormalizeScope(o.Scope) == NormalizeScope(as.Scope) {
			return Assignment{}, false, errorf(CodeRoleAssignmentExists, "The role assignment already exists.")
		}
	}
	as.CreatedOn, as.UpdatedOn = now, now
	if as.UpdatedBy == "" {
		as.UpdatedBy = as.CreatedBy
	}
	if err := a.db.Put(assignmentKind, key, &as); err != nil {
		return Assignment{}, false, err
	}
	a.addLocked(key, &as)
	return as, true, nil
}

// Assignment returns the role assignment with the given id.
func (a *Authorizer) Assignment(id string) (Assignment, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if as, ok := a.assignments[strings.ToLower(id)]; ok {
		return *as, true
	}
	return Assignment{}, false
}

// Unassign deletes the role assignment with the given id and returns it;
// found is false when there was none.
func (a *Authorizer) Unassign(id string) (as Assignment, found bool, err error) {
	key := strings.ToLower(id)
	a.mu.Lock()
	defer a.mu.Unlock()
	old, ok := a.assignments[key]
	if !ok {
		return Assignment{}, false, nil
	}
	if _, err := a.db.Delete(assignmentKind, key); err != nil {
		return Assignment{}, false, err
	}
	delete(a.assignments, key)
	delete(a.byPrincipal[strings.ToLower(old.PrincipalID)], key)
	return *old, true, nil
}

// addLocked records as under key in both maps; a.mu is held (or a is not
// yet shared).
func (a *Authorizer) addLocked(key string, as *Assignment) {
	as.normScope, as.roleGUID = NormalizeScope(as.Scope), RoleGUID(as.RoleDefinitionID)
	a.assignments[key] = as
	p := strings.ToLower(as.PrincipalID)
	if a.byPrincipal[p] == nil {
		a.byPrincipal[p] = map[string]*Assignment{}
	}
	a.byPrincipal[p][key] = as
}

// Filter narrows List as ARM's $filter does.
type Filter struct {
	// AtScope keeps assignments at the scope or above it (atScope()); by
	// default those below it are listed too.
	AtScope bool
	// PrincipalID keeps one principal's assignments (principalId eq '...').
	PrincipalID string
}

// List returns the role assignments that concern scope, ordered by id:
// those at the scope, at its parents and (unless f.AtScope) at its
// descendants.
func (a *Authorizer) List(scope string, f Filter) []Assignment {
	a.mu.RLock()
	var out []Assignment
	for _, as := range a.assignments {
		if f.PrincipalID != "" && !strings.EqualFold(as.PrincipalID, f.PrincipalID) {
			continue
		}
		above := Within(scope, as.Scope)
		below := !f.AtScope && Within(as.Scope, scope)
		if above || below {
			out = append(out, *as)
		}
	}
	a.mu.RUnlock()
	slices.SortFunc(out, func(x, y Assignment) int { return strings.Compare(strings.ToLower(x.ID), strings.ToLower(y.ID)) })
	return out
}
