package fileimport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// Detect tells the format of a file from its content:
//
//   - A file starting with '{' (after a byte-order mark and white space)
//     is JSON. An object with "records" is an Event Hubs message; with
//     "value", a Graph page; with "tables", a query API response; an
//     object with "category" and "properties" starts a PT1H.json blob (one
//     record per line).
//   - A file starting with '[' is a JSON array, judged by its first
//     element: a record with "category" and "properties" is taken as an
//     Event Hubs capture written as an array; an object with a Log
//     Analytics column (TimeGenerated, or Type naming an Entra table) is a
//     table export; an object with Graph's camelCase members
//     (createdDateTime, activityDateTime, id) is the admin center's JSON
//     download.
//   - Anything else is read as CSV: a header with "Date (UTC)" or
//     "Date" and "Request ID" or "Activity" is the admin center's
//     download; otherwise it is a Log Analytics export, whose columns are
//     checked against the table's.
//
// how says which rule decided, for people.
func Detect(name string, data []byte) (f Format, how string, err error) {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return "", "", errors.New("the file is UTF-16 text (as Excel saves \"Unicode text\"): save it as UTF-8 (CSV UTF-8) and import that")
	}
	body := bytes.TrimLeft(trimBOM(data), " \t\r\n")
	if len(body) == 0 {
		return "", "", errors.New("the file is empty")
	}
	switch body[0] {
	case '{':
		return detectObject(body)
	case '[':
		return detectArray(body)
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil && err != io.EOF {
		return "", "", fmt.Errorf("not JSON, and not CSV either: %v", err)
	}
	cols := map[string]bool{}
	for _, h := range header {
		cols[strings.TrimSpace(h)] = true
	}
	if cols["Request ID"] && (cols["Authentication method"] || strings.Contains(strings.ToLower(filepath.Base(name)), "authdetails")) && !cols["Application"] {
		return "", "", errors.New("an authentication-details download (one row per authentication step of a sign-in): import the sign-ins file downloaded with it; the steps are not merged into its records")
	}
	if (cols["Date (UTC)"] || cols["Date"]) && (cols["Request ID"] || cols["Activity"]) {
		return FormatPortalCSV, "CSV whose header has the admin center's download columns (Date (UTC), Request ID or Activity)", nil
	}
	if len(header) < 2 {
		return "", "", errors.New("not JSON, and not CSV with a header row either")
	}
	return FormatTableCSV, "CSV whose header is not the admin center's: read as a Log Analytics export", nil
}

func trimBOM(data []byte) []byte {
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
}

func detectObject(body []byte) (Format, string, error) {
	// The first line of a PT1H.json blob is a whole record.
	if i := bytes.IndexByte(body, '\n'); i > 0 && json.Valid(body[:i]) {
		var keys map[string]json.RawMessage
		if json.Unmarshal(body[:i], &keys) == nil && hasKey(keys, "category") && hasKey(keys, "properties") {
			return FormatPT1H, `JSON records with "category" and "properties", one per line (PT1H.json)`, nil
		}
	}
	// Other files are one object, told by its first telling member, so
	// that a file cut short is still known and its reader can say where
	// it ends.
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.Token() // {
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := tok.(string)
		switch key {
		case "records":
			return FormatEventHub, `a JSON object with "records" (Event Hubs message)`, nil
		case "value":
			return FormatGraph, `a JSON object with "value" (Graph page)`, nil
		case "tables":
			return FormatTableJSON, `a JSON object with "tables" (Log Analytics query response)`, nil
		}
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return "", "", fmt.Errorf("the file starts with '{' but is not JSON: %v", err)
		}
	}
	if slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, "category") }) &&
		slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, "properties") }) {
		return FormatPT1H, `a JSON record with "category" and "properties" (PT1H.json)`, nil
	}
	return "", "", errors.New(`a JSON object that is none of the known files: no "records" (Event Hubs), "value" (Graph), "tables" (query response), nor "category" and "properties" (PT1H.json record)`)
}

func detectArray(body []byte) (Format, string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil {
		return "", "", err
	}
	if !dec.More() {
		return "", "", errors.New("the file is an empty JSON array: nothing to import")
	}
	var first map[string]json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return "", "", fmt.Errorf("the first element of the JSON array is not an object: %v", err)
	}
	switch {
	case hasKey(first, "category") && hasKey(first, "properties"):
		return FormatEventHub, `a JSON array of records with "category" and "properties"`, nil
	case first["TimeGenerated"] != nil || tableOfType(first["Type"]) != "":
		return FormatTableJSON, "a JSON array of rows with Log Analytics columns (TimeGenerated or Type)", nil
	case first["createdDateTime"] != nil || first["activityDateTime"] != nil || first["id"] != nil:
		return FormatPortalJSON, "a JSON array of Graph objects (createdDateTime, activityDateTime or id): the admin center's download", nil
	}
	return "", "", errors.New("a JSON array of objects that are neither activity records, Log Analytics rows nor Graph signIn or directoryAudit objects")
}

// hasKey reports whether m has key, matched without regard to case as
// encoding/json matches members.
func hasKey(m map[string]json.RawMessage, key string) bool {
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// tableOfType returns the Entra table named by a row's Type value, or "".
func tableOfType(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	if _, ok := categoryOfTable(s); ok {
		return s
	}
	return ""
}
