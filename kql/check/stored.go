package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/syntax"
)

// FunctionCatalog is implemented by a Catalog that also holds stored
// functions, such as a Log Analytics workspace's functions (saved searches
// with a function alias). The checker asks it about a name that is not a
// let binding, a table of the catalog or a built-in function, and binds
// the function as if `let name = (params) { body };` opened the query,
// except that the body sees only tables and other stored functions, not
// the query's lets.
//
// Function returns the parameter list in KQL syntax ("a:int=1, b:string";
// "" for none) and the body (statements ending in an expression, as
// between the braces of a let function). Names are case-sensitive. It is
// called by the goroutine running Check, at most once per name and check.
type FunctionCatalog interface {
	Function(name string) (params, body string, ok bool)
}

// StoredFunction is a parsed stored function.
type StoredFunction struct {
	Name   string
	Params string
	Body   string
	// Lit is the function as a let statement would define it.
	Lit *syntax.FuncLit

	err              error // why it does not parse; Lit is empty then
	paramsAt, bodyAt int   // where Params and Body start in the parsed text
}

// FunctionError is a syntax error in a stored function: its part
// ("parameters" or "body") and the position in that part.
type FunctionError struct {
	Part string
	Pos  syntax.Position
	Msg  string
}

func (e *FunctionError) Error() string {
	return fmt.Sprintf("%s %s: %s", e.Part, e.Pos, e.Msg)
}

// ParseFunction parses stored function name from its parameter list and
// body. A syntax error is a *FunctionError.
func ParseFunction(name, params, body string) (*StoredFunction, error) {
	const open = "let f = ("
	const mid = "\n) {"
	f := &StoredFunction{Name: name, Params: params, Body: body, paramsAt: len(open), bodyAt: len(open) + len(params) + len(mid)}
	// The newlines end a trailing line comment before the closing
	// bracket or brace.
	src := open + params + mid + body + "\n};"
	script, err := syntax.Parse(src)
	var el syntax.ErrorList
	if errors.As(err, &el) && len(el) > 0 {
		return nil, f.errorAt(el[0].Pos.Offset, el[0].Msg)
	}
	if err != nil {
		return nil, err
	}
	if len(script.Stmts) != 1 {
		return nil, f.errorAt(f.bodyAt, "the parameters and body must make one function: a bracket or brace does not match")
	}
	let, ok := script.Stmts[0].(*syntax.LetStmt)
	lit, isFn := (*syntax.FuncLit)(nil), false
	if ok {
		lit, isFn = let.Value.(*syntax.FuncLit)
	}
	if !isFn {
		return nil, f.errorAt(f.bodyAt, "the parameters and body must make one function: a bracket or brace does not match")
	}
	if len(lit.Body) == 0 {
		return nil, f.errorAt(f.bodyAt, "the body is empty")
	}
	if _, ok := lit.Body[len(lit.Body)-1].(*syntax.ExprStmt); !ok {
		return nil, f.errorAt(lit.Body[len(lit.Body)-1].Range().Start, "the body must end with an expression")
	}
	f.Lit = lit
	return f, nil
}

// errorAt returns a FunctionError for offset off of the parsed text.
func (f *StoredFunction) errorAt(off int, msg string) *FunctionError {
	part, pos := f.where(off)
	return &FunctionError{Part: part, Pos: pos, Msg: msg}
}

// where maps offset off of the parsed text to the part of the function it
// falls in and the position there.
func (f *StoredFunction) where(off int) (string, syntax.Position) {
	if off < f.bodyAt {
		off = min(max(off-f.paramsAt, 0), len(f.Params))
		return "parameters", syntax.PositionOf(f.Params, off)
	}
	off = min(off-f.bodyAt, len(f.Body))
	return "body", syntax.PositionOf(f.Body, off)
}

// frame is a stored function being bound: node offsets are in its text
// while it is c.frame.
type frame struct {
	fn     *StoredFunction
	at     syntax.Node // the call, in the parent's text (the query's when parent is nil)
	parent *frame
}

// locate turns node n's span into the error's position and message: inside
// stored functions the error is placed at the outermost call and the
// message names each function and the position in its text.
func (c *checker) locate(n syntax.Node, msg string) *syntax.Error {
	span := spanOf(n)
	for f := c.frame; f != nil; f = f.parent {
		part, pos := f.fn.where(span.Start)
		msg = fmt.Sprintf("in stored function '%s' (%s %s): %s", f.fn.Name, part, pos, msg)
		span = spanOf(f.at)
	}
	return &syntax.Error{Pos: syntax.PositionOf(c.src, span.Start), Span: span, Msg: msg}
}

// storedBinding returns the binding of stored function name, or nil when
// the catalog has none or name is a table or built-in function.
func (c *checker) storedBinding(name string) *binding {
	if b, ok := c.stored[name]; ok {
		return b
	}
	var b *binding
	if fc, ok := c.opts.Catalog.(FunctionCatalog); ok {
		if params, body, ok := fc.Function(name); ok && !c.isBuiltinName(name) {
			b = c.bindStored(name, params, body)
		}
	}
	if c.stored == nil {
		c.stored = map[string]*binding{}
	}
	c.stored[name] = b
	return b
}

func (c *checker) bindStored(name, params, body string) *binding {
	f, err := ParseFunction(name, params, body)
	if err != nil {
		// Reported where the function is used (see enterStored).
		return &binding{fn: &syntax.FuncLit{}, fnScope: c.storedScope(), stored: &StoredFunction{Name: name, err: err}}
	}
	return &binding{fn: f.Lit, fnScope: c.storedScope(), stored: f}
}

// storedScope is the scope stored functions are defined in: no lets, only
// the stored functions.
func (c *checker) storedScope() *scope {
	if c.storedRoot == nil {
		c.storedRoot = newScope(nil)
		c.storedRoot.stored = c.storedBinding
	}
	return c.storedRoot
}

// specialNames are the functions the checker binds itself.
var specialNames = map[string]bool{
	"toscalar": true, "column_names_of": true, "bin_auto": true, "bag_pack_columns": true, "pack_all": true,
	"column_ifexists": true, "materialize": true, "table": true, "view": true, "database": true,
	"cluster": true, "workspace": true, "true": true, "false": true,
}

// isBuiltinName reports whether name is a table or a built-in function,
// which a stored function of the same name does not hide.
func (c *checker) isBuiltinName(name string) bool {
	if specialNames[name] || strings.HasPrefix(name, "__") {
		return true
	}
	if _, ok := builtin.LookupScalar(name); ok {
		return true
	}
	if _, ok := builtin.LookupAggregate(name); ok {
		return true
	}
	_, ok := c.opts.Catalog.Table(name)
	return ok
}

// enterStored makes a call of stored function b at node at the current
// frame and returns the caller's frame, which the caller restores when the
// call is bound. For other functions it changes nothing.
func (c *checker) enterStored(at syntax.Node, b *binding) *frame {
	caller := c.frame
	if b.stored == nil {
		return caller
	}
	if b.stored.err != nil {
		c.errorf(at, "the stored function '%s' does not parse: %v", b.stored.Name, b.stored.err)
	}
	for f := caller; f != nil; f = f.parent {
		if f.fn == b.stored {
			c.errorf(at, "the stored function '%s' calls itself; recursive functions are not supported", b.stored.Name)
		}
	}
	c.frame = &frame{fn: b.stored, at: at, parent: caller}
	return caller
}
