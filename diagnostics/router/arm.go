package router

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/connectors/kafkaconn"
)

// Route patterns of the destination resources.
const (
	subPattern       = "/subscriptions/{sub}"
	rgPattern        = subPattern + "/resourceGroups/{rg}"
	storagePattern   = rgPattern + "/providers/Microsoft.Storage/storageAccounts/{name}"
	namespacePattern = rgPattern + "/providers/Microsoft.EventHub/namespaces/{ns}"
	rulePattern      = namespacePattern + "/authorizationRules/{rule}"
	partnerPattern   = rgPattern + "/providers/" + PartnerProvider + "/{name}"
)

// Handlers serves the ARM resources the destinations are (storage
// accounts, Event Hubs namespaces and their authorization rules, partner
// webhooks) and the delivery status of diagnostic settings. Every route
// runs through Server.ARM and checks the caller's RBAC action at the
// resource with Server.Allowed.
type Handlers struct {
	Server    *api.Server
	Resources *Resources
	// Router answers the status routes; nil leaves them out.
	Router *Router
	// DirectoryReader, when set, lets a caller whose Entra directory roles
	// read a provider's diagnostic settings (such as Security Reader) read
	// their delivery status too, without an Azure role at the provider.
	DirectoryReader func(p *auth.Principal, provider string) bool
}

// resourceType describes one resource type's routes.
type resourceType struct {
	pattern string
	typ     string // ARM type, also the RBAC action prefix
	kind    string // state kind
	// put validates and completes a body decoded into a fresh value of the
	// type, given the stored one (nil for a new resource); it answers and
	// returns false when the body is refused.
	newValue func() any
	put      func(h *Handlers, w http.ResponseWriter, r *http.Request, v, old any) bool
	// show strips what responses leave out.
	show func(v any) any
}

func (h *Handlers) types() []resourceType {
	return []resourceType{
		{pattern: storagePattern, typ: "Microsoft.Storage/storageAccounts", kind: kindStorage,
			newValue: func() any { return new(StorageAccount) }, put: putStorage, show: func(v any) any { return v }},
		{pattern: namespacePattern, typ: "Microsoft.EventHub/namespaces", kind: kindNamespace,
			newValue: func() any { return new(Namespace) }, put: putNamespace, show: func(v any) any {
				n := *v.(*Namespace)
				n.Properties.IdlogsConnectionString = ""
				return &n
			}},
		{pattern: rulePattern, typ: "Microsoft.EventHub/namespaces/authorizationRules", kind: kindRule,
			newValue: func() any { return new(AuthorizationRule) }, put: putRule, show: func(v any) any { return v }},
		{pattern: partnerPattern, typ: PartnerProvider, kind: kindPartner,
			newValue: func() any { return new(Partner) }, put: putPartner, show: func(v any) any {
				p := *v.(*Partner)
				p.Properties.Secret = ""
				return &p
			}},
	}
}

// Register adds the routes to rt.
func (h *Handlers) Register(rt *api.Router) {
	for _, t := range h.types() {
		rt.Handle(http.MethodPut, t.pattern, h.Server.ARM(h.putHandler(t)))
		rt.Handle(http.MethodGet, t.pattern, h.Server.ARM(h.getHandler(t)))
		rt.Handle(http.MethodDelete, t.pattern, h.Server.ARM(h.deleteHandler(t)))
	}
	// Lists: what the diagnostic settings blade offers as destinations.
	tt := h.types()
	for _, l := range []struct {
		t     resourceType
		scope string // pattern of the listed resources' common id prefix
		path  string
	}{
		{tt[0], subPattern, subPattern + "/providers/Microsoft.Storage/storageAccounts"},
		{tt[1], subPattern, subPattern + "/providers/Microsoft.EventHub/namespaces"},
		{tt[2], namespacePattern + "/authorizationRules", namespacePattern + "/authorizationRules"},
		{tt[3], subPattern, subPattern + "/providers/" + PartnerProvider},
	} {
		rt.Handle(http.MethodGet, l.path, h.Server.ARM(h.listHandler(l.t, l.scope)))
	}
	if h.Router != nil {
		for _, p := range []string{"/providers/microsoft.aadiam", "/providers/microsoft.AadCustomSecurityAttributesDiagnosticSettings"} {
			rt.Handle(http.MethodGet, p+"/diagnosticSettings/{name}/status", h.Server.ARM(h.statusHandler(p)))
		}
	}
}

