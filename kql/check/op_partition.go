package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/vec"
)

// partition runs a subquery per distinct value of a column. The
// `(Ops)` form applies Ops to each partition's rows; the legacy
// `{ Query }` form runs a query with its own source, where the key column's
// name stands for the partition's value. The strategies only tune Kusto's
// execution, except that the legacy strategy (explicit, or implied by the
// `{ Query }` form) allows at most 64 partitions.
func init() {
	registerOperator((*syntax.Partition)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.partition(sc, in, op.(*syntax.Partition))
	})
}

// legacyPartitions is the most partitions the legacy strategy allows.
const legacyPartitions = 64

func (c *checker) partition(sc *scope, in plan.Node, o *syntax.Partition) plan.Node {
	if in == nil {
		c.errorf(o, "partition needs a tabular input: T | partition by Column (...)")
	}
	strategy, at := paramString(o.Params, "hint.strategy")
	switch strategy {
	case "", "legacy", "native", "shuffle":
	default:
		c.errorf(at, "hint.strategy must be legacy, native or shuffle")
	}
	sch := in.Schema()
	key := c.columnArg(sch, o.By, "partition's by")
	n := &plan.Partition{In: in, Key: key, Input: &plan.PartitionInput{Sch: sch}}
	psc := newScope(sc)
	if strategy == "legacy" {
		n.Limit = legacyPartitions
	}
	if o.Ops != nil {
		n.Sub = c.chain(psc, n.Input, o.Ops)
		return n
	}
	if strategy == "native" || strategy == "shuffle" {
		c.errorf(at, "partition with a { subquery } needs the legacy strategy")
	}
	n.Limit = legacyPartitions
	keyRows := &plan.Project{In: n.Input, Exprs: []plan.Expr{&plan.ColRef{Index: key, Name: sch[key].Name, T: sch[key].Type}},
		Sch: vec.Schema{sch[key]}}
	psc.set(sch[key].Name, &binding{scalar: &plan.Subquery{Plan: &plan.Limit{In: keyRows, N: 1}, T: sch[key].Type}})
	n.Sub = c.tabular(psc, o.Body)
	return n
}
