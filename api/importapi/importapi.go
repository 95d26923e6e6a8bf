// Package importapi serves idlogs' activity import: records of real Entra
// activity (read from files by connectors/fileimport, or sent by any
// client in the Event Hubs shape {"records": [...]}) are emitted into the
// tenant's activity log, so that its diagnostic settings route them like
// the tenant's own activity.
//
// Route (an idlogs extension beside Entra's diagnostic settings, with an
// ARM token):
//
//	POST /providers/microsoft.aadiam/activityImport?api-version=2026-11-01
//	{"records": [activity records]}
//	→ 200 {"accepted": n, "present": n, "stamped": n}
//
// A request is all or nothing: one record that cannot be imported (no
// category with a table, properties not an object, no properties.id)
// rejects the request with 400 InvalidRecords naming each, and nothing of
// it is emitted.
//
// Imports go through the running server rather than by opening its data
// directory: the server holds the state file and the activity log open
// (one writer each), checks the caller's roles, and its diagnostic
// settings and router are the live ones that route the records.
//
// Re-import is idempotent: the server keeps the key (category and a hash
// of properties.id) of every record it imported in the state file, with
// the time of the import, and leaves out records it has imported before,
// or that appear twice in a request; they are counted as present. The keys are written after the records are
// durable in the activity log, so a crash between the two can at worst
// let a retry emit some records again (which the workspace destination
// then drops if it is checking a retried batch, see diagnostics/router).
package importapi

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/api"
	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/auth"
	"github.com/idlogs/idlogs/connectors/fileimport"
	"github.com/idlogs/idlogs/state"
)

// APIVersion is the api-version the route takes.
const APIVersion = "2026-11-01"

// Path is the route's path.
const Path = "/providers/microsoft.aadiam/activityImport"

// Action is the Azure RBAC action that allows importing, checked at
// Scope; Owner and Contributor hold it through "*".
const (
	Action = "Microsoft.aadiam/activityImport/action"
	Scope  = "/providers/Microsoft.aadiam"
)

// MaxBody bounds a request body.
const MaxBody = 32 << 20

// ledgerKind is the state-file kind of the imported record keys.
const ledgerKind = "activityImport"

// Directory roles (template ids) that may import besides the RBAC action:
// the writers of the tenant's diagnostic settings.
var importRoles = []string{
	"62e90394-69f5-4237-9190-012177145e10", // Global Administrator
	"194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
}

// Handlers serves the import route.
type Handlers struct {
	Server *api.Server
	// Activity is the tenant's activity log; records are durable in it
	// when the response is sent.
	Activity activity.Sink
	// DB holds the keys of imported records.
	DB *state.DB
	// TenantID fills the tenantId (and resourceId) of records without one.
	TenantID func() string
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// mu makes check, emit and remember one step, so that two imports of
	// one file at once do not both emit it.
	mu sync.Mutex
}

// Request is the body of an import.
type Request struct {
	Records []activity.Record `json:"records"`
}

// Result is the answer to an import.
type Result struct {
	// Accepted counts the records emitted.
	Accepted int `json:"accepted"`
	// Present counts the records left out as imported before.
	Present int `json:"present"`
	// Stamped counts the accepted records that had no time and were given
	// the time of the import.
	Stamped int `json:"stamped"`
}

// Register adds the route to rt.
func (h *Handlers) Register(rt *api.Router) {
	rt.Handle(http.MethodPost, Path, h.Server.ARM(http.HandlerFunc(h.post)))
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handlers) allowed(w http.ResponseWriter, r *http.Request) bool {
	if p, ok := auth.FromContext(r.Context()); ok {
		for _, role := range p.DirectoryRoles {
			if slices.Contains(importRoles, role) {
				return true
			}
		}
	}
	return h.Server.Allowed(w, r, Action, Scope)
}

