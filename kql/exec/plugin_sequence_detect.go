package exec

import (
	"fmt"
	"sort"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() { registerPluginFunc("sequence_detect", sequenceDetect) }

// maxSequences bounds sequence_detect's output, which grows with the
// product of the matches of each step.
const maxSequences = 1_000_000

// sequenceDetect lists, per dimension values, every chain of rows r1, r2,
// ... in time order with r_i matching step i, each within the step window
// of the previous and all within the span of the first.
func sequenceDetect(in *pluginInput) (*vec.Batch, error) {
	stepWin, span, k := in.scalars[0], in.scalars[1], int(in.scalars[2].I)
	out := newTableBuilder(in.n.Sch)
	if stepWin.IsNull() || span.IsNull() {
		return out.build(), nil
	}
	times, preds, dims := in.cols[0], in.exprs[:k], in.exprs[k:]
	group, first := groupRows(dims, in.rows.N)
	byGroup := make([][]int, len(first))
	for r := 0; r < in.rows.N; r++ {
		if !times.IsNull(r) {
			byGroup[group[r]] = append(byGroup[group[r]], r)
		}
	}
	var chains [][]int
	for _, rows := range byGroup {
		sort.SliceStable(rows, func(i, j int) bool { return times.Int(rows[i]) < times.Int(rows[j]) })
		d := &sequenceSearch{times: times, preds: preds, rows: rows, stepWin: stepWin.I, span: span.I}
		for i := range rows {
			if d.matches(0, i) {
				d.extend([]int{i})
			}
		}
		if len(d.found)+len(chains) > maxSequences {
			return nil, fmt.Errorf("more than %d sequences; narrow the predicates or the windows", maxSequences)
		}
		for _, ch := range d.found {
			chains = append(chains, indexRows(rows, ch))
		}
	}
	sort.SliceStable(chains, func(a, b int) bool {
		for i := range chains[a] {
			if ta, tb := times.Int(chains[a][i]), times.Int(chains[b][i]); ta != tb {
				return ta < tb
			}
		}
		return false
	})
	for _, ch := range chains {
		row := dimValues(dims, ch[0])
		for _, r := range ch {
			row = append(row, types.NewDatetime(times.Int(r)))
		}
		out.add(append(row, types.NewTimespan(times.Int(ch[len(ch)-1])-times.Int(ch[0])))...)
	}
	return out.build(), nil
}

// sequenceSearch enumerates the chains of one dimension group; chain
// elements are positions in rows (sorted by time).
type sequenceSearch struct {
	times         *vec.Column
	preds         []*vec.Column
	rows          []int
	stepWin, span int64
	found         [][]int
}

func (d *sequenceSearch) matches(step, i int) bool {
	p := d.preds[step]
	r := d.rows[i]
	return !p.IsNull(r) && p.Int(r) != 0
}

func (d *sequenceSearch) extend(chain []int) {
	if len(chain) == len(d.preds) {
		d.found = append(d.found, append([]int(nil), chain...))
		return
	}
	if len(d.found) > maxSequences {
		return
	}
	last := chain[len(chain)-1]
	t0, tl := d.times.Int(d.rows[chain[0]]), d.times.Int(d.rows[last])
	for j := last + 1; j < len(d.rows); j++ {
		t := d.times.Int(d.rows[j])
		if t-tl > d.stepWin || t-t0 > d.span {
			break
		}
		if d.matches(len(chain), j) {
			d.extend(append(chain, j))
		}
	}
}

func indexRows(rows, idx []int) []int {
	out := make([]int, len(idx))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}
