package builtin

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Helpers shared by the string, conversion and conditional functions:
// argument checking, per-row argument access, column-at-a-time kernels
// over one string argument, and regular expression caching.

// kind is what a parameter of a string function accepts. Dynamic values
// and untyped nulls are accepted everywhere and converted at run time, as
// Kusto does.
type kind uint8

const (
	kStr    kind = iota // string
	kAnyStr             // any scalar, converted with tostring()
	kInt                // int or long (real truncates)
	kNum                // any number
	kBool               // bool
	kDyn                // dynamic
	kAny                // any scalar, used as it is
	kGuid               // guid
)

var kindNames = [...]string{"a string", "a scalar", "an integer", "a number", "a bool", "a dynamic value", "a scalar", "a guid"}

func (k kind) accepts(t types.Type) bool {
	if t == types.Dynamic || t == types.Null {
		return true
	}
	switch k {
	case kStr:
		return t == types.String
	case kInt:
		return t == types.Int || t == types.Long || t == types.Real || t == types.Decimal
	case kNum:
		return t.IsNumeric()
	case kBool:
		return t == types.Bool
	case kDyn:
		return false
	case kGuid:
		return t == types.Guid
	}
	return true
}

// param is a named parameter, for error messages.
type param struct {
	name string
	k    kind
}

func p(name string, k kind) param { return param{name, k} }

