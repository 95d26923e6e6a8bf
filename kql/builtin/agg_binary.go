package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// binary_all_and, binary_all_or and binary_all_xor fold a group's
// integers bitwise. The column takes the argument's name; groups without
// values give null.
func init() {
	RegisterAggregate(
		&Aggregate{Name: "binary_all_and", ColumnName: firstArgName, Bind: bindBinaryAll("binary_all_and", func(a, b int64) int64 { return a & b })},
		&Aggregate{Name: "binary_all_or", ColumnName: firstArgName, Bind: bindBinaryAll("binary_all_or", func(a, b int64) int64 { return a | b })},
		&Aggregate{Name: "binary_all_xor", ColumnName: firstArgName, Bind: bindBinaryAll("binary_all_xor", func(a, b int64) int64 { return a ^ b })},
	)
}

type binaryAllState struct {
	t    types.Type
	op   func(a, b int64) int64
	acc  []int64
	seen []bool
}

func (s *binaryAllState) Add(g int, args []*vec.Column, r int) {
	if g >= len(s.acc) {
		s.acc, s.seen = grow(s.acc, g), grow(s.seen, g)
	}
	if r < 0 || args[0].IsNull(r) {
		return
	}
	c := args[0]
	var x int64
	if c.Type.Storage() == types.StoreInt {
		x = c.Int(r)
	} else {
		v := types.Convert(c.Value(r), types.Long)
		if !v.Valid {
			return
		}
		x = v.I
	}
	if !s.seen[g] {
		s.acc[g], s.seen[g] = x, true
		return
	}
	s.acc[g] = s.op(s.acc[g], x)
}

func (s *binaryAllState) Result(g int) types.Value {
	if !s.seen[g] {
		return types.NullOf(s.t)
	}
	v := types.Value{Type: s.t, Valid: true, I: s.acc[g]}
	if s.t == types.Int {
		v.I = int64(int32(v.I))
	}
	return v
}

func bindBinaryAll(fn string, op func(a, b int64) int64) func(args []Arg) (types.Type, func() AggState, error) {
	return func(args []Arg) (types.Type, func() AggState, error) {
		if err := arity(fn, args, 1, 1); err != nil {
			return 0, nil, err
		}
		t := args[0].Type
		switch t {
		case types.Int, types.Long:
		case types.Dynamic, types.Null:
			t = types.Long
		default:
			return 0, nil, ArgError(fn, "expects integers, not %s", t)
		}
		return t, func() AggState { return &binaryAllState{t: t, op: op} }, nil
	}
}
