package exec

import (
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerPluginFunc("funnel_sequence", funnelSequence)
	registerPluginFunc("funnel_sequence_completion", funnelCompletion)
}

// funnelEvents are one id's events between Start and End in time order.
type funnelEvents struct {
	id     types.Value
	times  []int64
	states []string // valueKey of the state
	rows   []int
}

// funnelInput reads the rows of the funnel plugins (columns id, time,
// state) into per-id event lists, in order of the ids' first appearance,
// and the sequence (scalar 2) as state keys.
func funnelInput(in *pluginInput) ([]*funnelEvents, []string) {
	start, end := in.scalars[0], in.scalars[1]
	ids, times, states := in.cols[0], in.cols[1], in.cols[2]
	var seq []string
	for _, e := range in.scalars[2].D.([]any) {
		seq = append(seq, valueKey(types.Convert(types.FromDynamic(e), states.Type)))
	}
	group, first := groupRows([]*vec.Column{ids}, in.rows.N)
	evs := make([]*funnelEvents, len(first))
	for g, r := range first {
		evs[g] = &funnelEvents{id: ids.Value(r)}
	}
	for r := 0; r < in.rows.N; r++ {
		if ids.IsNull(r) || times.IsNull(r) || start.IsNull() || end.IsNull() {
			continue
		}
		if t := times.Int(r); t >= start.I && t <= end.I {
			e := evs[group[r]]
			e.times, e.states, e.rows = append(e.times, t), append(e.states, valueKey(states.Value(r))), append(e.rows, r)
		}
	}
	for _, e := range evs {
		sort.Sort(e)
	}
	return evs, seq
}

func (e *funnelEvents) Len() int { return len(e.times) }

func (e *funnelEvents) Less(i, j int) bool {
	return e.times[i] < e.times[j] || e.times[i] == e.times[j] && e.rows[i] < e.rows[j]
}

func (e *funnelEvents) Swap(i, j int) {
	e.times[i], e.times[j] = e.times[j], e.times[i]
	e.states[i], e.states[j] = e.states[j], e.states[i]
	e.rows[i], e.rows[j] = e.rows[j], e.rows[i]
}

// maxSamples is how many ids funnel_sequence lists per row.
const maxSamples = 128

// funnelCell collects the distinct ids of one output row.
type funnelCell struct {
	window     int64
	prev, next types.Value
	seen       map[string]bool
	samples    []any
}

// funnelSequence: a match is a run of consecutive events of one id whose
// states are the sequence, each within MaxSequenceStepWindow of the
// previous; prev and next are the states of the events just before and
// after the run, when within the step window too (else empty). Table 0
// counts ids per (window, prev, next), table 1 per (window, prev), table
// 2 per (window, next); rows go by window, then by count, largest first.
func funnelSequence(in *pluginInput) (*vec.Batch, error) {
	stepWin, step, table := in.scalars[3], in.scalars[4], in.scalars[5].I
	if err := positive(step, "Step"); err != nil {
		return nil, err
	}
	evs, seq := funnelInput(in)
	states := in.cols[2]
	empty := types.NullOf(states.Type)
	cells := map[string]*funnelCell{}
	var order []*funnelCell
	for _, e := range evs {
		for i := 0; i+len(seq) <= e.Len(); i++ {
			if stepWin.IsNull() || !funnelRun(e, i, seq, stepWin.I) {
				continue
			}
			prev, next := funnelNeighbours(e, i, len(seq), stepWin.I, states)
			switch table {
			case 1:
				next = empty
			case 2:
				prev = empty
			}
			w := binAt(e.times[i], in.scalars[0].I, step.I)
			key := string(types.Key(types.Key(types.Key(nil, types.NewLong(w)), prev), next))
			c, ok := cells[key]
			if !ok {
				c = &funnelCell{window: w, prev: prev, next: next, seen: map[string]bool{}}
				cells[key] = c
				order = append(order, c)
			}
			if k := valueKey(e.id); !c.seen[k] {
				c.seen[k] = true
				if len(c.samples) < maxSamples {
					c.samples = append(c.samples, types.ToDynamic(e.id))
				}
			}
		}
	}
	return funnelOutput(in, order, table), nil
}

