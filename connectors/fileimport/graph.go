package fileimport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/idlogs/idlogs/activity"
)

// graphKind is the Graph resource of an object.
type graphKind int

const (
	kindUnknown graphKind = iota
	kindSignIn
	kindAudit
)

// kindOfContext reads a Graph page's @odata.context
// (https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns).
func kindOfContext(ctx string) graphKind {
	_, frag, _ := strings.Cut(strings.ToLower(ctx), "#")
	switch {
	case strings.HasPrefix(frag, "auditlogs/signins"):
		return kindSignIn
	case strings.HasPrefix(frag, "auditlogs/directoryaudits"):
		return kindAudit
	}
	return kindUnknown
}

// kindOfObject tells a signIn from a directoryAudit by their members.
func kindOfObject(m map[string]json.RawMessage) graphKind {
	switch {
	case m["activityDateTime"] != nil || m["activityDisplayName"] != nil:
		return kindAudit
	case m["createdDateTime"] != nil && (m["appId"] != nil || m["userPrincipalName"] != nil || m["servicePrincipalId"] != nil || m["status"] != nil):
		return kindSignIn
	}
	return kindUnknown
}

// signInCategory is the diagnostic category of a Graph signIn: --category;
// else Graph beta's signInEventTypes; else the admin center's file name
// (NonInteractiveSignIns_*, ApplicationSignIns_*, MSISignIns_*); else
// isInteractive; else an interactive user sign-in, all Graph v1.0 lists.
func (p *parser) signInCategory(m map[string]json.RawMessage) string {
	if p.opt.Category != "" {
		return p.opt.Category
	}
	var types []string
	if json.Unmarshal(m["signInEventTypes"], &types) == nil {
		for _, t := range types {
			switch strings.ToLower(t) {
			case "interactiveuser":
				return activity.SignInLogs
			case "noninteractiveuser":
				return activity.NonInteractiveUserSignInLogs
			case "serviceprincipal":
				return activity.ServicePrincipalSignInLogs
			case "managedidentity":
				return activity.ManagedIdentitySignInLogs
			}
		}
	}
	base := strings.ToLower(filepath.Base(p.name))
	switch {
	case strings.HasPrefix(base, "noninteractivesignins"):
		return activity.NonInteractiveUserSignInLogs
	case strings.HasPrefix(base, "applicationsignins"), strings.HasPrefix(base, "serviceprincipalsignins"):
		return activity.ServicePrincipalSignInLogs
	case strings.HasPrefix(base, "msisignins"), strings.HasPrefix(base, "managedidentitysignins"):
		return activity.ManagedIdentitySignInLogs
	}
	if string(m["isInteractive"]) == "false" {
		return activity.NonInteractiveUserSignInLogs
	}
	return activity.SignInLogs
}

// graphRecord makes the record of a Graph signIn or directoryAudit object:
// properties is the object as it is, the envelope is filled from it as
// Entra fills its records' envelopes.
func (p *parser) graphRecord(kind graphKind, raw json.RawMessage, at pos) (Item, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Item{}, p.fail(at, "", "the element is not a JSON object")
	}
	if kind == kindUnknown {
		kind = kindOfObject(m)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return Item{}, p.fail(at, "", "%v", err)
	}
	rec := activity.Record{OperationVersion: "1.0", ResultSignature: "None", Level: 4, CorrelationID: stringOf(m["correlationId"])}
	var timeField string
	switch kind {
	case kindSignIn:
		rec.Category = p.signInCategory(m)
		timeField = "createdDateTime"
		signInEnvelope(&rec, m)
	case kindAudit:
		rec.Category = activity.AuditLogs
		timeField = "activityDateTime"
		auditEnvelope(&rec, m)
	default:
		return Item{}, p.fail(at, "", "neither a Graph signIn (createdDateTime, appId, status) nor a directoryAudit (activityDateTime, activityDisplayName)")
	}
	if s := stringOf(m[timeField]); s != "" {
		t, err := parseTime(s)
		if err != nil {
			return Item{}, p.fail(at, timeField, "%v", err)
		}
		rec.Time = t
	}
	if rec.TenantID != "" {
		rec.ResourceID = activity.ResourceIDOf(rec.TenantID)
	}
	it := Item{Line: at.line}
	props := compact.Bytes()
	if stringOf(m["id"]) == "" {
		id := deriveID(rec.Category, rec.Time, props)
		props = withID(props, id)
		it.DerivedID = true
	}
	rec.Properties = props
	it.Record = rec
	return it, nil
}

