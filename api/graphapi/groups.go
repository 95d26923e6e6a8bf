package graphapi

import (
	"net/http"
	"strings"

	"github.com/idlogs/idlogs/tenant"
)

// group is Graph's group resource for a security group.
type group struct {
	ID              string   `json:"id"`
	DisplayName     string   `json:"displayName"`
	Description     *string  `json:"description"`
	MailNickname    string   `json:"mailNickname"`
	MailEnabled     bool     `json:"mailEnabled"`
	SecurityEnabled bool     `json:"securityEnabled"`
	GroupTypes      []string `json:"groupTypes"`
	CreatedDateTime string   `json:"createdDateTime"`
}

func groupOf(g *tenant.Group) group {
	return group{ID: g.ID, DisplayName: g.DisplayName, Description: nilIfEmpty(g.Description), MailNickname: g.MailNickname,
		SecurityEnabled: g.SecurityEnabled, GroupTypes: []string{}, CreatedDateTime: g.Created.UTC().Format("2006-01-02T15:04:05Z")}
}

func (h *Handlers) listGroups(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	prop, value, ok := h.eqFilter(w, r, "Group", "displayName", "id")
	if !ok {
		return
	}
	gs, err := h.Dir.Groups()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var items []any
	for _, g := range gs {
		if prop == "" || strings.EqualFold(map[string]string{"displayName": g.DisplayName, "id": g.ID}[prop], value) {
			items = append(items, groupOf(g))
		}
	}
	h.collection(w, r, "groups", items)
}

func (h *Handlers) getGroup(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	g, err := h.Dir.Group(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entity(w, http.StatusOK, "groups", groupOf(g))
}

func (h *Handlers) createGroup(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	var b struct {
		DisplayName     string `json:"displayName"`
		Description     string `json:"description"`
		MailNickname    string `json:"mailNickname"`
		MailEnabled     bool   `json:"mailEnabled"`
		SecurityEnabled *bool  `json:"securityEnabled"`
	}
	if !h.readBody(w, r, &b) {
		return
	}
	if b.MailEnabled || (b.SecurityEnabled != nil && !*b.SecurityEnabled) {
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "idlogs creates security groups only (mailEnabled false, securityEnabled true).")
		return
	}
	g, _, err := h.Dir.CreateGroup(r.Context(), by, b.DisplayName, b.Description, b.MailNickname)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entity(w, http.StatusCreated, "groups", groupOf(g))
}

func (h *Handlers) deleteGroup(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	if _, err := h.Dir.DeleteGroup(r.Context(), by, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listMembers answers the group's members as directory objects, each with
// its @odata.type.
func (h *Handlers) listMembers(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	g, err := h.Dir.Group(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var items []any
	for _, id := range g.Members {
		if u, err := h.Dir.User(id); err == nil {
			m := toMap(userOf(u))
			m["@odata.type"] = "#microsoft.graph.user"
			items = append(items, m)
		} else if sp, err := h.Dir.ServicePrincipal(id); err == nil {
			m := toMap(servicePrincipalOf(sp))
			m["@odata.type"] = "#microsoft.graph.servicePrincipal"
			items = append(items, m)
		}
	}
	h.collection(w, r, "directoryObjects", items)
}

func (h *Handlers) addMember(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	var b struct {
		ID string `json:"@odata.id"`
	}
	if !h.readBody(w, r, &b) {
		return
	}
	if b.ID == "" {
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "The request body must name the member in '@odata.id'.")
		return
	}
	if _, err := h.Dir.AddGroupMember(r.Context(), by, r.PathValue("id"), objectID(b.ID)); err != nil {
		if strings.Contains(err.Error(), "already a member") {
			h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest",
				"One or more added object references already exist for the following modified properties: 'members'.")
			return
		}
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) removeMember(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	if _, err := h.Dir.RemoveGroupMember(r.Context(), by, r.PathValue("id"), r.PathValue("member")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
