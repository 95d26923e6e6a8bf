package armapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/workspace"
)

// RBAC actions of the workspace routes.
const (
	actionWorkspaceWrite  = "Microsoft.OperationalInsights/workspaces/write"
	actionWorkspaceDelete = "Microsoft.OperationalInsights/workspaces/delete"
)

const workspaceType = "Microsoft.OperationalInsights/workspaces"

// Retention limits of a PerGB2018 workspace, in days.
const (
	minRetentionDays = 30
	maxRetentionDays = 730
)

// skuPerGB2018 is the pricing tier of every idlogs workspace; Azure's
// other tiers (Free, Standard, Premium, PerNode, Standalone) are legacy
// and no longer accepted for new workspaces.
const skuPerGB2018 = "PerGB2018"

// workspaceJSON is a workspace as ARM sends it (api-version 2022-10-01).
type workspaceJSON struct {
	ID         string             `json:"id"`
	Name       string             `json:"name"`
	Type       string             `json:"type"`
	Location   string             `json:"location"`
	Tags       map[string]string  `json:"tags,omitempty"`
	Properties workspacePropsJSON `json:"properties"`
}

type workspacePropsJSON struct {
	Source                          string       `json:"source"`
	CustomerID                      string       `json:"customerId"`
	ProvisioningState               string       `json:"provisioningState"`
	Sku                             skuJSON      `json:"sku"`
	RetentionInDays                 int          `json:"retentionInDays"`
	Features                        featuresJSON `json:"features"`
	WorkspaceCapping                cappingJSON  `json:"workspaceCapping"`
	PublicNetworkAccessForIngestion string       `json:"publicNetworkAccessForIngestion"`
	PublicNetworkAccessForQuery     string       `json:"publicNetworkAccessForQuery"`
	CreatedDate                     string       `json:"createdDate"`
	ModifiedDate                    string       `json:"modifiedDate"`
}

type skuJSON struct {
	Name          string `json:"name"`
	LastSkuUpdate string `json:"lastSkuUpdate,omitempty"`
}

type featuresJSON struct {
	Legacy                                      int  `json:"legacy"`
	SearchVersion                               int  `json:"searchVersion"`
	EnableLogAccessUsingOnlyResourcePermissions bool `json:"enableLogAccessUsingOnlyResourcePermissions"`
}

type cappingJSON struct {
	DailyQuotaGb        float64 `json:"dailyQuotaGb"`
	QuotaNextResetTime  string  `json:"quotaNextResetTime"`
	DataIngestionStatus string  `json:"dataIngestionStatus"`
}

func toWorkspaceJSON(ws *workspace.Workspace, now time.Time) workspaceJSON {
	next := now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	return workspaceJSON{
		ID: ws.ResourceID(), Name: ws.Name, Type: workspaceType, Location: ws.Location, Tags: ws.Tags,
		Properties: workspacePropsJSON{
			Source:            "Azure",
			CustomerID:        ws.CustomerID,
			ProvisioningState: "Succeeded",
			Sku:               skuJSON{Name: skuPerGB2018, LastSkuUpdate: armTime(ws.Created)},
			RetentionInDays:   ws.RetentionInDays,
			Features:          featuresJSON{Legacy: 0, SearchVersion: 1, EnableLogAccessUsingOnlyResourcePermissions: true},
			// idlogs has no daily cap: -1 is Azure's "no cap".
			WorkspaceCapping:                cappingJSON{DailyQuotaGb: -1, QuotaNextResetTime: armTime(next), DataIngestionStatus: "RespectQuota"},
			PublicNetworkAccessForIngestion: "Enabled",
			PublicNetworkAccessForQuery:     "Enabled",
			CreatedDate:                     armTime(ws.Created),
			ModifiedDate:                    armTime(ws.Modified),
		},
	}
}

// workspaceBody is the PUT and PATCH body.
type workspaceBody struct {
	Location   *string           `json:"location"`
	Tags       map[string]string `json:"tags"`
	Properties *struct {
		Sku *struct {
			Name string `json:"name"`
		} `json:"sku"`
		RetentionInDays  *int `json:"retentionInDays"`
		WorkspaceCapping *struct {
			DailyQuotaGb *float64 `json:"dailyQuotaGb"`
		} `json:"workspaceCapping"`
		PublicNetworkAccessForIngestion string `json:"publicNetworkAccessForIngestion"`
		PublicNetworkAccessForQuery     string `json:"publicNetworkAccessForQuery"`
	} `json:"properties"`
}

