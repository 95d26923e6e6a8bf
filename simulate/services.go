package simulate

import (
	"math/rand/v2"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// managedIdentity is an Azure resource's identity getting tokens for the
// services it uses.
type managedIdentity struct {
	name, spID, appID, resource, kind string
	// every is how often it gets a token.
	every time.Duration
}

var managedIdentities = []struct {
	name, resource, kind string
	every                time.Duration
}{
	{"vm-build-01", resKeyVault, "systemAssigned", 10 * time.Minute},
	{"func-invoice-processor", resKeyVault, "systemAssigned", 5 * time.Minute},
	{"aks-agentpool-identity", resARM, "userAssigned", 15 * time.Minute},
	{"logic-approvals", resGraph, "systemAssigned", 30 * time.Minute},
	{"id-backup-vault", resStorage, "userAssigned", 20 * time.Minute},
}

// resStorage is Azure Storage's first-party resource.
const resStorage = "e406a681-f3d4-42a8-90b6-c2b029497af1"

func init() { resourceNames[resStorage] = "Azure Storage" }

// miSignIn is Graph's signIn resource for a managed identity.
type miSignIn struct {
	signIn
	ManagedIdentityType string `json:"managedIdentityType"`
}

// miRecord builds a managed identity sign-in. Managed identities have no
// address of their own in Entra's records.
func (s *Sim) miRecord(rng *rand.Rand, t time.Time, m *managedIdentity) activity.Record {
	corr := newGUID(rng)
	r := s.envelope(t, activity.ManagedIdentitySignInLogs, "Sign-in activity", m.name, "", "", corr)
	r.ResultType = "0"
	p := miSignIn{signIn: signIn{
		ID: newGUID(rng), CreatedDateTime: stamp(t), AppID: m.appID, AppDisplayName: m.name, CorrelationID: corr,
		ConditionalAccessStatus: "notApplied", AppliedConditionalAccessPolicies: []caPolicy{},
		ResourceDisplayName: resourceNames[m.resource], ResourceID: m.resource, ResourceTenantID: s.opt.TenantID,
		ServicePrincipalID: m.spID, ServicePrincipalName: m.name, AuthenticationProcessingDetails: []keyValue{},
		ProcessingTimeInMilliseconds: 5 + rng.IntN(30),
	}, ManagedIdentityType: m.kind}
	return s.finish(r, p)
}

// provisioningJob is an app the provisioning service syncs users to.
type provisioningJob struct {
	app, spID, jobID, targetType string
}

var provisioningApps = []struct{ name, jobPrefix, targetType string }{
	{"ServiceNow", "scim", "sys_user"}, {"Workday to Microsoft Entra user provisioning", "Workday2AAD", "User"},
	{"Slack", "slackOutDelta", "User"},
}

// cycle is how often a provisioning job runs (Entra's incremental cycle).
const cycle = 40 * time.Minute

type provisioningObject struct {
	ID                     string             `json:"id"`
	ActivityDateTime       string             `json:"activityDateTime"`
	TenantID               string             `json:"tenantId"`
	JobID                  string             `json:"jobId"`
	CycleID                string             `json:"cycleId"`
	ChangeID               string             `json:"changeId"`
	ProvisioningAction     string             `json:"provisioningAction"`
	DurationInMilliseconds int                `json:"durationInMilliseconds"`
	InitiatedBy            provInitiator      `json:"initiatedBy"`
	ServicePrincipal       provRef            `json:"servicePrincipal"`
	SourceIdentity         provIdentity       `json:"sourceIdentity"`
	TargetIdentity         provIdentity       `json:"targetIdentity"`
	SourceSystem           provSystem         `json:"sourceSystem"`
	TargetSystem           provSystem         `json:"targetSystem"`
	ProvisioningStatusInfo provStatus         `json:"provisioningStatusInfo"`
	ProvisioningSteps      []provStep         `json:"provisioningSteps"`
	ModifiedProperties     []provModification `json:"modifiedProperties"`
}

type provInitiator struct {
	ID            string `json:"id"`
	DisplayName   string `json:"displayName"`
	InitiatorType string `json:"initiatorType"`
}

type provRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

type provIdentity struct {
	ID           string         `json:"id"`
	DisplayName  string         `json:"displayName"`
	IdentityType string         `json:"identityType"`
	Details      map[string]any `json:"details"`
}

type provSystem struct {
	ID          string            `json:"id"`
	DisplayName string            `json:"displayName"`
	Details     map[string]string `json:"details"`
}

type provStatus struct {
	Status           string         `json:"status"`
	ErrorInformation *provErrorInfo `json:"errorInformation"`
}

type provErrorInfo struct {
	ErrorCode         string `json:"errorCode"`
	Reason            string `json:"reason"`
	AdditionalDetails string `json:"additionalDetails"`
	ErrorCategory     string `json:"errorCategory"`
	RecommendedAction string `json:"recommendedAction"`
}

type provStep struct {
	Name                 string         `json:"name"`
	ProvisioningStepType string         `json:"provisioningStepType"`
	Status               string         `json:"status"`
	Description          string         `json:"description"`
	Details              map[string]any `json:"details"`
}

type provModification struct {
	DisplayName string  `json:"displayName"`
	OldValue    *string `json:"oldValue"`
	NewValue    *string `json:"newValue"`
}

// provisioningCycle adds the records of a provisioning cycle of job j
// starting at t: a handful of users and now and then a group, created,
// updated or disabled; one change in fifty fails on a duplicate.
func (s *Sim) provisioningCycle(rng *rand.Rand, recs []activity.Record, t time.Time, j *provisioningJob) []activity.Record {
	cycleID := newGUID(rng)
	for i := range rng.IntN(6) {
		at := t.Add(time.Duration(i)*7*time.Second + time.Duration(rng.IntN(5000))*time.Millisecond)
		recs = append(recs, s.provisioningRecord(rng, at, j, cycleID))
	}
	return recs
}

func (s *Sim) provisioningRecord(rng *rand.Rand, t time.Time, j *provisioningJob, cycleID string) activity.Record {
	u := &s.users[rng.IntN(len(s.users))]
	// Graph spells provisioningAction in lower case; Microsoft's example
	// queries of AADProvisioningLogs compare Action with "Create", the
	// form the portal shows, so the export is taken to carry that
	// (unverified).
	action, kind, name, id := "Update", "User", u.name, u.id
	switch x := rng.IntN(20); {
	case x < 3:
		action = "Create"
	case x == 3:
		action = "Disable"
	case x == 4:
		kind, name, id = "Group", groups[rng.IntN(len(groups))], ""
		id = s.groupIDs[name]
	}
	result, status := "Success", provStatus{Status: "success"}
	r := s.envelope(t, activity.ProvisioningLogs, "Provisioning activity", "", "", "", newGUID(rng))
	r.ResultSignature = "None"
	if rng.IntN(50) == 0 {
		result = "Failure"
		r.ResultSignature = "AzureActiveDirectoryConflictEncountered"
		status = provStatus{Status: "failure", ErrorInformation: &provErrorInfo{ErrorCode: r.ResultSignature,
			Reason:        "The user could not be created because another object in the target system has the same userName.",
			ErrorCategory: "NonServiceFailure", RecommendedAction: "Remove or rename the conflicting object in the target system."}}
	} else if rng.IntN(15) == 0 {
		result, action = "Skipped", "Other"
		status = provStatus{Status: "skipped"}
	}
	r.ResultType = result
	dur := 300 + rng.IntN(2500)
	r.DurationMs = int64(dur)
	upn := quoted(u.upn)
	p := provisioningObject{
		ID: newGUID(rng), ActivityDateTime: t.UTC().Format(time.RFC3339), TenantID: s.opt.TenantID, JobID: j.jobID, CycleID: cycleID,
		ChangeID: newGUID(rng), ProvisioningAction: action, DurationInMilliseconds: dur,
		InitiatedBy:            provInitiator{DisplayName: "Azure AD Provisioning Service", InitiatorType: "system"},
		ServicePrincipal:       provRef{ID: j.spID, DisplayName: j.app},
		SourceIdentity:         provIdentity{ID: id, DisplayName: name, IdentityType: kind, Details: map[string]any{}},
		TargetIdentity:         provIdentity{ID: newGUID(rng)[:12], IdentityType: j.targetType, Details: map[string]any{}},
		SourceSystem:           provSystem{ID: newGUID(rng), DisplayName: "Azure Active Directory", Details: map[string]string{}},
		TargetSystem:           provSystem{ID: newGUID(rng), DisplayName: j.app, Details: map[string]string{"ApplicationId": j.spID}},
		ProvisioningStatusInfo: status,
		ProvisioningSteps: []provStep{
			{"EntryImport", "import", "success", "Retrieved " + name + " from Azure Active Directory", map[string]any{}},
			{"EntryExportUpdate", "export", status.Status, "Exported " + kind + " '" + name + "' to " + j.app, map[string]any{}},
		},
		ModifiedProperties: []provModification{{"userName", nil, upn}},
	}
	if kind == "Group" {
		p.ModifiedProperties = []provModification{{"displayName", nil, quoted(name)}}
	}
	return s.finish(r, p)
}

// spRisk is Graph's servicePrincipalRiskDetection resource.
type spRisk struct {
	ID                          string   `json:"id"`
	Activity                    string   `json:"activity"`
	ActivityDateTime            string   `json:"activityDateTime"`
	AdditionalInfo              string   `json:"additionalInfo"`
	AppID                       string   `json:"appId"`
	CorrelationID               string   `json:"correlationId"`
	DetectedDateTime            string   `json:"detectedDateTime"`
	DetectionTimingType         string   `json:"detectionTimingType"`
	IPAddress                   string   `json:"ipAddress"`
	KeyIDs                      []string `json:"keyIds"`
	LastUpdatedDateTime         string   `json:"lastUpdatedDateTime"`
	Location                    location `json:"location"`
	RequestID                   string   `json:"requestId"`
	RiskDetail                  string   `json:"riskDetail"`
	RiskEventType               string   `json:"riskEventType"`
	RiskLevel                   string   `json:"riskLevel"`
	RiskState                   string   `json:"riskState"`
	ServicePrincipalDisplayName string   `json:"servicePrincipalDisplayName"`
	ServicePrincipalID          string   `json:"servicePrincipalId"`
	Source                      string   `json:"source"`
	TokenIssuerType             string   `json:"tokenIssuerType"`
}

// spRiskEvent builds a ServicePrincipalRiskEvents record: suspicious
// sign-ins of d.
func (s *Sim) spRiskEvent(rng *rand.Rand, t, signedIn time.Time, d *daemon, ip string, loc location) activity.Record {
	corr := newGUID(rng)
	r := s.envelope(t, activity.ServicePrincipalRiskEvents, "Service principal risk detection", "", "", "", corr)
	r.ResultSignature = ""
	id := newGUID(rng) + newGUID(rng)
	return s.finish(r, spRisk{ID: id[:64], Activity: "servicePrincipal", ActivityDateTime: stamp(signedIn), AdditionalInfo: "[]",
		AppID: d.appID, CorrelationID: corr, DetectedDateTime: stamp(t), DetectionTimingType: "offline", IPAddress: ip,
		KeyIDs: []string{d.keyID}, LastUpdatedDateTime: stamp(t), Location: loc, RiskDetail: "none", RiskEventType: "suspiciousSignins",
		RiskLevel: "high", RiskState: "atRisk", ServicePrincipalDisplayName: d.name, ServicePrincipalID: d.spID,
		Source: "IdentityProtection", TokenIssuerType: "AzureAD"})
}

// riskySP is Graph's riskyServicePrincipal resource.
type riskySP struct {
	ID                      string `json:"id"`
	AppID                   string `json:"appId"`
	DisplayName             string `json:"displayName"`
	ServicePrincipalType    string `json:"servicePrincipalType"`
	IsEnabled               bool   `json:"isEnabled"`
	IsProcessing            bool   `json:"isProcessing"`
	RiskLastUpdatedDateTime string `json:"riskLastUpdatedDateTime"`
	RiskLevel               string `json:"riskLevel"`
	RiskState               string `json:"riskState"`
	RiskDetail              string `json:"riskDetail"`
}

func (s *Sim) riskySPRecord(rng *rand.Rand, t time.Time, d *daemon) activity.Record {
	r := s.envelope(t, activity.RiskyServicePrincipals, "Risky service principal", "", "", "", newGUID(rng))
	r.ResultSignature = ""
	return s.finish(r, riskySP{ID: d.spID, AppID: d.appID, DisplayName: d.name, ServicePrincipalType: "Application", IsEnabled: true,
		RiskLastUpdatedDateTime: stamp(t), RiskLevel: "high", RiskState: "atRisk", RiskDetail: "none"})
}
