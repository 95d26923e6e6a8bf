package fileimport

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/diagnostics/tablemap"
	"github.com/idlogs/idlogs/kql/vec"
	"github.com/idlogs/idlogs/workspace/schema"
)

// categoryOfTable returns the diagnostic category whose records fill an
// Entra table (SigninLogs → SignInLogs), matching the table name without
// regard to case.
func categoryOfTable(table string) (string, bool) {
	for _, c := range tablemap.Categories() {
		if t, _ := tablemap.Table(c); strings.EqualFold(t, table) {
			return c, true
		}
	}
	return "", false
}

// cell is one value of a row of a Log Analytics export.
type cell struct {
	col  string          // the table's column, as the schema spells it
	text string          // the CSV text
	raw  json.RawMessage // the JSON value, for JSON exports
	at   pos
}

// tableShape is a table export's target: the table, its category and
// columns.
type tableShape struct {
	table    string
	category string
	schema   vec.Schema
	byFold   map[string]vec.Field
	// byHeader caches column by header.
	byHeader map[string]headerColumn
	members  map[string]string
}

func newTableShape(table string) (*tableShape, error) {
	category, ok := categoryOfTable(table)
	if !ok {
		return nil, fmt.Errorf("%s is not a table Entra's diagnostic settings fill", table)
	}
	sch, ok := schema.Lookup(table)
	if !ok {
		return nil, fmt.Errorf("no schema for table %s", table)
	}
	t, _ := tablemap.Table(category)
	s := &tableShape{table: t, category: category, schema: sch, byFold: map[string]vec.Field{}, byHeader: map[string]headerColumn{}, members: map[string]string{}}
	for _, f := range sch {
		s.byFold[strings.ToLower(f.Name)] = f
	}
	return s, nil
}

// column returns the table's column for an export header: matched
// without regard to case, with the " [UTC]" the portal adds to datetime
// headers removed, and "X_dynamic"/"X_string" (an export that wrote a
// dynamic column both ways) read as X.
func (s *tableShape) column(header string) (vec.Field, bool) {
	c := s.columnOf(header)
	return c.f, c.ok
}

// columnOf is column with the column's lower-cased name, kept per header.
func (s *tableShape) columnOf(header string) headerColumn {
	if c, ok := s.byHeader[header]; ok {
		return c
	}
	f, ok := s.lookup(header)
	c := headerColumn{f: f, lower: strings.ToLower(f.Name), ok: ok}
	s.byHeader[header] = c
	return c
}

// member returns the Graph member of column col (lower-cased: name).
func (s *tableShape) member(col, name string) string {
	if m, ok := s.members[col]; ok {
		return m
	}
	m, ok := memberOfColumn[name]
	if !ok {
		m = camel(col)
	}
	s.members[col] = m
	return m
}

type headerColumn struct {
	f     vec.Field
	lower string
	ok    bool
}

func (s *tableShape) lookup(header string) (vec.Field, bool) {
	h := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(header), "[UTC]"))
	if f, ok := s.byFold[strings.ToLower(h)]; ok {
		return f, true
	}
	for _, suffix := range []string{"_dynamic", "_string"} {
		if base, ok := strings.CutSuffix(h, suffix); ok {
			if f, ok := s.byFold[strings.ToLower(base)]; ok {
				return f, true
			}
		}
	}
	return vec.Field{}, false
}

// skipColumns are the columns the workspace fills itself (the Log
// Analytics standard columns and the constant resource columns): an
// export's values for them are not the record's.
var skipColumns = map[string]bool{
	"tenantid": true, "type": true, "sourcesystem": true, "_resourceid": true, "_subscriptionid": true,
	"_timereceived": true, "_itemid": true, "_billedsize": true, "_isbillable": true,
	"resource": true, "resourcegroup": true, "resourceprovider": true,
	// Filled from appliedConditionalAccessPolicies, which the export's
	// ConditionalAccessPolicies column gives; a second source would
	// disagree.
	"appliedconditionalaccesspolicies": true, "conditionalaccesspoliciesv2": true,
}

// memberOfColumn is the Graph member of the columns the table mapping
// fills from a member of another name (diagnostics/tablemap rules.go, read
// backwards).
var memberOfColumn = map[string]string{
	"locationdetails":           "location",
	"conditionalaccesspolicies": "appliedConditionalAccessPolicies",
	"resourceidentity":          "resourceId",
	"processingtimeinms":        "processingTimeInMilliseconds",
	"aadoperationtype":          "operationType",
	"provisioningaction":        "provisioningAction",
	"action":                    "provisioningAction",
	"provisioningstatusinfo":    "provisioningStatusInfo",
	"statusinfo":                "provisioningStatusInfo",
	"accountenabled":            "isEnabled",
}

