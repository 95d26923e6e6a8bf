package diagnostics

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/idlogs/idlogs/api/apierror"
)

// MaxNameLength is the longest setting name Azure accepts.
const MaxNameLength = 260

// nameForbidden are the characters a setting name must not contain.
const nameForbidden = `<>*%&:\?+/`

// validateName checks a setting name: 1 to 260 characters, none of
// < > * % & : \ ? + /. The code Azure answers a bad name with was not
// captured; InvalidResourceName is ARM's code for resource names it refuses.
func validateName(name string) error {
	n := utf8.RuneCountInString(name)
	if n < 1 || n > MaxNameLength || strings.ContainsAny(name, nameForbidden) {
		return apierror.New(http.StatusBadRequest, "InvalidResourceName",
			"The diagnostic setting name '%s' is invalid: a name is 1 to %d characters long and does not contain any of < > * %% & : \\ ? + /.", name, MaxNameLength)
	}
	return nil
}

// normalize returns props as the service stores them: eventHubName is ""
// rather than absent, everything else as sent.
func normalize(props SettingProperties) SettingProperties {
	if props.EventHubName == nil {
		empty := ""
		props.EventHubName = &empty
	}
	props.Logs = append([]Log(nil), props.Logs...)
	if props.Logs == nil {
		props.Logs = []Log{}
	}
	return props
}

// destination is one destination a setting names.
type destination struct {
	kind, path, id string
}

// destinations returns the destinations props names. The JSON shape holds
// at most one of each kind, so "at most one of each" needs no check.
func destinations(props *SettingProperties) []destination {
	var out []destination
	add := func(kind, path string, id *string) {
		if nonEmpty(id) {
			out = append(out, destination{kind, path, *id})
		}
	}
	add(DestWorkspace, "properties.workspaceId", props.WorkspaceID)
	add(DestStorage, "properties.storageAccountId", props.StorageAccountID)
	add(DestEventHub, "properties.eventHubAuthorizationRuleId", props.EventHubAuthorizationRuleID)
	add(DestPartner, "properties.marketplacePartnerId", props.MarketplacePartnerID)
	return out
}

// validateProperties checks the categories and destinations of a setting of
// provider p and spells each category as the category list does.
func (r *Registry) validateProperties(p string, props *SettingProperties) error {
	cats := r.Categories(p)
	for i := range props.Logs {
		c := canonicalCategory(cats, props.Logs[i].Category)
		if c == "" {
			return apierror.New(http.StatusBadRequest, "BadRequest", "Category '%s' is not supported.", props.Logs[i].Category)
		}
		props.Logs[i].Category = c
	}
	dests := destinations(props)
	if len(dests) == 0 {
		// Azure's message for a setting without destinations was not
		// captured; the code follows its other validation errors.
		return apierror.New(http.StatusBadRequest, "BadRequest",
			"A diagnostic setting needs at least one destination: workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId.")
	}
	for _, d := range dests {
		if !IsARMID(d.id) {
			// ARM's own check of resource ids in request bodies.
			return apierror.New(http.StatusBadRequest, "LinkedInvalidPropertyId",
				"Property id '%s' at path '%s' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.", d.id, d.path)
		}
	}
	if r.opts.Exists != nil {
		for _, d := range dests {
			if !r.opts.Exists(d.kind, d.id) {
				// The documented rule is that the destination must
				// exist first; Azure's code for a missing one was not
				// captured, so it follows its other 400s.
				return apierror.New(http.StatusBadRequest, "BadRequest",
					"The resource '%s' at path '%s' does not exist. Create the destination before the diagnostic setting that names it.", d.id, d.path)
			}
		}
	}
	return nil
}

// canonicalCategory returns the entry of cats equal to c ignoring case, or
// "" when there is none.
func canonicalCategory(cats []string, c string) string {
	for _, k := range cats {
		if strings.EqualFold(k, c) {
			return k
		}
	}
	return ""
}

// IsARMID reports whether id is a fully qualified ARM resource id, as ARM
// requires of the ids a request body names.
func IsARMID(id string) bool {
	l := strings.ToLower(id)
	return strings.HasPrefix(l, "/subscriptions/") || strings.HasPrefix(l, "/providers/")
}

func hasEnabledLog(props SettingProperties) bool {
	for _, l := range props.Logs {
		if l.Enabled {
			return true
		}
	}
	return false
}

// conflictLocked refuses a setting that sends a category to a destination
// another setting of the provider already sends it to, with Azure
// Monitor's 409 Conflict. For an event hub the sink is the authorization
// rule, as Azure's message names it. r.mu is held.
func (r *Registry) conflictLocked(p, key string, s Setting) error {
	mine := destinations(&s.Properties)
	for _, other := range sortedValues(r.settings[p]) {
		if strings.ToLower(other.Name) == key {
			continue
		}
		theirs := destinations(&other.Properties)
		for _, d := range mine {
			for _, o := range theirs {
				if d.kind != o.kind || !strings.EqualFold(d.id, o.id) {
					continue
				}
				for _, l := range s.Properties.Logs {
					if l.Enabled && other.Enabled(l.Category) {
						return apierror.New(http.StatusConflict, "Conflict",
							"Data sink '%s' is already used in diagnostic setting '%s' for category '%s'. Data sinks can't be reused in different settings on the same category for the same resource.",
							d.id, other.Name, l.Category)
					}
				}
			}
		}
	}
	return nil
}
