package query

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/internal/jsonenc"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Table is one result table of a response.
type Table struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
	// Rows is the JSON array of rows, each an array of encoded values.
	Rows json.RawMessage `json:"rows"`
	// RowCount is the number of rows in Rows.
	RowCount int `json:"-"`
}

// Column is a result column: its name and its type as the query API
// reports it.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// ColumnType returns the query API's name of a KQL type: the engine's
// names, which already say real rather than double. A column of untyped
// nulls is reported as dynamic.
func ColumnType(t types.Type) string {
	if t == types.Null {
		return "dynamic"
	}
	return t.String()
}

// AppendValue appends row i of c in the query API's encoding: bool, int,
// long and real as JSON literals; decimal, datetime (ISO-8601 UTC,
// trailing zero digits trimmed), timespan ([d.]hh:mm:ss[.fffffff]), guid
// (lower case) and string as JSON strings; dynamic as a JSON string holding
// the value's JSON text; null as null.
func AppendValue(dst []byte, c *vec.Column, i int) []byte {
	if c.Type == types.Null || c.IsNull(i) {
		return append(dst, "null"...)
	}
	switch c.Type {
	case types.Bool:
		return strconv.AppendBool(dst, c.Int(i) != 0)
	case types.Int, types.Long:
		return strconv.AppendInt(dst, c.Int(i), 10)
	case types.Real:
		f := c.Float(i)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			// JSON has no literal for these; Kusto writes them as strings.
			return appendString(dst, types.FormatReal(f))
		}
		return append(dst, types.FormatReal(f)...)
	case types.Decimal:
		return appendString(dst, types.FormatReal(c.Float(i)))
	case types.Datetime:
		return appendString(dst, types.FormatDatetime(c.Int(i)))
	case types.Timespan:
		return appendString(dst, types.FormatTimespan(c.Int(i)))
	case types.Guid:
		return appendString(dst, strings.ToLower(c.Str(i)))
	case types.String:
		return appendString(dst, c.Str(i))
	case types.Dynamic:
		// A dynamic string is sent as its text, as Kusto's tostring() shows
		// it; every other value as its JSON text.
		if s, ok := c.Any(i).(string); ok {
			return appendString(dst, s)
		}
		return appendString(dst, types.FormatJSON(c.Any(i)))
	}
	return append(dst, "null"...)
}

// appendString appends s as a JSON string, without HTML escaping (as
// Azure's query API writes strings).
func appendString(dst []byte, s string) []byte { return jsonenc.AppendString(dst, s, false) }

// rowEncoder writes result rows as JSON while keeping count of the rows
// and bytes of the whole response against its limits.
type rowEncoder struct {
	maxRows  int
	maxBytes int64
	rows     int
	bytes    int64
	// cut says which limit stopped the encoding, when one did.
	cut string
}

// encode returns the JSON rows of b and how many it holds; it stops before
// the row that would pass a limit.
func (e *rowEncoder) encode(b *vec.Batch) (json.RawMessage, int) {
	out := []byte{'['}
	n := 0
	var row []byte
	for i := 0; i < b.N; i++ {
		if e.rows >= e.maxRows {
			e.cut = "rows"
			break
		}
		row = append(row[:0], '[')
		for j, c := range b.Cols {
			if j > 0 {
				row = append(row, ',')
			}
			row = AppendValue(row, c, i)
		}
		row = append(row, ']')
		if e.bytes+int64(len(row))+1 > e.maxBytes {
			e.cut = "bytes"
			break
		}
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, row...)
		e.rows++
		e.bytes += int64(len(row)) + 1
		n++
	}
	return append(out, ']'), n
}
