package builtin

import (
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// bindFor binds name over columns, passing constant columns as constant
// arguments.
func bindFor(t *testing.T, name string, args []*vec.Column) (*Scalar, Kernel) {
	t.Helper()
	f, ok := LookupScalar(name)
	if !ok {
		t.Fatalf("no function %s", name)
	}
	bargs := make([]Arg, len(args))
	for i, a := range args {
		bargs[i] = Arg{Type: a.Type}
		if a.Const {
			v := a.Value(0)
			bargs[i].Const = &v
		}
	}
	_, k, err := f.Bind(bargs)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f, k
}

// rowByRow evaluates k one row at a time over constant columns: the
// reference the column-at-a-time paths must agree with.
func rowByRow(t *testing.T, k Kernel, args []*vec.Column, n int) []string {
	t.Helper()
	out := make([]string, n)
	for r := 0; r < n; r++ {
		one := make([]*vec.Column, len(args))
		for i, a := range args {
			one[i] = vec.NewConst(a.Value(r), 1)
		}
		c, err := k(&Context{}, one, 1)
		if err != nil {
			t.Fatal(err)
		}
		out[r] = cellString(c, 0)
	}
	return out
}

func cellString(c *vec.Column, i int) string {
	if c.IsNull(i) {
		return "null"
	}
	return c.Value(i).String()
}

func columnStrings(c *vec.Column) []string {
	out := make([]string, c.N)
	for i := range out {
		out[i] = cellString(c, i)
	}
	return out
}

// checkColumnAtATime compares Call over args with the row-by-row result.
func checkColumnAtATime(t *testing.T, name string, args ...*vec.Column) {
	t.Helper()
	n := args[0].N
	f, k := bindFor(t, name, args)
	want := rowByRow(t, k, args, n)
	got, err := Call(f, k, &Context{}, args, n)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if g := columnStrings(got); strings.Join(g, ",") != strings.Join(want, ",") {
		t.Errorf("%s(%s):\n got %v\nwant %v", name, describe(args), g, want)
	}
}

func describe(args []*vec.Column) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = a.Type.String()
		switch {
		case a.Const:
			s[i] += " const"
		case a.Codes != nil:
			s[i] += " dict"
		case a.Valid != nil:
			s[i] += " nulls"
		}
	}
	return strings.Join(s, ", ")
}

func nullableInts(t types.Type, vals ...any) *vec.Column {
	b := vec.NewBuilder(t, len(vals))
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		b.Append(types.Value{Type: t, Valid: true, I: int64(v.(int))})
	}
	return b.Build()
}

func realColumn(vals ...any) *vec.Column {
	b := vec.NewBuilder(types.Real, len(vals))
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		b.Append(types.NewReal(v.(float64)))
	}
	return b.Build()
}

func dictColumn(vals ...string) *vec.Column {
	c := &vec.Column{Type: types.String, N: len(vals)}
	seen := map[string]uint32{}
	for _, s := range vals {
		code, ok := seen[s]
		if !ok {
			code = uint32(len(c.Dict))
			seen[s] = code
			c.Dict = append(c.Dict, s)
		}
		c.Codes = append(c.Codes, code)
	}
	// Entries no row uses, as a dictionary shared by several batches has.
	c.Dict = append(c.Dict, "unused", "UNUSED entry")
	return c
}

func TestCompareColumnsWithNulls(t *testing.T) {
	nan := 0.0
	nan = nan / nan
	cols := map[string][2]*vec.Column{
		"long": {nullableInts(types.Long, 1, nil, 3, 4, nil, 6), nullableInts(types.Long, 1, 2, nil, 5, nil, 0)},
		"datetime": {nullableInts(types.Datetime, 10, nil, 30, 40, nil, 60),
			nullableInts(types.Datetime, 30, 20, nil, 40, nil, 10)},
		"bool":      {nullableInts(types.Bool, 1, nil, 0, 1, nil, 0), nullableInts(types.Bool, 0, 1, nil, 1, nil, 0)},
		"real":      {realColumn(1.5, nil, nan, 4.0, nil, 2.0), realColumn(1.5, 2.0, 1.0, nan, nil, 3.0)},
		"long-real": {nullableInts(types.Long, 1, nil, 3, 4, nil, 6), realColumn(1.0, 2.0, nil, 3.5, nil, nan)},
	}
	for _, op := range []string{"==", "!=", "<", "<=", ">", ">="} {
		for name, c := range cols {
			t.Run(op+"/"+name, func(t *testing.T) {
				a, b := c[0], c[1]
				checkColumnAtATime(t, op, a, b)
				checkColumnAtATime(t, op, a, vec.NewConst(b.Value(0), a.N))
				checkColumnAtATime(t, op, vec.NewConst(b.Value(3), a.N), a)
				checkColumnAtATime(t, op, a, vec.NewConst(b.Value(1), a.N))
				checkColumnAtATime(t, op, a, vec.NewConst(a.Value(1), a.N)) // null constant
			})
		}
	}
}