// tableRecord makes the record of one row of a table export. Envelope
// columns fill the envelope (TimeGenerated is its time); every other
// column becomes the properties member the table mapping sends to it, so
// the record maps back to the row.
func (p *parser) tableRecord(s *tableShape, cells []cell, line int) (Item, error) {
	rec := activity.Record{Category: s.category, Level: 4}
	props := object{keys: make([]string, 0, len(cells)+1), vals: make([]json.RawMessage, 0, len(cells)+1)}
	for _, c := range cells {
		hc := s.columnOf(c.col)
		f := hc.f
		v, err := convert(f.Type, c.text, c.raw)
		if err != nil {
			if ferr := p.fail(c.at, c.col, "%v", err); ferr != nil {
				return Item{}, ferr
			}
			continue
		}
		if v == nil {
			continue
		}
		name := hc.lower
		if skipColumns[name] {
			continue
		}
		if err := p.tableCell(s, &rec, &props, f, name, v, c); err != nil {
			return Item{}, err
		}
	}
	if rec.OperationName == "" && isSignIn(s.category) {
		rec.OperationName = "Sign-in activity"
	}
	if rec.TenantID != "" && rec.ResourceID == "" {
		rec.ResourceID = activity.ResourceIDOf(rec.TenantID)
	}
	if rec.Time.IsZero() {
		rec.Time = fallbackTime(&props)
	}
	return finish(rec, &props, line), nil
}

// tableCell puts one converted cell into the record or its properties.
func (p *parser) tableCell(s *tableShape, rec *activity.Record, props *object, f vec.Field, name string, v json.RawMessage, c cell) error {
	text := stringOf(v)
	switch name {
	case "timegenerated":
		t, err := parseTime(text)
		if err != nil {
			return p.fail(c.at, c.col, "%v", err)
		}
		rec.Time = t
	case "operationname":
		rec.OperationName = text
	case "operationversion":
		rec.OperationVersion = text
	case "resulttype":
		rec.ResultType = text
	case "resultsignature":
		rec.ResultSignature = text
	case "resultdescription":
		rec.ResultDescription = text
	case "correlationid":
		rec.CorrelationID = text
		props.setRaw("correlationId", v)
	case "identity":
		rec.Identity = text
	case "location":
		rec.Location = text
	case "calleripaddress":
		rec.CallerIPAddress = text
	case "ipaddress":
		rec.CallerIPAddress = text
		props.setRaw("ipAddress", v)
	case "aadtenantid":
		rec.TenantID = text
	case "resourceid":
		rec.ResourceID = text
	case "durationms":
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return p.fail(c.at, c.col, "%q is not a whole number", text)
		}
		rec.DurationMs = n
	case "level":
		if n, err := strconv.Atoi(text); err == nil {
			rec.Level = n
		}
	case "category":
		// The diagnostic category, or (AuditLogs) the audit category
		// of Graph's directoryAudit.
		if !strings.EqualFold(text, s.category) {
			props.setRaw("category", v)
		}
	default:
		props.setRaw(s.member(f.Name, name), v)
	}
	return nil
}

// finish completes a record from its properties: the id, derived from the
// content when the source has none.
func finish(rec activity.Record, props *object, line int) Item {
	it := Item{Line: line}
	if id := stringOf(props.get("id")); id == "" {
		id = deriveID(rec.Category, rec.Time, props.bytes())
		props.prepend("id", jsonString(id))
		it.DerivedID = true
	}
	rec.Properties = props.bytes()
	it.Record = rec
	return it
}

// fallbackTime is the time of a row without TimeGenerated: its
// createdDateTime (sign-ins) or activityDateTime (audits), else the first
// authentication step's time, which Entra writes equal to createdDateTime.
func fallbackTime(props *object) (t time.Time) {
	for _, k := range []string{"createdDateTime", "activityDateTime"} {
		if tm, err := parseTime(stringOf(props.get(k))); err == nil {
			return tm
		}
	}
	var steps []struct {
		At string `json:"authenticationStepDateTime"`
	}
	if json.Unmarshal(props.get("authenticationDetails"), &steps) == nil && len(steps) > 0 {
		if tm, err := parseTime(steps[0].At); err == nil {
			return tm
		}
	}
	return t
}

func isSignIn(category string) bool {
	t, _ := tablemap.Table(category)
	return strings.Contains(t, "SignInLogs") || t == "SigninLogs"
}

// camel is Graph's spelling of a column's member: the leading capitals
// lower-cased (IPAddress → ipAddress, Id → id, UserPrincipalName →
// userPrincipalName).
func camel(col string) string {
	r := []rune(col)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n == 0 {
		return col
	}
	if n > 1 && n < len(r) && unicode.IsLower(r[n]) {
		n-- // the last capital starts the next word
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// tableCategories lists the categories that have a table.
func tableCategories() []string { return tablemap.Categories() }

func tableOf(category string) string {
	t, _ := tablemap.Table(category)
	return t
}
