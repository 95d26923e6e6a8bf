package builtin

import (
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Conditional functions: iff (iif), case, coalesce, and the null and
// emptiness tests isnull, isnotnull, isempty, isnotempty.
func init() {
	RegisterScalar(
		&Scalar{Name: "iff", Bind: bindIff("iff")},
		&Scalar{Name: "iif", Bind: bindIff("iif")},
		&Scalar{Name: "case", Bind: bindCase},
		&Scalar{Name: "coalesce", Bind: bindCoalesce},
		nullTest("isnull", false), nullTest("isnotnull", true),
		emptyTest("isempty", false), emptyTest("isnotempty", true),
	)
}

// commonType is the type of a value chosen among expressions of types ts:
// their shared type, the widest number when they are all numbers, dynamic
// when one is dynamic. Untyped nulls take the others' type.
func commonType(fn string, ts []types.Type) (types.Type, error) {
	t := types.Null
	for _, u := range ts {
		switch {
		case u == types.Null || u == t:
		case t == types.Null:
			t = u
		case t == types.Dynamic || u == types.Dynamic:
			t = types.Dynamic
		case t.IsNumeric() && u.IsNumeric():
			t = widerNumeric(t, u)
		default:
			return 0, ArgError(fn, "all results must have the same type, got %s and %s", t, u)
		}
	}
	return t, nil
}

// resultType is the type of iff, iif and case: the common type of the
// non-dynamic results, dynamic only when every typed result is dynamic
// (the official binder's CommonNonDynamic rule); dynamic results are
// converted to it.
func resultType(fn string, ts []types.Type) (types.Type, error) {
	var typed []types.Type
	for _, t := range ts {
		if t != types.Dynamic {
			typed = append(typed, t)
		}
	}
	if t, err := commonType(fn, typed); err != nil || t != types.Null {
		return t, err
	}
	return commonType(fn, ts)
}

func bindIff(name string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		err := checkArgs(name, args, 3, p("if", kBool), p("then", kAny), p("else", kAny))
		if err != nil {
			return 0, nil, err
		}
		t, err := resultType(name, []types.Type{args[1].Type, args[2].Type})
		if err != nil {
			return 0, nil, err
		}
		return t, caseKernel(t), nil
	}
}

// bindCase binds case(predicate1, then1, predicate2, then2, ..., else).
func bindCase(args []Arg) (types.Type, Kernel, error) {
	if len(args) < 3 || len(args)%2 == 0 {
		return 0, nil, ArgError("case", "expects predicate and value pairs followed by an else value, got %d arguments", len(args))
	}
	var results []types.Type
	for i, a := range args {
		if i%2 == 1 || i == len(args)-1 {
			results = append(results, a.Type)
			continue
		}
		if err := checkArg("case", i, a, p("predicate", kBool)); err != nil {
			return 0, nil, err
		}
	}
	t, err := resultType("case", results)
	if err != nil {
		return 0, nil, err
	}
	return t, caseKernel(t), nil
}

// caseKernel evaluates args laid out as cond1, value1, ..., condN, valueN,
// else: each row takes the value after its first true condition (a null
// condition counts as false).
func caseKernel(t types.Type) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		conds, vals := splitCase(args, t)
		if allConst(conds) {
			return vals[pickBranch(conds, 0)], nil
		}
		pick := make([]int, n)
		for r := range pick {
			pick[r] = pickBranch(conds, r)
		}
		return gatherBranches(t, vals, pick, n), nil
	}
}

// splitCase separates conditions from values, converting values to t.
func splitCase(args []*vec.Column, t types.Type) (conds, vals []*vec.Column) {
	for i, a := range args {
		if i%2 == 0 && i < len(args)-1 {
			conds = append(conds, a)
		} else {
			vals = append(vals, castColumn(a, t))
		}
	}
	return conds, vals
}

func pickBranch(conds []*vec.Column, r int) int {
	for j, c := range conds {
		if boolAt(c, r) {
			return j
		}
	}
	return len(conds)
}

// boolAt reports whether row r of c is true (null is not).
func boolAt(c *vec.Column, r int) bool {
	if c.Type == types.Bool {
		return !c.IsNull(r) && c.Int(r) != 0
	}
	return types.Convert(c.Value(r), types.Bool).Bool()
}

