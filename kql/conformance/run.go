package conformance

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
)

// Status is the outcome of one record.
type Status string

// The statuses of a record.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Error Status = "error"
	Skip  Status = "skip"
)

// Outcome is what running one record gave.
type Outcome struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Message string `json:"message"`
}

// DefaultNow is the query start time records run at, so that now() and
// ago() give the same answer on every run.
var DefaultNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultTimeout bounds the time one record may take. The heaviest
// documentation example (a join over 5 M generated rows) takes about 10 s
// on two cores; the bound leaves room for slower machines, so that no
// record's status depends on the machine's speed.
const DefaultTimeout = 60 * time.Second

// abandonGrace is how long a query may keep running after its deadline
// before the runner stops waiting for it. The engine checks its context
// between batches, so a single long kernel call can overrun the deadline;
// such a query is left to finish in the background.
const abandonGrace = 2 * time.Second

// Runner runs records. The zero value runs them against an empty catalog
// at DefaultNow with DefaultTimeout.
type Runner struct {
	// Catalog holds the tables queries may read; nil means none.
	Catalog engine.Catalog
	// Now is the query start time; the zero time means DefaultNow.
	Now time.Time
	// Timeout bounds each query; zero means DefaultTimeout.
	Timeout time.Duration
	// DisabledRules names plan rules not to apply (engine.Engine's field).
	DisabledRules []string
	// DictionaryStrings is engine.Engine's field of that name.
	DictionaryStrings bool
}

// Run runs rec with the zero Runner: an empty catalog, DefaultNow and
// DefaultTimeout.
func Run(ctx context.Context, rec *Record) Outcome {
	var r Runner
	return r.Run(ctx, rec)
}

// Run runs rec's query and compares its result sets with the expected
// tables. A record the official parser rejects is skipped without running.
func (r *Runner) Run(ctx context.Context, rec *Record) Outcome {
	out := Outcome{ID: rec.ID}
	query, officialOK := rec.Input()
	if !officialOK {
		out.Status, out.Message = Skip, "the official parser rejects the query"
		return out
	}
	results, err := r.Query(ctx, query)
	if err != nil {
		out.Status, out.Message = Error, firstLine(err.Error())
		return out
	}
	if why := skipReason(rec); why != "" {
		out.Status, out.Message = Skip, why
		return out
	}
	if msg := compareResults(rec, query, results); msg != "" {
		out.Status, out.Message = Fail, msg
		return out
	}
	out.Status = Pass
	return out
}

// skipReason says why rec's result cannot be compared, or returns "".
func skipReason(rec *Record) string {
	switch {
	case rec.Expected == nil:
		return "no expected table"
	case rec.Nondeterministic:
		return "nondeterministic query"
	case rec.ColumnsMatchOfficial != nil && !*rec.ColumnsMatchOfficial:
		return "the doc table's columns are not the query's"
	}
	return ""
}

// Query runs query and returns its result sets. Panics in the engine come
// back as a *PanicError; a query that overruns the timeout comes back as
// an error saying so.
func (r *Runner) Query(ctx context.Context, query string) ([]*engine.Result, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan queryResult, 1)
	go func() { done <- r.query(ctx, query) }()
	select {
	case res := <-done:
		return res.results, timeoutError(res.err, ctx, timeout)
	case <-ctx.Done():
	}
	select {
	case res := <-done:
		return res.results, timeoutError(res.err, ctx, timeout)
	case <-time.After(abandonGrace):
		return nil, fmt.Errorf("query timed out after %v (abandoned)", timeout)
	}
}

type queryResult struct {
	results []*engine.Result
	err     error
}

func (r *Runner) query(ctx context.Context, query string) (res queryResult) {
	defer func() {
		if p := recover(); p != nil {
			res = queryResult{err: newPanicError(p)}
		}
	}()
	now := r.Now
	if now.IsZero() {
		now = DefaultNow
	}
	catalog := r.Catalog
	if catalog == nil {
		catalog = engine.Catalog{}
	}
	eng := &engine.Engine{Catalog: catalog, Now: func() time.Time { return now }, DisabledRules: r.DisabledRules,
		DictionaryStrings: r.DictionaryStrings}
	results, err := eng.Query(ctx, query)
	return queryResult{results, err}
}

// timeoutError rewrites the context error of a query that ran out of time.
func timeoutError(err error, ctx context.Context, timeout time.Duration) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("query timed out after %v", timeout)
	}
	return err
}

// PanicError is an engine panic caught while running a query.
type PanicError struct {
	Value any
	// Where is file:line of the innermost frame in the engine's own code,
	// or "" when there is none.
	Where string
}

func (e *PanicError) Error() string {
	if e.Where == "" {
		return fmt.Sprintf("panic: %v", e.Value)
	}
	return fmt.Sprintf("panic: %v (at %s)", e.Value, e.Where)
}

// newPanicError records p and where it happened. It must be called from
// the deferred function that recovered p.
func newPanicError(p any) *PanicError {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if i := strings.Index(f.File, "/kql/"); i >= 0 && !strings.Contains(f.File, "/kql/conformance/") {
			return &PanicError{Value: p, Where: fmt.Sprintf("%s:%d", f.File[i+1:], f.Line)}
		}
		if !more {
			return &PanicError{Value: p}
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// RunAll runs records with up to workers at a time (at least one) and
// returns their outcomes in the order of records.
func (r *Runner) RunAll(ctx context.Context, records []*Record, workers int) []Outcome {
	out := make([]Outcome, len(records))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = r.Run(ctx, records[i])
			}
		}()
	}
	for i := range records {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
