package exec

import (
	"sort"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.ScanOp)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		s := n.(*plan.ScanOp)
		return r.blocking(s.In, func(b *vec.Batch) (*vec.Batch, error) { return r.scanOp(s, b) })
	})
}

// scanSeq is the state of one step: the sequence that last reached it,
// with the record that matched each step up to this one (nil when that
// step has no row in the state).
type scanSeq struct {
	active bool
	id     int64
	rows   [][]types.Value
}

// scanOut is an output record; key orders outputs by input row, then by
// the order of the matches within the row.
type scanOut struct {
	key [2]int
	rec []types.Value
	id  int64
}

// scanRun executes the matching logic over the rows of one batch.
type scanRun struct {
	r     *Runner
	n     *plan.ScanOp
	b     *vec.Batch
	width int           // record columns: input and declared
	empty []types.Value // a record column's value when the state has no row
	refs  []int         // the scan row columns the expressions read
	cols  []*vec.Column // the scan row of the next evaluation
	state []*scanSeq
	// pending holds the last match of steps with output=last.
	pending []*scanOut
	out     []*scanOut
	nextID  int64
	seq     int
}

func (r *Runner) scanOp(n *plan.ScanOp, b *vec.Batch) (*vec.Batch, error) {
	s := newScanRun(r, n, b)
	for row := 0; row < b.N; row++ {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		if err := s.record(row); err != nil {
			return nil, err
		}
	}
	for k := range s.pending {
		s.flush(k)
	}
	sort.SliceStable(s.out, func(i, j int) bool {
		a, b := s.out[i].key, s.out[j].key
		return a[0] < b[0] || a[0] == b[0] && a[1] < b[1]
	})
	return s.output(), nil
}

func newScanRun(r *Runner, n *plan.ScanOp, b *vec.Batch) *scanRun {
	nin := len(n.In.Schema())
	s := &scanRun{r: r, n: n, b: b, width: nin + len(n.Declared)}
	for i := 0; i < s.width; i++ {
		if i < nin {
			s.empty = append(s.empty, types.NullOf(n.Sch[i].Type))
		} else {
			s.empty = append(s.empty, n.Defaults[i-nin])
		}
	}
	s.cols = make([]*vec.Column, s.width*(1+len(n.Steps)))
	for i := range s.cols {
		s.cols[i] = vec.NewConst(s.empty[i%s.width], 1)
	}
	seen := map[int]bool{}
	for _, st := range n.Steps {
		for _, e := range append([]plan.Expr{st.Cond}, st.Values...) {
			collectRefs(e, seen)
		}
	}
	for i := range seen {
		s.refs = append(s.refs, i)
	}
	s.state = make([]*scanSeq, len(n.Steps))
	for k := range s.state {
		s.state[k] = &scanSeq{}
	}
	s.pending = make([]*scanOut, len(n.Steps))
	return s
}

// collectRefs adds the columns e reads to seen.
func collectRefs(e plan.Expr, seen map[int]bool) {
	switch e := e.(type) {
	case *plan.ColRef:
		seen[e.Index] = true
	case *plan.Call:
		for _, a := range e.Args {
			collectRefs(a, seen)
		}
	case *plan.RowSet:
		collectRefs(e.X, seen)
	}
}

