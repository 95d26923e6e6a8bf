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

const kindGroups = "tenant.groups"

// Group is a security group and its direct members (users and service
// principals, by object id).
type Group struct {
	ID              string    `json:"id"`
	DisplayName     string    `json:"displayName"`
	Description     string    `json:"description,omitempty"`
	MailNickname    string    `json:"mailNickname"`
	SecurityEnabled bool      `json:"securityEnabled"`
	Members         []string  `json:"members,omitempty"`
	Created         time.Time `json:"createdDateTime"`
}

// CreateGroup adds a security group without members.
func (d *Directory) CreateGroup(ctx context.Context, by Initiator, displayName, description, mailNickname string) (*Group, *Change, error) {
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		return nil, nil, fmt.Errorf("%w: a group needs a displayName", ErrInvalid)
	}
	if mailNickname == "" {
		mailNickname = strings.ReplaceAll(displayName, " ", "")
	}
	g := &Group{ID: NewGUID(), DisplayName: displayName, Description: description, MailNickname: mailNickname,
		SecurityEnabled: true, Created: d.now().UTC()}
	if err := d.db.Put(kindGroups, g.ID, g); err != nil {
		return nil, nil, fmt.Errorf("tenant: create group %q: %w", displayName, err)
	}
	mods := []ModifiedProperty{prop("DisplayName", "", g.DisplayName), prop("MailNickname", "", g.MailNickname),
		boolProp("SecurityEnabled", nil, &g.SecurityEnabled)}
	if g.Description != "" {
		mods = append(mods, prop("Description", "", g.Description))
	}
	c := &Change{Activity: "Add group", Category: CategoryGroupManagement, Operation: OpAdd,
		Targets: []Target{{ID: g.ID, DisplayName: g.DisplayName, Type: "Group", Modified: withIncluded(mods)}}}
	d.record(ctx, by, c)
	return g, c, nil
}

// Group returns the group with id.
func (d *Directory) Group(id string) (*Group, error) {
	var g Group
	found, err := d.db.Get(kindGroups, strings.ToLower(id), &g)
	if err != nil {
		return nil, err
	}
	if !found || !IsGUID(id) {
		return nil, fmt.Errorf("%w: group %s", ErrNotFound, id)
	}
	return &g, nil
}

// Groups returns every group, ordered by id.
func (d *Directory) Groups() ([]*Group, error) {
	var gs []*Group
	err := d.db.List(kindGroups, func(_ string, v json.RawMessage) error {
		var g Group
		if err := json.Unmarshal(v, &g); err != nil {
			return err
		}
		gs = append(gs, &g)
		return nil
	})
	return gs, err
}

// AddGroupMember adds the user or service principal memberID to the
// group.
func (d *Directory) AddGroupMember(ctx context.Context, by Initiator, groupID, memberID string) (*Change, error) {
	return d.changeMember(ctx, by, groupID, memberID, true)
}

// RemoveGroupMember removes memberID from the group.
func (d *Directory) RemoveGroupMember(ctx context.Context, by Initiator, groupID, memberID string) (*Change, error) {
	return d.changeMember(ctx, by, groupID, memberID, false)
}

func (d *Directory) changeMember(ctx context.Context, by Initiator, groupID, memberID string, add bool) (*Change, error) {
	var g Group
	var member Target
	memberID = strings.ToLower(memberID)
	err := d.db.Update(func(tx *state.Tx) error {
		found, err := tx.Get(kindGroups, strings.ToLower(groupID), &g)
		if err != nil {
			return err
		}
		if !found || !IsGUID(groupID) {
			return fmt.Errorf("%w: group %s", ErrNotFound, groupID)
		}
		if member, found, err = principalTarget(tx, memberID); err != nil {
			return err
		} else if !found {
			return fmt.Errorf("%w: no user or service principal %s", ErrNotFound, memberID)
		}
		i := slices.Index(g.Members, member.ID)
		switch {
		case add && i >= 0:
			return fmt.Errorf("%w: %s is already a member of %s", ErrExists, member.DisplayName, g.DisplayName)
		case !add && i < 0:
			return fmt.Errorf("%w: %s is not a member of %s", ErrNotFound, member.DisplayName, g.DisplayName)
		case add:
			g.Members = append(g.Members, member.ID)
		default:
			g.Members = slices.Delete(g.Members, i, i+1)
		}
		return tx.Put(kindGroups, g.ID, &g)
	})
	if err != nil {
		return nil, err
	}
	c := &Change{Activity: "Add member to group", Category: CategoryGroupManagement, Operation: OpAdd}
	member.Modified = []ModifiedProperty{prop("Group.ObjectID", "", g.ID), prop("Group.DisplayName", "", g.DisplayName)}
	if !add {
		c.Activity, c.Operation = "Remove member from group", OpDelete
		member.Modified = []ModifiedProperty{prop("Group.ObjectID", g.ID, ""), prop("Group.DisplayName", g.DisplayName, "")}
	}
	c.Targets = []Target{member, {ID: g.ID, DisplayName: g.DisplayName, Type: "Group"}}
	d.record(ctx, by, c)
	return c, nil
}

// DeleteGroup removes the group.
func (d *Directory) DeleteGroup(ctx context.Context, by Initiator, id string) (*Change, error) {
	var g Group
	err := d.db.Update(func(tx *state.Tx) error {
		found, err := tx.Get(kindGroups, strings.ToLower(id), &g)
		if err != nil {
			return err
		}
		if !found || !IsGUID(id) {
			return fmt.Errorf("%w: group %s", ErrNotFound, id)
		}
		_, err = tx.Delete(kindGroups, g.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	c := &Change{Activity: "Delete group", Category: CategoryGroupManagement, Operation: OpDelete,
		Targets: []Target{{ID: g.ID, DisplayName: g.DisplayName, Type: "Group"}}}
	d.record(ctx, by, c)
	return c, nil
}

// GroupsOf returns the ids of the groups principalID is a direct member of.
func (d *Directory) GroupsOf(principalID string) ([]string, error) {
	gs, err := d.Groups()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, g := range gs {
		if slices.Contains(g.Members, strings.ToLower(principalID)) {
			ids = append(ids, g.ID)
		}
	}
	return ids, nil
}