func (h *Handlers) registerWorkspaces(rt *api.Router) {
	h.handle(rt, http.MethodPut, workspacePattern, h.putWorkspace)
	h.handle(rt, http.MethodPatch, workspacePattern, h.patchWorkspace)
	h.handle(rt, http.MethodGet, workspacePattern, h.getWorkspace)
	h.handle(rt, http.MethodDelete, workspacePattern, h.deleteWorkspace)
	h.handle(rt, http.MethodPost, workspacePattern+"/sharedKeys", h.sharedKeys)
	h.handle(rt, http.MethodGet, rgPattern+"/providers/Microsoft.OperationalInsights/workspaces", h.listWorkspaces)
	h.handle(rt, http.MethodGet, subPattern+"/providers/Microsoft.OperationalInsights/workspaces", h.listWorkspaces)
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// validWorkspaceName reports whether name follows Azure's rule: 4 to 63
// characters, letters, digits and hyphens, starting and ending with a
// letter or digit.
func validWorkspaceName(name string) bool {
	if len(name) < 4 || len(name) > 63 {
		return false
	}
	for i, r := range name {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (r != '-' || i == 0 || i == len(name)-1) {
			return false
		}
	}
	return true
}

// normalizeLocation writes a region as ARM reports it: "West Europe" and
// "westeurope" are both "westeurope".
func normalizeLocation(loc string) string {
	return strings.ToLower(strings.ReplaceAll(loc, " ", ""))
}

// lookupWorkspace returns the workspace the request's path names, or
// answers 404 ResourceNotFound.
func (h *Handlers) lookupWorkspace(w http.ResponseWriter, r *http.Request) (*workspace.Workspace, bool) {
	ws, ok := h.Server.Workspaces.Get(expand(workspacePattern, r))
	if !ok {
		writeWorkspaceNotFound(w, r)
	}
	return ws, ok
}

func writeWorkspaceNotFound(w http.ResponseWriter, r *http.Request) {
	apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound",
		"The Resource 'Microsoft.OperationalInsights/workspaces/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
		r.PathValue("ws"), r.PathValue("rg")))
}

// applyBody validates body and applies it to rec; an answer has been sent
// when it returns false.
func applyBody(w http.ResponseWriter, body *workspaceBody, rec *workspace.Workspace) bool {
	if body.Tags != nil {
		rec.Tags = body.Tags
	}
	p := body.Properties
	if p == nil {
		return true
	}
	if p.Sku != nil && !strings.EqualFold(p.Sku.Name, skuPerGB2018) {
		// Unverified wording; Azure refuses the legacy tiers for new workspaces.
		badRequest(w, "InvalidParameter", "The pricing tier '%s' is not supported; use '%s'.", p.Sku.Name, skuPerGB2018)
		return false
	}
	if p.RetentionInDays != nil {
		d := *p.RetentionInDays
		if d < minRetentionDays || d > maxRetentionDays {
			badRequest(w, "InvalidParameter", "The retention period of %d days is not valid. Valid retention for %s sku is between %d and %d days.",
				d, skuPerGB2018, minRetentionDays, maxRetentionDays)
			return false
		}
		rec.RetentionInDays = d
	}
	if c := p.WorkspaceCapping; c != nil && c.DailyQuotaGb != nil && *c.DailyQuotaGb != -1 {
		badRequest(w, "InvalidParameter", "A daily cap (workspaceCapping.dailyQuotaGb %v) is not supported; use -1 for none.", *c.DailyQuotaGb)
		return false
	}
	for _, v := range []string{p.PublicNetworkAccessForIngestion, p.PublicNetworkAccessForQuery} {
		if v != "" && !strings.EqualFold(v, "Enabled") {
			badRequest(w, "InvalidParameter", "Public network access '%s' is not supported; the workspace is always reachable ('Enabled').", v)
			return false
		}
	}
	return true
}

func (h *Handlers) putWorkspace(w http.ResponseWriter, r *http.Request) {
	id := expand(workspacePattern, r)
	if !h.Server.Allowed(w, r, actionWorkspaceWrite, id) {
		return
	}
	name := r.PathValue("ws")
	if !validWorkspaceName(name) {
		badRequest(w, "InvalidParameter",
			"The workspace name '%s' is invalid. The name must be 4 to 63 characters long, contain only letters, digits and '-', and start and end with a letter or digit.", name)
		return
	}
	var body workspaceBody
	if !api.ReadJSON(w, r, &body) {
		return
	}
	if body.Location == nil || strings.TrimSpace(*body.Location) == "" {
		badRequest(w, "LocationRequired", "The location property is required for this definition.")
		return
	}
	loc := normalizeLocation(*body.Location)
	old, exists := h.Server.Workspaces.Get(id)
	rec := workspace.Workspace{SubscriptionID: r.PathValue("sub"), ResourceGroup: r.PathValue("rg"), Name: name, Location: loc}
	if exists {
		if old.Location != loc {
			// ARM's wording; the status is unverified.
			badRequest(w, "InvalidResourceLocation",
				"The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be created in location '%s'. Please select a new resource name.",
				name, old.Location, old.ResourceGroup, loc)
			return
		}
		rec = *old
	}
	// A PUT replaces the resource: what it leaves out takes the default.
	rec.Tags, rec.RetentionInDays = nil, workspace.DefaultRetentionDays
	if !applyBody(w, &body, &rec) {
		return
	}
	h.saveWorkspace(w, rec, old)
}

