package conformance

import (
	"github.com/idlogs/idlogs/kql/syntax"
)

// sortKeyNames returns the names of the sort keys that order the result of
// the last statement of query: the keys of its last sort, order or top when
// only operators that keep order and columns follow it, and every key is a
// plain column name. It returns nil when the keys are not known.
func sortKeyNames(query string) []string {
	script, err := syntax.Parse(query)
	if err != nil {
		return nil
	}
	var last syntax.Expr
	for _, st := range script.Stmts {
		if es, ok := st.(*syntax.ExprStmt); ok {
			last = es.X
		}
	}
	for {
		p, ok := last.(*syntax.Pipe)
		if !ok {
			return nil
		}
		switch op := p.Op.(type) {
		case *syntax.Sort:
			return keyNames(op.Keys)
		case *syntax.Top:
			return keyNames(op.Keys)
		case *syntax.Where, *syntax.Take, *syntax.Extend, *syntax.Render,
			*syntax.Project, *syntax.ProjectAway, *syntax.ProjectKeep, *syntax.ProjectReorder:
			last = p.Source
		default:
			return nil
		}
	}
}

func keyNames(keys []*syntax.SortKey) []string {
	names := make([]string, len(keys))
	for i, k := range keys {
		id, ok := k.X.(*syntax.Ident)
		if !ok {
			return nil
		}
		names[i] = id.Name
	}
	return names
}
