package fileimport

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/activity"
)

// envelope is a record as Azure Monitor writes it, read leniently: Entra
// writes Level as a number (4) in sign-in records and as a name
// ("Informational") in others, and resultType and durationMs as strings or
// numbers.
type envelope struct {
	Time              string          `json:"time"`
	ResourceID        string          `json:"resourceId"`
	OperationName     string          `json:"operationName"`
	OperationVersion  string          `json:"operationVersion"`
	Category          string          `json:"category"`
	TenantID          string          `json:"tenantId"`
	ResultType        json.RawMessage `json:"resultType"`
	ResultSignature   json.RawMessage `json:"resultSignature"`
	ResultDescription string          `json:"resultDescription"`
	DurationMs        json.RawMessage `json:"durationMs"`
	CallerIPAddress   string          `json:"callerIpAddress"`
	CorrelationID     string          `json:"correlationId"`
	Identity          string          `json:"identity"`
	Level             json.RawMessage `json:"Level"`
	Location          string          `json:"location"`
	Properties        json.RawMessage `json:"properties"`
}

// levels are Azure's level names with their numbers.
var levels = map[string]int{"critical": 1, "error": 2, "warning": 3, "informational": 4, "verbose": 5}

func (p *parser) emitEnvelope(raw json.RawMessage, at pos, emit func(Item) error) error {
	var e envelope
	if err := json.Unmarshal(raw, &e); err != nil {
		return p.fail(at, "", "not an activity record: %v", err)
	}
	rec := activity.Record{
		ResourceID: e.ResourceID, OperationName: e.OperationName, OperationVersion: e.OperationVersion,
		Category: e.Category, TenantID: e.TenantID, ResultType: stringOf(e.ResultType), ResultSignature: stringOf(e.ResultSignature),
		ResultDescription: e.ResultDescription, CallerIPAddress: e.CallerIPAddress, CorrelationID: e.CorrelationID,
		Identity: e.Identity, Location: e.Location, Level: 4,
	}
	if e.Time != "" {
		t, err := parseTime(e.Time)
		if err != nil {
			return p.fail(at, "time", "%v", err)
		}
		rec.Time = t
	}
	if d := stringOf(e.DurationMs); d != "" {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			return p.fail(at, "durationMs", "%q is not a whole number", d)
		}
		rec.DurationMs = n
	}
	if l := stringOf(e.Level); l != "" {
		if n, err := strconv.Atoi(l); err == nil {
			rec.Level = n
		} else if n, ok := levels[strings.ToLower(l)]; ok {
			rec.Level = n
		} else {
			return p.fail(at, "Level", "%q is not a level (a number or Informational, Warning, Error, Critical)", l)
		}
	}
	props := bytes.TrimSpace(e.Properties)
	if len(props) == 0 || props[0] != '{' {
		return p.fail(at, "properties", "the record's properties are not a JSON object")
	}
	var c bytes.Buffer
	json.Compact(&c, props)
	it := Item{Line: at.line}
	rec.Properties = c.Bytes()
	var id struct {
		ID json.RawMessage `json:"id"`
	}
	json.Unmarshal(rec.Properties, &id)
	if stringOf(id.ID) == "" {
		rec.Properties = withID(rec.Properties, deriveID(rec.Category, rec.Time, rec.Properties))
		it.DerivedID = true
	}
	it.Record = rec
	return emit(it)
}

// readLines reads a PT1H.json blob: one record per line; blank lines are
// allowed.
func (p *parser) readLines(emit func(Item) error) error {
	data := p.data
	start := len(p.data) - len(trimBOM(p.data))
	line := 0
	for start < len(data) {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		line++
		text := bytes.TrimSpace(data[start:end])
		at := pos{line: line, col: 1}
		start = end + 1
		if len(text) == 0 {
			continue
		}
		if !json.Valid(text) {
			var v any
			err := json.Unmarshal(text, &v)
			col := 1
			if se, ok := err.(*json.SyntaxError); ok {
				col = int(se.Offset)
			}
			if ferr := p.fail(pos{line: line, col: col}, "", "JSON: %v (a PT1H.json blob holds one whole record per line)", err); ferr != nil {
				return ferr
			}
			continue
		}
		if err := p.emitEnvelope(text, at, emit); err != nil {
			return err
		}
	}
	return nil
}
