package fileimport

import (
	"encoding/json"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// portalField says where a column of the admin center's sign-in download
// goes in Graph's signIn: a member path and how to read the text.
type portalField struct {
	path string
	kind byte // 's' string, 'i' integer, 'b' Yes/No or true/false, 't' time
}

// portalSignInColumns are the columns of the admin center's sign-in
// downloads (interactive, non-interactive, application and managed
// identity sign-ins share them) with their Graph signIn members. Columns
// missing here are reported as ignored.
var portalSignInColumns = map[string]portalField{
	"date (utc)":                             {"createdDateTime", 't'},
	"request id":                             {"id", 's'},
	"user agent":                             {"userAgent", 's'},
	"correlation id":                         {"correlationId", 's'},
	"user id":                                {"userId", 's'},
	"user":                                   {"userDisplayName", 's'},
	"username":                               {"userPrincipalName", 's'},
	"user type":                              {"userType", 's'},
	"cross tenant access type":               {"crossTenantAccessType", 's'},
	"incoming token type":                    {"incomingTokenType", 's'},
	"authentication protocol":                {"authenticationProtocol", 's'},
	"unique token identifier":                {"uniqueTokenIdentifier", 's'},
	"original transfer method":               {"originalTransferMethod", 's'},
	"client credential type":                 {"clientCredentialType", 's'},
	"application":                            {"appDisplayName", 's'},
	"application id":                         {"appId", 's'},
	"app owner tenant id":                    {"appOwnerTenantId", 's'},
	"resource":                               {"resourceDisplayName", 's'},
	"resource id":                            {"resourceId", 's'},
	"resource tenant id":                     {"resourceTenantId", 's'},
	"resource owner tenant id":               {"resourceOwnerTenantId", 's'},
	"home tenant id":                         {"homeTenantId", 's'},
	"home tenant name":                       {"homeTenantName", 's'},
	"ip address":                             {"ipAddress", 's'},
	"sign-in error code":                     {"status.errorCode", 'i'},
	"failure reason":                         {"status.failureReason", 's'},
	"client app":                             {"clientAppUsed", 's'},
	"device id":                              {"deviceDetail.deviceId", 's'},
	"browser":                                {"deviceDetail.browser", 's'},
	"operating system":                       {"deviceDetail.operatingSystem", 's'},
	"compliant":                              {"deviceDetail.isCompliant", 'b'},
	"managed":                                {"deviceDetail.isManaged", 'b'},
	"join type":                              {"deviceDetail.trustType", 's'},
	"multifactor authentication result":      {"status.additionalDetails", 's'},
	"multifactor authentication auth method": {"mfaDetail.authMethod", 's'},
	"multifactor authentication auth detail": {"mfaDetail.authDetail", 's'},
	"authentication requirement":             {"authenticationRequirement", 's'},
	"sign-in identifier":                     {"signInIdentifier", 's'},
	"session id":                             {"sessionId", 's'},
	"ip address (seen by resource)":          {"ipAddressFromResourceProvider", 's'},
	"through global secure access":           {"isThroughGlobalSecureAccess", 'b'},
	"global secure access ip address":        {"globalSecureAccessIpAddress", 's'},
	"autonomous system number":               {"autonomousSystemNumber", 'i'},
	"flagged for review":                     {"flaggedForReview", 'b'},
	"token issuer type":                      {"tokenIssuerType", 's'},
	"token issuer name":                      {"tokenIssuerName", 's'},
	"latency":                                {"processingTimeInMilliseconds", 'i'},
	"service principal id":                   {"servicePrincipalId", 's'},
	"service principal name":                 {"servicePrincipalName", 's'},
	"credential key id":                      {"servicePrincipalCredentialKeyId", 's'},
	"credential thumbprint":                  {"servicePrincipalCredentialThumbprint", 's'},
	"managed identity type":                  {"managedServiceIdentity.msiType", 's'},
	"associated resource id":                 {"managedServiceIdentity.associatedResourceId", 's'},
	"federated token id":                     {"managedServiceIdentity.federatedTokenId", 's'},
	"federated token issuer":                 {"managedServiceIdentity.federatedTokenIssuer", 's'},
}

// conditionalAccessStatus maps the download's words to Graph's values.
var conditionalAccessStatus = map[string]string{"success": "success", "failure": "failure", "not applied": "notApplied", "notapplied": "notApplied"}

func (p *parser) readPortalCSV(c *csvFile, emit func(Item) error) error {
	audit := false
	for _, h := range c.header {
		if strings.EqualFold(h, "Activity") {
			audit = true
		}
	}
	for {
		row, line, err := c.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return p.csvError(err)
		}
		n := len(p.errs)
		var obj map[string]any
		kind := kindSignIn
		if audit {
			kind = kindAudit
			obj, err = p.portalAudit(c, row)
		} else {
			obj, err = p.portalSignIn(c, row)
		}
		if err != nil {
			return err
		}
		if len(p.errs) > n {
			continue
		}
		raw, _ := json.Marshal(obj)
		if err := p.emitGraph(kind, raw, pos{line: line}, emit); err != nil {
			return err
		}
	}
}

