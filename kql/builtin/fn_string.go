package builtin

import (
	"strings"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// String functions: lengths, case, concatenation, substrings, splitting
// and repetition. Character positions and lengths count Unicode code
// points, as Kusto documents. Searching, regular expressions, encodings,
// hashes and parsers live in the other fn_string_*.go files.
func init() {
	RegisterScalar(
		unaryString("strlen", types.Long, kStr, strToInt(types.Long, func(s string) int64 {
			return int64(utf8.RuneCountInString(s))
		})),
		unaryString("string_size", types.Long, kStr, strToInt(types.Long, func(s string) int64 { return int64(len(s)) })),
		unaryString("tolower", types.String, kStr, strToStrAppend(appendLower)),
		unaryString("toupper", types.String, kStr, strToStrAppend(appendUpper)),
		unaryString("reverse", types.String, kAnyStr, strToStr(reverseString)),
		&Scalar{Name: "substring", Bind: bindSubstring},
		&Scalar{Name: "strcat", Bind: bindStrcat},
		&Scalar{Name: "strcat_delim", Bind: bindStrcatDelim},
		&Scalar{Name: "strcat_array", Bind: bindStrcatArray},
		&Scalar{Name: "split", Bind: bindSplit},
		&Scalar{Name: "strcmp", Bind: bindStrcmp},
		&Scalar{Name: "translate", Bind: bindTranslate},
		&Scalar{Name: "strrep", Bind: bindStrrep},
		&Scalar{Name: "repeat", Bind: bindRepeat},
	)
}

// appendLower appends s in lower case; ASCII text is mapped in place.
func appendLower(dst []byte, s string) []byte { return appendCase(dst, s, 'A', strings.ToLower) }

// appendUpper appends s in upper case.
func appendUpper(dst []byte, s string) []byte { return appendCase(dst, s, 'a', strings.ToUpper) }

// appendCase appends s with the ASCII letters from first to first+25
// flipped in case; text that is not ASCII goes through slow.
func appendCase(dst []byte, s string, first byte, slow func(string) string) []byte {
	start := len(dst)
	dst = append(dst, s...)
	out := dst[start:]
	for i, c := range out {
		if c >= utf8.RuneSelf {
			return append(dst[:start], slow(s)...)
		}
		if c-first < 26 {
			out[i] = c ^ 0x20
		}
	}
	return dst
}

func reverseString(s string) string {
	if isASCII(s) {
		b := []byte(s)
		for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
			b[i], b[j] = b[j], b[i]
		}
		return string(b)
	}
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// runeOffset returns the byte offset of the k-th code point of s (len(s)
// when k is past the end).
func runeOffset(s string, k int) int {
	if k <= 0 {
		return 0
	}
	if isASCII(s) {
		return min(k, len(s))
	}
	for i := range s {
		if k == 0 {
			return i
		}
		k--
	}
	return len(s)
}

// runeLen is the number of code points in s.
func runeLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

func bindSubstring(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("substring", args, 2, p("source", kAnyStr), p("startingIndex", kInt), p("length", kInt))
	if err != nil {
		return 0, nil, err
	}
	return types.String, perRow(types.String, func(c []*vec.Column, r int) (types.Value, error) {
		start, ok := valueInt(c[1].Value(r))
		if !ok {
			return types.NewString(""), nil
		}
		length := int64(-1)
		if len(c) == 3 {
			if length, ok = valueInt(c[2].Value(r)); !ok {
				length = -1
			} else if length < 0 {
				return types.NewString(""), nil
			}
		}
		return types.NewString(substring(strAt(c[0], r), start, length)), nil
	}), nil
}

// substring takes length code points (all when negative) from start; a
// negative start counts from the end.
func substring(s string, start, length int64) string {
	n := int64(runeLen(s))
	if start < 0 {
		start = max(start+n, 0)
	}
	if start >= n {
		return ""
	}
	end := n
	if length >= 0 && start+length < n {
		end = start + length
	}
	lo := runeOffset(s, int(start))
	hi := lo + runeOffset(s[lo:], int(end-start))
	return s[lo:hi]
}

func bindStrcat(args []Arg) (types.Type, Kernel, error) {
	if err := checkVariadic("strcat", args, 1, 64, nil, p("argument", kAnyStr)); err != nil {
		return 0, nil, err
	}
	return types.String, joinKernel(false), nil
}

func bindStrcatDelim(args []Arg) (types.Type, Kernel, error) {
	err := checkVariadic("strcat_delim", args, 3, 65, []param{p("delimiter", kAnyStr)}, p("argument", kAnyStr))
	if err != nil {
		return 0, nil, err
	}
	return types.String, joinKernel(true), nil
}

// joinKernel concatenates its arguments' text row by row; with delim, the
// first argument separates the others.
func joinKernel(delim bool) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		isConst := allConst(args)
		rows := n
		if isConst {
			rows = 1
		}
		a := newTextArena(rows, 8*len(args))
		var sep []byte
		for r := 0; r < rows; r++ {
			parts := args
			if delim {
				sep, parts = appendText(sep[:0], args[0], r), args[1:]
			}
			for j, c := range parts {
				if j > 0 {
					a.buf = append(a.buf, sep...)
				}
				a.buf = appendText(a.buf, c, r)
			}
			a.endRow()
		}
		return stringColumn(a.rows(), isConst, n), nil
	}
}

