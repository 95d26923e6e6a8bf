package check

import (
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// evaluate dispatches on the plugin's name to a binder registered by a
// plugin_*.go file.
//
// Data-dependent schemas. The output columns of bag_unpack and pivot
// depend on the values of their input unless the query declares them
// (`evaluate bag_unpack(d) : (*, Name:string)`). Kusto resolves them by
// running the plugin's input first ("specifying the expected schema ...
// [avoids] having to first run the actual query to explore the schema");
// so does this checker. Options.Materialize runs the input plan; the
// checker derives the columns from the rows and replaces the input by a
// plan.Precomputed node holding those rows, so the executor works on
// exactly the rows the schema came from (inputs are never run twice, and
// nondeterministic inputs cannot disagree with their schema). From there
// on every operator is bound against a static schema as usual, so
// `evaluate bag_unpack(x) | project Name, Age` type-checks like any query.
// Without Materialize (checking a query without data) such plugins need a
// declared output schema.
func init() {
	registerOperator((*syntax.Evaluate)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.evaluate(sc, in, op.(*syntax.Evaluate))
	})
}

// pluginBinder binds one plugin call; in is nil when evaluate starts the
// pipeline.
type pluginBinder func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node

var plugins = map[string]pluginBinder{}

// registerPlugin registers the binder of the plugin named name.
func registerPlugin(name string, bind pluginBinder) { plugins[name] = bind }

// multiPlugins bind plugins that return several tables when they end a
// query statement (see multiResult).
var multiPlugins = map[string]func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) []*Result{}

func registerMultiPlugin(name string, bind func(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) []*Result) {
	multiPlugins[name] = bind
}

// externalPlugins reach services outside the workspace: a cluster's
// sandboxes, databases, HTTP endpoints, AI models.
var externalPlugins = map[string]bool{
	"python": true, "r": true, "sql_request": true, "http_request": true, "http_request_post": true,
	"cosmosdb_sql_request": true, "mysql_request": true, "postgresql_request": true,
	"azure_digital_twins_query_request": true, "ai_chat_completion": true, "ai_chat_completion_prompt": true,
	"ai_embeddings": true, "ai_embed_text": true, "infer_storage_schema": true,
	"infer_storage_schema_with_suggestions": true, "csharp": true, "execute_query": true,
	"execute_show_command": true, "external_datatable": true,
}

// laterPlugins are Kusto plugins this engine does not implement yet.
var laterPlugins = map[string]bool{
	"autocluster": true, "diffpatterns": true, "diffpatterns_text": true, "preview": true,
	"activity_engagement": true, "activity_metrics": true, "new_activity_metrics": true,
	"session_count": true, "geo_line_lookup": true, "geo_polygon_lookup": true, "ipv6_lookup": true,
	"ipv4_lookup_json": true,
}

func (c *checker) evaluate(sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	name := funcName(o.Call)
	if bind, ok := plugins[name]; ok {
		return bind(c, sc, in, o)
	}
	switch {
	case externalPlugins[name] || strings.HasPrefix(name, "ai_"):
		c.errorf(o.Call, "the %s plugin is not supported here", name)
	case laterPlugins[name]:
		c.errorf(o.Call, "the %s plugin is not supported yet", name)
	}
	c.errorf(o.Call, "unknown plugin '%s'", name)
	return nil
}

// pluginArgs are a plugin call's arguments: positional ones in order and
// `name = value` ones by name.
type pluginArgs struct {
	call  *syntax.Call
	pos   []syntax.Expr
	named map[string]*syntax.NamedArg
}

func splitArgs(call *syntax.Call) *pluginArgs {
	a := &pluginArgs{call: call, named: map[string]*syntax.NamedArg{}}
	for _, x := range call.Args {
		if na, ok := x.(*syntax.NamedArg); ok {
			a.named[na.Name.Name] = na
			continue
		}
		a.pos = append(a.pos, x)
	}
	return a
}

// get returns the argument given by name, or else the i-th positional
// one, or nil.
func (a *pluginArgs) get(i int, name string) syntax.Expr {
	if na, ok := a.named[name]; ok && name != "" {
		return na.Value
	}
	if i >= 0 && i < len(a.pos) {
		return a.pos[i]
	}
	return nil
}

// needInput reports an error when a plugin that transforms its input
// starts a pipeline.
func (c *checker) needInput(o *syntax.Evaluate, in plan.Node) {
	if in == nil {
		c.errorf(o, "the %s plugin needs a tabular input: T | evaluate %s(...)", funcName(o.Call), funcName(o.Call))
	}
}

