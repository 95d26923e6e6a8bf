package authz

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// RoleDefinitionPrefix is the path before a role definition's GUID in its
// tenant-level id; a subscription-level id puts "/subscriptions/{sub}" in
// front of it.
const RoleDefinitionPrefix = "/providers/Microsoft.Authorization/roleDefinitions/"

// Role types as ARM reports them in properties.type.
const (
	BuiltInRole = "BuiltInRole"
	CustomRole  = "CustomRole"
)

// Permission is one permissions block of a role definition. Azure grants
// a control-plane action when it matches an entry of Actions and no entry
// of NotActions of the same block, and a data action likewise with
// DataActions and NotDataActions. Entries may contain "*", which matches
// any run of characters, "/" included; matching ignores case.
type Permission struct {
	Actions        []string `json:"actions"`
	NotActions     []string `json:"notActions"`
	DataActions    []string `json:"dataActions"`
	NotDataActions []string `json:"notDataActions"`
}

// RoleDefinition is a built-in or custom Azure role.
type RoleDefinition struct {
	// Name is the role's GUID, the last segment of its id.
	Name        string `json:"name"`
	RoleName    string `json:"roleName"`
	Description string `json:"description"`
	// RoleType is BuiltInRole or CustomRole.
	RoleType         string       `json:"roleType"`
	Permissions      []Permission `json:"permissions"`
	AssignableScopes []string     `json:"assignableScopes"`
	// Scope is where a custom role was created ("/subscriptions/{sub}");
	// empty for built-in roles, which exist at every scope.
	Scope     string    `json:"scope,omitempty"`
	CreatedOn time.Time `json:"createdOn"`
	UpdatedOn time.Time `json:"updatedOn"`
	CreatedBy string    `json:"createdBy,omitempty"`
	UpdatedBy string    `json:"updatedBy,omitempty"`

	// lowered holds Permissions in lower case for decisions; set by
	// prepare.
	lowered []Permission
}

// prepare computes the lower-case permissions decisions compare with.
func (d *RoleDefinition) prepare() {
	lower := func(l []string) []string {
		out := make([]string, len(l))
		for i, s := range l {
			out[i] = strings.ToLower(s)
		}
		return out
	}
	d.lowered = make([]Permission, len(d.Permissions))
	for i, p := range d.Permissions {
		d.lowered[i] = Permission{lower(p.Actions), lower(p.NotActions), lower(p.DataActions), lower(p.NotDataActions)}
	}
}

// IDAt returns the role's id as ARM writes it when the role is read at
// scope: built-in roles read at a subscription or below carry that
// subscription, read at the tenant root they carry none.
func (d *RoleDefinition) IDAt(scope string) string {
	if d.RoleType == CustomRole && d.Scope != "" {
		return strings.TrimSuffix(d.Scope, "/") + RoleDefinitionPrefix + d.Name
	}
	if sub := SubscriptionOf(scope); sub != "" {
		return "/subscriptions/" + sub + RoleDefinitionPrefix + d.Name
	}
	return RoleDefinitionPrefix + d.Name
}

// grants reports whether the role allows action, which is in lower case;
// data selects the data-plane lists.
func (d *RoleDefinition) grants(action string, data bool) bool {
	for _, p := range d.lowered {
		allow, deny := p.Actions, p.NotActions
		if data {
			allow, deny = p.DataActions, p.NotDataActions
		}
		if matchAny(allow, action) && !matchAny(deny, action) {
			return true
		}
	}
	return false
}

func matchAny(patterns []string, action string) bool {
	for _, p := range patterns {
		if globMatch(p, action) {
			return true
		}
	}
	return false
}

// MatchAction reports whether the action pattern of a role definition
// (such as "*/read" or "Microsoft.Authorization/*/Write") matches action.
// "*" matches any run of characters including "/"; case is ignored.
func MatchAction(pattern, action string) bool {
	return globMatch(strings.ToLower(pattern), strings.ToLower(action))
}

// globMatch matches p (with "*" wildcards) against s, both lower-case.
func globMatch(p, s string) bool {
	// Iterative matching with backtracking to the last star.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// dataActions are the data-plane operations idlogs serves. Azure marks each
// operation of a resource provider as data or control plane (the
// isDataAction flag of its operations list); a role's Actions never grant a
// data action and its DataActions never grant a control-plane one, so
// Owner's "*" does not let it send logs.
var dataActions = map[string]bool{
	"microsoft.insights/telemetry/write":                        true,
	"microsoft.insights/metrics/write":                          true,
	"microsoft.operationalinsights/workspaces/tables/data/read": true,
}

// IsDataAction reports whether action is a data-plane operation, which
// roles grant through dataActions. Log Analytics queries
// ("Microsoft.OperationalInsights/workspaces/query/{table}/read") are
// control-plane actions, so Reader's "*/read" grants them.
func IsDataAction(action string) bool {
	return dataActions[strings.ToLower(action)]
}

//go:embed builtin_roles.json
var builtinJSON []byte

// builtinRoles parses the embedded built-in role definitions.
func builtinRoles() (map[string]*RoleDefinition, error) {
	var defs []*RoleDefinition
	if err := json.Unmarshal(builtinJSON, &defs); err != nil {
		return nil, fmt.Errorf("authz: built-in roles: %w", err)
	}
	// The built-in roles' timestamps are those Azure reports for Reader
	// and are not used for decisions.
	created := time.Date(2015, 2, 2, 21, 55, 9, 880642300, time.UTC)
	out := map[string]*RoleDefinition{}
	for _, d := range defs {
		d.RoleType = BuiltInRole
		d.CreatedOn, d.UpdatedOn = created, created
		d.prepare()
		out[strings.ToLower(d.Name)] = d
	}
	return out, nil
}

// RoleGUID returns the GUID at the end of a role definition id in either
// form ("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
// or "/providers/Microsoft.Authorization/roleDefinitions/{guid}"), or the
// id itself when it is a bare GUID.
func RoleGUID(id string) string {
	low := strings.ToLower(id)
	if i := strings.LastIndex(low, strings.ToLower(RoleDefinitionPrefix)); i >= 0 {
		return strings.ToLower(id[i+len(RoleDefinitionPrefix):])
	}
	if !strings.Contains(id, "/") {
		return strings.ToLower(id)
	}
	return ""
}
