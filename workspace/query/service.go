// Package query runs Log Analytics queries for the query API: it restricts
// the workspaces' tables to the request's timespan, unions them across
// workspaces, enforces the API's limits (rows, bytes, wait, per-user rate
// and concurrency) and encodes results, statistics, render hints and
// errors as the API does. It knows nothing of HTTP; package api/queryapi
// serves it.
package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/workspace"
)

// Limits are the query API's limits. Zero fields take the defaults of
// DefaultLimits.
type Limits struct {
	// MaxRows and MaxBytes bound the rows of a response (all its tables)
	// and their encoded size; past them the response is cut with a
	// PartialError.
	MaxRows  int
	MaxBytes int64
	// DefaultWait and MaxWait are the timeout of a query without and the
	// largest with a Prefer wait.
	DefaultWait, MaxWait time.Duration
	// Concurrency is how many queries one user runs at once; Queue how
	// many more wait, in order, each at most QueueWait.
	Concurrency int
	Queue       int
	QueueWait   time.Duration
	// Rate requests per RateWindow are allowed per user.
	Rate       int
	RateWindow time.Duration
	// RetryAfter is suggested to a user refused for a full queue or a
	// long wait.
	RetryAfter time.Duration
	// MemoryLimit bounds the intermediate rows of one query; 0 is the
	// engine's default.
	MemoryLimit int64
}

// DefaultLimits are Azure's documented limits for Log Analytics queries.
var DefaultLimits = Limits{
	MaxRows:     500000,
	MaxBytes:    64000000,
	DefaultWait: 180 * time.Second,
	MaxWait:     600 * time.Second,
	Concurrency: 5,
	Queue:       200,
	QueueWait:   3 * time.Minute,
	Rate:        200,
	RateWindow:  30 * time.Second,
	RetryAfter:  10 * time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setD := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.MaxRows, d.MaxRows)
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	setD(&l.DefaultWait, d.DefaultWait)
	setD(&l.MaxWait, d.MaxWait)
	set(&l.Concurrency, d.Concurrency)
	set(&l.Queue, d.Queue)
	setD(&l.QueueWait, d.QueueWait)
	set(&l.Rate, d.Rate)
	setD(&l.RateWindow, d.RateWindow)
	setD(&l.RetryAfter, d.RetryAfter)
	return l
}

// MaxWorkspaces is how many workspaces one query may read, as in Azure.
const MaxWorkspaces = 100

// Options configure a Service.
type Options struct {
	// Now returns the current time; nil means time.Now. A query's now(),
	// ago() and a timespan ending now all read it once per request.
	Now    func() time.Time
	Limits Limits
	// Logf receives one line per failed query; nil discards them.
	Logf func(format string, args ...any)
}

// Service runs queries. Its methods are safe for concurrent use.
type Service struct {
	now    func() time.Time
	limits Limits
	logf   func(format string, args ...any)
	lim    *limiter

	// running counts queries whose engine has not returned; started
	// counts every query begun. Together they tell whether a query ran
	// alone, which is when the process's CPU time is its own.
	running atomic.Int64
	started atomic.Uint64
}

// New returns a Service.
func New(opt Options) *Service {
	s := &Service{now: opt.Now, limits: opt.Limits.withDefaults(), logf: opt.Logf}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	s.lim = newLimiter(s.limits, s.now)
	return s
}

// Limits returns the service's limits, defaults filled in.
func (s *Service) Limits() Limits { return s.limits }

// Request is one query.
type Request struct {
	// Workspaces are the workspaces the query reads; the first is the
	// primary, the others are unioned into same-named tables.
	Workspaces []*workspace.Workspace
	Query      string
	// Timespan is the request's timespan (see ParseTimespan); empty means
	// none.
	Timespan string
	// URLTimespan is a second timespan, from the URL of a POST whose body
	// has one too; the query reads the intersection of the two.
	URLTimespan string
	Prefer      Prefer
	// User keys the per-user limits: the caller's object id, or the
	// client address.
	User string
	// Authorize, when set, is asked for every workspace table the query
	// names; a table it refuses fails the query with
	// InsufficientAccessError before any of its rows are read.
	Authorize func(ws *workspace.Workspace, table string) bool
	// Resolve, when set, finds the workspaces the KQL workspace()
	// function names (by name, customer id or resource id); their tables
	// are checked with Authorize like the request's own.
	Resolve func(ident string) (*workspace.Workspace, bool)
}

