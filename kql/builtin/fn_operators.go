package builtin

import (
	"fmt"
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// The arithmetic, comparison and logical operators are functions named
// after the operator ("==", "<") or, where the name would be ambiguous,
// "__add", "__neg", "__and".
func init() {
	RegisterScalar(
		arith("__add"), arith("__sub"), arith("__mul"), arith("__div"), arith("__mod"),
		&Scalar{Name: "__neg", Bind: bindNeg},
		compare("==", func(c int) bool { return c == 0 }),
		compare("!=", func(c int) bool { return c != 0 }),
		compare("<", func(c int) bool { return c < 0 }),
		compare("<=", func(c int) bool { return c <= 0 }),
		compare(">", func(c int) bool { return c > 0 }),
		compare(">=", func(c int) bool { return c >= 0 }),
		logic("__and"), logic("__or"),
		&Scalar{Name: "not", Bind: bindNot},
		&Scalar{Name: "between", Bind: bindBetween(false)},
		&Scalar{Name: "!between", Bind: bindBetween(true)},
	)
}

var opSymbols = map[string]string{"__add": "+", "__sub": "-", "__mul": "*", "__div": "/", "__mod": "%"}

// numericRank orders numeric types by width.
func numericRank(t types.Type) int {
	switch t {
	case types.Bool:
		return 0
	case types.Int:
		return 1
	case types.Long:
		return 2
	case types.Real:
		return 3
	case types.Decimal:
		return 4
	}
	return -1
}

func widerNumeric(a, b types.Type) types.Type {
	if a == types.Bool {
		a = types.Int
	}
	if b == types.Bool {
		b = types.Int
	}
	if numericRank(a) >= numericRank(b) {
		return a
	}
	return b
}

// undyn replaces dynamic and untyped null argument types with the other
// argument's type, as Kusto converts them at run time.
func undyn(a, b types.Type) (types.Type, types.Type) {
	if a == types.Dynamic || a == types.Null {
		a = b
	}
	if b == types.Dynamic || b == types.Null {
		b = a
	}
	if a == types.Dynamic || a == types.Null {
		a, b = types.Real, types.Real
	}
	return a, b
}

// arithType returns the result type of op over a and b, or false.
func arithType(op string, a, b types.Type) (types.Type, bool) {
	a, b = undyn(a, b)
	isNum := func(t types.Type) bool { return t.IsNumeric() || t == types.Bool }
	switch {
	case isNum(a) && isNum(b):
		return widerNumeric(a, b), true
	case a == types.Datetime && b == types.Datetime && op == "__sub":
		return types.Timespan, true
	case a == types.Datetime && b == types.Timespan && (op == "__add" || op == "__sub"):
		return types.Datetime, true
	case a == types.Timespan && b == types.Datetime && op == "__add":
		return types.Datetime, true
	case a == types.Timespan && b == types.Timespan:
		switch op {
		case "__add", "__sub", "__mod":
			return types.Timespan, true
		case "__div":
			return types.Real, true
		}
	case a == types.Timespan && isNum(b) && (op == "__mul" || op == "__div"):
		return types.Timespan, true
	case isNum(a) && b == types.Timespan && op == "__mul":
		return types.Timespan, true
	}
	return 0, false
}

func arith(op string) *Scalar {
	return &Scalar{Name: op, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 {
			return 0, nil, ArgError(op, "expects 2 operands")
		}
		t, ok := arithType(op, args[0].Type, args[1].Type)
		if !ok {
			return 0, nil, fmt.Errorf("operator '%s' cannot be applied to %s and %s", opSymbols[op], args[0].Type, args[1].Type)
		}
		return t, arithKernel(op, t, args[0].Type, args[1].Type), nil
	}}
}

