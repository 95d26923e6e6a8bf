package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
)

// externaldata and inline_external_table read files from storage
// accounts, which a workspace query cannot reach.
func init() {
	external := func(c *checker, _ *scope, _ plan.Node, op syntax.Operator) plan.Node {
		c.errorf(op, "%s is not supported here: idlogs cannot read external storage from a query", op.Name())
		return nil
	}
	registerOperator((*syntax.Externaldata)(nil), external)
	registerOperator((*syntax.InlineExternalTable)(nil), external)
}
