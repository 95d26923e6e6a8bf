package simulate

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// The record shapes follow Entra's Azure Monitor export (the records of
// diagnostics/tablemap/testdata): the envelope, and in properties the
// Graph resource of the activity (signIn, directoryAudit, riskDetection,
// riskyUser) in camelCase.

type status struct {
	ErrorCode         int    `json:"errorCode"`
	FailureReason     string `json:"failureReason,omitempty"`
	AdditionalDetails string `json:"additionalDetails,omitempty"`
}

type deviceDetail struct {
	DeviceID        string `json:"deviceId"`
	OperatingSystem string `json:"operatingSystem"`
	Browser         string `json:"browser"`
	IsCompliant     bool   `json:"isCompliant"`
	IsManaged       bool   `json:"isManaged"`
	TrustType       string `json:"trustType"`
}

type geo struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type location struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
	GeoCoordinates  geo    `json:"geoCoordinates"`
}

type keyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type caPolicy struct {
	ID                      string   `json:"id"`
	DisplayName             string   `json:"displayName"`
	EnforcedGrantControls   []string `json:"enforcedGrantControls"`
	EnforcedSessionControls []string `json:"enforcedSessionControls"`
	Result                  string   `json:"result"`
}

type authDetail struct {
	AuthenticationStepDateTime     string `json:"authenticationStepDateTime"`
	AuthenticationMethod           string `json:"authenticationMethod"`
	Succeeded                      bool   `json:"succeeded"`
	AuthenticationStepResultDetail string `json:"authenticationStepResultDetail"`
}

// signIn is Graph's signIn resource as the sign-in categories carry it.
type signIn struct {
	ID                               string        `json:"id"`
	CreatedDateTime                  string        `json:"createdDateTime"`
	UserDisplayName                  string        `json:"userDisplayName,omitempty"`
	UserPrincipalName                string        `json:"userPrincipalName,omitempty"`
	UserID                           string        `json:"userId,omitempty"`
	AppID                            string        `json:"appId"`
	AppDisplayName                   string        `json:"appDisplayName"`
	IPAddress                        string        `json:"ipAddress"`
	Status                           status        `json:"status"`
	ClientAppUsed                    string        `json:"clientAppUsed,omitempty"`
	UserAgent                        string        `json:"userAgent,omitempty"`
	DeviceDetail                     *deviceDetail `json:"deviceDetail,omitempty"`
	Location                         location      `json:"location"`
	CorrelationID                    string        `json:"correlationId"`
	ConditionalAccessStatus          string        `json:"conditionalAccessStatus"`
	AppliedConditionalAccessPolicies []caPolicy    `json:"appliedConditionalAccessPolicies"`
	OriginalRequestID                string        `json:"originalRequestId,omitempty"`
	IsInteractive                    *bool         `json:"isInteractive,omitempty"`
	TokenIssuerType                  string        `json:"tokenIssuerType,omitempty"`
	AuthenticationProcessingDetails  []keyValue    `json:"authenticationProcessingDetails"`
	ProcessingTimeInMilliseconds     int           `json:"processingTimeInMilliseconds,omitempty"`
	RiskDetail                       string        `json:"riskDetail,omitempty"`
	RiskLevelAggregated              string        `json:"riskLevelAggregated,omitempty"`
	RiskLevelDuringSignIn            string        `json:"riskLevelDuringSignIn,omitempty"`
	RiskState                        string        `json:"riskState,omitempty"`
	RiskEventTypes                   []string      `json:"riskEventTypes,omitempty"`
	RiskEventTypesV2                 []string      `json:"riskEventTypes_v2,omitempty"`
	ResourceDisplayName              string        `json:"resourceDisplayName"`
	ResourceID                       string        `json:"resourceId"`
	ResourceTenantID                 string        `json:"resourceTenantId"`
	HomeTenantID                     string        `json:"homeTenantId,omitempty"`
	AuthenticationDetails            []authDetail  `json:"authenticationDetails,omitempty"`
	AuthenticationRequirement        string        `json:"authenticationRequirement,omitempty"`
	IncomingTokenType                string        `json:"incomingTokenType,omitempty"`
	SessionID                        string        `json:"sessionId,omitempty"`
	SignInEventTypes                 []string      `json:"signInEventTypes,omitempty"`
	UserType                         string        `json:"userType,omitempty"`
	ServicePrincipalID               string        `json:"servicePrincipalId,omitempty"`
	ServicePrincipalName             string        `json:"servicePrincipalName,omitempty"`
	ServicePrincipalCredentialKeyID  string        `json:"servicePrincipalCredentialKeyId,omitempty"`
	UniqueTokenIdentifier            string        `json:"uniqueTokenIdentifier,omitempty"`
}

