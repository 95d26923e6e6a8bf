package graphapi

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/tenant"
)

// user is Graph's user resource in the properties idlogs keeps. Graph
// returns fewer by default (accountEnabled, department and country only
// on $select); idlogs returns them all, and $select narrows.
type user struct {
	ID                string  `json:"id"`
	UserPrincipalName string  `json:"userPrincipalName"`
	DisplayName       string  `json:"displayName"`
	Mail              *string `json:"mail"`
	Department        *string `json:"department"`
	Country           *string `json:"country"`
	UsageLocation     *string `json:"usageLocation"`
	AccountEnabled    bool    `json:"accountEnabled"`
	CreatedDateTime   string  `json:"createdDateTime"`
	UserType          string  `json:"userType"`
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func userOf(u *tenant.User) user {
	return user{
		ID: u.ID, UserPrincipalName: u.UserPrincipalName, DisplayName: u.DisplayName,
		Mail: nilIfEmpty(u.Mail), Department: nilIfEmpty(u.Department), Country: nilIfEmpty(u.Country),
		UsageLocation: nilIfEmpty(u.UsageLocation), AccountEnabled: u.AccountEnabled,
		CreatedDateTime: u.Created.UTC().Format("2006-01-02T15:04:05Z"), UserType: "Member",
	}
}

func (h *Handlers) listUsers(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	prop, value, ok := h.eqFilter(w, r, "User", "userPrincipalName", "displayName", "mail", "department", "id")
	if !ok {
		return
	}
	users, err := h.Dir.Users()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var items []any
	for _, u := range users {
		if prop == "" || strings.EqualFold(map[string]string{
			"userPrincipalName": u.UserPrincipalName, "displayName": u.DisplayName, "mail": u.Mail,
			"department": u.Department, "id": u.ID,
		}[prop], value) {
			items = append(items, userOf(u))
		}
	}
	h.collection(w, r, "users", items)
}

func (h *Handlers) getUser(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	u, err := h.Dir.User(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entity(w, http.StatusOK, "users", project(toMap(userOf(u)), selected(r.URL.Query().Get("$select"))))
}

// passwordProfile is the password part of a user create or update.
type passwordProfile struct {
	Password                      string `json:"password"`
	ForceChangePasswordNextSignIn bool   `json:"forceChangePasswordNextSignIn"`
}

// userBody is the body of POST and PATCH /users; absent fields are nil.
type userBody struct {
	UserPrincipalName *string          `json:"userPrincipalName"`
	DisplayName       *string          `json:"displayName"`
	MailNickname      *string          `json:"mailNickname"`
	Mail              *string          `json:"mail"`
	Department        *string          `json:"department"`
	Country           *string          `json:"country"`
	UsageLocation     *string          `json:"usageLocation"`
	AccountEnabled    *bool            `json:"accountEnabled"`
	PasswordProfile   *passwordProfile `json:"passwordProfile"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (h *Handlers) createUser(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	var b userBody
	if !h.readBody(w, r, &b) {
		return
	}
	for name, missing := range map[string]bool{
		"userPrincipalName": b.UserPrincipalName == nil, "displayName": b.DisplayName == nil,
		"passwordProfile": b.PasswordProfile == nil || b.PasswordProfile.Password == "",
	} {
		if missing {
			h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Property '"+name+"' is required when creating the entity.")
			return
		}
	}
	u, _, err := h.Dir.CreateUser(r.Context(), by, tenant.NewUser{
		UserPrincipalName: *b.UserPrincipalName, DisplayName: *b.DisplayName, Mail: deref(b.Mail),
		Department: deref(b.Department), Country: deref(b.Country), UsageLocation: deref(b.UsageLocation),
		AccountEnabled: b.AccountEnabled, Password: b.PasswordProfile.Password,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entity(w, http.StatusCreated, "users", userOf(u))
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	var b userBody
	if !h.readBody(w, r, &b) {
		return
	}
	if b.UserPrincipalName != nil {
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "idlogs does not rename users: userPrincipalName cannot be changed.")
		return
	}
	p := tenant.UserPatch{DisplayName: b.DisplayName, Mail: b.Mail, Department: b.Department, Country: b.Country,
		UsageLocation: b.UsageLocation, AccountEnabled: b.AccountEnabled}
	if b.PasswordProfile != nil {
		p.Password = &b.PasswordProfile.Password
	}
	if _, _, err := h.Dir.UpdateUser(r.Context(), by, r.PathValue("id"), p); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) deleteUser(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	if _, err := h.Dir.DeleteUser(r.Context(), by, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