func arithValues(op string, t types.Type, a, b types.Value) types.Value {
	a, b = unwrap(a), unwrap(b)
	if a.IsNull() || b.IsNull() {
		return types.NullOf(t)
	}
	switch t {
	case types.Real, types.Decimal:
		x, y := toFloat(a), toFloat(b)
		var r float64
		switch op {
		case "__add":
			r = x + y
		case "__sub":
			r = x - y
		case "__mul":
			r = x * y
		case "__div":
			r = x / y
		case "__mod":
			r = math.Mod(x, y)
			if r < 0 {
				r += math.Abs(y)
			}
		}
		return types.Value{Type: t, Valid: true, F: r}
	case types.Timespan:
		if (op == "__div" || op == "__mod") && toFloat(b) == 0 {
			return types.NullOf(t)
		}
		if a.Type == types.Timespan && b.Type == types.Timespan || op == "__add" || op == "__sub" {
			return types.NewTimespan(intOp(op, a.I, b.I))
		}
		if a.Type != types.Timespan {
			a, b = b, a
		}
		r := scaleOp(op, float64(a.I), toFloat(b))
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return types.NullOf(t)
		}
		return types.NewTimespan(int64(r))
	case types.Datetime:
		if a.Type == types.Timespan {
			a, b = b, a
		}
		return types.NewDatetime(intOp(op, a.I, b.I))
	}
	if a.Type == types.Timespan && b.Type == types.Timespan && op == "__div" {
		return types.NewReal(float64(a.I) / float64(b.I))
	}
	if (op == "__div" || op == "__mod") && toInt(b) == 0 {
		return types.NullOf(t)
	}
	r := intOp(op, toInt(a), toInt(b))
	if t == types.Int {
		r = int64(int32(r))
	}
	return types.Value{Type: t, Valid: true, I: r}
}

func intOp(op string, x, y int64) int64 {
	switch op {
	case "__add":
		return x + y
	case "__sub":
		return x - y
	case "__mul":
		return x * y
	case "__div":
		if y == 0 {
			return 0
		}
		return x / y
	case "__mod":
		if y == 0 {
			return 0
		}
		// Kusto's % is never negative: 0 <= x % y < abs(y), so -14 % 12 is 10.
		r := x % y
		if r < 0 {
			if y < 0 {
				y = -y
			}
			r += y
		}
		return r
	}
	return 0
}

func scaleOp(op string, x, y float64) float64 {
	if op == "__div" {
		return x / y
	}
	return x * y
}

func unwrap(v types.Value) types.Value {
	if v.Type == types.Dynamic {
		return types.FromDynamic(v.D)
	}
	return v
}

func toFloat(v types.Value) float64 {
	if v.Type.Storage() == types.StoreFloat {
		return v.F
	}
	if v.Type == types.String {
		f, _ := types.ParseReal(v.S)
		return f
	}
	return float64(v.I)
}

func toInt(v types.Value) int64 {
	if v.Type.Storage() == types.StoreFloat {
		return int64(v.F)
	}
	return v.I
}

func bindNeg(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 1 {
		return 0, nil, ArgError("-", "expects one operand")
	}
	t := args[0].Type
	switch {
	case t.IsNumeric() || t == types.Timespan:
	case t == types.Dynamic || t == types.Null:
		t = types.Real
	default:
		return 0, nil, ArgError("-", "cannot negate a %s", t)
	}
	return t, RowKernel(t, func(v []types.Value) types.Value {
		x := unwrap(v[0])
		if x.IsNull() {
			return types.NullOf(t)
		}
		if t.Storage() == types.StoreFloat {
			return types.Value{Type: t, Valid: true, F: -toFloat(x)}
		}
		return types.Value{Type: t, Valid: true, I: -toInt(x)}
	}), nil
}

// comparable reports whether values of a and b may be compared.
func comparable(a, b types.Type) bool {
	if a == types.Dynamic || b == types.Dynamic || a == types.Null || b == types.Null {
		return true
	}
	switch {
	case (a.IsNumeric() || a == types.Bool) && (b.IsNumeric() || b == types.Bool):
		return true
	case a == b:
		return true
	case a.Storage() == types.StoreString && b.Storage() == types.StoreString:
		return true
	case a == types.String && (b.IsNumeric() || b == types.Bool), b == types.String && (a.IsNumeric() || a == types.Bool):
		// A string column such as ResultType compared with a number.
		return true
	}
	return false
}

