package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// __index is member and element access on dynamic values: d.name,
// d["name"], d[0], d[-1]. A missing property or index gives null.
func init() {
	RegisterScalar(&Scalar{Name: "__index", Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 {
			return 0, nil, ArgError("[]", "expects a value and an index")
		}
		if t := args[0].Type; t != types.Dynamic && t != types.Null {
			return 0, nil, ArgError("[]", "member access needs a dynamic value, got %s", t)
		}
		return types.Dynamic, indexKernel, nil
	}})
}

var indexRows = RowKernel(types.Dynamic, func(v []types.Value) types.Value {
	if v[0].IsNull() {
		return types.NullOf(types.Dynamic)
	}
	return types.NewDynamic(Index(v[0].D, unwrap(v[1])))
})

// indexKernel is __index; a dynamic column indexed by a constant, as in
// d.name, is read in one loop over its values.
func indexKernel(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
	d, k := args[0], args[1]
	if d.Const || !k.Const || d.Type != types.Dynamic {
		return indexRows(ctx, args, n)
	}
	key := unwrap(k.Value(0))
	b := vec.NewBuilder(types.Dynamic, n)
	for r := range n {
		var x any
		if !d.IsNull(r) {
			x = Index(d.Any(r), key)
		}
		if x == nil {
			b.AppendNull()
		} else {
			b.AppendAny(x)
		}
	}
	return b.Build(), nil
}

// Index returns d[key] for a bag and a string key, or d[i] for an array
// and an integer index (negative counts from the end); nil otherwise.
func Index(d any, key types.Value) any {
	switch x := d.(type) {
	case *types.Bag:
		if key.Type == types.String {
			v, _ := x.Get(key.S)
			return v
		}
	case []any:
		if key.Type.IsInteger() || key.Type == types.Real {
			i := toInt(key)
			if i < 0 {
				i += int64(len(x))
			}
			if i >= 0 && i < int64(len(x)) {
				return x[i]
			}
		}
	}
	return nil
}
