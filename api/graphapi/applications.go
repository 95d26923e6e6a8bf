package graphapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/tenant"
)

// servicePrincipal is Graph's servicePrincipal resource.
type servicePrincipal struct {
	ID                   string   `json:"id"`
	AppID                string   `json:"appId"`
	DisplayName          string   `json:"displayName"`
	ServicePrincipalType string   `json:"servicePrincipalType"`
	AccountEnabled       bool     `json:"accountEnabled"`
	ServicePrincipalName []string `json:"servicePrincipalNames"`
}

func servicePrincipalOf(sp *tenant.ServicePrincipal) servicePrincipal {
	return servicePrincipal{ID: sp.ID, AppID: sp.AppID, DisplayName: sp.DisplayName, ServicePrincipalType: sp.Type,
		AccountEnabled: sp.AccountEnabled, ServicePrincipalName: []string{sp.AppID}}
}

func (h *Handlers) listServicePrincipals(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	prop, value, ok := h.eqFilter(w, r, "ServicePrincipal", "appId", "displayName", "servicePrincipalType", "id")
	if !ok {
		return
	}
	sps, err := h.Dir.ServicePrincipals()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var items []any
	for _, sp := range sps {
		if prop == "" || strings.EqualFold(map[string]string{"appId": sp.AppID, "displayName": sp.DisplayName,
			"servicePrincipalType": sp.Type, "id": sp.ID}[prop], value) {
			items = append(items, servicePrincipalOf(sp))
		}
	}
	h.collection(w, r, "servicePrincipals", items)
}