// checkArgs checks the number and types of args against params, of which
// the first min are required.
func checkArgs(fn string, args []Arg, min int, params ...param) error {
	if err := checkCount(fn, len(args), min, len(params)); err != nil {
		return err
	}
	for i, a := range args {
		if err := checkArg(fn, i, a, params[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkVariadic checks args where the parameters after fixed repeat
// rest, with between min and max arguments in all.
func checkVariadic(fn string, args []Arg, min, max int, fixed []param, rest param) error {
	if err := checkCount(fn, len(args), min, max); err != nil {
		return err
	}
	for i, a := range args {
		pr := rest
		if i < len(fixed) {
			pr = fixed[i]
		}
		if err := checkArg(fn, i, a, pr); err != nil {
			return err
		}
	}
	return nil
}

// manyArgs as a maximum stands for no limit.
const manyArgs = 1 << 20

func checkCount(fn string, n, min, max int) error {
	if n >= min && n <= max {
		return nil
	}
	want := fmt.Sprintf("%d to %d arguments", min, max)
	switch {
	case min == max && min == 1:
		want = "1 argument"
	case min == max:
		want = fmt.Sprintf("%d arguments", min)
	case max >= manyArgs:
		want = fmt.Sprintf("at least %d arguments", min)
	}
	return ArgError(fn, "expects %s, got %d", want, n)
}

func checkArg(fn string, i int, a Arg, pr param) error {
	if pr.k.accepts(a.Type) {
		return nil
	}
	return ArgError(fn, "argument #%d (%s) must be %s, got %s", i+1, pr.name, kindNames[pr.k], a.Type)
}

// constString returns a constant argument's text and whether it is constant.
func constString(a Arg) (string, bool) {
	if a.Const == nil {
		return "", false
	}
	return asString(*a.Const), true
}

// constInt returns a constant integer argument; ok is false when the
// argument is not constant or is null.
func constInt(a Arg) (int64, bool) {
	if a.Const == nil {
		return 0, false
	}
	return valueInt(*a.Const)
}

// valueInt converts a value to an integer; false for null and values that
// do not convert.
func valueInt(v types.Value) (int64, bool) {
	switch {
	case v.IsNull():
		return 0, false
	case v.Type == types.Int || v.Type == types.Long:
		return v.I, true
	}
	l := types.Convert(v, types.Long)
	return l.I, l.Valid
}

// strAt returns row i of c as a string with tostring() semantics.
func strAt(c *vec.Column, i int) string {
	if c.Type == types.String {
		return c.Str(i)
	}
	return asString(c.Value(i))
}

// isASCII reports whether s has only ASCII characters.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// mapStrings applies f to every row of a column read as strings. A
// constant column is evaluated once (the result has one element and
// isConst is true); a dictionary-encoded column once per dictionary entry
// when the dictionary is no larger than the batch.
func mapStrings[T any](c *vec.Column, n int, f func(string) T) (out []T, isConst bool) {
	switch {
	case c.Const:
		return []T{f(strAt(c, 0))}, true
	case c.Codes != nil && len(c.Dict) <= n:
		dict := make([]T, len(c.Dict))
		for i, s := range c.Dict {
			dict[i] = f(s)
		}
		out = make([]T, n)
		for i, code := range c.Codes[:n] {
			out[i] = dict[code]
		}
		return out, false
	case c.Type == types.String && c.Codes == nil:
		out = make([]T, n)
		for i, s := range c.Strs[:n] {
			out[i] = f(s)
		}
		return out, false
	}
	out = make([]T, n)
	for i := range out {
		out[i] = f(strAt(c, i))
	}
	return out, false
}

// stringColumn wraps per-row strings (or one constant) as a column.
func stringColumn(vals []string, isConst bool, n int) *vec.Column {
	if isConst {
		return vec.NewConst(types.NewString(vals[0]), n)
	}
	return &vec.Column{Type: types.String, N: n, Strs: vals}
}

// intColumn wraps per-row int-stored values as a column of type t.
func intColumn(t types.Type, vals []int64, isConst bool, n int) *vec.Column {
	if isConst {
		return vec.NewConst(types.Value{Type: t, Valid: true, I: vals[0]}, n)
	}
	return &vec.Column{Type: t, N: n, Ints: vals}
}

// dynColumn wraps per-row dynamic values as a column; nil is null.
func dynColumn(vals []any, isConst bool, n int) *vec.Column {
	if isConst {
		return vec.NewConst(types.NewDynamic(vals[0]), n)
	}
	c := &vec.Column{Type: types.Dynamic, N: n, Anys: vals}
	for i, v := range vals {
		if v == nil {
			if c.Valid == nil {
				c.Valid = make([]bool, n)
				for j := range c.Valid {
					c.Valid[j] = true
				}
			}
			c.Valid[i] = false
		}
	}
	return c
}

// valueColumn builds a column of type t from per-row values.
func valueColumn(t types.Type, vals []types.Value, isConst bool, n int) *vec.Column {
	if isConst {
		return vec.NewConst(fitValue(vals[0], t), n)
	}
	b := vec.NewBuilder(t, n)
	for _, v := range vals {
		b.Append(fitValue(v, t))
	}
	return b.Build()
}

// strToStr is a kernel applying f to its only (string) argument.
func strToStr(f func(string) string) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		vals, k := mapStrings(args[0], n, f)
		return stringColumn(vals, k, n), nil
	}
}

// strToInt is a kernel applying f to its only (string) argument, giving a
// non-null int-stored result of type t.
func strToInt(t types.Type, f func(string) int64) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		vals, k := mapStrings(args[0], n, f)
		return intColumn(t, vals, k, n), nil
	}
}

// strToDyn is a kernel applying f to its only (string) argument, giving
// a dynamic result (nil is null).
func strToDyn(f func(string) any) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		vals, k := mapStrings(args[0], n, f)
		return dynColumn(vals, k, n), nil
	}
}

// strToValue is a kernel applying f to its only (string) argument, giving
// a result of type t.
func strToValue(t types.Type, f func(string) types.Value) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		vals, k := mapStrings(args[0], n, f)
		return valueColumn(t, vals, k, n), nil
	}
}

// unaryString registers a one-argument string function.
func unaryString(name string, ret types.Type, source kind, k Kernel) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 1, p("source", source)); err != nil {
			return 0, nil, err
		}
		return ret, k, nil
	}}
}

// regexCacheSize bounds the compiled patterns kept for a call whose
// pattern varies by row.
const regexCacheSize = 256

// regexArg is a regular expression argument: compiled once at bind time
// when constant, otherwise compiled per distinct pattern and cached.
type regexArg struct {
	fn    string
	fixed *regexp.Regexp
	wrap  func(string) string
	mu    sync.Mutex
	cache map[string]*regexp.Regexp
}

