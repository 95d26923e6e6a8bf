package tenant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/idlogs/idlogs/state"
)

const (
	kindUsers = "tenant.users"
	// kindUPNs maps a lower-case user principal name to the user's id.
	kindUPNs = "tenant.upns"
)

// Errors of the directory's lookups and changes; callers test with
// errors.Is.
var (
	// ErrNotFound: no object has the id or name.
	ErrNotFound = errors.New("tenant: no such object")
	// ErrExists: an object with the same unique name exists.
	ErrExists = errors.New("tenant: an object with this name already exists")
	// ErrInvalid: a property value is not acceptable.
	ErrInvalid = errors.New("tenant: invalid value")
)

// Errors of AuthenticateUser, which the token service turns into Entra's
// AADSTS codes.
var (
	// ErrUnknownUser: no user has the name (AADSTS50034).
	ErrUnknownUser = errors.New("tenant: no user with this name")
	// ErrBadPassword: the password is wrong (AADSTS50126).
	ErrBadPassword = errors.New("tenant: invalid user name or password")
	// ErrLocked: smart lockout holds the account (AADSTS50053).
	ErrLocked = errors.New("tenant: the account is locked after too many failed sign-ins")
	// ErrDisabled: the account is disabled (AADSTS50057).
	ErrDisabled = errors.New("tenant: the account is disabled")
)

// Smart lockout: LockoutThreshold failed sign-ins, each within
// LockoutWindow of the one before, lock the account for LockoutDuration;
// while locked every attempt fails with ErrLocked, the right password
// included. Entra's defaults are 10 failures and 60 seconds; its window is
// not documented, so an hour is assumed. A successful sign-in clears the
// count.
const (
	LockoutThreshold = 10
	LockoutDuration  = 60 * time.Second
	LockoutWindow    = time.Hour
)

// User is a member user of the directory, in the properties of Graph's
// user resource that idlogs keeps.
type User struct {
	ID                string    `json:"id"`
	UserPrincipalName string    `json:"userPrincipalName"`
	DisplayName       string    `json:"displayName"`
	Mail              string    `json:"mail,omitempty"`
	Department        string    `json:"department,omitempty"`
	Country           string    `json:"country,omitempty"`
	UsageLocation     string    `json:"usageLocation,omitempty"`
	AccountEnabled    bool      `json:"accountEnabled"`
	Created           time.Time `json:"createdDateTime"`
}

// userRecord is a User as stored, with its password hash and lockout state.
type userRecord struct {
	User
	Password    *passwordHash `json:"password,omitempty"`
	Failures    int           `json:"failures,omitempty"`
	LastFailure time.Time     `json:"lastFailure,omitzero"`
	LockedUntil time.Time     `json:"lockedUntil,omitzero"`
}

// NewUser are the properties of a user to create. AccountEnabled nil means
// enabled.
type NewUser struct {
	UserPrincipalName string
	DisplayName       string
	Mail              string
	Department        string
	Country           string
	UsageLocation     string
	AccountEnabled    *bool
	Password          string
}

// UserPatch are the properties of a user to change; nil leaves one as it
// is.
type UserPatch struct {
	DisplayName    *string
	Mail           *string
	Department     *string
	Country        *string
	UsageLocation  *string
	AccountEnabled *bool
	// Password sets a new password (an administrator's reset).
	Password *string
}

func (d *Directory) checkUPN(upn string) error {
	local, domain, ok := strings.Cut(upn, "@")
	if !ok || local == "" || strings.ContainsAny(local, " \t\"(),:;<>[\\]") || !strings.EqualFold(domain, d.rec.Domain) {
		return fmt.Errorf("%w: userPrincipalName %q must be name@%s", ErrInvalid, upn, d.rec.Domain)
	}
	return nil
}