// funnelNeighbours returns the states of the events before and after the
// run of n events at i, or nulls (empty strings) when there is none within
// the step window.
func funnelNeighbours(e *funnelEvents, i, n int, stepWin int64, states *vec.Column) (prev, next types.Value) {
	prev, next = types.NullOf(states.Type), types.NullOf(states.Type)
	if i > 0 && e.times[i]-e.times[i-1] <= stepWin {
		prev = states.Value(e.rows[i-1])
	}
	if j := i + n; j < e.Len() && e.times[j]-e.times[j-1] <= stepWin {
		next = states.Value(e.rows[j])
	}
	return prev, next
}

// funnelOutput writes the cells by window, then by count, largest first.
func funnelOutput(in *pluginInput, order []*funnelCell, table int64) *vec.Batch {
	sort.SliceStable(order, func(a, b int) bool {
		if order[a].window != order[b].window {
			return order[a].window < order[b].window
		}
		return len(order[a].seen) > len(order[b].seen)
	})
	out := newTableBuilder(in.n.Sch)
	for _, c := range order {
		row := []types.Value{types.NewDatetime(c.window)}
		if table != 2 {
			row = append(row, c.prev)
		}
		if table != 1 {
			row = append(row, c.next)
		}
		out.add(append(row, types.NewLong(int64(len(c.seen))), types.NewDynamic(c.samples))...)
	}
	return out.build()
}

// funnelRun reports whether the events from i on are the sequence, each
// within the step window of the previous.
func funnelRun(e *funnelEvents, i int, seq []string, stepWin int64) bool {
	for j, s := range seq {
		if e.states[i+j] != s || j > 0 && e.times[i+j]-e.times[i+j-1] > stepWin {
			return false
		}
	}
	return true
}

// funnelCompletion: for each occurrence of the first state, each later
// state of the sequence is reached, in order, by the earliest event that
// follows the previous step, within the period from the first. Per Step
// window (of the first state's time), period and step, the distinct ids
// that reached the step.
func funnelCompletion(in *pluginInput) (*vec.Batch, error) {
	periods, step := in.scalars[3].D.([]any), in.scalars[4]
	if err := positive(step, "Step"); err != nil {
		return nil, err
	}
	evs, seq := funnelInput(in)
	type key struct {
		window int64
		period int
		step   int
	}
	reached := map[key]map[string]bool{}
	windows := map[int64]bool{}
	for _, e := range evs {
		for i := 0; i < e.Len(); i++ {
			if e.states[i] != seq[0] {
				continue
			}
			w := binAt(e.times[i], in.scalars[0].I, step.I)
			windows[w] = true
			for p, pv := range periods {
				period := types.Convert(types.FromDynamic(pv), types.Timespan)
				for s := 0; s < funnelReach(e, i, seq, period); s++ {
					k := key{w, p, s}
					if reached[k] == nil {
						reached[k] = map[string]bool{}
					}
					reached[k][valueKey(e.id)] = true
				}
			}
		}
	}
	out := newTableBuilder(in.n.Sch)
	for _, w := range sortedTimes(windows) {
		for p, pv := range periods {
			period := types.Convert(types.FromDynamic(pv), types.Timespan)
			for s, name := range in.scalars[2].D.([]any) {
				out.add(types.NewDatetime(w), types.Convert(types.FromDynamic(name), types.String), period,
					types.NewLong(int64(len(reached[key{w, p, s}]))))
			}
		}
	}
	return out.build(), nil
}

// funnelReach returns how many states of the sequence an id reaches from
// the occurrence of the first state at i within period.
func funnelReach(e *funnelEvents, i int, seq []string, period types.Value) int {
	if period.IsNull() {
		return 1
	}
	n, pos := 1, i
	for _, s := range seq[1:] {
		found := false
		for j := pos + 1; j < e.Len() && e.times[j]-e.times[i] <= period.I; j++ {
			if e.states[j] == s {
				pos, found = j, true
				break
			}
		}
		if !found {
			break
		}
		n++
	}
	return n
}