// Response is the body of a successful (or partly successful) query.
type Response struct {
	// The fields are in the order Azure sends them.
	Tables     []*Table        `json:"tables"`
	Render     *Render         `json:"render,omitempty"`
	Statistics *Statistics     `json:"statistics,omitempty"`
	Error      *apierror.Error `json:"error,omitempty"`
	// Tables read by the query, sorted; not sent.
	Read []string `json:"-"`
}

// Error is a request the service refuses or a query that fails: the
// envelope and status to answer with, and for a throttled request how long
// to wait before trying again.
type Error struct {
	API        *apierror.Error
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.API.Error() }

// AsAPIError returns the envelope to answer err with: err's own when it is
// an *Error, otherwise 500 InternalServerError.
func AsAPIError(err error) (*apierror.Error, time.Duration) {
	var e *Error
	if errors.As(err, &e) {
		return e.API, e.RetryAfter
	}
	return apierror.New(500, "InternalServerError", "An internal error occurred while running the query."), 0
}

// Run runs one query.
func (s *Service) Run(ctx context.Context, req Request) (*Response, error) {
	if len(req.Workspaces) == 0 {
		return nil, badArgument("QueryValidationError", "The request names no workspace.")
	}
	if len(req.Workspaces) > MaxWorkspaces {
		return nil, badArgument("QueryValidationError", "The request names %d workspaces; a query reads at most %d.", len(req.Workspaces), MaxWorkspaces)
	}
	if strings.TrimSpace(req.Query) == "" {
		return nil, badArgument("QueryValidationError", "The query is empty: the request needs a 'query' with KQL text.")
	}
	now := s.now()
	var span *Interval
	for _, ts := range []string{req.Timespan, req.URLTimespan} {
		if ts == "" {
			continue
		}
		iv, err := ParseTimespan(ts, now)
		if err != nil {
			return nil, badArgument("QueryValidationError", "The timespan is invalid: %v", err)
		}
		if span != nil {
			iv.Start, iv.End = max(iv.Start, span.Start), min(iv.End, span.End)
			iv.End = max(iv.End, iv.Start)
		}
		span = &iv
	}
	wait := s.limits.DefaultWait
	if req.Prefer.Wait > 0 {
		wait = min(req.Prefer.Wait, s.limits.MaxWait)
	}
	if th := s.lim.admit(req.User); th != nil {
		return nil, s.throttledError(th)
	}
	th, err := s.lim.acquire(ctx, req.User)
	if err != nil {
		return nil, err
	}
	if th != nil {
		return nil, s.throttledError(th)
	}
	// The slot is released when the engine returns, which may be after a
	// timeout has been answered: a query still running holds its slot.
	alone := s.running.Add(1) == 1
	seq := s.started.Add(1)
	release := func() {
		s.running.Add(-1)
		s.lim.release(req.User)
	}

	qctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	cat := newCatalog(qctx, &req, span)
	eng := &engine.Engine{Catalog: cat, Now: func() time.Time { return now }, MemoryLimit: s.limits.MemoryLimit}
	start := time.Now()
	cpu := startCPU()
	results, err := runEngine(qctx, eng, req.Query, release)
	elapsed := time.Since(start)
	// CPU time is reported only for a query that ran alone from start to
	// end; with others running the process's time is not this query's.
	solo := alone && s.started.Load() == seq && s.running.Load() == 0
	if name, denied := cat.firstDenied(); denied {
		return nil, accessDenied(name)
	}
	if err != nil {
		if qctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			// The outer message is the one Azure sends; the inner says why.
			return nil, &Error{API: apierror.New(504, "GatewayTimeout", "Gateway timeout").
				Inner(apierror.New(504, "GatewayTimeout",
					"The query did not complete within %s, the time the request allows (Prefer: wait=%d; the most is %d).",
					wait, int(wait/time.Second), int(s.limits.MaxWait/time.Second)))}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e := s.queryError(req.Query, err)
		s.logf("query failed: %v", err)
		return nil, e
	}
	resp := s.encode(results)
	resp.Read = cat.tables()
	if req.Prefer.Statistics {
		resp.Statistics = statistics(elapsed, cat, resp.Tables)
		if solo {
			cpu.report(resp.Statistics)
		}
	}
	if req.Prefer.Render {
		resp.Render = renderOf(results)
	}
	return resp, nil
}