// signInEnvelope fills a sign-in record's envelope from its signIn, as
// Entra fills it (tenant/token does the same for idlogs' own sign-ins).
func signInEnvelope(rec *activity.Record, m map[string]json.RawMessage) {
	rec.OperationName = "Sign-in activity"
	var st struct {
		ErrorCode     json.Number `json:"errorCode"`
		FailureReason string      `json:"failureReason"`
	}
	json.Unmarshal(m["status"], &st)
	rec.ResultType = "0"
	if st.ErrorCode != "" {
		rec.ResultType = st.ErrorCode.String()
	}
	if rec.ResultType != "0" {
		rec.ResultDescription = st.FailureReason
	}
	rec.CallerIPAddress = stringOf(m["ipAddress"])
	rec.Identity = stringOf(m["userDisplayName"])
	if rec.Identity == "" {
		rec.Identity = stringOf(m["servicePrincipalName"])
	}
	var loc struct {
		Country string `json:"countryOrRegion"`
	}
	json.Unmarshal(m["location"], &loc)
	rec.Location = loc.Country
	rec.TenantID = stringOf(m["resourceTenantId"])
}

// auditEnvelope fills an audit record's envelope from its directoryAudit:
// the activity is the operation, the initiator the identity; an unknown
// caller address is "<null>", as in Entra's records.
func auditEnvelope(rec *activity.Record, m map[string]json.RawMessage) {
	rec.OperationName = stringOf(m["activityDisplayName"])
	var by struct {
		User *struct {
			UPN string `json:"userPrincipalName"`
			IP  string `json:"ipAddress"`
		} `json:"user"`
		App *struct {
			Name string `json:"displayName"`
		} `json:"app"`
	}
	json.Unmarshal(m["initiatedBy"], &by)
	rec.CallerIPAddress = "<null>"
	switch {
	case by.User != nil:
		rec.Identity = by.User.UPN
		if by.User.IP != "" {
			rec.CallerIPAddress = by.User.IP
		}
	case by.App != nil:
		rec.Identity = by.App.Name
	}
}

// withID puts "id" first in a compact JSON object that has none (or a
// null or empty one, which it replaces).
func withID(obj []byte, id string) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) == nil && m["id"] != nil {
		m["id"] = jsonString(id)
		b, _ := json.Marshal(m)
		return b
	}
	out := append([]byte(`{"id":`), jsonString(id)...)
	if rest := bytes.TrimSpace(obj[1:]); len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, obj[1:]...)
}

// FromGraph makes the activity record of one Graph object of resource
// "signIns" or "directoryAudits" (auditLogs/...), as the importer makes it
// from a Graph page: properties is the object, the envelope is filled from
// it. category, when not empty, is the diagnostic category of a sign-in
// (Graph v1.0 does not say whether a sign-in was interactive); otherwise
// it is taken from the object (signInEventTypes, isInteractive). Objects
// without an id get one derived from their content.
func FromGraph(resource string, obj []byte, category string) (activity.Record, error) {
	kind := kindOfContext("#auditLogs/" + resource)
	if kind == kindUnknown {
		return activity.Record{}, fmt.Errorf("unknown Graph resource %q (want signIns or directoryAudits)", resource)
	}
	p := &parser{name: resource, opt: Options{Category: category}, file: &File{Records: map[string]int{}}}
	it, _ := p.graphRecord(kind, obj, pos{})
	if len(p.errs) > 0 {
		return activity.Record{}, p.errs[0]
	}
	if err := Check(&it.Record); err != nil {
		return activity.Record{}, err
	}
	it.Record.KeepTime = true
	return it.Record, nil
}
