package activity

import (
	"errors"
	"strconv"

	"github.com/idlogs/idlogs/internal/jsonenc"
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
	if r.Redelivery {
		dst = append(dst, `,"idlogsRedelivery":true`...)
	}
	return append(dst, '}'), nil
}

var nullJSON = []byte("null")

// jsonSize is an upper bound of the size of the record's JSON when its
// strings need no escaping: what AppendJSON's caller reserves so that the
// encoding does not grow its buffer.
func (r *Record) jsonSize() int {
	const names = 256 // field names, quotes, time, numbers
	return names + len(r.Properties) + len(r.ResourceID) + len(r.OperationName) + len(r.OperationVersion) +
		len(r.Category) + len(r.TenantID) + len(r.ResultType) + len(r.ResultSignature) + len(r.ResultDescription) +
		len(r.CallerIPAddress) + len(r.CorrelationID) + len(r.Identity) + len(r.Location)
}

// appendField appends ,"name":"value"; an empty value is left out unless
// always (the fields without omitempty).
func appendField(dst []byte, name, value string, always bool) []byte {
	if value == "" && !always {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return jsonenc.AppendString(dst, value, true)
}