// record evaluates one input row against the steps, last to first.
func (s *scanRun) record(row int) error {
	rec := make([]types.Value, s.width)
	for i := range rec {
		if i < len(s.b.Cols) {
			rec[i] = s.b.Cols[i].Value(row)
		} else {
			rec[i] = s.empty[i]
		}
	}
	for k := len(s.n.Steps) - 1; k >= 0; k-- {
		matched, err := s.enter(k, row, rec)
		if err != nil {
			return err
		}
		if !matched {
			if err := s.stay(k, row, rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// enter is check 1: the sequence of the previous step moves to step k.
func (s *scanRun) enter(k, row int, rec []types.Value) (bool, error) {
	if k == 0 || !s.state[k-1].active {
		return false, nil
	}
	prev := s.state[k-1]
	moved := &scanSeq{active: true, id: prev.id, rows: append(append([][]types.Value(nil), prev.rows[:k]...), nil)}
	ok, err := s.cond(k, rec, moved)
	if err != nil || !ok {
		return false, err
	}
	ext, err := s.assign(k, rec, moved)
	if err != nil {
		return false, err
	}
	s.flush(k)
	s.flush(k - 1)
	s.state[k-1] = &scanSeq{}
	moved.rows[k] = ext
	s.state[k] = moved
	s.emit(k, row, ext, moved.id)
	return true, nil
}

// stay is check 2: the sequence at step k (or a new one at the first
// step) matches again.
func (s *scanRun) stay(k, row int, rec []types.Value) error {
	st := s.state[k]
	if !st.active && k > 0 {
		return nil
	}
	ok, err := s.cond(k, rec, st)
	if err != nil || !ok {
		return err
	}
	ext, err := s.assign(k, rec, st)
	if err != nil {
		return err
	}
	if !st.active {
		st = &scanSeq{active: true, id: s.nextID, rows: [][]types.Value{nil}}
		s.nextID++
		s.state[k] = st
	}
	st.rows[k] = ext
	s.emit(k, row, ext, st.id)
	return nil
}

func (s *scanRun) cond(k int, rec []types.Value, st *scanSeq) (bool, error) {
	v, err := s.eval(s.n.Steps[k].Cond, rec, st)
	return v.Bool(), err
}

// assign returns the record extended by step k's assignments, all
// evaluated before any is applied.
func (s *scanRun) assign(k int, rec []types.Value, st *scanSeq) ([]types.Value, error) {
	step := s.n.Steps[k]
	ext := append([]types.Value(nil), rec...)
	for i, e := range step.Values {
		v, err := s.eval(e, rec, st)
		if err != nil {
			return nil, err
		}
		t := step.Targets[i]
		ext[t] = fit(v, s.n.Sch[t].Type)
	}
	return ext, nil
}

// eval evaluates e over the scan row of rec and the state st.
func (s *scanRun) eval(e plan.Expr, rec []types.Value, st *scanSeq) (types.Value, error) {
	for _, i := range s.refs {
		v := s.empty[i%s.width]
		if i < s.width {
			v = rec[i]
		} else if j := i/s.width - 1; j < len(st.rows) && st.rows[j] != nil {
			v = st.rows[j][i%s.width]
		}
		s.cols[i] = vec.NewConst(v, 1)
	}
	c, err := s.r.eval(e, &vec.Batch{Cols: s.cols, N: 1})
	if err != nil {
		return types.Value{}, err
	}
	return c.Value(0), nil
}

// emit outputs a match of step k according to its output mode.
func (s *scanRun) emit(k, row int, ext []types.Value, id int64) {
	o := &scanOut{key: [2]int{row, s.seq}, rec: ext, id: id}
	s.seq++
	switch s.n.Steps[k].Output {
	case "all":
		s.out = append(s.out, o)
	case "last":
		s.pending[k] = o
	}
}

// flush outputs the last match held for step k, if any.
func (s *scanRun) flush(k int) {
	if s.pending[k] != nil {
		s.out = append(s.out, s.pending[k])
		s.pending[k] = nil
	}
}

func (s *scanRun) output() *vec.Batch {
	builders := make([]*vec.Builder, len(s.n.Sch))
	for i, f := range s.n.Sch {
		builders[i] = vec.NewBuilder(f.Type, len(s.out))
	}
	for _, o := range s.out {
		for i, v := range o.rec {
			builders[i].Append(fit(v, s.n.Sch[i].Type))
		}
		if s.n.MatchID != "" {
			builders[s.width].AppendInt(o.id)
		}
	}
	out := &vec.Batch{N: len(s.out)}
	for _, bl := range builders {
		out.Cols = append(out.Cols, bl.Build())
	}
	return out
}
