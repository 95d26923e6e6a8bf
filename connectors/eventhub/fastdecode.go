package eventhub

import (
	"encoding/json"
	"strings"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/internal/jsonscan"
)

// decodeFast decodes the usual event in one walk over its bytes, with
// exactly the results of encoding/json (FuzzDecodeFast holds it to that).
// It gives up (ok false) on anything unusual (a value of an unexpected
// kind, an escaped or non-ASCII string where a string field is read,
// trailing data), leaving such events to encoding/json, which also words
// their errors. Raw values (properties, ...) are slices of body.
func decodeFast(body []byte, tenant string) (recs []activity.Record, bad []RecordError, ok bool) {
	p := &scanner{jsonscan.Scanner{Data: body}}
	p.Space()
	found := false
	ok = p.object(func(key string) bool {
		if !strings.EqualFold(key, "records") {
			return p.Value()
		}
		// A later "records" replaces an earlier one, as in encoding/json.
		found = true
		recs, bad, ok = p.records(tenant)
		return ok
	})
	p.Space()
	if !ok || !found || p.I != len(p.Data) {
		return nil, nil, false
	}
	return recs, bad, true
}

// scanner adds what decodeFast needs to jsonscan.Scanner.
type scanner struct{ jsonscan.Scanner }

// expect consumes c if it is next.
func (p *scanner) expect(c byte) bool {
	if p.I < len(p.Data) && p.Data[p.I] == c {
		p.I++
		return true
	}
	return false
}

// object reads an object at I, calling member with I at each member's
// value; member must consume the value.
func (p *scanner) object(member func(key string) bool) bool {
	if !p.expect('{') {
		return false
	}
	for first := true; ; first = false {
		p.Space()
		if p.expect('}') {
			return true
		}
		if !first {
			if !p.expect(',') {
				return false
			}
			p.Space()
		}
		key, ok := p.plainString()
		if !ok {
			return false
		}
		p.Space()
		if !p.expect(':') {
			return false
		}
		p.Space()
		if !member(key) {
			return false
		}
	}
}

// plainString reads a string without escapes or non-ASCII bytes, whose
// text is the bytes between the quotes.
func (p *scanner) plainString() (string, bool) {
	start := p.I
	if !p.String() {
		return "", false
	}
	s := p.Data[start+1 : p.I-1]
	for _, c := range s {
		if c == '\\' || c >= 0x80 {
			return "", false
		}
	}
	return string(s), true
}

// raw reads any value and returns its bytes.
func (p *scanner) raw() (json.RawMessage, bool) {
	start := p.I
	if !p.Value() {
		return nil, false
	}
	return p.Data[start:p.I:p.I], true
}

// stringField reads a string field: a plain string, or null (which leaves
// it as it was, as encoding/json does).
func (p *scanner) stringField(dst *string) bool {
	if strings.HasPrefix(string(p.Data[p.I:min(p.I+4, len(p.Data))]), "null") {
		p.I += 4
		return true
	}
	s, ok := p.plainString()
	*dst = s
	return ok
}

// records reads the records array.
func (p *scanner) records(tenant string) ([]activity.Record, []RecordError, bool) {
	if !p.expect('[') {
		return nil, nil, false
	}
	recs := []activity.Record{}
	var bad []RecordError
	for i := 0; ; i++ {
		p.Space()
		if p.expect(']') {
			return recs, bad, true
		}
		if i > 0 {
			if !p.expect(',') {
				return nil, nil, false
			}
			p.Space()
		}
		var w wireRecord
		if !p.record(&w) {
			return nil, nil, false
		}
		r, err := fromWire(&w, tenant)
		if err != nil {
			bad = append(bad, RecordError{Index: i, Err: err})
			continue
		}
		recs = append(recs, r)
	}
}

// record reads one record object into w.
func (p *scanner) record(w *wireRecord) bool {
	return p.object(func(key string) bool {
		if f := w.stringFieldOf(key); f != nil {
			return p.stringField(f)
		}
		if f := w.rawFieldOf(key); f != nil {
			v, ok := p.raw()
			*f = v
			return ok
		}
		return p.Value()
	})
}

// stringFieldOf returns the string field of w a key fills, matched as
// encoding/json matches: exactly, else without regard to case.
func (w *wireRecord) stringFieldOf(key string) *string {
	switch key {
	case "time":
		return &w.Time
	case "resourceId":
		return &w.ResourceID
	case "category":
		return &w.Category
	case "tenantId":
		return &w.TenantID
	}
	switch {
	case strings.EqualFold(key, "time"):
		return &w.Time
	case strings.EqualFold(key, "resourceId"):
		return &w.ResourceID
	case strings.EqualFold(key, "category"):
		return &w.Category
	case strings.EqualFold(key, "tenantId"):
		return &w.TenantID
	}
	return nil
}

// rawFields are the raw fields of wireRecord by JSON key.
var rawFields = []struct {
	key string
	get func(*wireRecord) *json.RawMessage
}{
	{"properties", func(w *wireRecord) *json.RawMessage { return &w.Properties }},
	{"operationName", func(w *wireRecord) *json.RawMessage { return &w.OperationName }},
	{"operationVersion", func(w *wireRecord) *json.RawMessage { return &w.OperationVersion }},
	{"resultType", func(w *wireRecord) *json.RawMessage { return &w.ResultType }},
	{"resultSignature", func(w *wireRecord) *json.RawMessage { return &w.ResultSignature }},
	{"resultDescription", func(w *wireRecord) *json.RawMessage { return &w.ResultDescription }},
	{"durationMs", func(w *wireRecord) *json.RawMessage { return &w.DurationMs }},
	{"callerIpAddress", func(w *wireRecord) *json.RawMessage { return &w.CallerIPAddress }},
	{"correlationId", func(w *wireRecord) *json.RawMessage { return &w.CorrelationID }},
	{"identity", func(w *wireRecord) *json.RawMessage { return &w.Identity }},
	{"Level", func(w *wireRecord) *json.RawMessage { return &w.Level }},
	{"location", func(w *wireRecord) *json.RawMessage { return &w.Location }},
}

func (w *wireRecord) rawFieldOf(key string) *json.RawMessage {
	for _, f := range rawFields {
		if f.key == key {
			return f.get(w)
		}
	}
	for _, f := range rawFields {
		if strings.EqualFold(f.key, key) {
			return f.get(w)
		}
	}
	return nil
}
