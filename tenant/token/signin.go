package token

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/tenant"
	"github.com/idlogs/idlogs/tenant/risk"
)

// attempt is one token request as the sign-in log sees it, filled in as
// the request is served.
type attempt struct {
	start       time.Time
	ip          string
	userAgent   string
	correlation string
	sku, skuVer string // x-client-SKU and x-client-Ver, sent by MSAL and ADAL
	clientOS    string // x-client-OS

	grant    string
	clientID string
	app      *tenant.Application // the client, once known
	credType string              // clientSecret for a confidential client, none for a public one
	upn      string              // the user name as sent
	user     *tenant.User        // the user, once known
	resource string
	uti      string // the issued access token's uti
	browser  bool   // a sign-in on the authorization endpoint's page
	err      *oauthError

	id   string       // the sign-in record's id; empty means a new one
	risk *risk.SignIn // the attempt's risk, once assessed
}

func (s *Service) newAttempt(w http.ResponseWriter, r *http.Request) *attempt {
	a := &attempt{
		start:       s.now(),
		ip:          s.clientIP(r),
		userAgent:   r.Header.Get("User-Agent"),
		correlation: correlationID(w, r),
		sku:         r.Header.Get("x-client-SKU"),
		skuVer:      r.Header.Get("x-client-Ver"),
		clientOS:    r.Header.Get("x-client-OS"),
	}
	return a
}

