package plan

import (
	"slices"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Rule is a named rewrite of a plan node. Apply returns the rewritten node
// and whether the rule changed anything. Rules see one node at a time;
// Optimize walks the tree bottom-up.
type Rule struct {
	Name  string
	Apply func(n Node, env *Env) (Node, bool)
	// Tree, when set instead of Apply, rewrites the whole plan at once
	// (for rules that carry information from the root down).
	Tree func(root Node, env *Env) (Node, bool)
}

// Env is what rules may know about the query being planned.
type Env struct {
	// Ctx is the query's evaluation context: its Now lets time functions
	// (now(), ago()) fold to constants so time ranges reach the scans.
	Ctx *builtin.Context
	// Fired records the names of rules that changed the plan, in order.
	Fired []string
	// Disabled names rules Optimize does not apply (tests compare results
	// with and without a rule).
	Disabled []string
	// KeepShared keeps every column of shared subplans (materialize, fork,
	// facet). Set it when the plan is one of several optimized apart that
	// may share subplans: a subplan evaluated for one serves them all.
	KeepShared bool
}

// Rules are applied in this order.
var Rules = []Rule{
	ruleFoldTime,
	ruleScanPaths, // before push_filter: pushed conjuncts read path columns
	rulePushFilter,
	rulePushTimeRange,
	rulePushLimit,
	ruleSortLimit,
	rulePruneColumns,
}

// Optimize applies every rule to every node, bottom-up.
func Optimize(n Node, env *Env) Node {
	for _, r := range Rules {
		if slices.Contains(env.Disabled, r.Name) {
			continue
		}
		if r.Tree != nil {
			var fired bool
			if n, fired = r.Tree(n, env); fired {
				env.Fired = append(env.Fired, r.Name)
			}
			continue
		}
		n = walk(n, func(m Node) Node {
			out, fired := r.Apply(m, env)
			if fired {
				env.Fired = append(env.Fired, r.Name)
			}
			return out
		})
	}
	return n
}

// walk rebuilds n bottom-up with f applied to every node it knows how to
// descend into.
func walk(n Node, f func(Node) Node) Node {
	ins := n.Inputs()
	if len(ins) > 0 {
		out := make([]Node, len(ins))
		changed := false
		for i, in := range ins {
			out[i] = walk(in, f)
			changed = changed || out[i] != in
		}
		if changed {
			n = WithInputs(n, out)
		}
	}
	return f(n)
}

// WithInputs returns a copy of n reading from ins instead of its inputs.
// Nodes it does not know are returned unchanged.
func WithInputs(n Node, ins []Node) Node {
	switch n := n.(type) {
	case *Filter:
		c := *n
		c.In = ins[0]
		return &c
	case *Project:
		c := *n
		c.In = ins[0]
		return &c
	case *Aggregate:
		c := *n
		c.In = ins[0]
		return &c
	case *Sort:
		c := *n
		c.In = ins[0]
		return &c
	case *Limit:
		c := *n
		c.In = ins[0]
		return &c
	case *Top:
		c := *n
		c.In = ins[0]
		return &c
	case *Join:
		c := *n
		c.Left, c.Right = ins[0], ins[1]
		return &c
	case *Union:
		c := *n
		c.Ins = ins
		return &c
	case *Shared:
		// Shared nodes are evaluated once by identity: rewrite in place.
		n.In = ins[0]
		return n
	case *MvExpand:
		c := *n
		c.In = ins[0]
		return &c
	case Rebuilder:
		return n.WithInputs(ins)
	}
	return n
}

// conjuncts splits a predicate on `and`.
func conjuncts(e Expr) []Expr {
	if c, ok := e.(*Call); ok && c.Name == "__and" {
		return append(conjuncts(c.Args[0]), conjuncts(c.Args[1])...)
	}
	return []Expr{e}
}

// ReadsColumns reports whether e reads a column of its input row (a
// subquery reads its own input, not the row).
func ReadsColumns(e Expr) bool {
	set := map[int]bool{}
	columnsOf(e, set)
	return len(set) > 0
}

// columnsOf adds the column indexes e reads to set; it reports false when
// e contains something whose inputs it cannot see (a subquery).
func columnsOf(e Expr, set map[int]bool) bool {
	switch e := e.(type) {
	case *ColRef:
		set[e.Index] = true
	case *Call:
		for _, a := range e.Args {
			if !columnsOf(a, set) {
				return false
			}
		}
	case *RowSet:
		return columnsOf(e.X, set)
	case *Subquery:
		return true
	}
	return true
}

func isConst(e Expr) (types.Value, bool) {
	k, ok := e.(*Const)
	if !ok {
		return types.Value{}, false
	}
	return k.V, true
}

// evalConstCall evaluates a call whose arguments are all constants.
func evalConstCall(c *Call, ctx *builtin.Context) (types.Value, bool) {
	cols := make([]*vec.Column, len(c.Args))
	for i, a := range c.Args {
		v, ok := isConst(a)
		if !ok {
			return types.Value{}, false
		}
		cols[i] = vec.NewConst(v, 1)
	}
	out, err := c.Kernel(ctx, cols, 1)
	if err != nil {
		return types.Value{}, false
	}
	v := out.Value(0)
	v.Type = c.T
	return v, true
}

// OptimizeAll optimizes the plans of one query's result sets together,
// so that a subplan they share (fork, facet, materialize) keeps the
// columns all of them read.
func OptimizeAll(plans []Node, env *Env) []Node {
	return Optimize(&results{Ins: plans}, env).(*results).Ins
}

// results holds a query's result plans while they are optimized.
type results struct{ Ins []Node }

func (n *results) Schema() vec.Schema         { return nil }
func (n *results) Inputs() []Node             { return n.Ins }
func (n *results) WithInputs(ins []Node) Node { return &results{Ins: ins} }