// argCount checks the number of positional arguments.
func (c *checker) argCount(a *pluginArgs, min, max int) {
	name := funcName(a.call)
	if len(a.pos) < min || max >= 0 && len(a.pos) > max {
		switch {
		case min == max:
			c.errorf(a.call, "%s() expects %d arguments", name, min)
		case max < 0:
			c.errorf(a.call, "%s() expects at least %d arguments", name, min)
		}
		c.errorf(a.call, "%s() expects %d to %d arguments", name, min, max)
	}
}

// columnArg binds an argument that must name a column of sch.
func (c *checker) columnArg(sch vec.Schema, x syntax.Expr, what string) int {
	id, ok := x.(*syntax.Ident)
	if !ok {
		c.errorf(x, "%s must be a column name", what)
	}
	i := sch.Index(id.Name)
	if i < 0 {
		c.errorf(x, "unknown column '%s'", id.Name)
	}
	return i
}

// constArg binds a constant argument and converts it to t; a nil x gives
// def.
func (c *checker) constArg(sc *scope, x syntax.Expr, t types.Type, def types.Value, what string) types.Value {
	if x == nil {
		return def
	}
	v := c.constant(sc, x)
	cv := types.Convert(v, t)
	if cv.IsNull() && !v.IsNull() {
		c.errorf(x, "%s must be a %s", what, t)
	}
	return cv
}

// materialize runs in while checking (see evaluate) and returns the rows
// as a Precomputed node.
func (c *checker) materialize(o *syntax.Evaluate, in plan.Node) *plan.Precomputed {
	name := funcName(o.Call)
	if c.opts.Materialize == nil {
		c.errorf(o, "the output columns of %s depend on the data; declare them: evaluate %s(...) : (Column:type, ...)", name, name)
	}
	if usesPartitionInput(in) {
		c.errorf(o, "the output columns of %s depend on each partition's data; declare them: evaluate %s(...) : (Column:type, ...)", name, name)
	}
	b, err := c.opts.Materialize(in)
	if err != nil {
		c.errorf(o, "%s: running the input to find the output columns: %v", name, err)
	}
	return &plan.Precomputed{Sch: in.Schema(), Rows: b}
}

// usesPartitionInput reports whether a plan reads the rows of an
// enclosing partition operator, which exist only while it runs.
func usesPartitionInput(n plan.Node) bool {
	if _, ok := n.(*plan.PartitionInput); ok {
		return true
	}
	for _, in := range n.Inputs() {
		if usesPartitionInput(in) {
			return true
		}
	}
	return false
}

// declaredColumn is one column of an output schema.
type declaredColumn struct {
	at   syntax.Node
	name string
	t    types.Type
}

// declaredSchema reads a plugin's output schema `(*, Name:type, ...)`:
// whether it starts with `*` and the declared columns.
func (c *checker) declaredSchema(t *syntax.TypeRef) (star bool, cols []declaredColumn) {
	for i, d := range t.Columns {
		if d.Name.Name == "*" {
			if i != 0 {
				c.errorf(d, "'*' must come first in an output schema")
			}
			star = true
			continue
		}
		ty, ok := types.Lookup(typeRefName(d.Type))
		if !ok {
			c.errorf(d, "unknown type for column %s", d.Name.Name)
		}
		cols = append(cols, declaredColumn{at: d, name: d.Name.Name, t: ty})
	}
	return star, cols
}

// scalarArg binds a row-independent argument of type t (implicit
// conversions allowed); it may be volatile, as ago(1d) is.
func (c *checker) scalarArg(sc *scope, x syntax.Expr, t types.Type, what string) plan.Expr {
	e := c.scalar(sc, nil, x)
	switch from := e.Type(); {
	case from == t:
		return e
	case !builtin.Converts(from, t) && !(from.IsNumeric() && t.IsNumeric()):
		c.errorf(x, "%s must be a %s, not %s", what, t, from)
	}
	if k, ok := e.(*plan.Const); ok {
		return &plan.Const{V: types.Convert(k.V, t)}
	}
	return convertValues(e, t)
}

// columnOfType binds a column argument that must have type t.
func (c *checker) columnOfType(sch vec.Schema, x syntax.Expr, t types.Type, what string) int {
	i := c.columnArg(sch, x, what)
	if sch[i].Type != t {
		c.errorf(x, "%s must be a %s column, not %s", what, t, sch[i].Type)
	}
	return i
}

// columnsArgs binds trailing column-name arguments (dimensions).
func (c *checker) columnsArgs(sch vec.Schema, xs []syntax.Expr, what string) []int {
	var out []int
	for _, x := range xs {
		out = append(out, c.columnArg(sch, x, what))
	}
	return out
}
