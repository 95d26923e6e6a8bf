package activity

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/idlogs/idlogs/internal/jsonscan"
)

// decodeRecord decodes a record as encoding/json would. Records as
// AppendJSON writes them (what the log holds) take a direct path that
// reads each member once; anything else (escaped keys, unknown members,
// values of unexpected kinds) is left to encoding/json, so the result is
// always encoding/json's.
func decodeRecord(data []byte, r *Record) error {
	if decodeDirect(data, r) {
		return nil
	}
	*r = Record{}
	return json.Unmarshal(data, r)
}

// decodeDirect decodes data into r when it is an object of the record's
// own members with values of their own kinds; it reports false otherwise,
// r then being partly filled.
func decodeDirect(data []byte, r *Record) bool {
	p := jsonscan.Scanner{Data: data}
	p.Space()
	if p.I >= len(data) || data[p.I] != '{' {
		return false
	}
	p.I++
	for first := true; ; first = false {
		p.Space()
		if p.I >= len(data) {
			return false
		}
		if data[p.I] == '}' {
			p.I++
			p.Space()
			return p.I == len(data)
		}
		if !first {
			if data[p.I] != ',' {
				return false
			}
			p.I++
			p.Space()
		}
		ks := p.I
		if p.I >= len(data) || data[p.I] != '"' || !p.String() {
			return false
		}
		key := data[ks+1 : p.I-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		p.Space()
		if p.I >= len(data) || data[p.I] != ':' {
			return false
		}
		p.I++
		p.Space()
		vs := p.I
		if !p.Value() {
			return false
		}
		if !r.setMember(key, data[vs:p.I]) {
			return false
		}
	}
}

// setMember sets the member named key from its JSON value val, reporting
// false for a key that is not one of the record's own (encoding/json
// matches keys without regard to case) or a value of another kind.
func (r *Record) setMember(key, val []byte) bool {
	switch string(key) {
	case "time":
		return r.Time.UnmarshalJSON(val) == nil
	case "resourceId":
		return setString(&r.ResourceID, val)
	case "operationName":
		return setString(&r.OperationName, val)
	case "operationVersion":
		return setString(&r.OperationVersion, val)
	case "category":
		return setString(&r.Category, val)
	case "tenantId":
		return setString(&r.TenantID, val)
	case "resultType":
		return setString(&r.ResultType, val)
	case "resultSignature":
		return setString(&r.ResultSignature, val)
	case "resultDescription":
		return setString(&r.ResultDescription, val)
	case "callerIpAddress":
		return setString(&r.CallerIPAddress, val)
	case "correlationId":
		return setString(&r.CorrelationID, val)
	case "identity":
		return setString(&r.Identity, val)
	case "location":
		return setString(&r.Location, val)
	case "durationMs":
		n, err := strconv.ParseInt(string(val), 10, 64)
		r.DurationMs = n
		return err == nil
	case "Level":
		n, err := strconv.ParseInt(string(val), 10, strconv.IntSize)
		r.Level = int(n)
		return err == nil
	case "properties":
		r.Properties = append(json.RawMessage(nil), val...)
		return true
	case "idlogsKeepTime":
		return setBool(&r.KeepTime, val)
	case "idlogsRedelivery":
		return setBool(&r.Redelivery, val)
	}
	return false
}

// setString sets *dst from a JSON string; false for another kind.
func setString(dst *string, val []byte) bool {
	if len(val) < 2 || val[0] != '"' {
		return false
	}
	body := val[1 : len(val)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		*dst = string(body)
		return true
	}
	return json.Unmarshal(val, dst) == nil
}

// setBool sets *dst from a JSON true or false; false for another kind.
func setBool(dst *bool, val []byte) bool {
	switch string(val) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	default:
		return false
	}
	return true
}