func (h *Handlers) getServicePrincipal(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	sp, err := h.Dir.ServicePrincipal(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	entity(w, http.StatusOK, "servicePrincipals", servicePrincipalOf(sp))
}

// application is Graph's application resource. idlogs keeps one object per
// application, so its id is the service principal's object id (Entra's
// application and service principal objects have ids of their own); the
// routes also accept the appId in its place.
type application struct {
	ID                  string               `json:"id"`
	AppID               string               `json:"appId"`
	DisplayName         string               `json:"displayName"`
	CreatedDateTime     string               `json:"createdDateTime"`
	SignInAudience      string               `json:"signInAudience"`
	IsFallbackPublic    bool                 `json:"isFallbackPublicClient"`
	PasswordCredentials []passwordCredential `json:"passwordCredentials"`
	Web                 redirectSection      `json:"web"`
	PublicClient        redirectSection      `json:"publicClient"`
}

// redirectSection is the redirectUris of Graph's webApplication and
// publicClientApplication.
type redirectSection struct {
	RedirectURIs []string `json:"redirectUris"`
}

// redirectPatch is the part of a request body that sets redirect URIs: a
// section left out keeps its URIs.
type redirectPatch struct {
	Web *struct {
		RedirectURIs []string `json:"redirectUris"`
	} `json:"web"`
	PublicClient *struct {
		RedirectURIs []string `json:"redirectUris"`
	} `json:"publicClient"`
}

// lists returns the web and public-client redirect URIs p sets; nil for
// a section it leaves alone, an empty list for one it clears.
func (p redirectPatch) lists() (web, public []string) {
	if p.Web != nil {
		web = append([]string{}, p.Web.RedirectURIs...)
	}
	if p.PublicClient != nil {
		public = append([]string{}, p.PublicClient.RedirectURIs...)
	}
	return web, public
}

// passwordCredential is Graph's passwordCredential; secretText only in
// the answer of addPassword.
type passwordCredential struct {
	CustomKeyIdentifier *string `json:"customKeyIdentifier"`
	DisplayName         *string `json:"displayName"`
	EndDateTime         string  `json:"endDateTime"`
	Hint                string  `json:"hint"`
	KeyID               string  `json:"keyId"`
	SecretText          *string `json:"secretText"`
	StartDateTime       string  `json:"startDateTime"`
}

// secretLifetime is the end date Graph gives a secret added without one
// (two years). idlogs' secrets do not expire; the date is informative.
const secretLifetime = 2 * 365 * 24 * time.Hour

func credentialOf(s tenant.Secret) passwordCredential {
	return passwordCredential{DisplayName: nilIfEmpty(s.DisplayName), Hint: s.Hint, KeyID: s.KeyID,
		StartDateTime: s.Created.UTC().Format("2006-01-02T15:04:05Z"),
		EndDateTime:   s.Created.Add(secretLifetime).UTC().Format("2006-01-02T15:04:05Z")}
}

func applicationOf(a *tenant.Application) application {
	out := application{ID: a.ObjectID, AppID: a.AppID, DisplayName: a.DisplayName, SignInAudience: "AzureADMyOrg",
		IsFallbackPublic: a.PublicClient, CreatedDateTime: a.Created.UTC().Format("2006-01-02T15:04:05Z"),
		PasswordCredentials: []passwordCredential{},
		Web:                 redirectSection{RedirectURIs: append([]string{}, a.WebRedirectURIs...)},
		PublicClient:        redirectSection{RedirectURIs: append([]string{}, a.PublicClientRedirectURIs...)}}
	for _, s := range a.Secrets {
		out.PasswordCredentials = append(out.PasswordCredentials, credentialOf(s))
	}
	return out
}

// application finds an app registration by object id or app id.
func (h *Handlers) application(w http.ResponseWriter, r *http.Request) (*tenant.Application, bool) {
	id := r.PathValue("id")
	apps, err := h.Dir.Applications()
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	for _, a := range apps {
		if strings.EqualFold(a.ObjectID, id) || strings.EqualFold(a.AppID, id) {
			return a, true
		}
	}
	h.writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
	return nil, false
}

func (h *Handlers) listApplications(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	prop, value, ok := h.eqFilter(w, r, "Application", "appId", "displayName", "id")
	if !ok {
		return
	}
	apps, err := h.Dir.Applications()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var items []any
	for _, a := range apps {
		if prop == "" || strings.EqualFold(map[string]string{"appId": a.AppID, "displayName": a.DisplayName, "id": a.ObjectID}[prop], value) {
			items = append(items, applicationOf(a))
		}
	}
	h.collection(w, r, "applications", items)
}

func (h *Handlers) getApplication(w http.ResponseWriter, r *http.Request, _ tenant.Initiator) {
	if a, ok := h.application(w, r); ok {
		entity(w, http.StatusOK, "applications", applicationOf(a))
	}
}

func (h *Handlers) createApplication(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	var b struct {
		DisplayName string `json:"displayName"`
		redirectPatch
	}
	if !h.readBody(w, r, &b) {
		return
	}
	web, public := b.lists()
	if web != nil || public != nil {
		// Checked before the application is made, so that a bad URI
		// does not leave an application behind.
		if err := tenant.CheckRedirectURIs(web, public); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	a, _, err := h.Dir.AddApplication(r.Context(), by, b.DisplayName)
	if err != nil {
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Property 'displayName' is required when creating the entity.")
		return
	}
	if web != nil || public != nil {
		if a, _, err = h.Dir.UpdateRedirectURIs(r.Context(), by, a.AppID, web, public); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	entity(w, http.StatusCreated, "applications", applicationOf(a))
}

// updateApplication is PATCH /applications/{id}: idlogs changes the
// redirect URIs (web.redirectUris, publicClient.redirectUris) only.
func (h *Handlers) updateApplication(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	a, ok := h.application(w, r)
	if !ok {
		return
	}
	var b redirectPatch
	if !h.readBody(w, r, &b) {
		return
	}
	web, public := b.lists()
	if web == nil && public == nil {
		h.writeError(w, r, http.StatusBadRequest, "Request_BadRequest",
			"idlogs changes an application's web.redirectUris and publicClient.redirectUris only; the request sets neither.")
		return
	}
	if _, _, err := h.Dir.UpdateRedirectURIs(r.Context(), by, a.AppID, web, public); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handlers) addPassword(w http.ResponseWriter, r *http.Request, by tenant.Initiator) {
	a, ok := h.application(w, r)
	if !ok {
		return
	}
	var b struct {
		PasswordCredential struct {
			DisplayName string `json:"displayName"`
		} `json:"passwordCredential"`
	}
	if r.ContentLength != 0 && !h.readBody(w, r, &b) {
		return
	}
	secret, desc, _, err := h.Dir.AddPassword(r.Context(), by, a.AppID, b.PasswordCredential.DisplayName)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pc := credentialOf(*desc)
	pc.SecretText = &secret
	m := toMap(pc)
	m["@odata.context"] = contextBase + "microsoft.graph.passwordCredential"
	writeNoStore(w)
	api.WriteJSON(w, http.StatusOK, m)
}

// writeNoStore keeps a response that carries a secret out of caches.
func writeNoStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
}
