// Package apierror writes the error envelopes of Azure's APIs:
// {"error": {"code", "message", "target"?, "details"?, "innererror"?}}.
//
// ARM (resource manager), the Log Analytics query API and the Logs Ingestion
// API all use this shape; they differ in which codes they use and how deep
// the innererror chain goes, which callers decide.
package apierror

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is one error object. Status is the HTTP status it is sent with and
// is not part of the JSON.
type Error struct {
	Status     int      `json:"-"`
	Code       string   `json:"code"`
	Message    string   `json:"message"`
	Target     string   `json:"target,omitempty"`
	Details    []*Error `json:"details,omitempty"`
	InnerError *Error   `json:"innererror,omitempty"`
	// Line, Pos and Token locate a query syntax error (Kusto's SYN0002).
	Line  int    `json:"line,omitempty"`
	Pos   int    `json:"pos,omitempty"`
	Token string `json:"token,omitempty"`
	// CorrelationID is echoed on query API errors.
	CorrelationID string `json:"correlationId,omitempty"`
}

// New returns an error with status, code and a formatted message.
func New(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error returns "code: message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Inner sets e's innererror and returns e.
func (e *Error) Inner(in *Error) *Error {
	e.InnerError = in
	return e
}

// Write sends e as the response: status, JSON content type, the
// x-ms-error-code header that Azure.Core clients read, and the envelope.
func Write(w http.ResponseWriter, e *Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("x-ms-error-code", e.Code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Error *Error `json:"error"`
	}{e})
}
