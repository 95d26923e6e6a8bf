// Package exec runs typed plans: each plan node becomes an operator that
// yields column batches (op_*.go); scalar expressions are evaluated a
// batch at a time by the kernels of package builtin.
package exec

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/vec"
)

// BatchSize is the number of rows operators aim to put in one batch.
const BatchSize = 8192

// Operator yields the rows of a plan node. Next returns nil, nil at the
// end. Next is called by one goroutine; a batch is valid until the next call.
type Operator interface {
	Next() (*vec.Batch, error)
}

// Runner evaluates plans for one query. Shared subplans and subqueries are
// evaluated once.
type Runner struct {
	// mu guards shared, subs and sets: filters and projects evaluate
	// batches on several goroutines (parallel.go).
	mu     sync.Mutex
	ctx    context.Context
	bctx   *builtin.Context
	shared map[*plan.Shared]*vec.Batch
	subs   map[*plan.Subquery]*vec.Batch
	sets   map[*plan.RowSet]map[string]bool
	budget *memBudget
	// inputs holds the rows of the enclosing partitions (op_partition.go).
	inputs map[*plan.PartitionInput]*vec.Batch
	// dictStrings dictionary-encodes the string columns of datatable
	// and print (SetDictionaryStrings).
	dictStrings bool
}

// SetDictionaryStrings makes datatable and print deliver their string
// columns dictionary-encoded, as storage does, so that tests run the
// dictionary paths of kernels and operators.
func (r *Runner) SetDictionaryStrings(on bool) { r.dictStrings = on }

// NewRunner returns a runner. bctx carries the query start time.
//
// Operators that must hold their whole input (sort, join, summarize, ...)
// charge it to the query's memory budget, DefaultMemoryLimit unless
// SetMemoryLimit says otherwise.
func NewRunner(ctx context.Context, bctx *builtin.Context) *Runner {
	return &Runner{ctx: ctx, bctx: bctx, shared: map[*plan.Shared]*vec.Batch{},
		subs: map[*plan.Subquery]*vec.Batch{}, sets: map[*plan.RowSet]map[string]bool{},
		budget: &memBudget{limit: DefaultMemoryLimit}}
}

// Run evaluates n and returns all its rows in one batch.
func (r *Runner) Run(n plan.Node) (*vec.Batch, error) {
	op, err := r.open(n)
	if err != nil {
		return nil, err
	}
	return r.drain(n.Schema(), op)
}

// drain collects every batch of op into one.
func (r *Runner) drain(sch vec.Schema, op Operator) (*vec.Batch, error) {
	var batches []*vec.Batch
	for {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := op.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		if b.N > 0 {
			if err := r.budget.charge(b); err != nil {
				return nil, err
			}
			batches = append(batches, b)
		}
	}
	if len(batches) == 0 {
		return emptyBatch(sch), nil
	}
	return vec.Concat(sch, batches), nil
}

func emptyBatch(sch vec.Schema) *vec.Batch {
	cols := make([]*vec.Column, len(sch))
	for i, f := range sch {
		cols[i] = vec.NewBuilder(f.Type, 0).Build()
	}
	return &vec.Batch{Cols: cols}
}

// open builds the operator for a plan node.
func (r *Runner) open(n plan.Node) (Operator, error) {
	switch n := n.(type) {
	case *plan.Values:
		return r.values(n)
	case *plan.Range:
		return r.rangeOp(n)
	case *plan.Scan:
		return r.scan(n)
	case *plan.Filter:
		return r.filter(n)
	case *plan.Project:
		return r.project(n)
	case *plan.Limit:
		return r.limit(n)
	case *plan.Aggregate:
		return r.aggregate(n)
	case *plan.Sort:
		return r.sort(n)
	case *plan.Top:
		return r.top(n)
	case *plan.Join:
		return r.join(n)
	case *plan.Union:
		return r.union(n)
	case *plan.Shared:
		return r.sharedOp(n)
	case *plan.MvExpand:
		return r.mvExpand(n)
	case *plan.Widen:
		return r.widen(n)
	}
	if open, ok := nodeOpeners[reflect.TypeOf(n)]; ok {
		return open(r, n)
	}
	return nil, fmt.Errorf("the %T plan node is not supported by the executor", n)
}

// nodeOpeners holds operator constructors registered by op_*.go files
// (init) for plan nodes beyond the core ones in open.
var nodeOpeners = map[reflect.Type]func(r *Runner, n plan.Node) (Operator, error){}

// registerNode registers the operator constructor for nodes of n's type.
func registerNode(n plan.Node, open func(r *Runner, n plan.Node) (Operator, error)) {
	nodeOpeners[reflect.TypeOf(n)] = open
}

// once is an operator that yields one batch.
type once struct {
	b    *vec.Batch
	done bool
}

func (o *once) Next() (*vec.Batch, error) {
	if o.done {
		return nil, nil
	}
	o.done = true
	return o.b, nil
}

// funcOp adapts a function to Operator.
type funcOp func() (*vec.Batch, error)

func (f funcOp) Next() (*vec.Batch, error) { return f() }

// blocking runs a whole-input computation on the first call to Next.
func (r *Runner) blocking(in plan.Node, f func(*vec.Batch) (*vec.Batch, error)) (Operator, error) {
	b, err := r.Run(in)
	if err != nil {
		return nil, err
	}
	out, err := f(b)
	if err != nil {
		return nil, err
	}
	return &once{b: out}, nil
}

func (r *Runner) sharedOp(n *plan.Shared) (Operator, error) {
	if b, ok := r.sharedBatch(n); ok {
		return &once{b: b}, nil
	}
	b, err := r.Run(n.In)
	if err != nil {
		return nil, err
	}
	r.setShared(n, b)
	return &once{b: b}, nil
}

func (r *Runner) sharedBatch(n *plan.Shared) (*vec.Batch, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.shared[n]
	return b, ok
}

// setShared records n's rows; a nil batch forgets them.
func (r *Runner) setShared(n *plan.Shared, b *vec.Batch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b == nil {
		delete(r.shared, n)
		return
	}
	r.shared[n] = b
}