// CreateUser adds a user with a password.
func (d *Directory) CreateUser(ctx context.Context, by Initiator, nu NewUser) (*User, *Change, error) {
	nu.UserPrincipalName = strings.TrimSpace(nu.UserPrincipalName)
	nu.DisplayName = strings.TrimSpace(nu.DisplayName)
	if err := d.checkUPN(nu.UserPrincipalName); err != nil {
		return nil, nil, err
	}
	if nu.DisplayName == "" {
		return nil, nil, fmt.Errorf("%w: a user needs a displayName", ErrInvalid)
	}
	h, err := hashPassword(nu.Password)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	rec := &userRecord{User: User{
		ID: NewGUID(), UserPrincipalName: nu.UserPrincipalName, DisplayName: nu.DisplayName,
		Mail: nu.Mail, Department: nu.Department, Country: nu.Country, UsageLocation: nu.UsageLocation,
		AccountEnabled: nu.AccountEnabled == nil || *nu.AccountEnabled, Created: d.now().UTC(),
	}, Password: h}
	err = d.db.Update(func(tx *state.Tx) error {
		var id string
		found, err := tx.Get(kindUPNs, strings.ToLower(rec.UserPrincipalName), &id)
		if err != nil {
			return err
		}
		if found {
			return fmt.Errorf("%w: userPrincipalName %s", ErrExists, rec.UserPrincipalName)
		}
		if err := tx.Put(kindUPNs, strings.ToLower(rec.UserPrincipalName), rec.ID); err != nil {
			return err
		}
		return tx.Put(kindUsers, rec.ID, rec)
	})
	if err != nil {
		return nil, nil, err
	}
	u := rec.User
	enabled := u.AccountEnabled
	mods := []ModifiedProperty{boolProp("AccountEnabled", nil, &enabled)}
	mods = append(mods, userProps(&User{}, &u)...)
	mods = append(mods, prop("UserPrincipalName", "", u.UserPrincipalName), prop("UserType", "", "Member"))
	c := &Change{
		Activity: "Add user", Category: CategoryUserManagement, Operation: OpAdd,
		Targets:           []Target{{ID: u.ID, DisplayName: u.DisplayName, Type: "User", UserPrincipalName: u.UserPrincipalName, Modified: withIncluded(mods)}},
		AdditionalDetails: []KeyValue{{Key: "UserType", Value: "Member"}},
	}
	d.record(ctx, by, c)
	return &u, c, nil
}

// userProps lists the string properties that differ between a and b.
func userProps(a, b *User) []ModifiedProperty {
	var mods []ModifiedProperty
	for _, p := range []struct{ name, old, new string }{
		{"DisplayName", a.DisplayName, b.DisplayName},
		{"Mail", a.Mail, b.Mail},
		{"Department", a.Department, b.Department},
		{"Country", a.Country, b.Country},
		{"UsageLocation", a.UsageLocation, b.UsageLocation},
	} {
		if p.old != p.new {
			mods = append(mods, prop(p.name, p.old, p.new))
		}
	}
	return mods
}

// withIncluded appends Entra's "Included Updated Properties" summary: the
// names of the other modified properties, comma-separated.
func withIncluded(mods []ModifiedProperty) []ModifiedProperty {
	names := make([]string, len(mods))
	for i, m := range mods {
		names[i] = m.DisplayName
	}
	return append(mods, ModifiedProperty{DisplayName: "Included Updated Properties", OldValue: "", NewValue: jsonString(strings.Join(names, ", "))})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// lookupUser reads the user with id or user principal name key.
func lookupUser(tx *state.Tx, key string) (*userRecord, bool, error) {
	id := strings.ToLower(key)
	if !IsGUID(key) {
		found, err := tx.Get(kindUPNs, strings.ToLower(key), &id)
		if err != nil || !found {
			return nil, false, err
		}
	}
	var rec userRecord
	found, err := tx.Get(kindUsers, id, &rec)
	if err != nil || !found {
		return nil, false, err
	}
	return &rec, true, nil
}

// User returns the user with id or user principal name key.
func (d *Directory) User(key string) (*User, error) {
	var u *User
	err := d.db.View(func(tx *state.Tx) error {
		rec, found, err := lookupUser(tx, key)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: user %s", ErrNotFound, key)
		}
		u = &rec.User
		return nil
	})
	return u, err
}

