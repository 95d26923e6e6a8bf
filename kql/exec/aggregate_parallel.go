package exec

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// aggregateParts folds the input into groups and aggregate states. With
// more than one batch, Parallelism > 1 and aggregates that all merge, the
// batches are dealt round-robin to workers, each with groups and states of
// its own, and the parts are merged at the end. Dealing in a fixed order
// keeps the result of a query the same from run to run; merging in order
// of first appearance keeps the groups in the order one pass gives.
func (r *Runner) aggregateParts(n *plan.Aggregate, in Operator) (*aggPart, error) {
	serial := newAggPart(n, false)
	first, err := r.nextBatch(in)
	if err != nil || first == nil {
		return serial, err
	}
	if Parallelism < 2 || !aggregatesMerge(serial) {
		return serial, r.aggregateSerial(n, serial, first, in)
	}
	second, err := r.nextBatch(in)
	if err != nil {
		return nil, err
	}
	if second == nil {
		return serial, serial.add(r, n, first, 0)
	}
	parts, err := r.aggregateWorkers(n, in, first, second)
	if err != nil {
		return nil, err
	}
	return mergeParts(n, parts), nil
}

// nextBatch reads the next batch, checking for cancellation first.
func (r *Runner) nextBatch(in Operator) (*vec.Batch, error) {
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	return in.Next()
}

// aggregateSerial folds first and the rest of in into p on this goroutine.
func (r *Runner) aggregateSerial(n *plan.Aggregate, p *aggPart, first *vec.Batch, in Operator) error {
	var pos int64
	for b := first; b != nil; {
		if err := p.add(r, n, b, pos); err != nil {
			return err
		}
		pos += int64(b.N)
		var err error
		if b, err = r.nextBatch(in); err != nil {
			return err
		}
	}
	return nil
}

// aggregatesMerge reports whether every state of p can merge partial states.
func aggregatesMerge(p *aggPart) bool {
	for _, s := range p.states {
		if _, ok := s.(builtin.MergeAggState); !ok {
			return false
		}
	}
	return true
}

type aggJob struct {
	b   *vec.Batch
	pos int64
}

// aggregateWorkers deals first, second and the rest of in to Parallelism
// workers and returns their parts. The first error stops the dealing.
func (r *Runner) aggregateWorkers(n *plan.Aggregate, in Operator, first, second *vec.Batch) ([]*aggPart, error) {
	parts := make([]*aggPart, Parallelism)
	jobs := make([]chan aggJob, Parallelism)
	errs := make([]error, Parallelism)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := range parts {
		parts[w] = newAggPart(n, true)
		jobs[w] = make(chan aggJob, 2)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs[w] {
				if errs[w] != nil {
					continue // drain, so that the dealer never blocks
				}
				if errs[w] = safeAdd(r, n, parts[w], j); errs[w] != nil {
					failed.Store(true)
				}
			}
		}()
	}
	dealErr := func() error {
		var pos int64
		w := 0
		for b := first; b != nil && !failed.Load(); {
			if b.N > 0 {
				jobs[w] <- aggJob{b, pos}
				pos += int64(b.N)
				w = (w + 1) % len(jobs)
			}
			if b == first {
				b = second
				continue
			}
			var err error
			if b, err = r.nextBatch(in); err != nil {
				return err
			}
		}
		return nil
	}()
	for _, j := range jobs {
		close(j)
	}
	wg.Wait()
	if dealErr != nil {
		return nil, dealErr
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// safeAdd folds a job into p, turning a panic into an error as safeApply
// does.
func safeAdd(r *Runner, n *plan.Aggregate, p *aggPart, j aggJob) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("internal error: %v\n%s", x, debug.Stack())
		}
	}()
	return p.add(r, n, j.b, j.pos)
}

// mergeParts combines the parts into one whose groups are in order of
// their first row in the input, as one pass would number them.
func mergeParts(n *plan.Aggregate, parts []*aggPart) *aggPart {
	out := newAggPart(n, false)
	ids := map[string]int32{}
	var firsts []int64
	var rows [][]types.Value
	into := make([][]int32, len(parts))
	var buf []byte
	for w, p := range parts {
		out.rows = out.rows || p.rows
		into[w] = make([]int32, p.groups())
		var keyRows [][]types.Value
		if p.grp != nil {
			keyRows = p.grp.keyRows()
		}
		for i := range into[w] {
			buf = buf[:0]
			if keyRows != nil {
				for _, v := range keyRows[i] {
					buf = types.Key(buf, v)
				}
			}
			id, ok := ids[string(buf)]
			if !ok {
				id = int32(len(firsts))
				ids[string(buf)] = id
				firsts = append(firsts, p.first[i])
				if keyRows != nil {
					rows = append(rows, keyRows[i])
				}
			}
			firsts[id] = min(firsts[id], p.first[i])
			into[w][i] = id
		}
	}
	order := make([]int32, len(firsts))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return types.CompareInts(firsts[a], firsts[b]) })
	rank := make([]int32, len(order))
	for k, id := range order {
		rank[id] = int32(k)
	}
	for w, p := range parts {
		for i, id := range into[w] {
			into[w][i] = rank[id]
		}
		for a, s := range out.states {
			s.(builtin.MergeAggState).Merge(p.states[a], into[w], len(order))
		}
	}
	if out.grp != nil {
		sorted := make([][]types.Value, len(order))
		for k, id := range order {
			sorted[k] = rows[id]
		}
		out.grp = &fixedGroups{rows: sorted}
	}
	return out
}

// fixedGroups is the grouper of merged parts: its groups are final.
type fixedGroups struct{ rows [][]types.Value }

func (g *fixedGroups) assign([]*vec.Column, int, []int32) {
	panic("exec: rows added to merged groups")
}

func (g *fixedGroups) keyRows() [][]types.Value { return g.rows }