func (h *Handlers) post(w http.ResponseWriter, r *http.Request) {
	if v := r.URL.Query().Get("api-version"); v != APIVersion {
		apierror.Write(w, apierror.New(http.StatusBadRequest, "InvalidApiVersionParameter",
			"The api-version '%s' is invalid. The supported versions are '%s'.", v, APIVersion))
		return
	}
	if !h.allowed(w, r) {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		apierror.Write(w, apierror.New(http.StatusRequestEntityTooLarge, "RequestTooLarge",
			"The request could not be read (at most %d MB a request; send fewer records at a time): %v", MaxBody>>20, err))
		return
	}
	var req Request
	if err := json.Unmarshal(data, &req); err != nil {
		apierror.Write(w, apierror.New(http.StatusBadRequest, "InvalidRequestContent",
			"The request content was invalid and could not be deserialized: '%v'. Send {\"records\": [...]}.", err))
		return
	}
	res, aerr := h.Import(r.Context(), req.Records)
	if aerr != nil {
		apierror.Write(w, aerr)
		return
	}
	api.WriteJSON(w, http.StatusOK, res)
}

// Import checks recs, leaves out those imported before and emits the rest
// durably. It is what the route does, for callers in the same process.
func (h *Handlers) Import(ctx context.Context, recs []activity.Record) (Result, *apierror.Error) {
	var bad []*apierror.Error
	for i := range recs {
		if err := fileimport.Check(&recs[i]); err != nil {
			bad = append(bad, apierror.New(http.StatusBadRequest, "InvalidRecord", "record %d: %v", i, err))
		}
	}
	if len(bad) > 0 {
		e := apierror.New(http.StatusBadRequest, "InvalidRecords", "%d of the %d records cannot be imported; nothing was imported: %s",
			len(bad), len(recs), bad[0].Message)
		e.Details = bad[:min(len(bad), 100)]
		return Result{}, e
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now().UTC()
	tenantID := ""
	if h.TenantID != nil {
		tenantID = h.TenantID()
	}
	var res Result
	keys := make([]string, 0, len(recs))
	fresh := make([]activity.Record, 0, len(recs))
	seen := map[string]bool{}
	err := h.DB.View(func(tx *state.Tx) error {
		for _, rec := range recs {
			key := ledgerKey(rec.Category, rec.ID())
			if seen[key] {
				res.Present++
				continue
			}
			seen[key] = true
			var at int64
			found, err := tx.Get(ledgerKind, key, &at)
			if err != nil {
				return err
			}
			if found {
				res.Present++
				continue
			}
			// Imported activity keeps its time however old it is.
			rec.KeepTime = true
			if rec.Time.IsZero() {
				rec.Time = now
				res.Stamped++
			}
			if rec.TenantID == "" {
				rec.TenantID = tenantID
			}
			if rec.ResourceID == "" && rec.TenantID != "" {
				rec.ResourceID = activity.ResourceIDOf(rec.TenantID)
			}
			keys = append(keys, key)
			fresh = append(fresh, rec)
		}
		return nil
	})
	if err != nil {
		return Result{}, apierror.New(http.StatusInternalServerError, "InternalServerError", "reading the imported record keys: %v", err)
	}
	if len(fresh) == 0 {
		return res, nil
	}
	if err := h.Activity.Emit(ctx, fresh...); err != nil {
		return Result{}, apierror.New(http.StatusServiceUnavailable, "ServiceUnavailable",
			"the activity log did not take the records (nothing was imported; try again): %v", err)
	}
	err = h.DB.Update(func(tx *state.Tx) error {
		for _, k := range keys {
			if err := tx.Put(ledgerKind, k, now.Unix()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// The records are in the log; only idempotency of a re-import
		// is at stake.
		return Result{}, apierror.New(http.StatusInternalServerError, "InternalServerError",
			"the records were imported but their keys were not saved, so importing them again would duplicate them: %v", err)
	}
	res.Accepted = len(fresh)
	return res, nil
}

// ledgerKey is the state-file key of an imported record: its category and
// the first 12 bytes of the SHA-256 of its id (ids run to 60 characters;
// the keys of a million records then take some 40 MB less, and a
// collision needs about 2^48 records).
func ledgerKey(category, id string) string {
	h := sha256.Sum256([]byte(id))
	return category + "/" + string(h[:12])
}

// Describe is the summary line of a result, for logs and the CLI.
func (r Result) Describe() string {
	parts := []string{fmt.Sprintf("%d accepted", r.Accepted), fmt.Sprintf("%d already present", r.Present)}
	if r.Stamped > 0 {
		parts = append(parts, fmt.Sprintf("%d without a time given the import time", r.Stamped))
	}
	return strings.Join(parts, ", ")
}