// resourceID returns the request's resource id as the client spelt it.
func resourceID(pattern string, r *http.Request) string {
	segs := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = r.PathValue(s[1 : len(s)-1])
		}
	}
	return "/" + strings.Join(segs, "/")
}

func notFound(w http.ResponseWriter, typ, id string) {
	apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound", "The Resource '%s' under resource group was not found (type %s).", id, typ))
}

func (h *Handlers) getHandler(t resourceType) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := resourceID(t.pattern, r)
		if !h.Server.Allowed(w, r, t.typ+"/read", id) {
			return
		}
		v := t.newValue()
		ok, err := h.Resources.get(t.kind, id, v)
		if err != nil {
			apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "%v", err))
			return
		}
		if !ok {
			notFound(w, t.typ, id)
			return
		}
		api.WriteJSON(w, http.StatusOK, t.show(v))
	}
}

// listHandler answers ARM's list of the resources of type t under the
// scope (a subscription, or a namespace for its authorization rules) that
// the caller may read; as in ARM, the others are left out rather than
// refused.
func (h *Handlers) listHandler(t resourceType, scope string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		caller, _ := auth.FromContext(r.Context())
		out := []any{}
		err := h.Resources.list(t.kind, resourceID(scope, r)+"/", func(raw json.RawMessage) error {
			v := t.newValue()
			if err := json.Unmarshal(raw, v); err != nil {
				return err
			}
			var head struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(raw, &head); err != nil {
				return err
			}
			if caller != nil && h.Server.Authz.Allowed(caller, t.typ+"/read", head.ID) {
				out = append(out, t.show(v))
			}
			return nil
		})
		if err != nil {
			apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "%v", err))
			return
		}
		api.WriteJSON(w, http.StatusOK, map[string]any{"value": out})
	}
}

func (h *Handlers) putHandler(t resourceType) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := resourceID(t.pattern, r)
		if !h.Server.Allowed(w, r, t.typ+"/write", id) {
			return
		}
		old := t.newValue()
		existed, err := h.Resources.get(t.kind, id, old)
		if err != nil {
			apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "%v", err))
			return
		}
		if !existed {
			old = nil
		}
		v := t.newValue()
		if !api.ReadJSON(w, r, v) || !t.put(h, w, r, v, old) {
			return
		}
		// The envelope's id, name and type are the route's.
		raw, _ := json.Marshal(v)
		var env map[string]json.RawMessage
		json.Unmarshal(raw, &env)
		env["id"], _ = json.Marshal(id)
		env["name"], _ = json.Marshal(id[strings.LastIndexByte(id, '/')+1:])
		env["type"], _ = json.Marshal(t.typ)
		raw, _ = json.Marshal(env)
		v = t.newValue()
		json.Unmarshal(raw, v)
		if err := h.Resources.put(t.kind, id, v); err != nil {
			apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "%v", err))
			return
		}
		status := http.StatusCreated
		if existed {
			status = http.StatusOK
		}
		api.WriteJSON(w, status, t.show(v))
	}
}

