// Package engine runs KQL text end to end: parse, check against a
// catalog, plan and execute.
package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/exec"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Engine runs queries against a catalog.
type Engine struct {
	Catalog check.Catalog
	// Now returns the query start time; nil means time.Now.
	Now func() time.Time
	// MemoryLimit bounds the bytes of intermediate rows one query may hold
	// (sort, join, summarize inputs); 0 means exec.DefaultMemoryLimit.
	MemoryLimit int64
	// DisabledRules names plan rewrite rules not to apply (see plan.Rules);
	// tests use it to compare results with and without a rule.
	DisabledRules []string
	// DictionaryStrings makes datatable and print deliver their string
	// columns dictionary-encoded, as storage does; tests use it to check
	// that dictionary columns give the same answers.
	DictionaryStrings bool
}

// Result is one result set of a query.
type Result struct {
	Schema vec.Schema
	Rows   *vec.Batch
	Render *check.Render
	// Name is the table name the query gives the result (a named fork
	// branch), or empty.
	Name string
}

// Value returns the cell at row r, column c.
func (r *Result) Value(row, col int) types.Value { return r.Rows.Cols[col].Value(row) }

// Query parses, checks and runs text. Syntax and binding errors are
// syntax.ErrorList values with line:col positions.
func (e *Engine) Query(ctx context.Context, text string) (res []*Result, err error) {
	defer func() {
		// A bug in a kernel must fail the query, not the server.
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error: %v\n%s", r, debug.Stack())
		}
	}()
	script, err := syntax.Parse(text)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if e.Now != nil {
		now = e.Now()
	}
	// Operators evaluate batches on several goroutines: the random source is
	// shared under a lock, and cancelling ctx when the query returns stops
	// any goroutine an early-stopping operator (take) left behind.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bctx := &builtin.Context{Now: types.TicksFromTime(now), Rand: rand.New(&lockedSource{src: rand.NewPCG(uint64(now.UnixNano()), 1)})}
	runner := exec.NewRunner(ctx, bctx)
	runner.SetMemoryLimit(e.MemoryLimit)
	runner.SetDictionaryStrings(e.DictionaryStrings)
	// The checker runs the inputs of data-dependent plugins with the same
	// runner, so materialized subplans are shared with execution.
	// Shared subplans evaluated while checking serve the query's plans
	// too, so they keep all their columns then.
	materialized := false
	materialize := func(n plan.Node) (*vec.Batch, error) {
		materialized = true
		return runner.Run(plan.Optimize(n, &plan.Env{Ctx: bctx, Disabled: e.DisabledRules, KeepShared: true}))
	}
	q, err := check.Check(text, script, check.Options{Catalog: e.Catalog, Materialize: materialize})
	if err != nil {
		return nil, err
	}
	plans := make([]plan.Node, len(q.Results))
	for i, r := range q.Results {
		plans[i] = r.Plan
	}
	plans = plan.OptimizeAll(plans, &plan.Env{Ctx: bctx, Disabled: e.DisabledRules, KeepShared: materialized})
	var out []*Result
	for i, r := range q.Results {
		b, err := runner.Run(plans[i])
		if err != nil {
			return nil, err
		}
		out = append(out, &Result{Schema: r.Plan.Schema(), Rows: b, Render: r.Render, Name: r.Name})
	}
	return out, nil
}

// lockedSource makes a random source safe for concurrent use.
type lockedSource struct {
	mu  sync.Mutex
	src rand.Source
}

func (s *lockedSource) Uint64() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.src.Uint64()
}
