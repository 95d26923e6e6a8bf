package builtin

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// extract_json (extractjson): one element of a JSON text selected by a
// JSONPath, as a string or converted to a given type. Also the lenient
// JSON reader parse_json() falls back to.
func init() {
	RegisterScalar(
		&Scalar{Name: "extract_json", Bind: bindExtractJSON("extract_json")},
		&Scalar{Name: "extractjson", Bind: bindExtractJSON("extractjson")},
	)
}

func bindExtractJSON(name string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		err := checkArgs(name, args, 2, p("jsonPath", kStr), p("dataSource", kAnyStr), p("type", kAny))
		if err != nil {
			return 0, nil, err
		}
		ret := types.String
		if len(args) == 3 {
			ret = args[2].Type
			if ret == types.Null {
				return 0, nil, ArgError(name, "argument #3 must be a type, such as typeof(long)")
			}
		}
		var fixed []pathStep
		if s, ok := constString(args[0]); ok {
			if fixed, err = parseJSONPath(s); err != nil {
				return 0, nil, ArgError(name, "%v", err)
			}
		}
		return ret, perRow(ret, func(cols []*vec.Column, r int) (types.Value, error) {
			path := fixed
			if path == nil {
				var err error
				if path, err = parseJSONPath(strAt(cols[0], r)); err != nil {
					return types.Value{}, fmt.Errorf("%s(): %v", name, err)
				}
			}
			return extractJSON(path, strAt(cols[1], r), ret), nil
		}), nil
	}
}

// extractJSON selects path in the JSON text doc and converts the element
// to ret: a string element to its text, other elements to their JSON.
func extractJSON(path []pathStep, doc string, ret types.Type) types.Value {
	d, ok := parseJSONDoc(doc)
	if !ok {
		return types.NullOf(ret)
	}
	for _, st := range path {
		if d = st.apply(d); d == nil {
			return types.NullOf(ret)
		}
	}
	switch ret {
	case types.Dynamic:
		return types.NewDynamic(d)
	case types.String:
		if s, ok := d.(string); ok {
			return types.NewString(s)
		}
		return types.NewString(types.FormatJSON(d))
	}
	return types.Convert(types.FromDynamic(d), ret)
}

func parseJSONDoc(s string) (any, bool) {
	if v, err := types.ParseJSON(s); err == nil {
		return v, true
	}
	return parseLenientJSON(strings.TrimSpace(s))
}

// pathStep is one accessor of a JSONPath: a property name or an array
// index (negative counts from the end).
type pathStep struct {
	name  string
	index int64
	isIdx bool
}

func (st pathStep) apply(d any) any {
	if st.isIdx {
		return Index(d, types.NewLong(st.index))
	}
	return Index(d, types.NewString(st.name))
}

