package eventhub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/activity"
)

// wireRecord is one element of an event's records array as Azure Monitor
// writes it. Scalars Azure has been seen to write both as numbers and as
// strings (resultType, durationMs, Level) are decoded from either;
// encoding/json matches keys without regard to case, so "level" and
// "Level" both fill Level.
type wireRecord struct {
	Time              string          `json:"time"`
	ResourceID        string          `json:"resourceId"`
	OperationName     json.RawMessage `json:"operationName"`
	OperationVersion  json.RawMessage `json:"operationVersion"`
	Category          string          `json:"category"`
	TenantID          string          `json:"tenantId"`
	ResultType        json.RawMessage `json:"resultType"`
	ResultSignature   json.RawMessage `json:"resultSignature"`
	ResultDescription json.RawMessage `json:"resultDescription"`
	DurationMs        json.RawMessage `json:"durationMs"`
	CallerIPAddress   json.RawMessage `json:"callerIpAddress"`
	CorrelationID     json.RawMessage `json:"correlationId"`
	Identity          json.RawMessage `json:"identity"`
	Level             json.RawMessage `json:"Level"`
	Location          json.RawMessage `json:"location"`
	Properties        json.RawMessage `json:"properties"`
}

// RecordError is a record of an event that could not be decoded.
type RecordError struct {
	// Index is the record's position in the event's records array.
	Index int
	Err   error
}

func (e RecordError) Error() string { return fmt.Sprintf("record %d: %v", e.Index, e.Err) }

// Decode decodes an event body, {"records":[...]}, into activity records.
// A record without a tenantId takes the tenant of its resourceId
// (/tenants/{id}/...), else tenant. The error is for a body that is not
// such an object; records that cannot be decoded are left out and listed
// in bad.
func Decode(body []byte, tenant string) (recs []activity.Record, bad []RecordError, err error) {
	if recs, bad, ok := decodeFast(body, tenant); ok {
		return recs, bad, nil
	}
	return decodeSlow(body, tenant)
}

// decodeSlow is Decode by encoding/json. One pass decodes the event; an
// event with a record that does not decode is read again record by
// record, to keep the others.
func decodeSlow(body []byte, tenant string) (recs []activity.Record, bad []RecordError, err error) {
	var whole struct {
		Records []wireRecord `json:"records"`
	}
	if json.Unmarshal(body, &whole) == nil && whole.Records != nil {
		recs = make([]activity.Record, 0, len(whole.Records))
		for i := range whole.Records {
			r, err := fromWire(&whole.Records[i], tenant)
			if err != nil {
				bad = append(bad, RecordError{Index: i, Err: err})
				continue
			}
			recs = append(recs, r)
		}
		return recs, bad, nil
	}
	var msg struct {
		Records []json.RawMessage `json:"records"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		return nil, nil, fmt.Errorf("the event is not a {\"records\":[...]} JSON object: %w", err)
	}
	if msg.Records == nil {
		return nil, nil, errors.New(`the event has no "records" array`)
	}
	recs = make([]activity.Record, 0, len(msg.Records))
	for i, raw := range msg.Records {
		r, err := decodeRecord(raw, tenant)
		if err != nil {
			bad = append(bad, RecordError{Index: i, Err: err})
			continue
		}
		recs = append(recs, r)
	}
	return recs, bad, nil
}

func decodeRecord(raw []byte, tenant string) (activity.Record, error) {
	var w wireRecord
	if err := json.Unmarshal(raw, &w); err != nil {
		return activity.Record{}, fmt.Errorf("not a record object: %w", err)
	}
	return fromWire(&w, tenant)
}

func fromWire(w *wireRecord, tenant string) (activity.Record, error) {
	var err error
	if w.Category == "" {
		return activity.Record{}, errors.New("no category")
	}
	t, err := parseTime(w.Time)
	if err != nil {
		return activity.Record{}, err
	}
	r := activity.Record{
		Time:              t,
		ResourceID:        w.ResourceID,
		OperationName:     text(w.OperationName),
		OperationVersion:  text(w.OperationVersion),
		Category:          w.Category,
		TenantID:          w.TenantID,
		ResultType:        text(w.ResultType),
		ResultSignature:   text(w.ResultSignature),
		ResultDescription: text(w.ResultDescription),
		CallerIPAddress:   text(w.CallerIPAddress),
		CorrelationID:     text(w.CorrelationID),
		Identity:          text(w.Identity),
		Location:          text(w.Location),
		Properties:        properties(w.Properties),
	}
	if r.DurationMs, err = integer(w.DurationMs); err != nil {
		return activity.Record{}, fmt.Errorf("durationMs: %w", err)
	}
	if r.Level, err = level(w.Level); err != nil {
		return activity.Record{}, fmt.Errorf("Level: %w", err)
	}
	if r.TenantID == "" {
		r.TenantID = tenantOf(r.ResourceID)
	}
	if r.TenantID == "" {
		r.TenantID = tenant
	}
	if r.ResourceID == "" && r.TenantID != "" {
		r.ResourceID = activity.ResourceIDOf(r.TenantID)
	}
	return r, nil
}

// timeLayouts are the forms of "time" accepted: Azure writes RFC 3339 in
// UTC with seven fractional digits; some exporters leave out the zone.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00"}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("no time")
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not an ISO 8601 date and time", s)
}

// text returns a scalar's text: a string as it is, a number or boolean as
// written, null or absent as "", an object or array as compact JSON.
func text(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	if raw[0] == '{' || raw[0] == '[' {
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return b.String()
		}
	}
	return string(raw)
}

// integer decodes a number or a string holding one; fractions are cut.
func integer(raw json.RawMessage) (int64, error) {
	s := strings.TrimSpace(text(raw))
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return int64(f), nil
}

// levelNames are the level names Azure Monitor writes for some resource
// logs, with their numbers.
var levelNames = map[string]int{"critical": 1, "error": 2, "warning": 3, "informational": 4, "information": 4, "verbose": 5}

func level(raw json.RawMessage) (int, error) {
	s := strings.TrimSpace(text(raw))
	if n, ok := levelNames[strings.ToLower(s)]; ok {
		return n, nil
	}
	n, err := integer(raw)
	return int(n), err
}

// properties returns the properties object; one written as a JSON string
// holding an object (as some exporters do) is unwrapped.
func properties(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.HasPrefix(strings.TrimSpace(s), "{") && json.Valid([]byte(s)) {
			return json.RawMessage(s)
		}
	}
	return raw
}

// tenantOf returns the tenant id of a resourceId /tenants/{id}/providers/...
func tenantOf(resourceID string) string {
	rest, ok := cutPrefixFold(resourceID, "/tenants/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	return strings.ToLower(id)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}
