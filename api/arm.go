package api

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/workspace"
)

// maxARMBody bounds an ARM request body; ARM itself refuses bodies past 4 MB.
const maxARMBody = 4 << 20

// ARM wraps an ARM handler: it requires an ARM-audience token, requires the
// api-version query parameter (400 MissingApiVersionParameter otherwise, as
// ARM does) and sets the request-id headers ARM clients log.
func (s *Server) ARM(h http.Handler) http.Handler {
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("api-version") == "" {
			apierror.Write(w, apierror.New(http.StatusBadRequest, "MissingApiVersionParameter",
				"The api-version query parameter (?api-version=) is required for all requests."))
			return
		}
		h.ServeHTTP(w, r)
	})
	auth := s.Authenticate(AudienceARM, inner)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("x-ms-client-request-id")
		if id == "" {
			id = workspace.NewGUID()
		}
		h := w.Header()
		h.Set("x-ms-request-id", id)
		h.Set("x-ms-correlation-request-id", id)
		h.Set("x-ms-routing-request-id", "LOCAL:"+id)
		auth.ServeHTTP(w, r)
	})
}

// ReadJSON decodes the request body into v. A body that is too large or not
// JSON of v's shape answers 400 InvalidRequestContent naming the problem, and
// ReadJSON returns false.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxARMBody))
	if err != nil {
		apierror.Write(w, apierror.New(http.StatusBadRequest, "InvalidRequestContent", "The request content could not be read: %v", err))
		return false
	}
	if err := json.Unmarshal(data, v); err != nil {
		apierror.Write(w, apierror.New(http.StatusBadRequest, "InvalidRequestContent",
			"The request content was invalid and could not be deserialized: '%v'.", err))
		return false
	}
	return true
}