// Users returns every user, ordered by id.
func (d *Directory) Users() ([]*User, error) {
	var users []*User
	err := d.db.List(kindUsers, func(_ string, v json.RawMessage) error {
		var rec userRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		users = append(users, &rec.User)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tenant: list users: %w", err)
	}
	return users, nil
}

// UpdateUser changes the properties of the user with id or user principal
// name key that p sets. A new password is recorded as Entra's "Reset user
// password", every other change as "Update user".
func (d *Directory) UpdateUser(ctx context.Context, by Initiator, key string, p UserPatch) (*User, []*Change, error) {
	var newHash *passwordHash
	if p.Password != nil {
		h, err := hashPassword(*p.Password)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		newHash = h
	}
	if p.DisplayName != nil && strings.TrimSpace(*p.DisplayName) == "" {
		return nil, nil, fmt.Errorf("%w: displayName cannot be empty", ErrInvalid)
	}
	var before, after User
	err := d.db.Update(func(tx *state.Tx) error {
		rec, found, err := lookupUser(tx, key)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: user %s", ErrNotFound, key)
		}
		before = rec.User
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = strings.TrimSpace(*v)
			}
		}
		set(&rec.DisplayName, p.DisplayName)
		set(&rec.Mail, p.Mail)
		set(&rec.Department, p.Department)
		set(&rec.Country, p.Country)
		set(&rec.UsageLocation, p.UsageLocation)
		if p.AccountEnabled != nil {
			rec.AccountEnabled = *p.AccountEnabled
		}
		if newHash != nil {
			rec.Password = newHash
			rec.Failures, rec.LockedUntil = 0, time.Time{}
		}
		after = rec.User
		return tx.Put(kindUsers, rec.ID, rec)
	})
	if err != nil {
		return nil, nil, err
	}
	var changes []*Change
	mods := userProps(&before, &after)
	if before.AccountEnabled != after.AccountEnabled {
		mods = append(mods, boolProp("AccountEnabled", &before.AccountEnabled, &after.AccountEnabled))
	}
	target := func(m []ModifiedProperty) []Target {
		return []Target{{ID: after.ID, DisplayName: after.DisplayName, Type: "User", UserPrincipalName: after.UserPrincipalName, Modified: m}}
	}
	if len(mods) > 0 {
		changes = append(changes, &Change{Activity: "Update user", Category: CategoryUserManagement, Operation: OpUpdate,
			Targets: target(withIncluded(mods)), AdditionalDetails: []KeyValue{{Key: "UserType", Value: "Member"}}})
	}
	if newHash != nil {
		changes = append(changes, &Change{Activity: "Reset user password", Category: CategoryUserManagement, Operation: OpUpdate,
			Targets: target(nil)})
	}
	for _, c := range changes {
		d.record(ctx, by, c)
	}
	return &after, changes, nil
}

// DeleteUser removes the user with id or user principal name key, with its
// role assignments and group memberships.
func (d *Directory) DeleteUser(ctx context.Context, by Initiator, key string) (*Change, error) {
	var u User
	err := d.db.Update(func(tx *state.Tx) error {
		rec, found, err := lookupUser(tx, key)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("%w: user %s", ErrNotFound, key)
		}
		u = rec.User
		if _, err := tx.Delete(kindUsers, u.ID); err != nil {
			return err
		}
		if _, err := tx.Delete(kindUPNs, strings.ToLower(u.UserPrincipalName)); err != nil {
			return err
		}
		return removePrincipal(tx, u.ID)
	})
	if err != nil {
		return nil, err
	}
	c := &Change{Activity: "Delete user", Category: CategoryUserManagement, Operation: OpDelete,
		Targets:           []Target{{ID: u.ID, DisplayName: u.DisplayName, Type: "User", UserPrincipalName: u.UserPrincipalName}},
		AdditionalDetails: []KeyValue{{Key: "UserType", Value: "Member"}}}
	d.record(ctx, by, c)
	return c, nil
}

// AuthenticateUser checks a user's name and password at a sign-in and
// keeps the smart-lockout count. Its errors are ErrUnknownUser, ErrLocked,
// ErrBadPassword and ErrDisabled, checked in that order: a disabled
// account is only told apart with the right password, and a locked one not
// even then. The user is returned with every error but ErrUnknownUser, for
// the sign-in record.
func (d *Directory) AuthenticateUser(upn, password string) (*User, error) {
	var rec *userRecord
	err := d.db.View(func(tx *state.Tx) error {
		var err error
		rec, _, err = lookupUser(tx, upn)
		return err
	})
	if err != nil {
		return nil, err
	}
	if rec == nil || IsGUID(upn) {
		dummyHash().matches(password)
		return nil, ErrUnknownUser
	}
	now := d.now()
	if now.Before(rec.LockedUntil) {
		return &rec.User, ErrLocked
	}
	ok := rec.Password.matches(password)
	// The count is kept in its own transaction, read afresh, so that
	// concurrent failures all count.
	var result error
	err = d.db.Update(func(tx *state.Tx) error {
		cur, found, err := lookupUser(tx, rec.ID)
		if err != nil || !found {
			return err
		}
		if ok {
			result = nil
			if !cur.AccountEnabled {
				result = ErrDisabled
			}
			if cur.Failures == 0 && cur.LockedUntil.IsZero() {
				return nil
			}
			cur.Failures, cur.LastFailure, cur.LockedUntil = 0, time.Time{}, time.Time{}
			return tx.Put(kindUsers, cur.ID, cur)
		}
		result = ErrBadPassword
		if now.Sub(cur.LastFailure) > LockoutWindow {
			cur.Failures = 0
		}
		cur.Failures++
		cur.LastFailure = now
		if cur.Failures >= LockoutThreshold {
			cur.LockedUntil = now.Add(LockoutDuration)
		}
		return tx.Put(kindUsers, cur.ID, cur)
	})
	if err != nil {
		return nil, fmt.Errorf("tenant: sign-in of %s: %w", upn, err)
	}
	return &rec.User, result
}