// parseJSONPath parses the JSONPath subset Kusto supports: $ followed by
// .name, ['name'] and [index] accessors.
func parseJSONPath(s string) ([]pathStep, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "$") && !strings.HasPrefix(s, "@") {
		return nil, fmt.Errorf("invalid JSONPath %q: it must start with '$'", s)
	}
	steps := []pathStep{}
	for i := 1; i < len(s); {
		var st pathStep
		var err error
		switch s[i] {
		case '.':
			st, i, err = pathName(s, i+1)
		case '[':
			st, i, err = pathBracket(s, i+1)
		default:
			err = fmt.Errorf("unexpected %q", s[i])
		}
		if err != nil {
			return nil, fmt.Errorf("invalid JSONPath %q: %v", s, err)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

func pathName(s string, i int) (pathStep, int, error) {
	j := i
	for j < len(s) && s[j] != '.' && s[j] != '[' {
		j++
	}
	if j == i || s[i:j] == "*" {
		return pathStep{}, 0, fmt.Errorf("expected a property name at %d", i)
	}
	return pathStep{name: s[i:j]}, j, nil
}

func pathBracket(s string, i int) (pathStep, int, error) {
	end := strings.IndexByte(s[i:], ']')
	if end < 0 {
		return pathStep{}, 0, fmt.Errorf("missing ']'")
	}
	body := strings.TrimSpace(s[i : i+end])
	next := i + end + 1
	if len(body) >= 2 && (body[0] == '\'' || body[0] == '"') && body[len(body)-1] == body[0] {
		return pathStep{name: body[1 : len(body)-1]}, next, nil
	}
	n, err := strconv.ParseInt(body, 10, 64)
	if err != nil {
		return pathStep{}, 0, fmt.Errorf("unsupported subscript [%s]", body)
	}
	return pathStep{index: n, isIdx: true}, next, nil
}

// parseLenientJSON reads the relaxed JSON Kusto accepts in dynamic
// values: single-quoted strings, unquoted property names and trailing
// commas, besides standard JSON.
func parseLenientJSON(s string) (any, bool) {
	r := &jsonReader{s: s}
	v, ok := r.value()
	if !ok {
		return nil, false
	}
	r.space()
	return v, r.i == len(r.s)
}

type jsonReader struct {
	s string
	i int
}

func (r *jsonReader) space() {
	for r.i < len(r.s) && strings.IndexByte(" \t\r\n", r.s[r.i]) >= 0 {
		r.i++
	}
}

func (r *jsonReader) peek() byte {
	r.space()
	if r.i < len(r.s) {
		return r.s[r.i]
	}
	return 0
}

func (r *jsonReader) value() (any, bool) {
	switch c := r.peek(); {
	case c == '{':
		return r.object()
	case c == '[':
		return r.array()
	case c == '"' || c == '\'':
		return r.str()
	case c == '-' || c >= '0' && c <= '9':
		return r.number()
	}
	w := r.word()
	switch w {
	case "true":
		return true, true
	case "false":
		return false, true
	case "null":
		return nil, true
	}
	return nil, false
}

func (r *jsonReader) object() (any, bool) {
	r.i++
	bag := &types.Bag{}
	for {
		if r.peek() == '}' {
			r.i++
			return bag, true
		}
		var key string
		if c := r.peek(); c == '"' || c == '\'' {
			k, ok := r.str()
			if !ok {
				return nil, false
			}
			key = k.(string)
		} else if key = r.word(); key == "" {
			return nil, false
		}
		if r.peek() != ':' {
			return nil, false
		}
		r.i++
		v, ok := r.value()
		if !ok {
			return nil, false
		}
		bag.Set(key, v)
		if !r.separator('}') {
			return nil, false
		}
	}
}

func (r *jsonReader) array() (any, bool) {
	r.i++
	arr := []any{}
	for {
		if r.peek() == ']' {
			r.i++
			return arr, true
		}
		v, ok := r.value()
		if !ok {
			return nil, false
		}
		arr = append(arr, v)
		if !r.separator(']') {
			return nil, false
		}
	}
}

// separator consumes a ',' or sees the closing bracket.
func (r *jsonReader) separator(close byte) bool {
	switch r.peek() {
	case ',':
		r.i++
		return true
	case close:
		return true
	}
	return false
}

// word reads an unquoted name: letters, digits, '_', '$' and '-'.
func (r *jsonReader) word() string {
	r.space()
	j := r.i
	for j < len(r.s) {
		c := r.s[j]
		if !(c == '_' || c == '$' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf) {
			break
		}
		j++
	}
	w := r.s[r.i:j]
	r.i = j
	return w
}

func (r *jsonReader) number() (any, bool) {
	j := r.i
	for j < len(r.s) && strings.IndexByte("+-0123456789.eE", r.s[j]) >= 0 {
		j++
	}
	text := r.s[r.i:j]
	r.i = j
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(text, 64)
	return f, err == nil || math.IsInf(f, 0)
}

func (r *jsonReader) str() (any, bool) {
	quote := r.s[r.i]
	r.i++
	var b strings.Builder
	for r.i < len(r.s) {
		c := r.s[r.i]
		r.i++
		switch {
		case c == quote:
			return b.String(), true
		case c == '\\':
			if !r.escape(&b) {
				return nil, false
			}
		default:
			b.WriteByte(c)
		}
	}
	return nil, false
}

var jsonEscapes = map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f', '/': '/', '\\': '\\', '"': '"', '\'': '\''}

func (r *jsonReader) escape(b *strings.Builder) bool {
	if r.i >= len(r.s) {
		return false
	}
	c := r.s[r.i]
	r.i++
	if e, ok := jsonEscapes[c]; ok {
		b.WriteByte(e)
		return true
	}
	if c != 'u' || r.i+4 > len(r.s) {
		return false
	}
	u, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 16)
	if err != nil {
		return false
	}
	r.i += 4
	ch := rune(u)
	if utf16.IsSurrogate(ch) && r.i+6 <= len(r.s) && r.s[r.i] == '\\' && r.s[r.i+1] == 'u' {
		if lo, err := strconv.ParseUint(r.s[r.i+2:r.i+6], 16, 16); err == nil {
			ch = utf16.DecodeRune(ch, rune(lo))
			r.i += 6
		}
	}
	b.WriteRune(ch)
	return true
}
