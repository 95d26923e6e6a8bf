package risk

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
)

// Records returns the activity records of r as a tenant of licence l sees
// them: a UserRiskEvents record per detection, then a RiskyUsers record per
// user whose risk changed.
func (r Result) Records(tenantID string, l tenant.License) []activity.Record {
	out := make([]activity.Record, 0, len(r.Detections)+len(r.Users))
	for _, d := range r.Detections {
		out = append(out, DetectionRecord(tenantID, d.As(l)))
	}
	for _, u := range r.Users {
		out = append(out, UserRecord(tenantID, u.As(l)))
	}
	return out
}

// DetectionRecord is the UserRiskEvents record of d, shown as it is (see
// Detection.As). Its time is the detection's last update.
//
// The operation name is idlogs' own: Entra's for these records is not
// documented.
func DetectionRecord(tenantID string, d Detection) activity.Record {
	return record(tenantID, activity.UserRiskEvents, "User Risk Detection", d.LastUpdatedDateTime, d.CorrelationID,
		d.UserDisplayName, d.Properties())
}

// UserRecord is the RiskyUsers record of u, shown as it is (see
// RiskyUser.As). Its time is the risk's last update.
//
// The operation name is idlogs' own: Entra's for these records is not
// documented.
func UserRecord(tenantID string, u RiskyUser) activity.Record {
	return record(tenantID, activity.RiskyUsers, "Risky user", u.RiskLastUpdated, "", u.UserDisplayName, u.Properties())
}

func record(tenantID, category, op string, at time.Time, correlation, identity string, props map[string]any) activity.Record {
	raw, _ := json.Marshal(props)
	return activity.Record{
		Time:             at.UTC(),
		ResourceID:       activity.ResourceIDOf(tenantID),
		OperationName:    op,
		OperationVersion: "1.0",
		Category:         category,
		TenantID:         tenantID,
		CorrelationID:    correlation,
		Identity:         identity,
		Level:            4,
		Properties:       raw,
	}
}

// SignIn is what the sign-in record of one attempt says of its risk.
type SignIn struct {
	// EventTypes are the riskEventTypes_v2 of the sign-in.
	EventTypes []string
	// DuringSignIn is riskLevelDuringSignIn: the highest level of the
	// realtime detections; Aggregated is riskLevelAggregated, the highest
	// of all.
	DuringSignIn, Aggregated string
	// State is riskState: atRisk when the attempt was detected, else none.
	State string
}

// SignInOf returns what the sign-in record of the attempt with the given
// request id says of its risk, as a tenant of licence l sees it.
func (r Result) SignInOf(requestID string, l tenant.License) SignIn {
	s := SignIn{EventTypes: []string{}, DuringSignIn: LevelNone, Aggregated: LevelNone, State: "none"}
	for _, d := range r.Detections {
		if d.RequestID != requestID {
			continue
		}
		s.State = StateAtRisk
		s.Aggregated = maxLevel(s.Aggregated, d.RiskLevel)
		if d.Realtime() {
			s.DuringSignIn = maxLevel(s.DuringSignIn, d.RiskLevel)
		}
		if t := d.As(l).RiskEventType; !slices.Contains(s.EventTypes, t) {
			s.EventTypes = append(s.EventTypes, t)
		}
	}
	if l != tenant.LicenseP2 {
		s.DuringSignIn, s.Aggregated = LevelHidden, LevelHidden
	}
	return s
}

// v1EventTypes are the riskEventTypes (the deprecated enum collection) of
// event types; types the enum lacks are unknownFutureValue.
var v1EventTypes = map[string]string{
	unfamiliarFeatures:  unfamiliarFeatures,
	anonymizedIPAddress: anonymizedIPAddress,
	generic:             generic,
}

// V1EventTypes returns the sign-in's riskEventTypes: its EventTypes in the
// older enum, which has no passwordSpray.
func (s SignIn) V1EventTypes() []string {
	out := make([]string, 0, len(s.EventTypes))
	for _, t := range s.EventTypes {
		v, ok := v1EventTypes[t]
		if !ok {
			v = "unknownFutureValue"
		}
		out = append(out, v)
	}
	return out
}
