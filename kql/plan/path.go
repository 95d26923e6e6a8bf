package plan

import (
	"fmt"
	"strings"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// PathColumn asks a table for a sub-value of a dynamic column as a column
// of its own: the value of `c.a.b` (As == types.Dynamic) or of a
// conversion of it, `tostring(c.a.b)` (As == types.String), `toint`,
// `tolong`, `toreal` and `tobool` (As Int, Long, Real, Bool).
type PathColumn struct {
	// Column is the index of the dynamic column in the table schema.
	Column int
	// Path is the sequence of property names, outermost first; never empty.
	Path []string
	// As is the type of the column: types.Dynamic for the value itself,
	// or the target type of the conversion applied to it.
	As types.Type
}

// pathConversions names the builtin that converts a dynamic path value to
// each type a PathColumn may have, and pathTypes the reverse (aliases
// included).
var (
	pathConversions = map[types.Type]string{
		types.String: "tostring", types.Int: "toint", types.Long: "tolong",
		types.Real: "toreal", types.Bool: "tobool",
	}
	pathTypes = map[string]types.Type{
		"tostring": types.String, "toint": types.Int, "tolong": types.Long,
		"toreal": types.Real, "todouble": types.Real, "tobool": types.Bool, "toboolean": types.Bool,
	}
)

// String prints p as the expression it stands for over column #Column.
func (p PathColumn) String() string {
	s := fmt.Sprintf("#%d.%s", p.Column, strings.Join(p.Path, "."))
	if p.As == types.Dynamic {
		return s
	}
	return pathConversions[p.As] + "(" + s + ")"
}

// equal reports whether p and q ask for the same column.
func (p PathColumn) equal(q PathColumn) bool {
	if p.Column != q.Column || p.As != q.As || len(p.Path) != len(q.Path) {
		return false
	}
	for i := range p.Path {
		if p.Path[i] != q.Path[i] {
			return false
		}
	}
	return true
}

// ExtractPath computes the column p asks for from c, the values of the
// dynamic column p.Column, by evaluating the registered builtins (__index
// per property, then the conversion) exactly as a query would: a missing
// property or a value that is not a bag gives a null dynamic, tostring of
// which is "". Tables use it for data where the path is not stored as a
// column of its own.
func ExtractPath(c *vec.Column, p PathColumn) (*vec.Column, error) {
	if len(p.Path) == 0 {
		return nil, fmt.Errorf("path column %s has an empty path", p)
	}
	ctx := &builtin.Context{}
	n := c.N
	cur := c
	for _, name := range p.Path {
		key := types.NewString(name)
		out, err := bindPathFn("__index", []builtin.Arg{{Type: cur.Type}, {Type: types.String, Const: &key}})
		if err != nil {
			return nil, err
		}
		if cur, err = out(ctx, []*vec.Column{cur, vec.NewConst(key, n)}, n); err != nil {
			return nil, err
		}
	}
	if p.As == types.Dynamic {
		return cur, nil
	}
	name, ok := pathConversions[p.As]
	if !ok {
		return nil, fmt.Errorf("path column %s: no conversion of dynamic to %s", p, p.As)
	}
	conv, err := bindPathFn(name, []builtin.Arg{{Type: types.Dynamic}})
	if err != nil {
		return nil, err
	}
	out, err := conv(ctx, []*vec.Column{cur}, n)
	if err != nil {
		return nil, err
	}
	if out.Type != p.As && out.Type.Storage() == p.As.Storage() {
		cp := *out
		cp.Type = p.As
		out = &cp
	}
	return out, nil
}

// bindPathFn binds the registered scalar name to args.
func bindPathFn(name string, args []builtin.Arg) (builtin.Kernel, error) {
	fn, ok := builtin.LookupScalar(name)
	if !ok {
		return nil, fmt.Errorf("path extraction: function %s is not registered", name)
	}
	_, k, err := fn.Bind(args)
	if err != nil {
		return nil, fmt.Errorf("path extraction: %s: %v", name, err)
	}
	return k, nil
}

// ExtractPaths appends to cols one column per path of req, computed with
// ExtractPath from the table's columns: table(i) returns the table
// column i of the batch. It is the fallback of tables that store no
// path as a column of its own.
func ExtractPaths(cols []*vec.Column, req *ScanRequest, table func(i int) *vec.Column) ([]*vec.Column, error) {
	for _, p := range req.Paths {
		c, err := ExtractPath(table(p.Column), p)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, nil
}
