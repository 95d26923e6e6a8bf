package activity

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// errBadProperties is the error of a record whose properties are not JSON.
var errBadProperties = errors.New("activity: record properties are not valid JSON")

// AppendJSON appends the record's JSON (as MarshalJSON writes it) to dst.
// It writes the fields directly and properties as they are, after checking
// that they are valid JSON, which costs a fraction of what encoding/json
// spends on reflection and re-compacting raw messages.
func (r *Record) AppendJSON(dst []byte) ([]byte, error) {
	props := r.Properties
	if len(props) == 0 {
		props = nullJSON
	} else if !validJSON(props) {
		return dst, errBadProperties
	}
	dst = append(dst, `{"time":"`...)
	dst = r.Time.UTC().AppendFormat(dst, "2006-01-02T15:04:05.0000000Z")
	dst = append(dst, '"')
	dst = appendField(dst, "resourceId", r.ResourceID, true)
	dst = appendField(dst, "operationName", r.OperationName, true)
	dst = appendField(dst, "operationVersion", r.OperationVersion, false)
	dst = appendField(dst, "category", r.Category, true)
	dst = appendField(dst, "tenantId", r.TenantID, true)
	dst = appendField(dst, "resultType", r.ResultType, false)
	dst = appendField(dst, "resultSignature", r.ResultSignature, false)
	dst = appendField(dst, "resultDescription", r.ResultDescription, false)
	dst = append(dst, `,"durationMs":`...)
	dst = strconv.AppendInt(dst, r.DurationMs, 10)
	dst = appendField(dst, "callerIpAddress", r.CallerIPAddress, false)
	dst = appendField(dst, "correlationId", r.CorrelationID, false)
	dst = appendField(dst, "identity", r.Identity, false)
	dst = append(dst, `,"Level":`...)
	dst = strconv.AppendInt(dst, int64(r.Level), 10)
	dst = appendField(dst, "location", r.Location, false)
	dst = append(dst, `,"properties":`...)
	dst = append(dst, props...)
	if r.KeepTime {
		dst = append(dst, `,"idlogsKeepTime":true`...)
	}
	return append(dst, '}'), nil
}

var nullJSON = []byte("null")

// appendField appends ,"name":"value"; an empty value is left out unless
// always (the fields without omitempty).
func appendField(dst []byte, name, value string, always bool) []byte {
	if value == "" && !always {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return appendString(dst, value)
}

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it (including <, >, & and U+2028/U+2029; invalid UTF-8 becomes
// U+FFFD).
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xf])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
