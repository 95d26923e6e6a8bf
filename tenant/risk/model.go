package risk

import (
	"encoding/json"
	"time"

	"github.com/idlogs/idlogs/tenant"
)

// Risk event types (Graph riskDetection riskEventType).
const (
	passwordSpray       = "passwordSpray"
	unfamiliarFeatures  = "unfamiliarFeatures"
	anonymizedIPAddress = "anonymizedIPAddress"
	// generic is what tenants below P2 see of a premium detection (Entra's
	// "Additional risk detected").
	generic = "generic"
)

// Risk levels, states and details, as Graph spells them.
const (
	LevelNone   = "none"
	LevelLow    = "low"
	LevelMedium = "medium"
	LevelHigh   = "high"
	// LevelHidden is every level a tenant below P2 sees.
	LevelHidden = "hidden"

	StateAtRisk    = "atRisk"
	StateDismissed = "dismissed"

	DetailNone = "none"
	// DetailHidden is the riskDetail a tenant below P2 sees.
	DetailHidden = "hidden"
	// DetailDismissed is the riskDetail of a user whose risk an
	// administrator dismissed.
	DetailDismissed = "adminDismissedAllRiskForUser"
)

// levels are the risk levels of idlogs' detections. Entra does not
// publish per-type levels; these are chosen: a spray is high, as the
// account is under attack, the others medium.
var levels = map[string]string{
	passwordSpray:       LevelHigh,
	unfamiliarFeatures:  LevelMedium,
	anonymizedIPAddress: LevelMedium,
}

// timings are Entra's detection timings: a spray is found offline, the
// others while the sign-in is evaluated.
var timings = map[string]string{
	passwordSpray:       "offline",
	unfamiliarFeatures:  "realtime",
	anonymizedIPAddress: "realtime",
}

// premium detections are those Entra shows only to P2 tenants; others see
// them as generic.
var premium = map[string]bool{passwordSpray: true, unfamiliarFeatures: true}

var rank = map[string]int{LevelNone: 0, LevelLow: 1, LevelMedium: 2, LevelHigh: 3}

func maxLevel(a, b string) string {
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// Detection is one risk detection: Graph's riskDetection resource.
type Detection struct {
	ID                  string    `json:"id"`
	RequestID           string    `json:"requestId"`
	CorrelationID       string    `json:"correlationId"`
	RiskEventType       string    `json:"riskEventType"`
	RiskState           string    `json:"riskState"`
	RiskLevel           string    `json:"riskLevel"`
	RiskDetail          string    `json:"riskDetail"`
	DetectionTimingType string    `json:"detectionTimingType"`
	IPAddress           string    `json:"ipAddress"`
	ActivityDateTime    time.Time `json:"activityDateTime"`
	DetectedDateTime    time.Time `json:"detectedDateTime"`
	LastUpdatedDateTime time.Time `json:"lastUpdatedDateTime"`
	UserID              string    `json:"userId"`
	UserDisplayName     string    `json:"userDisplayName"`
	UserPrincipalName   string    `json:"userPrincipalName"`
	// AdditionalInfo is a JSON array of {"Key", "Value"} pairs, as text.
	AdditionalInfo string `json:"additionalInfo"`
}

// Realtime reports whether d was found while its sign-in was evaluated,
// so that the sign-in's riskLevelDuringSignIn includes it.
func (d Detection) Realtime() bool { return d.DetectionTimingType == "realtime" }

// As returns d as a tenant of licence l sees it: below P2 every level is
// hidden and premium detections are generic.
func (d Detection) As(l tenant.License) Detection {
	if l == tenant.LicenseP2 {
		return d
	}
	d.RiskLevel = LevelHidden
	if premium[d.RiskEventType] {
		d.RiskEventType = generic
	}
	return d
}

// Properties is d as Graph and the UserRiskEvents record show it.
func (d Detection) Properties() map[string]any {
	return map[string]any{
		"id":                  d.ID,
		"requestId":           d.RequestID,
		"correlationId":       d.CorrelationID,
		"riskEventType":       d.RiskEventType,
		"riskState":           d.RiskState,
		"riskLevel":           d.RiskLevel,
		"riskDetail":          d.RiskDetail,
		"source":              "IdentityProtection",
		"detectionTimingType": d.DetectionTimingType,
		"activity":            "signin",
		"tokenIssuerType":     "AzureAD",
		"ipAddress":           d.IPAddress,
		// idlogs has no geolocation database.
		"location":            map[string]any{},
		"activityDateTime":    graphTime(d.ActivityDateTime),
		"detectedDateTime":    graphTime(d.DetectedDateTime),
		"lastUpdatedDateTime": graphTime(d.LastUpdatedDateTime),
		"userId":              d.UserID,
		"userDisplayName":     d.UserDisplayName,
		"userPrincipalName":   d.UserPrincipalName,
		"additionalInfo":      d.AdditionalInfo,
	}
}

// RiskyUser is a user's risk: Graph's riskyUser resource. Its ID is the
// user's id.
type RiskyUser struct {
	ID                string    `json:"id"`
	IsDeleted         bool      `json:"isDeleted"`
	IsProcessing      bool      `json:"isProcessing"`
	RiskLastUpdated   time.Time `json:"riskLastUpdatedDateTime"`
	RiskLevel         string    `json:"riskLevel"`
	RiskState         string    `json:"riskState"`
	RiskDetail        string    `json:"riskDetail"`
	UserDisplayName   string    `json:"userDisplayName"`
	UserPrincipalName string    `json:"userPrincipalName"`
}

// As returns u as a tenant of licence l sees it: below P2 its level and
// detail are hidden.
func (u RiskyUser) As(l tenant.License) RiskyUser {
	if l != tenant.LicenseP2 {
		u.RiskLevel, u.RiskDetail = LevelHidden, DetailHidden
	}
	return u
}

// Properties is u as Graph and the RiskyUsers record show it.
func (u RiskyUser) Properties() map[string]any {
	return map[string]any{
		"id":                      u.ID,
		"isDeleted":               u.IsDeleted,
		"isProcessing":            u.IsProcessing,
		"riskLastUpdatedDateTime": graphTime(u.RiskLastUpdated),
		"riskLevel":               u.RiskLevel,
		"riskState":               u.RiskState,
		"riskDetail":              u.RiskDetail,
		"userDisplayName":         u.UserDisplayName,
		"userPrincipalName":       u.UserPrincipalName,
	}
}

func graphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

type keyValue struct {
	Key   string `json:"Key"`
	Value any    `json:"Value"`
}

func marshalInfo(info []keyValue) string {
	if len(info) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(info)
	return string(b)
}
