package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
)

// project-by-names Names, ... keeps the columns named by constant strings,
// dynamic arrays of strings or column_names_of(T), in the order named.
// Names may use '*' wildcards; names of columns the input lacks are
// ignored, and a column is kept once.
func init() {
	registerOperator((*syntax.ProjectByNames)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		o := op.(*syntax.ProjectByNames)
		if in == nil {
			c.errorf(o, "project-by-names needs an input table")
		}
		var idx []int
		seen := map[int]bool{}
		for _, x := range o.Cols {
			for _, name := range c.columnNameList(sc, x) {
				for i, f := range in.Schema() {
					if !seen[i] && matchPattern(name, f.Name) {
						seen[i] = true
						idx = append(idx, i)
					}
				}
			}
		}
		return selectColumns(in, idx, nil)
	})
}

// columnNameList evaluates one argument of project-by-names to names.
func (c *checker) columnNameList(sc *scope, x syntax.Expr) []string {
	v := c.constant(sc, x)
	switch {
	case v.Type == types.String:
		return []string{v.S}
	case v.Type == types.Dynamic:
		if a, ok := v.D.([]any); ok {
			var names []string
			for _, e := range a {
				if s, ok := e.(string); ok {
					names = append(names, s)
				}
			}
			return names
		}
	}
	c.errorf(x, "project-by-names expects column names as strings or a dynamic array of strings")
	return nil
}