func (h *Handlers) deleteHandler(t resourceType) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := resourceID(t.pattern, r)
		if !h.Server.Allowed(w, r, t.typ+"/delete", id) {
			return
		}
		found, err := h.Resources.db.Delete(t.kind, key(id))
		if err == nil && found && t.kind == kindNamespace {
			err = h.Resources.deleteRules(id)
		}
		if err != nil {
			apierror.Write(w, apierror.New(http.StatusInternalServerError, "InternalServerError", "%v", err))
			return
		}
		if !found {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

// deleteRules removes the authorization rules of a namespace.
func (rs *Resources) deleteRules(nsID string) error {
	var ids []string
	err := rs.list(kindRule, nsID+"/authorizationrules/", func(raw json.RawMessage) error {
		var r AuthorizationRule
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		ids = append(ids, r.ID)
		return nil
	})
	for _, id := range ids {
		if _, err := rs.db.Delete(kindRule, key(id)); err != nil {
			return err
		}
	}
	return err
}

const succeeded = "Succeeded"

func badRequest(w http.ResponseWriter, format string, args ...any) bool {
	apierror.Write(w, apierror.New(http.StatusBadRequest, "InvalidRequestContent", format, args...))
	return false
}

func putStorage(h *Handlers, w http.ResponseWriter, r *http.Request, v, _ any) bool {
	a := v.(*StorageAccount)
	if err := checkStoragePath(a.Properties.IdlogsPath); err != nil {
		return badRequest(w, "%v", err)
	}
	a.Properties.ProvisioningState = succeeded
	return true
}

func putNamespace(h *Handlers, w http.ResponseWriter, r *http.Request, v, old any) bool {
	n := v.(*Namespace)
	for _, b := range n.Properties.IdlogsKafkaBrokers {
		if _, port, ok := strings.Cut(b, ":"); !ok || port == "" {
			return badRequest(w, "properties.idlogsKafkaBrokers: %q is not host:port", b)
		}
	}
	// The connection string is write-only: a PUT without it keeps the
	// stored one, as for a partner's secret.
	if cs := n.Properties.IdlogsConnectionString; cs != "" {
		if _, err := kafkaconn.ParseConnectionString(cs); err != nil {
			return badRequest(w, "properties.idlogsConnectionString: %v", err)
		}
	} else if old != nil {
		n.Properties.IdlogsConnectionString = old.(*Namespace).Properties.IdlogsConnectionString
	}
	n.Properties.ProvisioningState = succeeded
	return true
}

func putRule(h *Handlers, w http.ResponseWriter, r *http.Request, v, _ any) bool {
	ru := v.(*AuthorizationRule)
	ns := resourceID(namespacePattern, r)
	if _, ok := h.Resources.Namespace(ns); !ok {
		apierror.Write(w, apierror.New(http.StatusNotFound, "ParentResourceNotFound",
			"Can not perform requested operation on nested resource. Parent resource '%s' not found.", ns))
		return false
	}
	for _, right := range ru.Properties.Rights {
		if !slices.Contains([]string{"Listen", "Send", "Manage"}, right) {
			return badRequest(w, "properties.rights: %q is not one of Listen, Send, Manage", right)
		}
	}
	if len(ru.Properties.Rights) == 0 {
		ru.Properties.Rights = []string{"Listen", "Send", "Manage"}
	}
	return true
}

func putPartner(h *Handlers, w http.ResponseWriter, r *http.Request, v, old any) bool {
	p := v.(*Partner)
	u, err := url.Parse(p.Properties.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return badRequest(w, "properties.url %q is not an https URL", p.Properties.URL)
	}
	if p.Properties.Secret == "" {
		if old == nil {
			return badRequest(w, "properties.secret is required: the webhook signs its deliveries with it")
		}
		p.Properties.Secret = old.(*Partner).Properties.Secret
	}
	return true
}

// statusHandler answers the delivery status of one setting:
// {"value":[Status, ...]}, one per destination.
func (h *Handlers) statusHandler(provider string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		caller, _ := auth.FromContext(r.Context())
		direct := h.DirectoryReader != nil && caller != nil && h.DirectoryReader(caller, strings.TrimPrefix(provider, "/providers/"))
		if !direct && !h.Server.Allowed(w, r, "microsoft.aadiam/diagnosticSettings/read", provider) {
			return
		}
		want := strings.ToLower(provider + "/diagnosticSettings/" + r.PathValue("name"))
		out := []Status{}
		for _, s := range h.Router.Status() {
			if s.Setting == want {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			apierror.Write(w, apierror.New(http.StatusNotFound, "ResourceNotFound",
				"The diagnostic setting '%s' has no delivery status: it does not exist or has not started yet.", r.PathValue("name")))
			return
		}
		api.WriteJSON(w, http.StatusOK, map[string]any{"value": out})
	}
}
