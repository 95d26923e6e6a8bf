package tenant

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/idlogs/idlogs/state"
)

const kindRoleAssignments = "tenant.roleassignments"

// Template ids of the built-in directory roles idlogs knows: the same in
// every Entra tenant, and what tokens carry in their wids claim.
const (
	RoleGlobalAdministrator         = "62e90394-69f5-4237-9190-012177145e10"
	RolePrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814"
	RoleSecurityAdministrator       = "194ae4cb-b126-40b2-bd5b-6091b380977d"
	RoleSecurityReader              = "5d6b6bb7-de71-4623-b4af-96380a352509"
	RoleReportsReader               = "4a5d8f65-41da-4de4-8968-e035b65339cf"
	RoleGlobalReader                = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
	RoleAttributeLogAdministrator   = "5b784334-f94b-471a-a387-e7219fc49ca2"
)

// RoleDefinition is a built-in directory role (Graph's
// unifiedRoleDefinition); its ID is the role's template id.
type RoleDefinition struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	// Privileged is Entra's isPrivileged flag.
	Privileged bool `json:"isPrivileged"`
}

var roleDefinitions = []RoleDefinition{
	{RoleGlobalAdministrator, "Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.", true},
	{RolePrivilegedRoleAdministrator, "Privileged Role Administrator", "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.", true},
	{RoleSecurityAdministrator, "Security Administrator", "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.", true},
	{RoleSecurityReader, "Security Reader", "Can read security information and reports in Microsoft Entra ID and Office 365.", true},
	{RoleReportsReader, "Reports Reader", "Can read sign-in and audit reports.", false},
	{RoleGlobalReader, "Global Reader", "Can read everything that a Global Administrator can, but not update anything.", true},
	{RoleAttributeLogAdministrator, "Attribute Log Administrator", "Read audit logs and configure diagnostic settings for events related to custom security attributes.", false},
}

// RoleDefinitions returns the built-in directory roles.
func RoleDefinitions() []RoleDefinition { return slices.Clone(roleDefinitions) }

// RoleDefinitionByID returns the built-in role with template id id.
func RoleDefinitionByID(id string) (RoleDefinition, bool) {
	for _, r := range roleDefinitions {
		if strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	return RoleDefinition{}, false
}

// RoleAssignment grants a directory role, tenant-wide, to a user or
// service principal.
type RoleAssignment struct {
	ID               string    `json:"id"`
	PrincipalID      string    `json:"principalId"`
	RoleDefinitionID string    `json:"roleDefinitionId"`
	DirectoryScopeID string    `json:"directoryScopeId"`
	Created          time.Time `json:"createdDateTime"`
}

// AssignRole grants role (a template id) to the user or service principal
// principalID at the directory scope "/".
func (d *Directory) AssignRole(ctx context.Context, by Initiator, principalID, role string) (*RoleAssignment, *Change, error) {
	def, ok := RoleDefinitionByID(role)
	if !ok {
		return nil, nil, fmt.Errorf("%w: no directory role with template id %s", ErrNotFound, role)
	}
	ra := &RoleAssignment{ID: NewGUID(), RoleDefinitionID: def.ID, DirectoryScopeID: "/", Created: d.now().UTC()}
	var target Target
	err := d.db.Update(func(tx *state.Tx) error {
		t, found, err := principalTarget(tx, principalID)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: no user or service principal %s", ErrNotFound, principalID)
		}
		target, ra.PrincipalID = t, t.ID
		dup := false
		err = tx.List(kindRoleAssignments, func(_ string, v json.RawMessage) error {
			var x RoleAssignment
			if err := json.Unmarshal(v, &x); err != nil {
				return err
			}
			dup = dup || x.PrincipalID == ra.PrincipalID && x.RoleDefinitionID == ra.RoleDefinitionID
			return nil
		})
		if err != nil {
			return err
		}
		if dup {
			return fmt.Errorf("%w: %s already holds %s", ErrExists, t.DisplayName, def.DisplayName)
		}
		return tx.Put(kindRoleAssignments, ra.ID, ra)
	})
	if err != nil {
		return nil, nil, err
	}
	c := roleChange(def, target, true)
	d.record(ctx, by, c)
	return ra, c, nil
}