func TestCompareStringsDictAndPlain(t *testing.T) {
	vals := thrice("0", "50126", "", "0", "abc", "ABC", "0")
	plain := vec.FromValues(types.String, stringValues(vals...))
	dict := dictColumn(vals...)
	for _, op := range []string{"==", "!=", "<", "<=", ">", ">="} {
		for _, k := range []string{"0", "", "ABC", "zzz"} {
			c := vec.NewConst(types.NewString(k), len(vals))
			checkColumnAtATime(t, op, plain, c)
			checkColumnAtATime(t, op, dict, c)
			checkColumnAtATime(t, op, c, dict)
			checkColumnAtATime(t, op, c, plain)
		}
		checkColumnAtATime(t, op, plain, dict)
	}
	g1, g2 := types.Value{Type: types.Guid, Valid: true, S: "00000000-0000-0000-0000-000000000001"},
		types.Value{Type: types.Guid, Valid: true, S: "00000000-0000-0000-0000-000000000002"}
	guids := vec.FromValues(types.Guid, []types.Value{g1, types.NullOf(types.Guid), g2, types.NullOf(types.Guid)})
	other := vec.FromValues(types.Guid, []types.Value{g2, g1, types.NullOf(types.Guid), types.NullOf(types.Guid)})
	for _, op := range []string{"==", "!=", "<", ">="} {
		checkColumnAtATime(t, op, guids, other)
		checkColumnAtATime(t, op, guids, vec.NewConst(g1, guids.N))
		checkColumnAtATime(t, op, vec.NewConst(types.NullOf(types.Guid), guids.N), guids)
	}
}

// thrice repeats vals three times, so that a dictionary over them is
// smaller than the rows.
func thrice(vals ...string) []string {
	return append(append(append([]string(nil), vals...), vals...), vals...)
}

func stringValues(vals ...string) []types.Value {
	out := make([]types.Value, len(vals))
	for i, s := range vals {
		out[i] = types.NewString(s)
	}
	return out
}

func TestLogicThreeValued(t *testing.T) {
	// Every pair of true, false and null, as columns and as constants.
	a := nullableInts(types.Bool, 1, 1, 1, 0, 0, 0, nil, nil, nil)
	b := nullableInts(types.Bool, 1, 0, nil, 1, 0, nil, 1, 0, nil)
	want := map[string]string{
		"__and": "true,false,null,false,false,false,null,false,null",
		"__or":  "true,true,true,true,false,null,true,null,null",
	}
	for op, w := range want {
		f, k := bindFor(t, op, []*vec.Column{a, b})
		got, err := Call(f, k, &Context{}, []*vec.Column{a, b}, a.N)
		if err != nil {
			t.Fatal(err)
		}
		if g := strings.Join(columnStrings(got), ","); g != w {
			t.Errorf("%s: got %s, want %s", op, g, w)
		}
		checkColumnAtATime(t, op, a, b)
		for r := 0; r < 3; r++ {
			checkColumnAtATime(t, op, a, vec.NewConst(b.Value(r*3+r%3), a.N))
			checkColumnAtATime(t, op, vec.NewConst(b.Value(r*3+r%3), a.N), b)
		}
	}
	checkColumnAtATime(t, "not", a)
	f, k := bindFor(t, "not", []*vec.Column{a})
	got, _ := Call(f, k, &Context{}, []*vec.Column{a}, a.N)
	if g := strings.Join(columnStrings(got), ","); g != "false,false,false,true,true,true,null,null,null" {
		t.Errorf("not: got %s", g)
	}
}