// clientIP is the address of the connection, or the first X-Forwarded-For
// entry when the service is told to trust it.
func (s *Service) clientIP(r *http.Request) string {
	if s.trustXFF {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// category is where a sign-in is logged. A password (ROPC) sign-in is
// interactive: Entra's non-interactive log holds sign-ins made on a user's
// behalf "without the user providing an authentication factor" (a refresh
// token, an authorization code, SSO), and with ROPC the user provides the
// password. A refresh is non-interactive; client credentials are a service
// principal's sign-in. A request whose grant is missing or unknown is
// logged with the interactive sign-ins, a user's unless it proves
// otherwise.
//
// At the authorization endpoint the user types the password into the page:
// that is the interactive sign-in. Redeeming the code it gave is a
// non-interactive one, as Entra documents its non-interactive log ("a
// client uses an OAuth 2.0 authorization code to get an access token and
// refresh token").
func (a *attempt) category() (string, bool) {
	if a.browser {
		return activity.SignInLogs, true
	}
	switch a.grant {
	case grantAuthorizationCode:
		return activity.NonInteractiveUserSignInLogs, false
	case grantRefreshToken:
		return activity.NonInteractiveUserSignInLogs, false
	case grantClientCredentials:
		return activity.ServicePrincipalSignInLogs, false
	case grantManagedIdentity:
		return activity.ManagedIdentitySignInLogs, false
	}
	return activity.SignInLogs, true
}

// Well-known resources: the application id and name Entra logs for a
// token's audience.
var knownResources = map[string][2]string{
	"https://graph.microsoft.com":         {"00000003-0000-0000-c000-000000000000", "Microsoft Graph"},
	"https://management.azure.com":        {"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"},
	"https://management.core.windows.net": {"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"},
	"https://api.loganalytics.io":         {"ca7f3f0b-7d91-482c-8e09-c5d840d0eac5", "Log Analytics API"},
}

// resourceOf returns the application id and display name of a resource.
func (s *Service) resourceOf(resource string) (string, string) {
	key := strings.TrimSuffix(strings.ToLower(resource), "/")
	if r, ok := knownResources[key]; ok {
		return r[0], r[1]
	}
	id := strings.TrimPrefix(key, "api://")
	if app, ok := s.dir.Application(id); ok {
		return app.AppID, app.DisplayName
	}
	return "", resource
}

// failureReasons are the failure reasons Entra's sign-in logs give the
// codes idlogs answers with; other codes use the error description.
var failureReasons = map[int]string{
	50126:   "Error validating credentials due to invalid username or password.",
	50053:   "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
	50057:   "User account is disabled. The account has been disabled by an administrator.",
	50034:   "The user account does not exist in the tenant directory. To sign into this application, the account must be added to the directory.",
	7000215: "Invalid client secret is provided.",
	7000218: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
	700016:  "Application with identifier was not found in the directory.",
}

type keyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// signInRecord builds the record of a: the Graph signIn resource (with the
// fields Azure Monitor adds) in properties, and Entra's envelope.
func (s *Service) signInRecord(a *attempt) activity.Record {
	category, interactive := a.category()
	created := a.start.UTC()
	id := a.id
	if id == "" {
		id = tenant.NewGUID()
	}
	code, reason := 0, ""
	if a.err != nil {
		code = a.err.aadsts
		if reason = failureReasons[code]; reason == "" {
			reason = a.err.desc
		}
	}
	status := map[string]any{"errorCode": code}
	if a.err != nil {
		status["failureReason"] = reason
		status["additionalDetails"] = a.err.desc
	}
	appID, appName := a.clientID, ""
	if a.app != nil {
		appID, appName = a.app.AppID, a.app.DisplayName
	}
	resID, resName := "", ""
	if a.resource != "" {
		resID, resName = s.resourceOf(a.resource)
	}
	os, browser := parseUserAgent(a.userAgent)
	// Risk levels are ID Protection's, which needs P2; other tenants see
	// "hidden", as Graph documents.
	risk := "hidden"
	if s.dir.License() == tenant.LicenseP2 {
		risk = "none"
	}
	p := map[string]any{
		"id":                               id,
		"createdDateTime":                  created.Format("2006-01-02T15:04:05.0000000Z"),
		"appId":                            appID,
		"appDisplayName":                   appName,
		"ipAddress":                        a.ip,
		"correlationId":                    a.correlation,
		"originalRequestId":                id,
		"conditionalAccessStatus":          "notApplied",
		"appliedConditionalAccessPolicies": []any{},
		"isInteractive":                    interactive,
		"status":                           status,
		// idlogs has no geolocation database: every address, private or
		// not, has an empty location.
		"location":                        map[string]any{},
		"resourceDisplayName":             resName,
		"resourceId":                      resID,
		"resourceTenantId":                s.dir.TenantID(),
		"homeTenantId":                    s.dir.TenantID(),
		"authenticationProcessingDetails": processingDetails(a),
		"authenticationRequirement":       "singleFactorAuthentication",
		"tokenIssuerType":                 "AzureAD",
		"tokenIssuerName":                 "",
		"riskDetail":                      "none",
		"riskLevelAggregated":             risk,
		"riskLevelDuringSignIn":           risk,
		"riskState":                       "none",
		"riskEventTypes":                  []any{},
		"riskEventTypes_v2":               []any{},
		"networkLocationDetails":          []any{},
		"processingTimeInMilliseconds":    s.now().Sub(a.start).Milliseconds(),
		"uniqueTokenIdentifier":           a.uti,
		"clientCredentialType":            orNone(a.credType),
		"incomingTokenType":               "none",
		"crossTenantAccessType":           "none",
		"flaggedForReview":                false,
		"isTenantRestricted":              false,
	}
	identity := appName
	if category == activity.ServicePrincipalSignInLogs || category == activity.ManagedIdentitySignInLogs {
		if a.app != nil {
			p["servicePrincipalId"] = a.app.ObjectID
			p["servicePrincipalName"] = a.app.DisplayName
		}
		p["authenticationProtocol"] = "none"
	} else {
		p["userPrincipalName"] = a.upn
		p["userDisplayName"] = ""
		p["userId"] = ""
		p["userType"] = "member"
		p["clientAppUsed"] = "Mobile Apps and Desktop clients"
		if a.browser {
			p["clientAppUsed"] = "Browser"
		}
		p["userAgent"] = a.userAgent
		p["deviceDetail"] = map[string]any{"deviceId": "", "displayName": "", "operatingSystem": os, "browser": browser,
			"isCompliant": false, "isManaged": false, "trustType": ""}
		p["authenticationDetails"] = authenticationDetails(a, created)
		p["authenticationRequirementPolicies"] = []any{}
		p["signInIdentifier"] = a.upn
		p["authenticationProtocol"] = "none"
		if a.grant == grantPassword {
			p["authenticationProtocol"] = "ropc"
		}
		identity = a.upn
		if u := a.user; u != nil {
			p["userPrincipalName"], p["userDisplayName"], p["userId"] = u.UserPrincipalName, u.DisplayName, u.ID
			identity = u.DisplayName
		}
	}
	if a.risk != nil {
		p["riskLevelDuringSignIn"], p["riskLevelAggregated"] = a.risk.DuringSignIn, a.risk.Aggregated
		p["riskState"] = a.risk.State
		p["riskEventTypes_v2"], p["riskEventTypes"] = a.risk.EventTypes, a.risk.V1EventTypes()
	}
	props, _ := json.Marshal(p)
	rec := activity.Record{
		Time:             created,
		ResourceID:       activity.ResourceIDOf(s.dir.TenantID()),
		OperationName:    "Sign-in activity",
		OperationVersion: "1.0",
		Category:         category,
		TenantID:         s.dir.TenantID(),
		ResultType:       strconv.Itoa(code),
		ResultSignature:  "None",
		DurationMs:       0,
		CallerIPAddress:  a.ip,
		CorrelationID:    a.correlation,
		Identity:         identity,
		Level:            4,
		Location:         "",
		Properties:       props,
	}
	if a.err != nil {
		rec.ResultDescription = reason
	}
	return rec
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// authenticationDetails is the one authentication step of a user sign-in:
// the password, or for a refresh the claim in the refresh token.
func authenticationDetails(a *attempt, at time.Time) []any {
	step := map[string]any{
		"authenticationStepDateTime":    at.Format("2006-01-02T15:04:05Z"),
		"authenticationMethod":          "Password",
		"authenticationMethodDetail":    "Password in the cloud",
		"succeeded":                     a.err == nil,
		"authenticationStepRequirement": "Primary authentication",
	}
	switch {
	case a.grant == grantRefreshToken, a.grant == grantAuthorizationCode && !a.browser:
		step["authenticationMethod"] = "Previously satisfied"
		step["authenticationMethodDetail"] = ""
		step["authenticationStepResultDetail"] = "First factor requirement satisfied by claim in the token"
	case a.err == nil:
		step["authenticationStepResultDetail"] = "Correct password"
	case a.err.aadsts == 50126:
		step["authenticationStepResultDetail"] = "Invalid username or password or Invalid on-premise username or password."
	default:
		step["authenticationStepResultDetail"] = failureReasons[a.err.aadsts]
	}
	return []any{step}
}

// processingDetails are the authenticationProcessingDetails of a sign-in:
// the TLS and CAE flags every record has and, when the client's
// x-client-SKU names MSAL or ADAL, the "Azure AD App Authentication
// Library" entry Entra writes from it ("Family: MSAL Library: MSAL.Python
// 1.20.0 Platform: Python" in real records). Entra's platform for MSAL.Go
// is not documented; idlogs writes the client's x-client-OS.
func processingDetails(a *attempt) []keyValue {
	d := []keyValue{
		{"Legacy TLS (TLS 1.0, 1.1, 3DES)", "False"},
		{"Is CAE Token", "False"},
	}
	family := ""
	switch {
	case strings.HasPrefix(strings.ToUpper(a.sku), "MSAL"):
		family = "MSAL"
	case strings.HasPrefix(strings.ToUpper(a.sku), "ADAL"), strings.HasPrefix(strings.ToUpper(a.sku), "PCL."):
		family = "ADAL"
	}
	if family != "" {
		v := "Family: " + family + " Library: " + strings.TrimSpace(a.sku+" "+a.skuVer) + " Platform: " + a.clientOS
		d = append(d, keyValue{"Azure AD App Authentication Library", strings.TrimSpace(v)})
	}
	return d
}

// parseUserAgent returns the operating system and browser Entra's
// deviceDetail would show for a user agent, in its spelling ("Windows10",
// "MacOs", "Linux", "Ios", "Android"; "Edge 120.0.0", "Chrome 120.0.0").
// Clients that are not browsers have no browser.
func parseUserAgent(ua string) (os, browser string) {
	low := strings.ToLower(ua)
	switch {
	case strings.Contains(low, "windows nt 10"):
		os = "Windows10"
	case strings.Contains(low, "windows"):
		os = "Windows"
	case strings.Contains(low, "iphone") || strings.Contains(low, "ipad"):
		os = "Ios"
	case strings.Contains(low, "mac os x") || strings.Contains(low, "darwin"):
		os = "MacOs"
	case strings.Contains(low, "android"):
		os = "Android"
	case strings.Contains(low, "linux"):
		os = "Linux"
	}
	for _, b := range []struct{ token, name string }{
		{"edg/", "Edge"}, {"firefox/", "Firefox"}, {"chrome/", "Chrome"}, {"version/", "Safari"},
	} {
		if i := strings.Index(low, b.token); i >= 0 {
			ver := ua[i+len(b.token):]
			if j := strings.IndexAny(ver, " ;)"); j >= 0 {
				ver = ver[:j]
			}
			if b.name == "Safari" && !strings.Contains(low, "safari/") {
				continue
			}
			return os, b.name + " " + ver
		}
	}
	return os, ""
}