// portalSignIn makes the Graph signIn of one row of a sign-in download.
func (p *parser) portalSignIn(c *csvFile, row []string) (map[string]any, error) {
	obj := map[string]any{}
	for i, text := range row {
		h := c.header[i]
		key := strings.ToLower(strings.TrimSpace(h))
		text = strings.TrimSpace(text)
		switch key {
		case "location":
			if text != "" {
				obj["location"] = parseLocation(text)
			}
			continue
		case "status":
			// "Success", "Failure" or "Interrupted": Graph has the code
			// alone; a success without a code column is code 0.
			if strings.EqualFold(text, "success") {
				setPath(obj, "status.errorCode", 0)
			}
			continue
		case "conditional access":
			if v, ok := conditionalAccessStatus[strings.ToLower(text)]; ok {
				obj["conditionalAccessStatus"] = v
			} else if text != "" {
				obj["conditionalAccessStatus"] = text
			}
			continue
		}
		f, ok := portalSignInColumns[key]
		if !ok {
			p.ignore(h)
			continue
		}
		if text == "" {
			continue
		}
		v, err := portalValue(f.kind, text)
		if err != nil {
			if ferr := p.fail(c.at(i), h, "%v", err); ferr != nil {
				return nil, ferr
			}
			continue
		}
		setPath(obj, f.path, v)
	}
	return obj, nil
}

func portalValue(kind byte, text string) (any, error) {
	switch kind {
	case 'i':
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, errorf("%q is not a whole number", text)
		}
		return n, nil
	case 'b':
		switch strings.ToLower(text) {
		case "yes", "true":
			return true, nil
		case "no", "false":
			return false, nil
		}
		return nil, errorf("%q is not Yes or No", text)
	case 't':
		t, err := parseTime(text)
		if err != nil {
			return nil, err
		}
		return t.Format("2006-01-02T15:04:05.0000000Z"), nil
	}
	return text, nil
}

// setPath sets a member of obj by a dotted path, making the objects on
// the way.
func setPath(obj map[string]any, path string, v any) {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		obj[head] = v
		return
	}
	sub, ok := obj[head].(map[string]any)
	if !ok {
		sub = map[string]any{}
		obj[head] = sub
	}
	setPath(sub, rest, v)
}

// parseLocation reads the download's "City, State, CC" into Graph's
// signInLocation; the last part is the country code.
func parseLocation(s string) map[string]any {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	loc := map[string]any{"countryOrRegion": parts[len(parts)-1]}
	if len(parts) >= 2 {
		loc["city"] = parts[0]
	}
	if len(parts) >= 3 {
		loc["state"] = strings.Join(parts[1:len(parts)-1], ", ")
	}
	return loc
}

// auditColumn matches the numbered columns of the audit download:
// Target1Type, Target2ModifiedProperty3OldValue, AdditionalDetail4Key.
var auditColumn = regexp.MustCompile(`^(?i)(?:target(\d+)(type|displayname|objectid|userprincipalname|modifiedproperty(\d+)(name|oldvalue|newvalue))|additionaldetail(\d+)(key|value))$`)

// auditFields and actorFields map the audit download's plain columns
// (lower-cased) to directoryAudit members and initiatedBy's user or app
// members.
var (
	auditFields = map[string]string{"correlationid": "correlationId", "service": "loggedByService", "category": "category",
		"activity": "activityDisplayName", "resultreason": "resultReason"}
	actorFields = map[string]string{"actordisplayname": "displayName", "actorobjectid": "id", "actoruserprincipalname": "userPrincipalName",
		"ipaddress": "ipAddress", "actorserviceprincipalid": "servicePrincipalId", "actorserviceprincipalname": "servicePrincipalName"}
)

