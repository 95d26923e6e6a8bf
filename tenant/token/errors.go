package token

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/idlogs/idlogs/tenant"
)

// oauthError is an error of the token service's endpoints, answered in
// Entra's shape rather than ARM's envelope: MSAL reads error and
// error_description, and the Azure SDKs show error_codes to the user.
type oauthError struct {
	status int
	code   string // the OAuth 2.0 error, e.g. invalid_client
	aadsts int    // the AADSTS number, e.g. 7000215
	desc   string
}

func newError(status int, code string, aadsts int, format string, args ...any) *oauthError {
	return &oauthError{status: status, code: code, aadsts: aadsts, desc: fmt.Sprintf(format, args...)}
}

// oauthErrorBody is the JSON Entra answers a failed request with.
type oauthErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri,omitempty"`
}

// write answers the request with e. The correlation id is the client's
// client-request-id when it sent one (MSAL does), as Entra echoes it.
func (s *Service) writeError(w http.ResponseWriter, r *http.Request, base string, e *oauthError) {
	now := s.now().UTC()
	stamp := now.Format("2006-01-02 15:04:05Z")
	trace := tenant.NewGUID()
	corr := correlationID(w, r)
	body := oauthErrorBody{
		Error: e.code,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			e.aadsts, e.desc, trace, corr, now.Format("2006-01-02 15:04:05.0000000Z")),
		ErrorCodes:    []int{e.aadsts},
		Timestamp:     stamp,
		TraceID:       trace,
		CorrelationID: corr,
	}
	if base != "" {
		body.ErrorURI = base + "/error?code=" + strconv.Itoa(e.aadsts)
	}
	s.logf("token: %s %s: AADSTS%d %s: %s", r.Method, r.URL.Path, e.aadsts, e.code, e.desc)
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, e.status, body)
}

// writeJSON sends v as JSON with its Content-Length, so that a client has
// the whole answer once it is flushed, before the handler returns (the
// token endpoint records the sign-in after answering).
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// correlationID returns the request's client-request-id, or a new one, and
// echoes it in the response headers.
func correlationID(w http.ResponseWriter, r *http.Request) string {
	if id := w.Header().Get("client-request-id"); id != "" {
		return id
	}
	id := r.Header.Get("client-request-id")
	if !isGUIDish(id) {
		id = tenant.NewGUID()
	}
	w.Header().Set("client-request-id", id)
	return id
}

// isGUIDish accepts an id short and plain enough to echo.
func isGUIDish(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
