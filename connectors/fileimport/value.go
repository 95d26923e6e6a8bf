package fileimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/idlogs/idlogs/internal/jsonenc"
	"github.com/idlogs/idlogs/kql/types"
)

// object builds a JSON object with members in the order they are set; a
// member set twice keeps its first value.
type object struct {
	keys []string
	vals []json.RawMessage
}

func (o *object) has(key string) bool {
	for _, k := range o.keys {
		if k == key {
			return true
		}
	}
	return false
}

func (o *object) get(key string) json.RawMessage {
	for i, k := range o.keys {
		if k == key {
			return o.vals[i]
		}
	}
	return nil
}

func (o *object) setRaw(key string, raw json.RawMessage) {
	if o.has(key) {
		return
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, raw)
}

func (o *object) setString(key, s string) {
	o.setRaw(key, jsonenc.AppendString(nil, s, false))
}

// prepend puts key first (the id the importer derives).
func (o *object) prepend(key string, raw json.RawMessage) {
	o.keys = append([]string{key}, o.keys...)
	o.vals = append([]json.RawMessage{raw}, o.vals...)
}

func (o *object) bytes() []byte {
	n := 2
	for i, k := range o.keys {
		n += len(k) + len(o.vals[i]) + 4
	}
	b := make([]byte, 1, n+n/8)
	b[0] = '{'
	for i, k := range o.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonenc.AppendString(b, k, false)
		b = append(b, ':')
		b = append(b, o.vals[i]...)
	}
	return append(b, '}')
}

// convert turns a cell into the JSON value of a column of type t. text is
// the cell as CSV holds it; raw, when not nil, is the cell as JSON holds
// it (a JSON string is converted like CSV text). Empty text and JSON null
// give nil: the member is left out, as Azure leaves an empty column null.
func convert(t types.Type, text string, raw json.RawMessage) (json.RawMessage, error) {
	if raw != nil {
		raw = bytes.TrimSpace(raw)
		switch {
		case string(raw) == "null":
			return nil, nil
		case raw[0] == '"':
			if err := json.Unmarshal(raw, &text); err != nil {
				return nil, err
			}
		default:
			return convertJSON(t, raw)
		}
	}
	if text == "" {
		return nil, nil
	}
	switch t {
	case types.Bool:
		switch strings.ToLower(text) {
		case "true", "1":
			return json.RawMessage("true"), nil
		case "false", "0":
			return json.RawMessage("false"), nil
		}
		return nil, fmt.Errorf("%q is not a bool (true or false)", text)
	case types.Int, types.Long:
		if _, err := strconv.ParseInt(text, 10, 64); err != nil {
			return nil, fmt.Errorf("%q is not a whole number", text)
		}
		return json.RawMessage(text), nil
	case types.Real, types.Decimal:
		if _, err := strconv.ParseFloat(text, 64); err != nil || !json.Valid([]byte(text)) {
			return nil, fmt.Errorf("%q is not a number", text)
		}
		return json.RawMessage(text), nil
	case types.Datetime:
		tm, err := parseTime(text)
		if err != nil {
			return nil, err
		}
		return timeJSON(tm), nil
	case types.Dynamic, types.String:
		return textJSON(text)
	}
	return jsonenc.AppendString(nil, text, false), nil
}

// textJSON is text as a JSON value: the JSON it holds when it is an
// object or array (exports write dynamic values, and the string columns
// that hold Graph objects, as JSON text), else a JSON string. Text that
// starts like JSON but is not is an error: a cut or mangled export.
func textJSON(text string) (json.RawMessage, error) {
	t := strings.TrimSpace(text)
	if t != "" && (t[0] == '{' || t[0] == '[') {
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(t)); err != nil {
			return nil, fmt.Errorf("starts like JSON but is not valid JSON: %v", err)
		}
		return b.Bytes(), nil
	}
	return jsonenc.AppendString(nil, text, false), nil
}

// convertJSON checks a JSON value (not a string, not null) against a column
// of type t.
func convertJSON(t types.Type, raw json.RawMessage) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, err
	}
	c := b.Bytes()
	switch t {
	case types.Bool:
		if string(c) == "true" || string(c) == "false" {
			return c, nil
		}
		return nil, fmt.Errorf("%s is not a bool", c)
	case types.Int, types.Long, types.Real, types.Decimal:
		if c[0] == '-' || c[0] >= '0' && c[0] <= '9' {
			return c, nil
		}
		return nil, fmt.Errorf("%s is not a number", c)
	case types.Datetime:
		return nil, fmt.Errorf("%s is not a date and time", c)
	}
	return c, nil
}

// timeLayouts are the date and time forms of the files: ISO 8601 (Graph,
// records, the query API) and the Log Analytics portal's US-style export
// ("4/28/2021, 2:08:45.221 PM").
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02 15:04:05.9999999Z07:00",
	"2006-01-02 15:04:05.9999999",
	"1/2/2006, 3:04:05.999 PM",
	"1/2/2006 3:04:05.999 PM",
	"1/2/2006, 15:04:05.999",
	"1/2/2006 15:04:05.999",
}

// parseTime parses a time in one of timeLayouts; a time without a zone is
// UTC, as the exports' "[UTC]" headers say.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time (want ISO 8601, such as 2024-05-01T10:11:12Z, or the portal's 5/1/2024, 10:11:12.000 AM)", s)
}

func timeJSON(t time.Time) json.RawMessage {
	return json.RawMessage(t.UTC().Format(`"2006-01-02T15:04:05.0000000Z"`))
}

// stringOf returns a JSON string's text, or a number's literal text.
func stringOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		if inner := raw[1 : len(raw)-1]; bytes.IndexByte(inner, '\\') < 0 {
			return string(inner)
		}
		var s string
		json.Unmarshal(raw, &s)
		return s
	}
	return string(raw)
}

var errNotObject = errors.New("not a JSON object")