// trickyStrings exercise case folding and term boundaries: Unicode
// letters whose lower case differs in length, the Kelvin sign, invalid
// UTF-8, and terms next to digits and punctuation.
var trickyStrings = []string{
	"", "python", "Python-requests/2.31", "cpython", "pythonic", "my_python", "PYTHON3", "py thon",
	"x python", "\u212Aelvin", "kelvin", "\u0130stanbul", "istanbul", "caf\u00e9 PYTHON", "\xffpython",
	"python\xff", "\u00e9python", "p\u00e9", "ABC", "abc def", "Ⱥpython", "ⱥ", "pythonⱥ",
	"pPython", "ppython PyThOn", "xpythonx Python-", "PPPP", "a/2.31.0 b",
}

func TestStringPredicatesMatchRowByRow(t *testing.T) {
	plain := vec.FromValues(types.String, stringValues(thrice(trickyStrings...)...))
	dict := dictColumn(thrice(trickyStrings...)...)
	ops := []string{"has", "!has", "has_cs", "!has_cs", "contains", "!contains", "contains_cs", "!contains_cs",
		"startswith", "!startswith", "endswith", "!endswith", "hasprefix", "hassuffix", "=~", "!~", "==", "!="}
	patterns := []string{"python", "PYTHON", "kelvin", "istanbul", "\u0130stanbul", "", "p", "ⱥ", "\u00e9", "abc def",
		"/2.31", "-requests", "pp", "PYTHON3", "ppython python!"}
	for _, op := range ops {
		for _, p := range patterns {
			c := vec.NewConst(types.NewString(p), plain.N)
			checkColumnAtATime(t, op, plain, c)
			checkColumnAtATime(t, op, dict, c)
		}
	}
}

func TestListPredicatesMatchRowByRow(t *testing.T) {
	plain := vec.FromValues(types.String, stringValues(thrice(trickyStrings...)...))
	dict := dictColumn(thrice(trickyStrings...)...)
	lists := [][]*vec.Column{
		{vec.NewConst(types.NewString("python"), plain.N), vec.NewConst(types.NewString("KELVIN"), plain.N)},
		{vec.NewConst(types.NewString("\u212Aelvin"), plain.N)},
		{vec.NewConst(types.NewString("ABC"), plain.N), vec.NewConst(types.NewLong(3), plain.N)},
		{vec.NewConst(types.Value{Type: types.Dynamic, Valid: true, D: []any{"python", "abc DEF", int64(1)}}, plain.N)},
		{vec.NewConst(types.NewString("abc def"), plain.N), vec.NewConst(types.NewString("pyThon"), plain.N)},
	}
	for _, op := range []string{"in", "!in", "in~", "!in~", "has_any", "!has_any", "has_all"} {
		for _, l := range lists {
			checkColumnAtATime(t, op, append([]*vec.Column{plain}, l...)...)
			checkColumnAtATime(t, op, append([]*vec.Column{dict}, l...)...)
		}
	}
	for _, expr := range []string{`(?i)py(thon)?\b`, `python\b`, `thon[^a-z]`, `\x{FFFD}python`, `é|python`} {
		re := vec.NewConst(types.NewString(expr), plain.N)
		checkColumnAtATime(t, "matches regex", plain, re)
		checkColumnAtATime(t, "matches regex", dict, re)
	}
}

func TestCallPerDictionaryEntry(t *testing.T) {
	vals := thrice(`{"a":1}`, "Hello World", `{"a":1}`, "x,y", "", "Hello World")
	dict := dictColumn(vals...)
	n := len(vals)
	comma := vec.NewConst(types.NewString(","), n)
	for _, c := range []struct {
		fn   string
		args []*vec.Column
	}{
		{"tolower", []*vec.Column{dict}},
		{"strlen", []*vec.Column{dict}},
		{"parse_json", []*vec.Column{dict}},
		{"split", []*vec.Column{dict, comma}},
		{"extract", []*vec.Column{vec.NewConst(types.NewString(`(\w+) `), n), vec.NewConst(types.NewLong(1), n), dict}},
		{"isempty", []*vec.Column{dict}},
	} {
		checkColumnAtATime(t, c.fn, c.args...)
	}
	// A string result stays dictionary-encoded.
	f, k := bindFor(t, "toupper", []*vec.Column{dict})
	got, err := Call(f, k, &Context{}, []*vec.Column{dict}, n)
	if err != nil {
		t.Fatal(err)
	}
	if got.Codes == nil || got.Str(1) != "HELLO WORLD" {
		t.Errorf("toupper over a dictionary: got codes %v, row 1 %q", got.Codes, got.Str(1))
	}
}

