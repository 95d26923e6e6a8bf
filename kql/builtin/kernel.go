package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// RowFunc computes one result from one row's argument values.
type RowFunc func(args []types.Value) types.Value

// RowKernel lifts a per-row function to a kernel. When every argument is
// constant the function runs once and the result is constant. The result
// value is converted to ret when its type differs.
func RowKernel(ret types.Type, f RowFunc) Kernel {
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		vals := make([]types.Value, len(args))
		if allConst(args) {
			for i, a := range args {
				vals[i] = a.Value(0)
			}
			return vec.NewConst(fitValue(f(vals), ret), n), nil
		}
		b := vec.NewBuilder(ret, n)
		for r := 0; r < n; r++ {
			for i, a := range args {
				vals[i] = a.Value(r)
			}
			b.Append(fitValue(f(vals), ret))
		}
		return b.Build(), nil
	}
}

func allConst(args []*vec.Column) bool {
	for _, a := range args {
		if !a.Const {
			return false
		}
	}
	return true
}

// fitValue makes v's representation match type t.
func fitValue(v types.Value, t types.Type) types.Value {
	if v.Type == t {
		return v
	}
	if !v.Valid {
		return types.NullOf(t)
	}
	if v.Type.Storage() == t.Storage() && v.Type != types.Null {
		v.Type = t
		return v
	}
	return types.Convert(v, t)
}

// NullPropagating wraps f so that a null in any argument gives a null
// result of type ret without calling f.
func NullPropagating(ret types.Type, f RowFunc) RowFunc {
	return func(args []types.Value) types.Value {
		for _, a := range args {
			if a.IsNull() && a.Type != types.String {
				return types.NullOf(ret)
			}
		}
		return f(args)
	}
}

// Sig is one overload of a fixed-signature function: parameter types and
// the result type. A parameter of type Null accepts any type.
type Sig struct {
	Params []types.Type
	Ret    types.Type
	F      RowFunc
	// Variadic repeats the last parameter type.
	Variadic bool
	// Min is the number of required parameters when smaller than
	// len(Params) (trailing ones are optional).
	Min int
}

// Fixed builds a scalar function from overloads tried in order. Arguments
// convert implicitly along int -> long -> real -> decimal, and dynamic and
// untyped null convert to anything; arguments are converted before f runs.
// Nulls propagate unless keepNulls.
func Fixed(name string, keepNulls bool, sigs ...Sig) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		for _, s := range sigs {
			if !s.accepts(args) {
				continue
			}
			conv := make([]types.Type, len(args))
			for i := range args {
				conv[i] = s.param(i)
			}
			f := s.F
			if !keepNulls {
				f = NullPropagating(s.Ret, f)
			}
			g := func(vals []types.Value) types.Value {
				for i, t := range conv {
					if t != types.Null && vals[i].Type != t {
						vals[i] = types.Convert(vals[i], t)
					}
				}
				return f(vals)
			}
			return s.Ret, RowKernel(s.Ret, g), nil
		}
		return 0, nil, ArgError(name, "no overload takes (%s)", typeList(args))
	}}
}

func (s Sig) param(i int) types.Type {
	if i >= len(s.Params) {
		return s.Params[len(s.Params)-1]
	}
	return s.Params[i]
}

func (s Sig) accepts(args []Arg) bool {
	min := len(s.Params)
	if s.Min > 0 || s.Variadic {
		min = s.Min
	}
	if len(args) < min || len(args) > len(s.Params) && !s.Variadic {
		return false
	}
	for i, a := range args {
		if !Converts(a.Type, s.param(i)) {
			return false
		}
	}
	return true
}

// Converts reports whether a value of type from may be passed where to is
// expected.
func Converts(from, to types.Type) bool {
	if to == types.Null || from == to || from == types.Null || from == types.Dynamic {
		return true
	}
	switch to {
	case types.Long:
		return from == types.Int || from == types.Bool
	case types.Real:
		return from.IsNumeric()
	case types.Decimal:
		return from.IsNumeric()
	case types.Int:
		return from == types.Long
	case types.Dynamic:
		return true
	}
	return false
}
