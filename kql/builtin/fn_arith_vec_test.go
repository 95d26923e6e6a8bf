package builtin

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// TestArithKernelMatchesRows checks the column-at-a-time arithmetic against
// arithValues row by row, over every operator and operand type pair the
// vector path takes, with nulls, zeros, extremes and constant operands.
func TestArithKernelMatchesRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tys := []types.Type{types.Bool, types.Int, types.Long, types.Real, types.Decimal, types.Datetime, types.Timespan}
	ops := []string{"__add", "__sub", "__mul", "__div", "__mod"}
	const n = 64
	col := func(ty types.Type, konst bool) *vec.Column {
		m := n
		if konst {
			m = 1
		}
		c := &vec.Column{Type: ty, N: n, Const: konst, Valid: make([]bool, m)}
		for i := range m {
			c.Valid[i] = rng.IntN(6) != 0
		}
		switch ty.Storage() {
		case types.StoreFloat:
			c.Floats = make([]float64, m)
			for i := range c.Floats {
				c.Floats[i] = []float64{0, -1.5, 2.25, 1e300, -7, math.Inf(1)}[rng.IntN(6)]
			}
		default:
			c.Ints = make([]int64, m)
			for i := range c.Ints {
				switch ty {
				case types.Bool:
					c.Ints[i] = int64(rng.IntN(2))
				case types.Int:
					c.Ints[i] = int64(int32(rng.Uint32())) % 1000
				default:
					c.Ints[i] = []int64{0, 1, -14, 12, math.MaxInt64, math.MinInt64, rng.Int64()}[rng.IntN(7)]
				}
			}
		}
		return c
	}
	checked := 0
	for _, op := range ops {
		for _, at := range tys {
			for _, bt := range tys {
				rt, ok := arithType(op, at, bt)
				if !ok {
					continue
				}
				vk := arithKernel(op, rt, at, bt)
				rk := RowKernel(rt, func(v []types.Value) types.Value { return arithValues(op, rt, v[0], v[1]) })
				for _, shape := range [][2]bool{{false, false}, {false, true}, {true, false}} {
					a, b := col(at, shape[0]), col(bt, shape[1])
					got, err := vk(nil, []*vec.Column{a, b}, n)
					if err != nil {
						t.Fatal(err)
					}
					want, _ := rk(nil, []*vec.Column{a, b}, n)
					if got.Type != want.Type {
						t.Fatalf("%s(%s, %s): type %s, want %s", op, at, bt, got.Type, want.Type)
					}
					for i := range n {
						g, w := got.Value(i), want.Value(i)
						same := g.IsNull() == w.IsNull() && (g.IsNull() || g.I == w.I && (g.F == w.F || math.IsNaN(g.F) && math.IsNaN(w.F)))
						if !same {
							t.Fatalf("%s(%s %v, %s %v) row %d: %v, want %v", op, at, a.Value(i), bt, b.Value(i), i, g, w)
						}
					}
					checked++
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d operator/type combinations checked", checked)
	}
}
