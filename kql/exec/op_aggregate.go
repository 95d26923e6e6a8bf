package exec

import (
	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// aggregate groups rows by key and folds each group into aggregate states.
// Without keys there is exactly one group, even over no rows (count() of
// an empty table is 0). When every aggregate can merge partial states,
// the input is split across Parallelism workers (aggregate_parallel.go).
func (r *Runner) aggregate(n *plan.Aggregate) (Operator, error) {
	in, err := r.open(n.In)
	if err != nil {
		return nil, err
	}
	var part *aggPart
	if aggregateUsesSerial(n) {
		// Window functions in keys or arguments see the whole input at once.
		all, err := r.drain(n.In.Schema(), in)
		if err != nil {
			return nil, err
		}
		part = newAggPart(n, false)
		if err := part.add(r, n, all, 0); err != nil {
			return nil, err
		}
	} else if part, err = r.aggregateParts(n, in); err != nil {
		return nil, err
	}
	return &once{b: part.output(n)}, nil
}

// aggPart holds the groups and aggregate states of a part of the input.
type aggPart struct {
	grp    grouper
	states []builtin.AggState
	rows   bool    // saw a row (matters without keys)
	first  []int64 // input position of each group's first row, when tracked
	track  bool
	bin    *binKey // the only key, folded from its column by the int grouper
	gids   []int32
	counts []int64 // rows per dictionary code, in addCodeCounts
	keys   []*vec.Column
	args   [][]*vec.Column
}

func newAggPart(n *plan.Aggregate, track bool) *aggPart {
	p := &aggPart{states: make([]builtin.AggState, len(n.Aggs)), track: track,
		keys: make([]*vec.Column, len(n.Keys)), args: make([][]*vec.Column, len(n.Aggs))}
	for i, a := range n.Aggs {
		p.states[i] = a.New()
		p.args[i] = make([]*vec.Column, len(a.Exprs))
	}
	if len(n.Keys) > 0 {
		keyTypes := make([]types.Type, len(n.Keys))
		for i, k := range n.Keys {
			keyTypes[i] = k.Type()
		}
		p.grp = newGrouper(keyTypes)
		if _, ok := p.grp.(*intGrouper); ok && len(n.Keys) == 1 {
			p.bin, _ = matchBinKey(n.Keys[0])
		}
	}
	return p
}

// groups returns the number of groups so far.
func (p *aggPart) groups() int {
	if p.grp == nil {
		if p.rows {
			return 1
		}
		return 0
	}
	return len(p.grp.keyRows())
}

// add folds batch b, whose first row is at input position pos, into the
// part's groups.
func (p *aggPart) add(r *Runner, n *plan.Aggregate, b *vec.Batch, pos int64) error {
	if b.N == 0 {
		return nil
	}
	var err error
	var binCol *vec.Column
	if p.bin != nil && plain(b.Cols[p.bin.col]) {
		binCol = b.Cols[p.bin.col]
	} else {
		for i, k := range n.Keys {
			if p.keys[i], err = r.eval(k, b); err != nil {
				return err
			}
		}
	}
	for i, a := range n.Aggs {
		for j, e := range a.Exprs {
			if p.args[i][j], err = r.eval(e, b); err != nil {
				return err
			}
		}
	}
	if binCol == nil && p.addCodeCounts(b.N, pos) {
		return nil
	}
	if cap(p.gids) < b.N {
		p.gids = make([]int32, b.N)
	}
	gids := p.gids[:b.N]
	before := p.groups()
	if p.grp == nil {
		clear(gids)
		p.rows = true
	} else if binCol != nil {
		p.grp.(*intGrouper).assignBins(binCol, p.bin, b.N, gids)
	} else {
		p.grp.assign(p.keys, b.N, gids)
	}
	ngroups := p.groups()
	if p.track && ngroups > before {
		p.noteFirst(gids, before, ngroups, pos)
	}
	for i, s := range p.states {
		args := p.args[i]
		if bs, ok := s.(builtin.BatchAggState); ok {
			bs.AddBatch(gids, ngroups, args, pos)
			continue
		}
		for row, g := range gids {
			s.Add(int(g), args, row)
		}
	}
	return nil
}

// addCodeCounts folds a batch whose only key is a dictionary-encoded
// string column into aggregates that only count rows (count() by key): it
// counts the rows of each code, then adds each count to the code's group,
// instead of giving every row a group id. It reports false, doing nothing,
// when the batch or the aggregates do not qualify, or when the dictionary
// is so large next to the batch that one pass over it costs more than the
// rows.
func (p *aggPart) addCodeCounts(n int, pos int64) bool {
	g, ok := p.grp.(*stringGrouper)
	if !ok || len(p.keys) != 1 {
		return false
	}
	k := p.keys[0]
	if k.Codes == nil || k.Const || len(k.Dict) > n/2 {
		return false
	}
	for _, s := range p.states {
		if rc, ok := s.(builtin.RowCounter); !ok || !rc.CountsRows() {
			return false
		}
	}
	codes := k.Codes[:n]
	d := len(k.Dict)
	counts := p.counts[:0]
	counts = append(counts, make([]int64, 4*d)...)
	p.counts = counts
	// Four sets of counters, so that runs of one code (frequent in log
	// data) do not make each increment wait for the one before.
	c0, c1, c2, c3 := counts[:d], counts[d:2*d], counts[2*d:3*d], counts[3*d:]
	i := 0
	for ; i+4 <= len(codes); i += 4 {
		c0[codes[i]]++
		c1[codes[i+1]]++
		c2[codes[i+2]]++
		c3[codes[i+3]]++
	}
	for ; i < len(codes); i++ {
		c0[codes[i]]++
	}
	for j := range c0 {
		c0[j] += c1[j] + c2[j] + c3[j]
	}
	counts = c0
	byCode := g.codeGroups(k, codes, counts, func(row int) {
		if p.track {
			p.first = append(p.first, pos+int64(row))
		}
	})
	for code, c := range counts {
		if c == 0 {
			continue
		}
		gid := int(byCode[code] - 1)
		for _, s := range p.states {
			s.(builtin.RowCounter).AddRows(gid, c)
		}
	}
	return true
}

// noteFirst records the input position of the first row of the groups
// from before up to ngroups, which appeared in this batch in id order.
func (p *aggPart) noteFirst(gids []int32, before, ngroups int, pos int64) {
	next := int32(before)
	for row, g := range gids {
		if g == next {
			p.first = append(p.first, pos+int64(row))
			if next++; int(next) == ngroups {
				return
			}
		}
	}
}

// output builds the result batch: one row per group, keys then aggregates.
func (p *aggPart) output(n *plan.Aggregate) *vec.Batch {
	var keyRows [][]types.Value
	if p.grp != nil {
		keyRows = p.grp.keyRows()
	} else {
		keyRows = [][]types.Value{nil}
		if !p.rows {
			for _, s := range p.states {
				s.Add(0, nil, -1) // r < 0: create the group without a row
			}
		}
	}
	return aggregateOutput(n, p.states, keyRows)
}

// plain reports whether c stores one value per row without nulls.
func plain(c *vec.Column) bool {
	return !c.Const && c.Valid == nil && c.Codes == nil && c.Type != types.Null
}

func aggregateUsesSerial(n *plan.Aggregate) bool {
	for _, k := range n.Keys {
		if plan.UsesSerial(k) {
			return true
		}
	}
	for _, a := range n.Aggs {
		for _, e := range a.Exprs {
			if plan.UsesSerial(e) {
				return true
			}
		}
	}
	return false
}

// aggregateOutput builds the result column by column: keys, then each
// aggregate's columns.
func aggregateOutput(n *plan.Aggregate, states []builtin.AggState, keyRows [][]types.Value) *vec.Batch {
	out := &vec.Batch{N: len(keyRows)}
	column := func(value func(g int) types.Value) {
		t := n.Sch[len(out.Cols)].Type
		b := vec.NewBuilder(t, len(keyRows))
		for g := range keyRows {
			b.Append(fit(value(g), t))
		}
		out.Cols = append(out.Cols, b.Build())
	}
	for i := range n.Keys {
		column(func(g int) types.Value { return keyRows[g][i] })
	}
	for i, a := range n.Aggs {
		switch s := states[i].(type) {
		case builtin.ResultAtState:
			for k := range a.Out {
				column(func(g int) types.Value { return s.ResultAt(g, k) })
			}
		case builtin.MultiAggState:
			if len(a.Out) > 1 {
				rows := make([][]types.Value, len(keyRows))
				for g := range rows {
					rows[g] = s.Results(g)
				}
				for k := range a.Out {
					column(func(g int) types.Value { return rows[g][k] })
				}
				continue
			}
			column(s.Result)
		default:
			column(s.Result)
		}
	}
	return out
}

// fit converts v to t when their representations differ.
func fit(v types.Value, t types.Type) types.Value {
	if v.Type == t {
		return v
	}
	if v.Type.Storage() == t.Storage() && v.Type != types.Null {
		v.Type = t
		return v
	}
	return types.Convert(v, t)
}