// gatherBranches builds a column of type t taking row r from
// vals[pick[r]], copying by storage without boxing values.
func gatherBranches(t types.Type, vals []*vec.Column, pick []int, n int) *vec.Column {
	out := &vec.Column{Type: t, N: n}
	valid := make([]bool, n)
	hasNull := false
	switch t.Storage() {
	case types.StoreInt:
		out.Ints = make([]int64, n)
	case types.StoreFloat:
		out.Floats = make([]float64, n)
	case types.StoreString:
		out.Strs = make([]string, n)
	default:
		out.Anys = make([]any, n)
	}
	for r, j := range pick {
		c := vals[j]
		if c.IsNull(r) && t != types.String {
			hasNull = true
			continue
		}
		valid[r] = true
		switch t.Storage() {
		case types.StoreInt:
			out.Ints[r] = c.Int(r)
		case types.StoreFloat:
			out.Floats[r] = c.Float(r)
		case types.StoreString:
			out.Strs[r] = c.Str(r)
		default:
			out.Anys[r] = c.Any(r)
		}
	}
	if hasNull {
		out.Valid = valid
	}
	return out
}

// castColumn converts a column to type t: a relabelling when the storage
// is the same, a value-by-value conversion otherwise.
func castColumn(c *vec.Column, t types.Type) *vec.Column {
	switch {
	case c.Type == t:
		return c
	case c.Type.Storage() == t.Storage() && c.Type != types.Null && c.Type != types.Bool && t != types.Bool:
		cp := *c
		cp.Type = t
		return &cp
	case c.Const:
		return vec.NewConst(castValue(c.Value(0), t), c.N)
	}
	b := vec.NewBuilder(t, c.N)
	for i := 0; i < c.N; i++ {
		b.Append(castValue(c.Value(i), t))
	}
	return b.Build()
}

func castValue(v types.Value, t types.Type) types.Value {
	if v.IsNull() {
		return types.NullOf(t)
	}
	return types.Convert(v, t)
}

func bindCoalesce(args []Arg) (types.Type, Kernel, error) {
	if err := checkVariadic("coalesce", args, 1, 64, nil, p("arg", kAny)); err != nil {
		return 0, nil, err
	}
	ts := make([]types.Type, len(args))
	for i, a := range args {
		ts[i] = a.Type
	}
	t, err := commonType("coalesce", ts)
	if err != nil {
		return 0, nil, err
	}
	return t, coalesceKernel(t), nil
}

// coalesceKernel takes each row from the first argument that is not null
// (for strings, not empty).
func coalesceKernel(t types.Type) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		vals := make([]*vec.Column, len(args))
		for i, a := range args {
			vals[i] = castColumn(a, t)
		}
		pick := make([]int, n)
		for r := range pick {
			pick[r] = len(vals) - 1
			for j, c := range vals[:len(vals)-1] {
				if !isEmptyAt(c, r, t == types.String) {
					pick[r] = j
					break
				}
			}
		}
		if allConst(vals) {
			return vals[pick[0]], nil
		}
		return gatherBranches(t, vals, pick, n), nil
	}
}

// isEmptyAt reports whether row r of c is null, or an empty string when
// strs is set (or the column holds strings).
func isEmptyAt(c *vec.Column, r int, strs bool) bool {
	if c.Type == types.String {
		return strs && c.Str(r) == ""
	}
	if c.IsNull(r) {
		return true
	}
	if strs && c.Type == types.Dynamic {
		s, ok := c.Any(r).(string)
		return ok && s == ""
	}
	return false
}

// nullTest is isnull or isnotnull. Strings are never null.
func nullTest(name string, negate bool) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 1, p("value", kAny)); err != nil {
			return 0, nil, err
		}
		test := func(c *vec.Column, r int) bool { return isEmptyAt(c, r, false) }
		return types.Bool, testKernel(negate, test, func(string) bool { return false }), nil
	}}
}

// emptyTest is isempty or isnotempty: null or the empty string.
func emptyTest(name string, negate bool) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 1, p("value", kAny)); err != nil {
			return 0, nil, err
		}
		test := func(c *vec.Column, r int) bool { return isEmptyAt(c, r, true) }
		return types.Bool, testKernel(negate, test, func(s string) bool { return s == "" }), nil
	}}
}

// testKernel evaluates a per-row predicate on one argument, with fast
// paths for string columns (strTest once per dictionary entry) and
// columns without nulls.
func testKernel(negate bool, test func(c *vec.Column, r int) bool, strTest func(string) bool) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		c := args[0]
		switch {
		case c.Const:
			return vec.NewConst(types.NewBool(test(c, 0) != negate), n), nil
		case c.Type == types.String:
			vals, _ := mapStrings(c, n, func(s string) int64 { return b2i(strTest(s) != negate) })
			return intColumn(types.Bool, vals, false, n), nil
		case c.Valid == nil && c.Type != types.Dynamic && c.Type != types.Null:
			return vec.NewConst(types.NewBool(negate), n), nil
		}
		vals := make([]int64, n)
		for r := range vals {
			vals[r] = b2i(test(c, r) != negate)
		}
		return intColumn(types.Bool, vals, false, n), nil
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