// roleChange is Entra's "Add member to role" or "Remove member from role":
// the principal with the role's properties, then the role.
func roleChange(def RoleDefinition, target Target, add bool) *Change {
	wellKnown := strings.ReplaceAll(def.DisplayName, " ", "")
	name := func(v string) (string, string) {
		if add {
			return "", v
		}
		return v, ""
	}
	mp := func(n, v string) ModifiedProperty { o, nv := name(v); return prop(n, o, nv) }
	target.Modified = []ModifiedProperty{
		mp("Role.ObjectID", def.ID), mp("Role.DisplayName", def.DisplayName),
		mp("Role.TemplateId", def.ID), mp("Role.WellKnownObjectName", wellKnown),
	}
	c := &Change{Activity: "Add member to role", Category: CategoryRoleManagement, Operation: OpAssign,
		Targets: []Target{target, {ID: def.ID, DisplayName: def.DisplayName, Type: "Role"}}}
	if !add {
		c.Activity, c.Operation = "Remove member from role", OpUnassign
	}
	return c
}

// OpUnassign is the operation type of a removed role assignment.
const OpUnassign = "Unassign"

// RemoveRoleAssignment deletes the role assignment with id.
func (d *Directory) RemoveRoleAssignment(ctx context.Context, by Initiator, id string) (*Change, error) {
	var ra RoleAssignment
	var target Target
	err := d.db.Update(func(tx *state.Tx) error {
		found, err := tx.Get(kindRoleAssignments, strings.ToLower(id), &ra)
		if err != nil {
			return err
		}
		if !found || !IsGUID(id) {
			return fmt.Errorf("%w: role assignment %s", ErrNotFound, id)
		}
		if target, found, err = principalTarget(tx, ra.PrincipalID); err != nil {
			return err
		} else if !found {
			target = Target{ID: ra.PrincipalID, Type: "User"}
		}
		_, err = tx.Delete(kindRoleAssignments, ra.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	def, _ := RoleDefinitionByID(ra.RoleDefinitionID)
	c := roleChange(def, target, false)
	d.record(ctx, by, c)
	return c, nil
}

// RoleAssignments returns every directory role assignment, ordered by id.
func (d *Directory) RoleAssignments() ([]*RoleAssignment, error) {
	var out []*RoleAssignment
	err := d.db.List(kindRoleAssignments, func(_ string, v json.RawMessage) error {
		var ra RoleAssignment
		if err := json.Unmarshal(v, &ra); err != nil {
			return err
		}
		out = append(out, &ra)
		return nil
	})
	return out, err
}

// RoleAssignment returns the role assignment with id.
func (d *Directory) RoleAssignment(id string) (*RoleAssignment, error) {
	var ra RoleAssignment
	found, err := d.db.Get(kindRoleAssignments, strings.ToLower(id), &ra)
	if err != nil {
		return nil, err
	}
	if !found || !IsGUID(id) {
		return nil, fmt.Errorf("%w: role assignment %s", ErrNotFound, id)
	}
	return &ra, nil
}

// RolesOf returns the sorted template ids of the directory roles assigned
// to principalID (a user or service principal object id): its tokens'
// wids claim.
func (d *Directory) RolesOf(principalID string) ([]string, error) {
	all, err := d.RoleAssignments()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, ra := range all {
		if strings.EqualFold(ra.PrincipalID, principalID) && !slices.Contains(ids, ra.RoleDefinitionID) {
			ids = append(ids, ra.RoleDefinitionID)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// removePrincipal drops a deleted principal's role assignments and group
// memberships.
func removePrincipal(tx *state.Tx, id string) error {
	var drop []string
	err := tx.List(kindRoleAssignments, func(k string, v json.RawMessage) error {
		var ra RoleAssignment
		if err := json.Unmarshal(v, &ra); err != nil {
			return err
		}
		if ra.PrincipalID == id {
			drop = append(drop, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range drop {
		if _, err := tx.Delete(kindRoleAssignments, k); err != nil {
			return err
		}
	}
	var groups []Group
	err = tx.List(kindGroups, func(_ string, v json.RawMessage) error {
		var g Group
		if err := json.Unmarshal(v, &g); err != nil {
			return err
		}
		if i := slices.Index(g.Members, id); i >= 0 {
			g.Members = slices.Delete(g.Members, i, i+1)
			groups = append(groups, g)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := tx.Put(kindGroups, g.ID, &g); err != nil {
			return err
		}
	}
	return nil
}
