package exec

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/idlogs/idlogs/kql/vec"
)

// Parallelism is how many goroutines evaluate batches of one filter or
// project at a time.
var Parallelism = runtime.GOMAXPROCS(0)

// parallelMap applies f to the batches of in on several goroutines and
// yields the results in input order. One goroutine reads in (Operator's
// contract); f must be safe to call concurrently, which kernels are
// (shared caches in Runner and builtin are locked). The goroutines stop
// when the input ends, on the first error, or when the query's context is
// done (the engine cancels it when the query returns, so an operator that
// stops pulling early, such as take, leaks nothing past the query).
func (r *Runner) parallelMap(in Operator, f func(*vec.Batch) (*vec.Batch, error)) Operator {
	if Parallelism < 2 {
		return funcOp(func() (*vec.Batch, error) {
			for {
				b, err := in.Next()
				if b == nil || err != nil {
					return nil, err
				}
				if out, err := f(b); out != nil || err != nil {
					return out, err
				}
			}
		})
	}
	type result struct {
		b   *vec.Batch
		err error
	}
	// Each job carries its own result channel; jobs enter results in input
	// order, so the consumer reads results in order while workers run ahead.
	jobs := make(chan struct {
		b   *vec.Batch
		out chan result
	})
	results := make(chan chan result, Parallelism*2)
	done := r.ctx.Done()
	go func() {
		defer close(jobs)
		defer close(results)
		for {
			b, err := in.Next()
			out := make(chan result, 1)
			if b == nil || err != nil {
				if err != nil {
					out <- result{err: err}
					select {
					case results <- out:
					case <-done:
					}
				}
				return
			}
			select {
			case results <- out:
			case <-done:
				return
			}
			select {
			case jobs <- struct {
				b   *vec.Batch
				out chan result
			}{b, out}:
			case <-done:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < Parallelism; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				b, err := safeApply(f, j.b)
				j.out <- result{b, err}
			}
		}()
	}
	failed := false
	return funcOp(func() (*vec.Batch, error) {
		if failed {
			return nil, nil
		}
		for {
			var out chan result
			var ok bool
			select {
			case out, ok = <-results:
			case <-done:
				return nil, r.ctx.Err()
			}
			if !ok {
				return nil, nil
			}
			var res result
			select {
			case res = <-out:
			case <-done:
				return nil, r.ctx.Err()
			}
			if res.err != nil {
				failed = true
				return nil, res.err
			}
			if res.b != nil {
				return res.b, nil
			}
		}
	})
}

// safeApply runs f, turning a panic into an error: a worker goroutine's
// panic would otherwise end the process, not just the query.
func safeApply(f func(*vec.Batch) (*vec.Batch, error), b *vec.Batch) (out *vec.Batch, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("internal error: %v\n%s", p, debug.Stack())
		}
	}()
	return f(b)
}
