package builtin

import (
	"errors"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// assert(condition, message): true, or the query fails with message when
// condition is false (or null) on a row that is evaluated. A constant
// assertion is folded, and so fails, while the query is analysed.
func init() {
	RegisterScalar(&Scalar{Name: "assert", Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs("assert", args, 2, p("condition", kBool), p("message", kStr)); err != nil {
			return 0, nil, err
		}
		return types.Bool, assertKernel, nil
	}})
}

func assertKernel(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
	for r := 0; r < n; r++ {
		if v := types.Convert(args[0].Value(r), types.Bool); !v.Bool() {
			return nil, errors.New("assertion failed: " + args[1].Value(r).S)
		}
	}
	return vec.NewConst(types.NewBool(true), n), nil
}