func bindStrcatArray(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("strcat_array", args, 2, p("array", kDyn), p("delimiter", kAnyStr)); err != nil {
		return 0, nil, err
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		arr, _ := v[0].D.([]any)
		parts := make([]string, len(arr))
		for i, e := range arr {
			parts[i] = asString(types.FromDynamic(e))
		}
		return types.NewString(strings.Join(parts, asString(v[1])))
	}), nil
}

func bindSplit(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("split", args, 2, p("source", kStr), p("delimiter", kStr), p("requestedIndex", kInt))
	if err != nil {
		return 0, nil, err
	}
	delim, constDelim := constString(args[1])
	index, hasIndex := int64(0), len(args) == 3
	constIndex := !hasIndex || args[2].Const != nil
	if hasIndex && args[2].Const != nil {
		var ok bool
		if index, ok = constInt(args[2]); !ok {
			return types.Dynamic, nullKernel(types.Dynamic), nil
		}
	}
	if constDelim && constIndex {
		return types.Dynamic, strToDyn(func(s string) any { return splitString(s, delim, hasIndex, index) }), nil
	}
	return types.Dynamic, RowKernel(types.Dynamic, func(v []types.Value) types.Value {
		idx, ok := int64(0), true
		if hasIndex {
			if idx, ok = valueInt(v[2]); !ok {
				return types.NullOf(types.Dynamic)
			}
		}
		return types.NewDynamic(splitString(asString(v[0]), asString(v[1]), hasIndex, idx))
	}), nil
}

// splitString splits s on delim into a dynamic array; with an index, the
// array holds only that part, or nothing when it does not exist.
func splitString(s, delim string, hasIndex bool, index int64) any {
	var parts []string
	if delim == "" {
		parts = []string{s}
	} else {
		parts = strings.Split(s, delim)
	}
	if hasIndex {
		if index < 0 || index >= int64(len(parts)) {
			return []any{}
		}
		return []any{parts[index]}
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

// nullKernel returns a null of type t for every row.
func nullKernel(t types.Type) Kernel {
	return func(_ *Context, _ []*vec.Column, n int) (*vec.Column, error) {
		return vec.NewConst(types.NullOf(t), n), nil
	}
}

func bindStrcmp(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("strcmp", args, 2, p("string1", kStr), p("string2", kStr)); err != nil {
		return 0, nil, err
	}
	return types.Int, RowKernel(types.Int, func(v []types.Value) types.Value {
		return types.NewInt(int32(strings.Compare(asString(v[0]), asString(v[1]))))
	}), nil
}

func bindTranslate(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("translate", args, 3, p("searchList", kStr), p("replacementList", kStr), p("source", kStr))
	if err != nil {
		return 0, nil, err
	}
	from, c1 := constString(args[0])
	to, c2 := constString(args[1])
	if c1 && c2 {
		m := translation(from, to)
		return types.String, func(_ *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return strToStr(func(s string) string { return translate(m, s) })(nil, a[2:], n)
		}, nil
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		return types.NewString(translate(translation(asString(v[0]), asString(v[1])), asString(v[2])))
	}), nil
}

// translation maps each character of from to the character at the same
// position of to, or to the last character of to when to is shorter; -1
// deletes the character when to is empty.
func translation(from, to string) map[rune]rune {
	repl := []rune(to)
	m := map[rune]rune{}
	for i, r := range []rune(from) {
		if _, seen := m[r]; seen {
			continue
		}
		switch {
		case len(repl) == 0:
			m[r] = -1
		case i < len(repl):
			m[r] = repl[i]
		default:
			m[r] = repl[len(repl)-1]
		}
	}
	return m
}

func translate(m map[rune]rune, s string) string {
	return strings.Map(func(r rune) rune {
		if t, ok := m[r]; ok {
			return t
		}
		return r
	}, s)
}

// maxRepeatedSize bounds the result of strrep() and repeat().
const maxRepeatedSize = 64 << 20

func bindStrrep(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("strrep", args, 2, p("value", kAnyStr), p("multiplier", kInt), p("delimiter", kAnyStr))
	if err != nil {
		return 0, nil, err
	}
	return types.String, perRow(types.String, func(c []*vec.Column, r int) (types.Value, error) {
		k, ok := valueInt(c[1].Value(r))
		if !ok || k < 1 {
			return types.NewString(""), nil
		}
		k = min(k, 67108864)
		s, delim := strAt(c[0], r), ""
		if len(c) == 3 {
			delim = strAt(c[2], r)
		}
		if int64(len(s)+len(delim))*k > maxRepeatedSize {
			return types.Value{}, ArgError("strrep", "the result would exceed %d bytes", maxRepeatedSize)
		}
		return types.NewString(strings.TrimSuffix(strings.Repeat(s+delim, int(k)), delim)), nil
	}), nil
}

func bindRepeat(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("repeat", args, 2, p("value", kAny), p("count", kInt)); err != nil {
		return 0, nil, err
	}
	return types.Dynamic, perRow(types.Dynamic, func(c []*vec.Column, r int) (types.Value, error) {
		k, ok := valueInt(c[1].Value(r))
		if !ok || k < 0 {
			return types.NullOf(types.Dynamic), nil
		}
		if k > maxRepeatedSize/8 {
			return types.Value{}, ArgError("repeat", "count %d is too large", k)
		}
		e := types.ToDynamic(c[0].Value(r))
		out := make([]any, k)
		for i := range out {
			out[i] = e
		}
		return types.NewDynamic(out), nil
	}), nil
}
