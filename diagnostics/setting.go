// Package diagnostics holds Entra's diagnostic settings: which activity
// categories go to which destinations (a Log Analytics workspace, a storage
// archive, an event stream, a partner webhook). The ARM API for them is in
// package api/diagapi; delivery is in package diagnostics/router.
package diagnostics

// Setting is one diagnostic setting in the ARM resource shape of provider
// microsoft.aadiam (api-versions 2017-04-01, 2017-04-01-preview and
// 2017-05-01-preview behave the same).
type Setting struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Properties SettingProperties `json:"properties"`
}

// SettingProperties are a setting's destinations and categories. Pointers
// keep the difference between absent and null, which ARM echoes.
type SettingProperties struct {
	// WorkspaceID is the ARM resource id of a Log Analytics workspace.
	WorkspaceID *string `json:"workspaceId"`
	// StorageAccountID is the ARM resource id of a storage account.
	StorageAccountID *string `json:"storageAccountId"`
	// EventHubAuthorizationRuleID is a namespace authorization rule id.
	EventHubAuthorizationRuleID *string `json:"eventHubAuthorizationRuleId"`
	// EventHubName is the hub all categories go to; empty means one hub per
	// category named insights-logs-{category lower-case}.
	EventHubName         *string `json:"eventHubName"`
	ServiceBusRuleID     *string `json:"serviceBusRuleId"`
	MarketplacePartnerID *string `json:"marketplacePartnerId,omitempty"`
	Logs                 []Log   `json:"logs"`
}

// Log enables or disables one category.
type Log struct {
	Category        string           `json:"category"`
	Enabled         bool             `json:"enabled"`
	RetentionPolicy *RetentionPolicy `json:"retentionPolicy,omitempty"`
}

// RetentionPolicy is accepted and echoed; Entra no longer applies it.
type RetentionPolicy struct {
	Enabled bool `json:"enabled"`
	Days    int  `json:"days"`
}

// Enabled reports whether the setting sends category.
func (s *Setting) Enabled(category string) bool {
	for _, l := range s.Properties.Logs {
		if l.Enabled && l.Category == category {
			return true
		}
	}
	return false
}

// Destination kinds: at most one of each per setting.
const (
	DestWorkspace = "workspace"
	DestStorage   = "storage"
	DestEventHub  = "eventHub"
	DestPartner   = "partner"
)

// Destinations returns the kinds of destination the setting names, in the
// order above.
func (s *Setting) Destinations() []string {
	var out []string
	p := &s.Properties
	if nonEmpty(p.WorkspaceID) {
		out = append(out, DestWorkspace)
	}
	if nonEmpty(p.StorageAccountID) {
		out = append(out, DestStorage)
	}
	if nonEmpty(p.EventHubAuthorizationRuleID) {
		out = append(out, DestEventHub)
	}
	if nonEmpty(p.MarketplacePartnerID) {
		out = append(out, DestPartner)
	}
	return out
}

func nonEmpty(s *string) bool { return s != nil && *s != "" }
