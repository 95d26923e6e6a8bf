// Package check binds a parsed KQL script against a catalog of tables and
// the built-in functions, infers every expression's type, names output
// columns the way Kusto does, and produces a typed plan.
package check

import (
	"fmt"
	"runtime/debug"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Catalog resolves table names. Kusto table names are case-sensitive.
type Catalog interface {
	Table(name string) (plan.Table, bool)
}

// WorkspaceCatalog is a Catalog that also resolves other Log Analytics
// workspaces, for workspace("name-or-id").Table. Workspace returns the
// catalog of the workspace ident names (its name, customer id or resource
// id), or false when there is none the caller may see.
type WorkspaceCatalog interface {
	Catalog
	Workspace(ident string) (Catalog, bool)
}

// Options configure a check.
type Options struct {
	Catalog Catalog
	// Params are values for `declare query_parameters` names.
	Params map[string]types.Value
	// Materialize, when set, runs a plan and returns all its rows. The
	// checker calls it for plugins whose output columns depend on the data
	// (bag_unpack and pivot without an output schema); without it such
	// plugins need an output schema. See plan.Precomputed.
	Materialize func(plan.Node) (*vec.Batch, error)
}

// Query is a checked script: one Result per tabular expression statement,
// or several for a statement ending in fork or facet.
type Query struct {
	Results []*Result
	// Sets holds `set` request properties.
	Sets map[string]types.Value
}

// Result is one result set.
type Result struct {
	Plan   plan.Node
	Render *Render
	// Name is the result's table name when the query gives one (a named
	// fork branch or an `as` at the end of it); empty otherwise.
	Name string
}

// Render is the visualization requested by a trailing render operator.
type Render struct {
	Visualization string
	Properties    map[string]string
}

// checker holds the state of one Check call.
type checker struct {
	src    string
	opts   Options
	errs   syntax.ErrorList
	shared int
	depth  int
	sets   map[string]types.Value // the query's set statements so far
	// unknownTable is set when the last error is a table name that does
	// not resolve (see fuzzyLeg).
	unknownTable bool
	// frame is the stored function being bound, nil in the query's own
	// text; stored caches stored function bindings by name (nil: none);
	// storedRoot is the scope stored functions are defined in.
	frame      *frame
	stored     map[string]*binding
	storedRoot *scope
}

// bailout unwinds to the statement after an error.
type bailout struct{}

// Check binds script, which was parsed from src, and returns the plan.
// On error it returns a syntax.ErrorList with line:col positions.
func Check(src string, script *syntax.Script, opts Options) (q *Query, err error) {
	c := &checker{src: src, opts: opts}
	q = &Query{Sets: map[string]types.Value{}}
	c.sets = q.Sets
	sc := newScope(nil)
	if _, ok := opts.Catalog.(FunctionCatalog); ok {
		sc.stored = c.storedBinding
	}
	for _, st := range script.Stmts {
		c.stmt(q, sc, st)
		if len(c.errs) > 0 {
			break
		}
	}
	return q, c.errs.Err()
}

func (c *checker) stmt(q *Query, sc *scope, st syntax.Stmt) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); ok {
				return
			}
			c.errs = append(c.errs, &syntax.Error{Pos: syntax.PositionOf(c.src, st.Range().Start),
				Msg: fmt.Sprintf("internal error: %v\n%s", r, debug.Stack())})
		}
	}()
	switch st := st.(type) {
	case *syntax.LetStmt:
		c.let(sc, st)
	case *syntax.ExprStmt:
		res := &Result{}
		x := st.X
		// A trailing render becomes result metadata.
		if p, ok := x.(*syntax.Pipe); ok {
			if r, ok := p.Op.(*syntax.Render); ok {
				res.Render = c.render(r)
				x = p.Source
			}
		}
		if multi := c.multiResult(sc, x); multi != nil {
			for _, r := range multi {
				r.Render = res.Render
				q.Results = append(q.Results, r)
			}
			return
		}
		res.Plan = c.tabular(sc, x)
		q.Results = append(q.Results, res)
	case *syntax.SetStmt:
		v := types.NewBool(true)
		if st.Value != nil {
			v = c.constant(sc, st.Value)
		}
		q.Sets[st.Name] = v
	case *syntax.DeclareParamsStmt:
		c.declareParams(sc, st)
	default:
		c.errorf(st, "%T statements are not supported here", st)
	}
}

// errorf records an error at node n and unwinds to the statement.
func (c *checker) errorf(n syntax.Node, format string, args ...any) {
	c.errs = append(c.errs, c.locate(n, fmt.Sprintf(format, args...)))
	panic(bailout{})
}

func spanOf(n syntax.Node) syntax.Span {
	if n == nil {
		return syntax.Span{}
	}
	return n.Range()
}

func (c *checker) enter(n syntax.Node) {
	c.depth++
	if c.depth > 200 {
		c.errorf(n, "query is nested too deeply")
	}
}

func (c *checker) leave() { c.depth-- }

func (c *checker) declareParams(sc *scope, st *syntax.DeclareParamsStmt) {
	for _, p := range st.Params {
		t, ok := types.Lookup(p.Type.Scalar)
		if p.Type.Tabular || !ok {
			c.errorf(p, "query parameter %s must have a scalar type", p.Name.Name)
		}
		v, given := c.opts.Params[p.Name.Name]
		switch {
		case given:
			v = types.Convert(v, t)
		case p.Default != nil:
			v = types.Convert(c.constant(sc, p.Default), t)
		default:
			v = types.NullOf(t)
		}
		sc.set(p.Name.Name, &binding{scalar: &plan.Const{V: v}})
	}
}

// constant binds an expression that must not depend on any row.
func (c *checker) constant(sc *scope, x syntax.Expr) types.Value {
	e := c.scalar(sc, nil, x)
	k, ok := e.(*plan.Const)
	if !ok {
		c.errorf(x, "expected a constant value")
	}
	return k.V
}