// bindRegex prepares a regular expression argument. A constant pattern
// that does not compile is a bind error.
func bindRegex(fn string, a Arg, wrap func(string) string) (*regexArg, error) {
	r := &regexArg{fn: fn, cache: map[string]*regexp.Regexp{}}
	if wrap == nil {
		wrap = func(s string) string { return s }
	}
	if s, ok := constString(a); ok {
		re, err := regexp.Compile(wrap(s))
		if err != nil {
			return nil, ArgError(fn, "invalid regular expression %q: %v", s, err)
		}
		r.fixed = re
		return r, nil
	}
	r.wrap = wrap
	return r, nil
}

// get returns the compiled pattern for row i of the pattern column.
func (r *regexArg) get(c *vec.Column, i int) (*regexp.Regexp, error) {
	if r.fixed != nil {
		return r.fixed, nil
	}
	s := strAt(c, i)
	r.mu.Lock()
	defer r.mu.Unlock()
	if re, ok := r.cache[s]; ok {
		return re, nil
	}
	re, err := regexp.Compile(r.wrap(s))
	if err != nil {
		return nil, fmt.Errorf("%s(): invalid regular expression %q: %v", r.fn, s, err)
	}
	if len(r.cache) >= regexCacheSize {
		clear(r.cache)
	}
	r.cache[s] = re
	return re, nil
}

// perRow builds a kernel computing each row from the argument columns.
// When every argument is constant, f runs once and the result is constant.
func perRow(ret types.Type, f func(args []*vec.Column, r int) (types.Value, error)) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		if allConst(args) {
			v, err := f(args, 0)
			if err != nil {
				return nil, err
			}
			return vec.NewConst(fitValue(v, ret), n), nil
		}
		b := vec.NewBuilder(ret, n)
		for r := 0; r < n; r++ {
			v, err := f(args, r)
			if err != nil {
				return nil, err
			}
			b.Append(fitValue(v, ret))
		}
		return b.Build(), nil
	}
}

// textArena collects the strings of a column's rows in one buffer, so
// that a kernel allocates once per column rather than once per row.
type textArena struct {
	buf  []byte
	ends []int
}

func newTextArena(rows, bytesPerRow int) *textArena {
	return &textArena{buf: make([]byte, 0, rows*bytesPerRow), ends: make([]int, 0, rows)}
}

// endRow marks the end of the current row's text.
func (a *textArena) endRow() { a.ends = append(a.ends, len(a.buf)) }

// rows returns the rows' strings, which share one allocation.
func (a *textArena) rows() []string {
	all := string(a.buf)
	out := make([]string, len(a.ends))
	prev := 0
	for i, e := range a.ends {
		out[i] = all[prev:e]
		prev = e
	}
	return out
}

// appendText appends row r of c as tostring() text, without intermediate
// allocations for strings and integers.
func appendText(dst []byte, c *vec.Column, r int) []byte {
	switch c.Type {
	case types.String, types.Guid:
		return append(dst, c.Str(r)...)
	case types.Int, types.Long:
		if c.IsNull(r) {
			return dst
		}
		return strconv.AppendInt(dst, c.Int(r), 10)
	}
	return append(dst, asString(c.Value(r))...)
}

// strToStrAppend is strToStr for a function that appends its result to a
// buffer: rows of a plain column share one allocation.
func strToStrAppend(f func(dst []byte, s string) []byte) Kernel {
	one := func(s string) string { return string(f(nil, s)) }
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		c := args[0]
		if c.Const || c.Codes != nil || c.Type != types.String {
			vals, k := mapStrings(c, n, one)
			return stringColumn(vals, k, n), nil
		}
		size := 0
		for _, s := range c.Strs[:n] {
			size += len(s)
		}
		a := &textArena{buf: make([]byte, 0, size+size/8), ends: make([]int, 0, n)}
		for _, s := range c.Strs[:n] {
			a.buf = f(a.buf, s)
			a.endRow()
		}
		return stringColumn(a.rows(), false, n), nil
	}
}
