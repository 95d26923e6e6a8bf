// Package ingestapi serves Azure Monitor's ingestion APIs over HTTP: the
// Logs Ingestion API (POST /dataCollectionRules/{id}/streams/{stream}), the
// legacy HTTP Data Collector API (POST /api/logs) and the ARM resources the
// first one needs, data collection rules and endpoints.
package ingestapi

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/workspace"
	"github.com/idlogs/idlogs/workspace/ingest"
)

// TelemetryWrite is the data action of the Monitoring Metrics Publisher
// role that the Logs Ingestion API requires on the rule.
const TelemetryWrite = "Microsoft.Insights/Telemetry/Write"

// Handlers serve the ingestion APIs. Fields are set before Register and not
// changed afterwards.
type Handlers struct {
	Server *api.Server
	Ingest *ingest.Service
	// BaseURL returns the server's own base URL ("https://host:port"),
	// which rules and endpoints show as their logs ingestion endpoint.
	BaseURL func() string
	// Now returns the current time (nil means time.Now): the receive time
	// of Data Collector rows and the clock x-ms-date is checked against.
	Now func() time.Time
}

// Register adds the handlers' routes to rt.
func (h *Handlers) Register(rt *api.Router) {
	rt.Handle(http.MethodPost, "/dataCollectionRules/{id}/streams/{stream}",
		requestIDs(h.Server.Authenticate(api.AudienceMonitor, http.HandlerFunc(h.upload))))
	rt.HandleFunc(http.MethodPost, "/api/logs", h.collect)
	h.registerARM(rt)
}

// requestIDs sets the request-id headers Azure.Core clients log: a new
// x-ms-request-id, and the caller's x-ms-client-request-id echoed.
func requestIDs(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-ms-request-id", workspace.NewGUID())
		if id := r.Header.Get("x-ms-client-request-id"); id != "" {
			w.Header().Set("x-ms-client-request-id", id)
		}
		h.ServeHTTP(w, r)
	})
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handlers) baseURL() string {
	if h.BaseURL == nil {
		return ""
	}
	return h.BaseURL()
}

// Codes of the Logs Ingestion API's request checks; unverified choices.
const (
	codeUnsupportedMediaType  = "UnsupportedMediaType"
	codeInvalidContentEncode  = "InvalidContentEncoding"
	codeMissingAPIVersion     = "MissingApiVersionParameter"
	codeInternalServiceError  = "InternalServerError"
	codeRuleNotFoundForUpload = "NotFound"
)

// upload serves the Logs Ingestion API.
func (h *Handlers) upload(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("api-version") == "" {
		apierror.Write(w, apierror.New(http.StatusBadRequest, codeMissingAPIVersion,
			"The api-version query parameter (?api-version=) is required for all requests."))
		return
	}
	id, stream := r.PathValue("id"), r.PathValue("stream")
	rule, ok := h.Ingest.RuleByImmutableID(id)
	if !ok {
		apierror.Write(w, apierror.New(http.StatusNotFound, codeRuleNotFoundForUpload,
			"Data collection rule with immutable Id '%s' not found.", id))
		return
	}
	if !h.mayIngest(w, r, rule) {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		apierror.Write(w, apierror.New(http.StatusUnsupportedMediaType, codeUnsupportedMediaType,
			"The Content-Type must be application/json, not '%s'.", r.Header.Get("Content-Type")))
		return
	}
	body, aerr := readUpload(r)
	if aerr != nil {
		apierror.Write(w, aerr)
		return
	}
	if err := h.Ingest.Ingest(r.Context(), id, stream, body); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// mayIngest reports whether the caller may send data to rule, answering
// 403 when not. The Logs Ingestion API does not answer with ARM's
// AuthorizationFailed but with OperationFailed and this message (from the
// Go SDK's troubleshooting guide).
func (h *Handlers) mayIngest(w http.ResponseWriter, r *http.Request, rule *ingest.Rule) bool {
	p, ok := auth.FromContext(r.Context())
	if ok && h.Server.Authz.Allowed(p, TelemetryWrite, rule.ID) {
		return true
	}
	tenant, oid := "", ""
	if p != nil {
		tenant, oid = p.TenantID, p.ObjectID
	}
	apierror.Write(w, apierror.New(http.StatusForbidden, "OperationFailed",
		"The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '%s' "+
			"PipelineAccessResult: AccessGranted: False, IsRbacPresent: False, IsDcrDceBindingValid: , DcrArmId: %s, "+
			"Message: Required authorization action was not found for tenantId %s objectId %s on resourceId %s.",
		rule.Properties.ImmutableID, rule.ID, tenant, oid, rule.ID))
	return false
}

// readUpload reads a Logs Ingestion body, gunzipping it when the request
// says so; the 1 MB limit holds for the body as sent and as decompressed.
func readUpload(r *http.Request) ([]byte, *apierror.Error) {
	const limit = ingest.MaxIngestBytes
	if r.ContentLength > limit {
		return nil, ingest.TooLarge(int(r.ContentLength), limit)
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, apierror.New(http.StatusBadRequest, "InvalidRequestContent", "The request body could not be read: %v", err)
	}
	if len(raw) > limit {
		return nil, ingest.TooLarge(len(raw), limit)
	}
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return raw, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, apierror.New(http.StatusBadRequest, codeInvalidContentEncode, "The body is not valid gzip: %v", err)
		}
		body, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, apierror.New(http.StatusBadRequest, codeInvalidContentEncode, "The body is not valid gzip: %v", err)
		}
		if len(body) > limit {
			return nil, apierror.New(http.StatusRequestEntityTooLarge, ingest.CodeTooLarge,
				"Maximum allowed content length: %d bytes (1 MB). The decompressed content is larger.", limit)
		}
		return body, nil
	default:
		return nil, apierror.New(http.StatusBadRequest, codeInvalidContentEncode,
			"Content-Encoding '%s' is not supported; use gzip or none.", enc)
	}
}

