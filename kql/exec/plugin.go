package exec

import (
	"fmt"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// pluginInput is what a whole-input plugin computes from: its input rows,
// the columns it reads, its scalar arguments and its per-row expressions.
type pluginInput struct {
	n       *plan.Plugin
	rows    *vec.Batch
	cols    []*vec.Column
	scalars []types.Value
	exprs   []*vec.Column
}

// pluginFuncs holds the code of the plan.Plugin plugins, registered by
// plugin_*.go files.
var pluginFuncs = map[string]func(in *pluginInput) (*vec.Batch, error){}

func registerPluginFunc(name string, f func(in *pluginInput) (*vec.Batch, error)) {
	pluginFuncs[name] = f
}

func init() {
	registerNode((*plan.Plugin)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		p := n.(*plan.Plugin)
		f, ok := pluginFuncs[p.Name]
		if !ok {
			return nil, fmt.Errorf("the %s plugin is not supported by the executor", p.Name)
		}
		rows := &vec.Batch{}
		if p.In != nil {
			var err error
			if rows, err = r.Run(p.In); err != nil {
				return nil, err
			}
		}
		in, err := r.pluginInput(p, rows)
		if err != nil {
			return nil, err
		}
		out, err := f(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		return &once{b: out}, nil
	})
}

func (r *Runner) pluginInput(p *plan.Plugin, rows *vec.Batch) (*pluginInput, error) {
	in := &pluginInput{n: p, rows: rows}
	for _, c := range p.Cols {
		in.cols = append(in.cols, rows.Cols[c])
	}
	one := &vec.Batch{N: 1}
	for _, e := range p.Scalars {
		c, err := r.eval(e, one)
		if err != nil {
			return nil, err
		}
		in.scalars = append(in.scalars, c.Value(0))
	}
	for _, e := range p.Exprs {
		c, err := r.eval(e, rows)
		if err != nil {
			return nil, err
		}
		in.exprs = append(in.exprs, c)
	}
	return in, nil
}

// tableBuilder accumulates output rows for a schema.
type tableBuilder struct {
	sch  vec.Schema
	cols []*vec.Builder
	n    int
}

func newTableBuilder(sch vec.Schema) *tableBuilder {
	t := &tableBuilder{sch: sch}
	for _, f := range sch {
		t.cols = append(t.cols, vec.NewBuilder(f.Type, 0))
	}
	return t
}

// add appends a row; values are converted to the column types.
func (t *tableBuilder) add(vals ...types.Value) {
	for i, v := range vals {
		t.cols[i].Append(fit(v, t.sch[i].Type))
	}
	t.n++
}

func (t *tableBuilder) build() *vec.Batch {
	out := &vec.Batch{N: t.n}
	for _, b := range t.cols {
		out.Cols = append(out.Cols, b.Build())
	}
	return out
}
