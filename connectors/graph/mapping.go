package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// resource is the part of a Graph resource the envelope is made from.
type resource struct {
	ID string `json:"id"`
	// The time properties of the feeds.
	CreatedDateTime         string `json:"createdDateTime"`
	ActivityDateTime        string `json:"activityDateTime"`
	LastUpdatedDateTime     string `json:"lastUpdatedDateTime"`
	RiskLastUpdatedDateTime string `json:"riskLastUpdatedDateTime"`

	CorrelationID       string          `json:"correlationId"`
	IPAddress           string          `json:"ipAddress"`
	UserDisplayName     string          `json:"userDisplayName"`
	ServicePrincipal    string          `json:"servicePrincipalName"`
	AppDisplayName      string          `json:"appDisplayName"`
	ActivityDisplayName string          `json:"activityDisplayName"`
	DurationMs          *int64          `json:"durationInMilliseconds"`
	Status              *signInStatus   `json:"status"`
	Location            *signInLocation `json:"location"`
	InitiatedBy         *initiator      `json:"initiatedBy"`
	ProvisioningStatus  *struct {
		Status string `json:"status"`
	} `json:"provisioningStatusInfo"`
}

type signInStatus struct {
	ErrorCode     int64  `json:"errorCode"`
	FailureReason string `json:"failureReason"`
}

type signInLocation struct {
	CountryOrRegion string `json:"countryOrRegion"`
}

type initiator struct {
	User *struct {
		DisplayName       string `json:"displayName"`
		UserPrincipalName string `json:"userPrincipalName"`
		IPAddress         string `json:"ipAddress"`
	} `json:"user"`
	App *struct {
		DisplayName string `json:"displayName"`
	} `json:"app"`
}

// ToRecord maps a Graph resource of feed f, read from tenant tenantID, to
// the activity record Entra's diagnostic export writes for it: properties
// is the resource as Graph gave it (compacted, without @odata
// annotations), and the envelope is derived from it as Entra fills it
// (time from the feed's time property, resultType from the sign-in's
// status.errorCode or the provisioning status, identity from the display
// name of the user, service principal or initiator, location from the
// country, callerIpAddress from the address).
func ToRecord(f Feed, tenantID string, raw json.RawMessage) (activity.Record, error) {
	r, _, err := toRecord(f, tenantID, raw)
	return r, err
}

// toRecord is ToRecord, also returning the resource's id.
func toRecord(f Feed, tenantID string, raw json.RawMessage) (activity.Record, string, error) {
	props, err := cleanResource(raw)
	if err != nil {
		return activity.Record{}, "", err
	}
	var res resource
	if err := json.Unmarshal(props, &res); err != nil {
		return activity.Record{}, "", fmt.Errorf("%s resource: %w", f.Name, err)
	}
	if res.ID == "" {
		return activity.Record{}, "", fmt.Errorf("%s resource has no id", f.Name)
	}
	at, err := res.time(f.TimeProp)
	if err != nil {
		return activity.Record{}, "", fmt.Errorf("%s resource %s: %w", f.Name, res.ID, err)
	}
	r := activity.Record{
		Time: at, ResourceID: activity.ResourceIDOf(tenantID), OperationVersion: "1.0",
		Category: f.Category, TenantID: tenantID, CorrelationID: res.CorrelationID, Level: 4,
		Properties: props,
	}
	switch f.Category {
	case activity.SignInLogs, activity.NonInteractiveUserSignInLogs, activity.ServicePrincipalSignInLogs, activity.ManagedIdentitySignInLogs:
		r.OperationName, r.ResultSignature = "Sign-in activity", "None"
		r.ResultType = "0"
		if res.Status != nil {
			r.ResultType = strconv.FormatInt(res.Status.ErrorCode, 10)
			if res.Status.ErrorCode != 0 {
				r.ResultDescription = res.Status.FailureReason
			}
		}
		r.CallerIPAddress = res.IPAddress
		r.Identity = firstOf(res.UserDisplayName, res.ServicePrincipal, res.AppDisplayName)
		if res.Location != nil {
			r.Location = res.Location.CountryOrRegion
		}
	case activity.AuditLogs:
		r.OperationName, r.ResultSignature = res.ActivityDisplayName, "None"
		if by := res.InitiatedBy; by != nil && by.User != nil {
			r.Identity = firstOf(by.User.DisplayName, by.User.UserPrincipalName)
			r.CallerIPAddress = by.User.IPAddress
		} else if by != nil && by.App != nil {
			r.Identity = by.App.DisplayName
		}
	case activity.ProvisioningLogs:
		r.OperationName, r.ResultSignature = "Provisioning activity", "None"
		if res.ProvisioningStatus != nil && res.ProvisioningStatus.Status != "" {
			s := res.ProvisioningStatus.Status
			r.ResultType = strings.ToUpper(s[:1]) + s[1:]
		}
		if res.DurationMs != nil {
			r.DurationMs = *res.DurationMs
		}
	case activity.RiskyUsers:
		r.OperationName, r.Identity = "Risky user", res.UserDisplayName
	case activity.UserRiskEvents:
		r.OperationName, r.Identity = "User Risk Detection", res.UserDisplayName
	}
	return r, res.ID, nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// cleanResource returns raw compacted, without the @odata annotations
// Graph may put in a collection's items.
func cleanResource(raw json.RawMessage) (json.RawMessage, error) {
	if bytes.Contains(raw, []byte(`"@odata.`)) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("resource is not a JSON object: %w", err)
		}
		for k := range m {
			if strings.HasPrefix(k, "@odata.") {
				delete(m, k)
			}
		}
		b, err := json.Marshal(m)
		return b, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("resource is not JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// time reads the time property prop of the resource.
func (res *resource) time(prop string) (time.Time, error) {
	var s string
	switch prop {
	case "createdDateTime":
		s = res.CreatedDateTime
	case "activityDateTime":
		s = res.ActivityDateTime
	case "lastUpdatedDateTime":
		s = res.LastUpdatedDateTime
	case "riskLastUpdatedDateTime":
		s = res.RiskLastUpdatedDateTime
	default:
		return time.Time{}, fmt.Errorf("no time property %s", prop)
	}
	if s == "" {
		return time.Time{}, fmt.Errorf("no %s", prop)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not a date and time", prop, s)
	}
	return t.UTC(), nil
}