// writeError answers with err: its own status and code when it is an
// *apierror.Error, else 500.
func (h *Handlers) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *apierror.Error
	if errors.As(err, &e) {
		apierror.Write(w, e)
		return
	}
	h.logf("%s %s: %v", r.Method, r.URL.Path, err)
	apierror.Write(w, apierror.New(http.StatusInternalServerError, codeInternalServiceError, "The request failed: %v", err))
}

func (h *Handlers) logf(format string, args ...any) {
	if h.Server != nil && h.Server.Logf != nil {
		h.Server.Logf(format, args...)
	}
}

// Data Collector API errors travel as {"Error": code, "Message": text}, the
// legacy service's shape (seen in client logs), not the Azure.Core
// envelope.
type collectorError struct {
	Error   string `json:"Error"`
	Message string `json:"Message"`
}

func writeCollectorError(w http.ResponseWriter, status int, code, format string, args ...any) {
	api.WriteJSON(w, status, collectorError{Error: code, Message: fmt.Sprintf(format, args...)})
}

// Data Collector API values.
const (
	collectorAPIVersion = "2016-04-01"
	// maxDateSkew bounds how far x-ms-date may be from the server's clock,
	// as Azure's other SharedKey services do (unverified for this API).
	maxDateSkew = 15 * time.Minute
)

// collect serves the Data Collector API. Nothing is stored unless the
// SharedKey signature verifies.
func (h *Handlers) collect(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch v := q.Get("api-version"); {
	case v == "":
		writeCollectorError(w, http.StatusBadRequest, "MissingApiVersion", "The api-version query parameter is required.")
		return
	case v != collectorAPIVersion:
		writeCollectorError(w, http.StatusBadRequest, "InvalidApiVersion", "The api-version '%s' is not supported; use %s.", v, collectorAPIVersion)
		return
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		writeCollectorError(w, http.StatusBadRequest, "MissingContentType", "The Content-Type header is required.")
		return
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		writeCollectorError(w, http.StatusBadRequest, "UnsupportedContentType", "The Content-Type must be application/json, not '%s'.", ct)
		return
	}
	logType := r.Header.Get("Log-Type")
	if logType == "" {
		writeCollectorError(w, http.StatusBadRequest, "MissingLogType", "The Log-Type header is required.")
		return
	}
	authz := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(authz, " ")
	wsID, _, _ := strings.Cut(cred, ":")
	if !strings.EqualFold(scheme, "SharedKey") || wsID == "" {
		writeCollectorError(w, http.StatusForbidden, ingest.CodeInvalidAuthorization, "An invalid scheme was specified in the Authorization header.")
		return
	}
	ws, ok := h.Server.Workspaces.ByCustomerID(strings.TrimSpace(wsID))
	if !ok {
		writeCollectorError(w, http.StatusBadRequest, "InvalidCustomerId", "The workspace id '%s' is not valid.", wsID)
		return
	}
	// The real service is addressed as https://{workspaceId}.ods.opinsights.azure.com;
	// a host naming another workspace is refused.
	if label, _, _ := strings.Cut(r.Host, "."); isGUID(label) && !strings.EqualFold(label, ws.CustomerID) {
		writeCollectorError(w, http.StatusForbidden, ingest.CodeInvalidAuthorization, "The Authorization header names another workspace than the request's host.")
		return
	}
	date := r.Header.Get("x-ms-date")
	sent, err := http.ParseTime(date)
	if date == "" || err != nil {
		writeCollectorError(w, http.StatusForbidden, ingest.CodeInvalidAuthorization, "An invalid date format used in the x-ms-date header.")
		return
	}
	now := h.now()
	if d := now.Sub(sent); d > maxDateSkew || d < -maxDateSkew {
		writeCollectorError(w, http.StatusForbidden, ingest.CodeInvalidAuthorization,
			"The x-ms-date header (%s) is more than %v from the server's time.", date, maxDateSkew)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, ingest.MaxCollectBytes+1))
	if err != nil {
		writeCollectorError(w, http.StatusBadRequest, ingest.CodeInvalidDataFormat, "The request body could not be read: %v", err)
		return
	}
	if len(body) > ingest.MaxCollectBytes {
		// The documentation lists 404 for a request that is too large.
		writeCollectorError(w, http.StatusNotFound, ingest.CodeRequestTooLarge, "The request is larger than %d bytes.", ingest.MaxCollectBytes)
		return
	}
	if err := ingest.VerifySharedKey(ws, authz, date, len(body)); err != nil {
		writeCollectorError(w, http.StatusForbidden, ingest.CodeInvalidAuthorization, "%s", messageOf(err))
		return
	}
	err = h.Ingest.Collect(r.Context(), ws, logType, r.Header.Get("time-generated-field"), r.Header.Get("x-ms-AzureResourceId"), body, now)
	if err != nil {
		var e *apierror.Error
		if errors.As(err, &e) {
			writeCollectorError(w, e.Status, e.Code, "%s", e.Message)
			return
		}
		h.logf("%s %s: %v", r.Method, r.URL.Path, err)
		writeCollectorError(w, http.StatusInternalServerError, "UnspecifiedError", "The request failed: %v", err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func messageOf(err error) string {
	var e *apierror.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