// failure is an Entra sign-in error.
type failure struct {
	code            int
	reason, details string
}

// Interactive failures, each with its share (per 10,000 sign-ins): about
// 6 % in all, most of them mistyped passwords and MFA interrupts.
var interactiveFailures = []struct {
	per10k int
	failure
}{
	{250, failure{50126, "Error validating credentials due to invalid username or password.", "The user didn't enter the right credentials."}},
	{130, failure{50074, "Strong Authentication is required.", "The user is required to complete MFA."}},
	{90, failure{50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this resource.", "MFA required by conditional access."}},
	{30, failure{50053, "Account is locked because user tried to sign in too many times with an incorrect user ID or password.", "Smart lockout."}},
	{20, failure{50057, "User account is disabled. The account has been disabled by an administrator.", ""}},
	{60, failure{53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", ""}},
	{40, failure{50058, "Session information is not sufficient for single-sign-on.", "A silent sign-in request was sent but no user is signed in."}},
}

// Non-interactive failures: expired sessions and MFA claims a refresh
// cannot satisfy, about 2 %.
var nonInteractiveFailures = []struct {
	per10k int
	failure
}{
	{120, failure{70044, "The session has expired or is invalid due to sign-in frequency checks by conditional access.", ""}},
	{80, failure{50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this resource.", ""}},
}

// The organisation's conditional access policies.
var (
	mfaPolicy = caPolicy{ID: "6e4f2a1b-3c5d-4e7f-9a0b-1c2d3e4f5a6b", DisplayName: "Require MFA for all users",
		EnforcedGrantControls: []string{"Mfa"}, EnforcedSessionControls: []string{}}
	blockCountries = caPolicy{ID: "0b6c4f2e-8a1d-4c3b-9e5f-7a2d1c0b9e8f", DisplayName: "Block access from untrusted countries",
		EnforcedGrantControls: []string{"Block"}, EnforcedSessionControls: []string{}}
	blockLegacy = caPolicy{ID: "3f1e5d7c-9b2a-4c8e-a6d4-2b0f8e6c4a19", DisplayName: "Block legacy authentication",
		EnforcedGrantControls: []string{"Block"}, EnforcedSessionControls: []string{}}
	compliantDevice = caPolicy{ID: "8a2c4e6f-1b3d-4f5a-9c7e-5d3b1a9f7e2c", DisplayName: "Require compliant device (report-only)",
		EnforcedGrantControls: []string{"RequireCompliantDevice"}, EnforcedSessionControls: []string{}}
	adminSignInFrequency = caPolicy{ID: "c5e7a9b1-2d4f-4a6c-8e0b-7f9d1b3c5e7a", DisplayName: "Sign-in frequency for admin portals",
		EnforcedGrantControls: []string{}, EnforcedSessionControls: []string{"SignInFrequency"}}
)

// conditionalAccess applies the policies to an interactive sign-in: two
// in three are under the MFA policy (every sign-in with in.mfa), the
// report-only device policy evaluates every browser sign-in, and the
// admin portals get a sign-in frequency.
func (s *Sim) conditionalAccess(rng *rand.Rand, p *signIn, in userSignIn) {
	var applied []caPolicy
	status := "notApplied"
	if in.mfa || rng.IntN(3) > 0 {
		m := mfaPolicy
		m.Result = "success"
		if f := in.fail; f != nil && (f.code == 50074 || f.code == 50076 || f.code == 500121) {
			m.Result = "failure"
		}
		applied = append(applied, m)
		status = m.Result
		p.AuthenticationRequirement = "multiFactorAuthentication"
		if f := in.fail; f == nil || f.code == 500121 {
			mfa := authDetail{p.CreatedDateTime, "Mobile app notification", f == nil, "MFA successfully completed"}
			if f != nil {
				mfa.AuthenticationStepResultDetail = "MFA denied; user declined the authentication"
			}
			p.AuthenticationDetails = append(p.AuthenticationDetails, mfa)
		}
	}
	if in.app.client == browser {
		d := compliantDevice
		d.Result = "reportOnlySuccess"
		if rng.IntN(5) == 0 {
			d.Result = "reportOnlyFailure"
		}
		applied = append(applied, d)
	}
	if in.app.resourceID == resARM {
		f := adminSignInFrequency
		f.Result = "success"
		applied = append(applied, f)
	}
	if applied == nil {
		applied = []caPolicy{}
	}
	p.AppliedConditionalAccessPolicies, p.ConditionalAccessStatus = applied, status
}

// stamp formats t as Graph's createdDateTime.
func stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.9999999") + "+00:00"
}

// envelope returns the record envelope of an activity.
func (s *Sim) envelope(t time.Time, category, op, identity, ip, country, correlation string) activity.Record {
	return activity.Record{
		Time: t, ResourceID: s.resourceID, OperationName: op, OperationVersion: "1.0", Category: category,
		TenantID: s.opt.TenantID, ResultSignature: "None", CallerIPAddress: ip, CorrelationID: correlation,
		Identity: identity, Level: 4, Location: country, KeepTime: true,
	}
}

func (s *Sim) finish(r activity.Record, props any) activity.Record {
	data, err := json.Marshal(props)
	if err != nil {
		panic(err) // the property types cannot fail to marshal
	}
	r.Properties = data
	return r
}

// userSignIn describes one user sign-in to build.
type userSignIn struct {
	u           *user
	app         *app
	interactive bool
	fail        *failure
	ip          string
	loc         location
	country     string
	agent       string
	// risk are the sign-in's risk event types, at riskLevel.
	risk      []string
	riskLevel string
	// mfa puts the sign-in under the MFA policy, with a push
	// notification as its second step.
	mfa bool
	// legacy is the legacy protocol the client used (IMAP4, ...), or "".
	legacy string
}

// userRecord builds an interactive or non-interactive sign-in record.
func (s *Sim) userRecord(rng *rand.Rand, t time.Time, in userSignIn) activity.Record {
	u, a := in.u, in.app
	category := activity.SignInLogs
	if !in.interactive {
		category = activity.NonInteractiveUserSignInLogs
	}
	id, corr := newGUID(rng), newGUID(rng)
	if in.ip == "" {
		c, ip := u.city, u.ip
		if u.mobile != nil && !in.interactive && rng.IntN(3) == 0 {
			// Refreshes from the phone, wherever its owner is.
			c, ip = u.mobile, u.mobileIP
		}
		in.ip = ip
		in.loc = location{City: c.name, State: c.state, CountryOrRegion: u.country.code, GeoCoordinates: geo{c.lat, c.long}}
		in.country = u.country.code
	}
	if in.agent == "" {
		in.agent = agentOf(u.os, u.browser)
	}
	r := s.envelope(t, category, "Sign-in activity", u.name, in.ip, in.country, corr)
	interactive := in.interactive
	p := signIn{
		ID: id, CreatedDateTime: stamp(t), UserDisplayName: u.name, UserPrincipalName: u.upn, UserID: u.id,
		AppID: a.id, AppDisplayName: a.name, IPAddress: in.ip, ClientAppUsed: a.client, UserAgent: in.agent,
		DeviceDetail: &deviceDetail{OperatingSystem: u.os, Browser: u.browser},
		Location:     in.loc, CorrelationID: corr, ConditionalAccessStatus: "notApplied",
		AppliedConditionalAccessPolicies: []caPolicy{}, IsInteractive: &interactive, TokenIssuerType: "AzureAD",
		AuthenticationProcessingDetails: []keyValue{}, ProcessingTimeInMilliseconds: 20 + rng.IntN(180),
		RiskDetail: "none", RiskLevelAggregated: "none", RiskLevelDuringSignIn: "none", RiskState: "none",
		RiskEventTypes: []string{}, RiskEventTypesV2: []string{},
		ResourceDisplayName: a.resourceName, ResourceID: a.resourceID, ResourceTenantID: s.opt.TenantID,
		HomeTenantID: s.opt.TenantID, AuthenticationRequirement: "singleFactorAuthentication", UserType: "Member",
	}
	if a.adal {
		p.AuthenticationProcessingDetails = []keyValue{{"Azure AD App Authentication Library", adalDetail}}
		p.UserAgent = ""
	}
	if len(in.risk) > 0 {
		p.RiskEventTypes, p.RiskEventTypesV2 = in.risk, in.risk
		p.RiskLevelDuringSignIn, p.RiskLevelAggregated, p.RiskState, p.RiskDetail = in.riskLevel, in.riskLevel, "atRisk", "none"
	}
	if in.legacy != "" {
		p.ClientAppUsed, p.UserAgent = in.legacy, ""
	}
	if interactive {
		p.OriginalRequestID = id
		p.AuthenticationDetails = []authDetail{{stamp(t), "Password", in.fail == nil || in.fail.code != 50126, "Correct password"}}
		s.conditionalAccess(rng, &p, in)
	} else {
		p.IncomingTokenType = "refreshToken"
		p.SessionID = newGUID(rng)
		p.SignInEventTypes = []string{"nonInteractiveUser"}
		p.AuthenticationDetails = []authDetail{}
		p.RiskDetail, p.RiskLevelAggregated, p.RiskLevelDuringSignIn, p.RiskState, p.RiskEventTypes = "", "", "", "", nil
	}
	if f := in.fail; f != nil {
		r.ResultType = strconv.Itoa(f.code)
		r.ResultDescription = f.reason
		p.Status = status{ErrorCode: f.code, FailureReason: f.reason, AdditionalDetails: f.details}
		switch f.code {
		case 50126:
			p.AuthenticationDetails[0].AuthenticationStepResultDetail = "Invalid username or password or Invalid on-premise username or password."
		case 53003:
			p.ConditionalAccessStatus = "failure"
			block := blockCountries
			if in.legacy != "" {
				block = blockLegacy
			}
			block.Result = "failure"
			p.AppliedConditionalAccessPolicies = []caPolicy{block}
		}
	} else {
		r.ResultType = "0"
	}
	return s.finish(r, p)
}

// daemon is a service principal of the organisation.
type daemon struct {
	appID, spID, keyID, name, resource string
}

// spRecord builds a service principal sign-in.
func (s *Sim) spRecord(rng *rand.Rand, t time.Time, d *daemon, fail bool) activity.Record {
	return s.spRecordFrom(rng, t, d, fail, "20.50.2.14", locAmsterdam)
}

// spRecordFrom builds a service principal sign-in from ip at loc.
func (s *Sim) spRecordFrom(rng *rand.Rand, t time.Time, d *daemon, fail bool, ip string, loc location) activity.Record {
	corr := newGUID(rng)
	r := s.envelope(t, activity.ServicePrincipalSignInLogs, "Sign-in activity", d.name, ip, loc.CountryOrRegion, corr)
	p := signIn{
		ID: newGUID(rng), CreatedDateTime: stamp(t), AppID: d.appID, AppDisplayName: d.name, IPAddress: ip,
		Location:      loc,
		CorrelationID: corr, ConditionalAccessStatus: "notApplied", AppliedConditionalAccessPolicies: []caPolicy{},
		ResourceDisplayName: resourceNames[d.resource], ResourceID: d.resource, ResourceTenantID: s.opt.TenantID,
		ServicePrincipalID: d.spID, ServicePrincipalName: d.name, ServicePrincipalCredentialKeyID: d.keyID,
		UniqueTokenIdentifier: newGUID(rng)[:22], AuthenticationProcessingDetails: []keyValue{},
	}
	r.ResultType = "0"
	if fail {
		const reason = "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."
		r.ResultType, r.ResultDescription = "7000215", reason
		p.Status = status{ErrorCode: 7000215, FailureReason: reason}
	}
	return s.finish(r, p)
}

// directoryAudit is Graph's directoryAudit resource.
type directoryAudit struct {
	ID                  string           `json:"id"`
	Category            string           `json:"category"`
	CorrelationID       string           `json:"correlationId"`
	Result              string           `json:"result"`
	ResultReason        string           `json:"resultReason"`
	ActivityDisplayName string           `json:"activityDisplayName"`
	ActivityDateTime    string           `json:"activityDateTime"`
	LoggedByService     string           `json:"loggedByService"`
	OperationType       string           `json:"operationType"`
	InitiatedBy         initiatedBy      `json:"initiatedBy"`
	TargetResources     []targetResource `json:"targetResources"`
	AdditionalDetails   []keyValue       `json:"additionalDetails"`
}

type initiatedBy struct {
	User *initiatorUser `json:"user,omitempty"`
	App  *initiatorApp  `json:"app,omitempty"`
}

type initiatorUser struct {
	ID                string   `json:"id"`
	DisplayName       *string  `json:"displayName"`
	UserPrincipalName string   `json:"userPrincipalName"`
	IPAddress         string   `json:"ipAddress"`
	Roles             []string `json:"roles"`
}

type initiatorApp struct {
	AppID                string `json:"appId"`
	DisplayName          string `json:"displayName"`
	ServicePrincipalID   string `json:"servicePrincipalId"`
	ServicePrincipalName string `json:"servicePrincipalName"`
}

type targetResource struct {
	ID                  string             `json:"id"`
	DisplayName         *string            `json:"displayName"`
	Type                string             `json:"type"`
	UserPrincipalName   string             `json:"userPrincipalName,omitempty"`
	ModifiedProperties  []modifiedProperty `json:"modifiedProperties"`
	AdministrativeUnits []string           `json:"administrativeUnits"`
	GroupType           string             `json:"groupType,omitempty"`
}

type modifiedProperty struct {
	DisplayName string  `json:"displayName"`
	OldValue    *string `json:"oldValue"`
	NewValue    *string `json:"newValue"`
}

func quoted(s string) *string {
	q := strconv.Quote(s)
	return &q
}

// groups are the organisation's groups, by department and purpose.
var groups = []string{"sales-team", "marketing", "engineering", "finance", "hr", "legal", "operations", "support",
	"it-admins", "research", "all-staff", "vpn-users", "m365-licensed", "contractors"}

// auditRecord builds one directory change of an administrator: kind 0
// adds a user, 1 updates one, 2 adds a member to a group, 3 assigns an app
// role.
func (s *Sim) auditRecord(rng *rand.Rand, t time.Time, kind int) activity.Record {
	admin := &s.users[s.admins[rng.IntN(len(s.admins))]]
	return s.directoryChange(rng, t, admin, admin.ip, &s.users[rng.IntN(len(s.users))], kind)
}

// globalAdmin is the Global Administrator role's template id.
const globalAdmin = "62e90394-69f5-4237-9190-012177145e10"

// directoryChange builds the AuditLogs record of admin (at ip) changing
// target: kinds 0 to 3 as auditRecord, 4 adds target to the Global
// Administrator role.
func (s *Sim) directoryChange(rng *rand.Rand, t time.Time, admin *user, ip string, target *user, kind int) activity.Record {
	corr := newGUID(rng)
	a := directoryAudit{
		ID: "Directory_" + corr + "_" + strconv.Itoa(10000000+rng.IntN(89999999)), CorrelationID: corr, Result: "success",
		ActivityDateTime: stamp(t), LoggedByService: "Core Directory",
		InitiatedBy:       initiatedBy{User: &initiatorUser{ID: admin.id, UserPrincipalName: admin.upn, IPAddress: ip, Roles: []string{}}},
		AdditionalDetails: []keyValue{{"User-Agent", agentOf(admin.os, admin.browser)}},
	}
	user := targetResource{ID: target.id, Type: "User", UserPrincipalName: target.upn, ModifiedProperties: []modifiedProperty{}, AdministrativeUnits: []string{}}
	switch kind {
	case 0:
		a.Category, a.ActivityDisplayName, a.OperationType = "UserManagement", "Add user", "Add"
		user.ModifiedProperties = []modifiedProperty{
			{"AccountEnabled", nil, quoted("[true]")}, {"DisplayName", nil, quoted("[\"" + target.name + "\"]")},
			{"UserPrincipalName", nil, quoted("[\"" + target.upn + "\"]")}, {"Department", nil, quoted("[\"" + target.department + "\"]")},
		}
		a.TargetResources = []targetResource{user}
	case 1:
		a.Category, a.ActivityDisplayName, a.OperationType = "UserManagement", "Update user", "Update"
		props := []string{"JobTitle", "Department", "MobilePhone", "OfficeLocation", "Manager"}
		name := props[rng.IntN(len(props))]
		user.ModifiedProperties = []modifiedProperty{{name, quoted("[]"), quoted("[\"" + target.city.name + "\"]")},
			{"Included Updated Properties", nil, quoted(name)}}
		a.TargetResources = []targetResource{user}
	case 4:
		a.Category, a.ActivityDisplayName, a.OperationType = "RoleManagement", "Add member to role", "Assign"
		user.ModifiedProperties = []modifiedProperty{{"Role.ObjectID", nil, quoted(newGUID(rng))}, {"Role.DisplayName", nil, quoted("Global Administrator")},
			{"Role.TemplateId", nil, quoted(globalAdmin)}, {"Role.WellKnownObjectName", nil, quoted("TenantAdmins")}}
		a.TargetResources = []targetResource{user}
	case 2:
		a.Category, a.ActivityDisplayName, a.OperationType = "GroupManagement", "Add member to group", "Assign"
		g := groups[rng.IntN(len(groups))]
		gid := s.groupIDs[g]
		user.ModifiedProperties = []modifiedProperty{{"Group.ObjectID", nil, quoted(gid)}, {"Group.DisplayName", nil, quoted(g)}}
		a.TargetResources = []targetResource{user, {ID: gid, Type: "Group", ModifiedProperties: []modifiedProperty{}, AdministrativeUnits: []string{}, GroupType: "unknownFutureValue"}}
	default:
		a.Category, a.ActivityDisplayName, a.OperationType = "ApplicationManagement", "Add app role assignment grant to user", "Assign"
		app := &s.apps[len(firstParty)+rng.IntN(len(s.apps)-len(firstParty))]
		user.ModifiedProperties = []modifiedProperty{{"AppRole.Id", nil, quoted("00000000-0000-0000-0000-000000000000")},
			{"AppRole.Value", nil, quoted("")}, {"ServicePrincipal.DisplayName", nil, quoted(app.name)}, {"ServicePrincipal.AppId", nil, quoted(app.id)}}
		a.TargetResources = []targetResource{user}
	}
	r := s.envelope(t, activity.AuditLogs, a.ActivityDisplayName, "", "", "", corr)
	r.ResultSignature = "None"
	return s.finish(r, a)
}

// riskDetection is Graph's riskDetection resource.
type riskDetection struct {
	ID                  string   `json:"id"`
	RequestID           string   `json:"requestId"`
	CorrelationID       string   `json:"correlationId"`
	RiskEventType       string   `json:"riskEventType"`
	RiskState           string   `json:"riskState"`
	RiskLevel           string   `json:"riskLevel"`
	RiskDetail          string   `json:"riskDetail"`
	Source              string   `json:"source"`
	DetectionTimingType string   `json:"detectionTimingType"`
	Activity            string   `json:"activity"`
	TokenIssuerType     string   `json:"tokenIssuerType"`
	IPAddress           string   `json:"ipAddress"`
	Location            location `json:"location"`
	ActivityDateTime    string   `json:"activityDateTime"`
	DetectedDateTime    string   `json:"detectedDateTime"`
	LastUpdatedDateTime string   `json:"lastUpdatedDateTime"`
	UserID              string   `json:"userId"`
	UserDisplayName     string   `json:"userDisplayName"`
	UserPrincipalName   string   `json:"userPrincipalName"`
	AdditionalInfo      string   `json:"additionalInfo"`
}

// riskEvent builds a UserRiskEvents record detected at t of a sign-in at
// signedIn.
func (s *Sim) riskEvent(rng *rand.Rand, t, signedIn time.Time, u *user, kind, level, timing, ip string, loc location) activity.Record {
	corr := newGUID(rng)
	r := s.envelope(t, activity.UserRiskEvents, "User Risk Detection", "", "", "", corr)
	r.ResultSignature = ""
	id := newGUID(rng) + newGUID(rng)
	return s.finish(r, riskDetection{
		ID: id[:64], RequestID: newGUID(rng), CorrelationID: corr, RiskEventType: kind, RiskState: "atRisk",
		RiskLevel: level, RiskDetail: "none", Source: "IdentityProtection", DetectionTimingType: timing, Activity: "signin",
		TokenIssuerType: "AzureAD", IPAddress: ip, Location: loc, ActivityDateTime: stamp(signedIn), DetectedDateTime: stamp(t),
		LastUpdatedDateTime: stamp(t), UserID: u.id, UserDisplayName: u.name, UserPrincipalName: u.upn, AdditionalInfo: "[]",
	})
}

// riskyUser is Graph's riskyUser resource.
type riskyUser struct {
	ID                      string `json:"id"`
	IsDeleted               bool   `json:"isDeleted"`
	IsProcessing            bool   `json:"isProcessing"`
	RiskLastUpdatedDateTime string `json:"riskLastUpdatedDateTime"`
	RiskLevel               string `json:"riskLevel"`
	RiskState               string `json:"riskState"`
	RiskDetail              string `json:"riskDetail"`
	UserDisplayName         string `json:"userDisplayName"`
	UserPrincipalName       string `json:"userPrincipalName"`
}

// riskyUserRecord builds a RiskyUsers record; its id is the user's, so a
// user is at risk once.
func (s *Sim) riskyUserRecord(rng *rand.Rand, t time.Time, u *user, level string) activity.Record {
	r := s.envelope(t, activity.RiskyUsers, "Risky user", "", "", "", newGUID(rng))
	r.ResultSignature = ""
	return s.finish(r, riskyUser{ID: u.id, RiskLastUpdatedDateTime: stamp(t), RiskLevel: level, RiskState: "atRisk",
		RiskDetail: "none", UserDisplayName: u.name, UserPrincipalName: u.upn})
}