// runEngine runs the query on its own goroutine so that the request's
// deadline ends the wait even where an operator does not look at ctx; the
// engine stops at its next check of ctx and then calls release.
func runEngine(ctx context.Context, eng *engine.Engine, text string, release func()) ([]*engine.Result, error) {
	type outcome struct {
		res []*engine.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := eng.Query(ctx, text) // recovers its own panics
		release()
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		if o.err == nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return o.res, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Service) throttledError(th *throttled) *Error {
	retry := max(th.retryAfter, time.Second)
	var msg string
	switch th.reason {
	case "rate":
		msg = fmt.Sprintf("The request rate is over the limit of %d queries in %s for this user; retry after %d seconds.",
			s.limits.Rate, s.limits.RateWindow, retrySeconds(retry))
	case "queue":
		msg = fmt.Sprintf("This user already has %d queries running and %d waiting, the most allowed; retry after %d seconds.",
			s.limits.Concurrency, s.limits.Queue, retrySeconds(retry))
	default:
		msg = fmt.Sprintf("The query waited %s for one of this user's %d concurrent query slots; retry after %d seconds.",
			s.limits.QueueWait, s.limits.Concurrency, retrySeconds(retry))
	}
	return &Error{API: &apierror.Error{Status: 429, Code: "ThrottledError", Message: msg}, RetryAfter: retry}
}

// retrySeconds rounds d up to whole seconds, for Retry-After.
func retrySeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// RetryAfterSeconds is the Retry-After value for d: whole seconds, at
// least one.
func RetryAfterSeconds(d time.Duration) int { return max(retrySeconds(d), 1) }

func badArgument(code, format string, args ...any) *Error {
	return &Error{API: apierror.New(400, "BadArgumentError", "The request had some invalid properties").
		Inner(apierror.New(400, code, format, args...))}
}

func accessDenied(table string) *Error {
	return &Error{API: apierror.New(403, "InsufficientAccessError",
		"The provided credentials have insufficient access to perform the requested operation").
		Inner(apierror.New(403, "AuthorizationFailedError", "The caller may not read table '%s' (action Microsoft.OperationalInsights/workspaces/query/%s/read).", table, table))}
}

// queryError turns an engine error into the query API's envelope.
func (s *Service) queryError(text string, err error) *Error {
	var list syntax.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		if _, perr := syntax.Parse(text); perr != nil {
			return &Error{API: SyntaxError(text, list)}
		}
		return &Error{API: SemanticError(list)}
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "internal error:") {
		// The engine's panic report carries a stack for the log only.
		msg, _, _ = strings.Cut(msg, "\n")
		return &Error{API: apierror.New(500, "InternalServerError", "The query failed with an internal error: %s", strings.TrimPrefix(msg, "internal error: "))}
	}
	return &Error{API: apierror.New(400, "BadArgumentError", "The request had some invalid properties").
		Inner(apierror.New(400, "EngineError", "The query failed while running: %s", msg))}
}

// encode encodes results within the row and byte limits.
func (s *Service) encode(results []*engine.Result) *Response {
	enc := &rowEncoder{maxRows: s.limits.MaxRows, maxBytes: s.limits.MaxBytes}
	resp := &Response{Tables: []*Table{}}
	for i, r := range results {
		name := r.Name
		if i == 0 {
			name = "PrimaryResult"
		} else if name == "" {
			name = fmt.Sprintf("Table_%d", i)
		}
		t := &Table{Name: name, Columns: make([]Column, len(r.Schema))}
		for j, f := range r.Schema {
			t.Columns[j] = Column{Name: f.Name, Type: ColumnType(f.Type)}
		}
		t.Rows, t.RowCount = enc.encode(r.Rows)
		resp.Tables = append(resp.Tables, t)
	}
	if enc.cut != "" {
		resp.Error = partialError(enc, s.limits)
	}
	return resp
}

// partialError reports a response cut at a limit, as Kusto's partial
// query failure E_QUERY_RESULT_SET_TOO_LARGE, native error code 0x80DA0003
// (-2133196797 as the signed number the API's innererror carries).
func partialError(enc *rowEncoder, lim Limits) *apierror.Error {
	var msg string
	if enc.cut == "rows" {
		msg = fmt.Sprintf("Query result set has exceeded the internal record count limit %d (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits); the response holds the first %d rows.", lim.MaxRows, enc.rows)
	} else {
		msg = fmt.Sprintf("Query result set has exceeded the internal data size limit %d (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits); the response holds the first %d rows.", lim.MaxBytes, enc.rows)
	}
	return &apierror.Error{Code: "PartialError", Message: "There were some errors when processing your query.",
		Details: []*apierror.Error{{Code: "EngineError", Message: msg,
			InnerError: &apierror.Error{Code: "-2133196797", Message: msg}}}}
}

// formatTimespan is a timespan string for statistics.
func formatTimespan(d time.Duration) string { return types.FormatTimespan(int64(d / 100)) }