func TestCallSkipsVolatileAndSerial(t *testing.T) {
	dict := dictColumn(thrice("a", "b", "a", "b")...)
	for _, name := range []string{"rand", "new_guid", "row_number", "prev"} {
		f, ok := LookupScalar(name)
		if !ok {
			t.Fatalf("no function %s", name)
		}
		if d := dictArg(f, []*vec.Column{dict}, dict.N); d >= 0 {
			t.Errorf("%s is evaluated per dictionary entry", name)
		}
	}
	f, _ := LookupScalar("tolower")
	if d := dictArg(f, []*vec.Column{dict}, dict.N); d != 0 {
		t.Errorf("tolower over a dictionary: dictArg = %d, want 0", d)
	}
	big := dictColumn("a")
	if d := dictArg(f, []*vec.Column{big}, big.N); d >= 0 {
		t.Errorf("a dictionary larger than the batch is evaluated per entry")
	}
}

func TestRequiredLiteral(t *testing.T) {
	for expr, want := range map[string]string{
		`python`:             "python",
		`^Mozilla/\d+ (x|y)`: "Mozilla/",
		`(?i)python`:         "",
		`a|b`:                "",
		`(abc)+def?`:         "abc",
		`x*`:                 "",
		`(foo){2,}bar`:       "foo",
		`\xff`:               "ÿ",
		`[`:                  "",
	} {
		if got := requiredLiteral(expr); got != want {
			t.Errorf("requiredLiteral(%q) = %q, want %q", expr, got, want)
		}
	}
}

func TestCompareMaskMatchesKernel(t *testing.T) {
	a := nullableInts(types.Datetime, 5, 1, 9, 5, 7)
	for _, op := range []string{"==", "!=", "<", "<=", ">", ">="} {
		for _, args := range [][2]*vec.Column{
			{a, vec.NewConst(types.Value{Type: types.Datetime, Valid: true, I: 5}, a.N)},
			{vec.NewConst(types.Value{Type: types.Datetime, Valid: true, I: 5}, a.N), a},
		} {
			mask := make([]bool, a.N)
			if !CompareMask(op, args[0], args[1], mask) {
				t.Fatalf("CompareMask(%s) did not apply", op)
			}
			want := rowByRow(t, mustKernel(t, op, args[:]), args[:], a.N)
			for i, m := range mask {
				if fmtBool(m) != want[i] {
					t.Errorf("%s(%s) row %d: mask %v, want %s", op, describe(args[:]), i, m, want[i])
				}
			}
		}
	}
	strs := vec.FromValues(types.String, stringValues("a", "b", "", "a"))
	// A dictionary larger than the batch, as a segment's is, and one that
	// lacks the constant.
	coded := &vec.Column{Type: types.String, N: 4, Dict: []string{"z", "a", "", "b", "y"}, Codes: []uint32{1, 3, 2, 1}}
	for _, op := range []string{"==", "!="} {
		for _, args := range [][2]*vec.Column{
			{strs, vec.NewConst(types.NewString("a"), strs.N)},
			{vec.NewConst(types.NewString(""), strs.N), strs},
			{coded, vec.NewConst(types.NewString("a"), coded.N)},
			{vec.NewConst(types.NewString(""), coded.N), coded},
			{coded, vec.NewConst(types.NewString("absent"), coded.N)},
		} {
			mask := make([]bool, strs.N)
			if !CompareMask(op, args[0], args[1], mask) {
				t.Fatalf("CompareMask(%s) did not apply to strings", op)
			}
			want := rowByRow(t, mustKernel(t, op, args[:]), args[:], strs.N)
			for i, m := range mask {
				if fmtBool(m) != want[i] {
					t.Errorf("%s(%s) row %d: mask %v, want %s", op, describe(args[:]), i, m, want[i])
				}
			}
		}
	}
	withNull := nullableInts(types.Long, 1, nil)
	if CompareMask("==", withNull, vec.NewConst(types.NewLong(1), 2), make([]bool, 2)) {
		t.Errorf("CompareMask applied to a column with nulls")
	}
}

func mustKernel(t *testing.T, name string, args []*vec.Column) Kernel {
	_, k := bindFor(t, name, args)
	return k
}

func fmtBool(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
