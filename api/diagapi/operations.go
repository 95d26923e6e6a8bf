package diagapi

import (
	"net/http"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/diagnostics"
)

// operation is one entry of a provider's operations list.
type operation struct {
	Name    string `json:"name"`
	Display struct {
		Provider    string `json:"provider"`
		Resource    string `json:"resource"`
		Operation   string `json:"operation"`
		Description string `json:"description"`
	} `json:"display"`
	Origin     string `json:"origin"`
	Properties any    `json:"properties"`
}

// operations answers the provider's operations. Any caller with an ARM
// token may list them, as with every ARM provider. The shape is the
// spec's; the display strings are idlogs' own (the live list was not
// captured).
func (h *Handlers) operations(w http.ResponseWriter, r *http.Request, p string) {
	providerName := "Microsoft Entra ID"
	if p == diagnostics.ProviderCustomSecurityAttributes {
		providerName = "Microsoft Entra ID custom security attributes"
	}
	entries := []struct{ action, resource, op, desc string }{
		{actionFor(p, actionRead), "Diagnostic settings", "Read diagnostic setting", "Reads the tenant's diagnostic settings."},
		{actionFor(p, actionWrite), "Diagnostic settings", "Write diagnostic setting", "Creates or updates a diagnostic setting."},
		{actionFor(p, actionDelete), "Diagnostic settings", "Delete diagnostic setting", "Deletes a diagnostic setting."},
		{actionFor(p, actionCategoriesRead), "Diagnostic settings categories", "Read diagnostic settings categories", "Lists the log categories a diagnostic setting may send."},
		{p + "/operations/read", "Operations", "Read operations", "Lists the operations of the provider."},
	}
	out := make([]operation, 0, len(entries))
	for _, e := range entries {
		o := operation{Name: e.action, Origin: "user,system", Properties: map[string]any{}}
		o.Display.Provider, o.Display.Resource, o.Display.Operation, o.Display.Description = providerName, e.resource, e.op, e.desc
		out = append(out, o)
	}
	api.WriteJSON(w, http.StatusOK, struct {
		Value []operation `json:"value"`
	}{out})
}