func (h *Handlers) patchWorkspace(w http.ResponseWriter, r *http.Request) {
	id := expand(workspacePattern, r)
	if !h.Server.Allowed(w, r, actionWorkspaceWrite, id) {
		return
	}
	old, ok := h.lookupWorkspace(w, r)
	if !ok {
		return
	}
	var body workspaceBody
	if !api.ReadJSON(w, r, &body) {
		return
	}
	rec := *old
	if body.Location != nil && normalizeLocation(*body.Location) != old.Location {
		badRequest(w, "InvalidParameter", "The location of a workspace cannot be changed.")
		return
	}
	if !applyBody(w, &body, &rec) {
		return
	}
	h.saveWorkspace(w, rec, old)
}

// saveWorkspace stores rec and answers 201 for a new workspace, 200 for an
// update. Tables whose retention followed the workspace's old retention
// follow the new one, as in Azure.
func (h *Handlers) saveWorkspace(w http.ResponseWriter, rec workspace.Workspace, old *workspace.Workspace) {
	oldRetention := 0
	if old != nil {
		oldRetention = old.RetentionInDays
	}
	ws, created, err := h.Server.Workspaces.Put(rec)
	if err != nil {
		h.writeErr(w, err)
		return
	}
	if !created && oldRetention != ws.RetentionInDays {
		if err := followRetention(ws, oldRetention); err != nil {
			h.writeErr(w, err)
			return
		}
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	api.WriteJSON(w, status, toWorkspaceJSON(ws, h.now()))
}

// followRetention moves the tables whose retention was the workspace's
// old default to the workspace's new retention.
func followRetention(ws *workspace.Workspace, oldDays int) error {
	s := ws.Store()
	old := days(oldDays)
	for _, name := range s.Tables() {
		t, ok := s.Lookup(name)
		if !ok || t.Options().Retention != old {
			continue
		}
		if _, err := s.AlterTable(name, t.Schema(), days(ws.RetentionInDays)); err != nil {
			return err
		}
	}
	return nil
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func (h *Handlers) getWorkspace(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, authz.ActionWorkspaceRead, expand(workspacePattern, r)) {
		return
	}
	if ws, ok := h.lookupWorkspace(w, r); ok {
		api.WriteJSON(w, http.StatusOK, toWorkspaceJSON(ws, h.now()))
	}
}

func (h *Handlers) deleteWorkspace(w http.ResponseWriter, r *http.Request) {
	id := expand(workspacePattern, r)
	if !h.Server.Allowed(w, r, actionWorkspaceDelete, id) {
		return
	}
	err := h.Server.Workspaces.Delete(id)
	switch {
	case errors.Is(err, workspace.ErrNotFound):
		w.WriteHeader(http.StatusNoContent)
	case err != nil:
		h.writeErr(w, err)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (h *Handlers) listWorkspaces(w http.ResponseWriter, r *http.Request) {
	sub, rg := r.PathValue("sub"), r.PathValue("rg")
	scope := "/subscriptions/" + sub
	if rg != "" {
		scope += "/resourceGroups/" + rg
	}
	if !h.Server.Allowed(w, r, authz.ActionWorkspaceRead, scope) {
		return
	}
	now := h.now()
	out := list[workspaceJSON]{Value: []workspaceJSON{}}
	for _, ws := range h.Server.Workspaces.List() {
		if strings.EqualFold(ws.SubscriptionID, sub) && (rg == "" || strings.EqualFold(ws.ResourceGroup, rg)) {
			out.Value = append(out.Value, toWorkspaceJSON(ws, now))
		}
	}
	api.WriteJSON(w, http.StatusOK, out)
}

// sharedKeysJSON is the answer of POST .../sharedKeys.
type sharedKeysJSON struct {
	PrimarySharedKey   string `json:"primarySharedKey"`
	SecondarySharedKey string `json:"secondarySharedKey"`
}

func (h *Handlers) sharedKeys(w http.ResponseWriter, r *http.Request) {
	if !h.Server.Allowed(w, r, authz.ActionSharedKeys, expand(workspacePattern, r)) {
		return
	}
	if ws, ok := h.lookupWorkspace(w, r); ok {
		api.WriteJSON(w, http.StatusOK, sharedKeysJSON{ws.PrimarySharedKey, ws.SecondarySharedKey})
	}
}
