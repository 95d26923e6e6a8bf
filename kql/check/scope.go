package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
)

// binding is what a let name stands for: a scalar expression, a tabular
// plan, or a function (bound at each call, with the scope it was defined in).
type binding struct {
	scalar  plan.Expr
	table   plan.Node
	fn      *syntax.FuncLit
	fnScope *scope
	// rowArg is the argument a function parameter was bound to when its
	// value reads the caller's row (a column); nil otherwise.
	rowArg syntax.Expr
	// rowFrame is the frame rowArg's text belongs to (see frame).
	rowFrame *frame
	// stored is set for a stored function (see FunctionCatalog).
	stored *StoredFunction
}

// scope maps let names to bindings; inner scopes shadow outer ones.
type scope struct {
	parent *scope
	names  map[string]*binding
	// subquery marks the scope of a tabular expression evaluated as a
	// scalar: it runs once, so it cannot see a row of its caller.
	subquery bool
	// stored, set on a root scope, finds the stored functions names not
	// bound in the scope chain resolve to; nil when there are none.
	stored func(name string) *binding
}

func newScope(parent *scope) *scope {
	return &scope{parent: parent, names: map[string]*binding{}}
}

func (s *scope) set(name string, b *binding) { s.names[name] = b }

func (s *scope) lookup(name string) *binding {
	b, _ := s.lookupFrom(name)
	return b
}

// lookupFrom is lookup that also reports whether the binding was found
// outside a subquery scope that name is used in.
func (s *scope) lookupFrom(name string) (b *binding, outsideSubquery bool) {
	for ; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b, outsideSubquery
		}
		outsideSubquery = outsideSubquery || s.subquery
		if s.parent == nil && s.stored != nil {
			if b := s.stored(name); b != nil {
				return b, outsideSubquery
			}
		}
	}
	return nil, false
}

func (c *checker) let(sc *scope, st *syntax.LetStmt) {
	name := st.Name.Name
	switch v := st.Value.(type) {
	case *syntax.FuncLit:
		sc.set(name, &binding{fn: v, fnScope: sc})
		return
	}
	if c.isTabular(sc, st.Value) {
		sc.set(name, &binding{table: c.tabular(sc, st.Value)})
		return
	}
	sc.set(name, &binding{scalar: c.scalar(sc, nil, st.Value)})
}