// portalAudit makes the Graph directoryAudit of one row of the audit
// download (Date (UTC), CorrelationId, Service, Category, Activity,
// Result, ResultReason, Actor*, Target{n}*, AdditionalDetail{n}*).
func (p *parser) portalAudit(c *csvFile, row []string) (map[string]any, error) {
	obj := map[string]any{}
	actor := map[string]any{}
	actorType := ""
	a := &auditParts{targets: map[int]map[string]any{}, props: map[[2]int]map[string]any{}, details: map[int]map[string]any{}}
	for i, text := range row {
		h := c.header[i]
		text = strings.TrimSpace(text)
		key := strings.ToLower(h)
		if m := auditColumn.FindStringSubmatch(h); m != nil {
			if text != "" {
				a.numbered(m, text)
			}
			continue
		}
		if text == "" {
			continue
		}
		if f, ok := auditFields[key]; ok {
			obj[f] = text
			continue
		}
		if f, ok := actorFields[key]; ok {
			actor[f] = text
			continue
		}
		switch key {
		case "date (utc)", "date":
			t, err := parseTime(text)
			if err != nil {
				if ferr := p.fail(c.at(i), h, "%v", err); ferr != nil {
					return nil, ferr
				}
				continue
			}
			obj["activityDateTime"] = t.Format("2006-01-02T15:04:05.0000000Z")
		case "result":
			obj["result"] = strings.ToLower(text)
		case "useragent":
			// Entra keeps the caller's user agent as an additional
			// detail.
			ensure(a.details, 0)["key"], a.details[0]["value"] = "User-Agent", text
		case "actortype":
			actorType = strings.ToLower(text)
		default:
			p.ignore(h)
		}
	}
	if len(actor) > 0 {
		if actorType == "user" || actor["userPrincipalName"] != nil {
			delete(actor, "servicePrincipalId")
			delete(actor, "servicePrincipalName")
			obj["initiatedBy"] = map[string]any{"user": actor}
		} else {
			obj["initiatedBy"] = map[string]any{"app": actor}
		}
	}
	obj["targetResources"], obj["additionalDetails"] = a.lists()
	return obj, nil
}

// auditParts collects the numbered columns of an audit download row:
// targets, their modified properties and additional details.
type auditParts struct {
	targets map[int]map[string]any
	props   map[[2]int]map[string]any // by target and property number
	details map[int]map[string]any
}

// numbered puts the text of a numbered column (m is auditColumn's match).
func (a *auditParts) numbered(m []string, text string) {
	switch {
	case m[1] != "" && m[3] != "":
		t, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[3])
		mp := a.props[[2]int{t, n}]
		if mp == nil {
			mp = map[string]any{}
			a.props[[2]int{t, n}] = mp
		}
		mp[map[string]string{"name": "displayName", "oldvalue": "oldValue", "newvalue": "newValue"}[strings.ToLower(m[4])]] = text
		ensure(a.targets, t)
	case m[1] != "":
		t, _ := strconv.Atoi(m[1])
		member := map[string]string{"type": "type", "displayname": "displayName", "objectid": "id", "userprincipalname": "userPrincipalName"}[strings.ToLower(m[2])]
		ensure(a.targets, t)[member] = text
	default:
		n, _ := strconv.Atoi(m[5])
		ensure(a.details, n)[strings.ToLower(m[6])] = text
	}
}

// lists returns targetResources and additionalDetails in column number
// order.
func (a *auditParts) lists() (targets, details []any) {
	targets, details = []any{}, []any{}
	for _, t := range sortedKeys(a.targets) {
		target := a.targets[t]
		mps := []any{}
		for _, k := range sortedPropKeys(a.props, t) {
			mps = append(mps, a.props[k])
		}
		target["modifiedProperties"] = mps
		targets = append(targets, target)
	}
	for _, n := range sortedKeys(a.details) {
		details = append(details, a.details[n])
	}
	return targets, details
}

func ensure(m map[int]map[string]any, k int) map[string]any {
	if m[k] == nil {
		m[k] = map[string]any{}
	}
	return m[k]
}

func sortedKeys(m map[int]map[string]any) []int {
	return slices.Sorted(maps.Keys(m))
}

func sortedPropKeys(m map[[2]int]map[string]any, t int) [][2]int {
	var out [][2]int
	for k := range m {
		if k[0] == t {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b [2]int) int { return a[1] - b[1] })
	return out
}