func compare(op string, ok func(int) bool) *Scalar {
	return &Scalar{Name: op, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 {
			return 0, nil, ArgError(op, "expects 2 operands")
		}
		if !comparable(args[0].Type, args[1].Type) {
			return 0, nil, ArgError(op, "cannot compare %s with %s", args[0].Type, args[1].Type)
		}
		slow := RowKernel(types.Bool, func(v []types.Value) types.Value {
			a, b := unwrap(v[0]), unwrap(v[1])
			if a.IsNull() || b.IsNull() {
				return nullCompare(op, a.IsNull() && b.IsNull())
			}
			a, b = alignStringNumber(a, b)
			if unordered(a, b) {
				return types.NewBool(op == "!=")
			}
			return types.NewBool(ok(types.Compare(a, b)))
		})
		fast := fastCompare(op, ok, args[0].Type, args[1].Type)
		if fast == nil {
			return types.Bool, slow, nil
		}
		return types.Bool, func(ctx *Context, cols []*vec.Column, n int) (*vec.Column, error) {
			if out, err := fast(ctx, cols, n); out != nil || err != nil {
				return out, err
			}
			return slow(ctx, cols, n)
		}, nil
	}}
}

// nullCompare is the result of comparing with null: a value is never equal
// to null (== false, != true), null compared with null is null, and
// ordering comparisons with null are null.
func nullCompare(op string, both bool) types.Value {
	switch {
	case both:
		return types.NullOf(types.Bool)
	case op == "==":
		return types.NewBool(false)
	case op == "!=":
		return types.NewBool(true)
	}
	return types.NullOf(types.Bool)
}

// alignStringNumber prepares a string compared with a number (a string
// ResultType compared with 0): when the string parses as a number the two
// compare as numbers, otherwise both compare as strings.
func alignStringNumber(a, b types.Value) (types.Value, types.Value) {
	as, bs := a.Type == types.String, b.Type == types.String
	if as == bs {
		return a, b
	}
	str, other := a, b
	if bs {
		str, other = b, a
	}
	if other.Type.IsNumeric() || other.Type == types.Bool {
		if f, ok := types.ParseReal(str.S); ok {
			str = types.NewReal(f)
		} else {
			other = types.NewString(other.String())
		}
	} else {
		other = types.NewString(other.String())
	}
	if bs {
		return other, str
	}
	return str, other
}

// unordered reports a comparison involving NaN: only != holds.
func unordered(a, b types.Value) bool {
	isNaN := func(v types.Value) bool { return v.Type.Storage() == types.StoreFloat && math.IsNaN(v.F) }
	return isNaN(a) || isNaN(b)
}

func bindBetween(not bool) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 3 {
			return 0, nil, ArgError("between", "expects a value and a range")
		}
		x := args[0].Type
		if !comparable(x, args[1].Type) || !(comparable(x, args[2].Type) || x == types.Datetime && args[2].Type == types.Timespan) {
			return 0, nil, ArgError("between", "cannot compare %s with the range bounds", x)
		}
		return types.Bool, RowKernel(types.Bool, func(v []types.Value) types.Value {
			a, lo, hi := unwrap(v[0]), unwrap(v[1]), unwrap(v[2])
			if a.IsNull() || lo.IsNull() || hi.IsNull() {
				return types.NullOf(types.Bool)
			}
			if a.Type == types.Datetime && hi.Type == types.Timespan {
				hi = types.NewDatetime(lo.I + hi.I)
			}
			in := types.Compare(a, lo) >= 0 && types.Compare(a, hi) <= 0
			return types.NewBool(in != not)
		}), nil
	}
}
