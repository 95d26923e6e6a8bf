package builtin

import (
	"bytes"
	"math"
	"sort"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Conversion functions: tostring, toint, tolong, toreal (todouble),
// todecimal, tobool (toboolean), todatetime, totimespan, toguid,
// parse_json (todynamic, toobject, parsejson), dynamic_to_json and
// gettype. A value that does not convert gives null, as in Kusto.
func init() {
	RegisterScalar(
		convertFn("tostring", types.String),
		convertFn("toint", types.Int), convertFn("tolong", types.Long),
		convertFn("toreal", types.Real), convertFn("todouble", types.Real),
		convertFn("todecimal", types.Decimal),
		convertFn("tobool", types.Bool), convertFn("toboolean", types.Bool),
		convertFn("todatetime", types.Datetime), convertFn("totimespan", types.Timespan),
		convertFn("toguid", types.Guid),
		parseJSONFn("parse_json"), parseJSONFn("parsejson"), parseJSONFn("todynamic"), parseJSONFn("toobject"),
		&Scalar{Name: "dynamic_to_json", Bind: bindDynamicToJSON},
		&Scalar{Name: "gettype", Bind: bindGettype},
	)
}

// convertFn is a to*() function converting any scalar to t.
func convertFn(name string, t types.Type) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 1, p("value", kAny)); err != nil {
			return 0, nil, err
		}
		return t, convertKernel(t), nil
	}}
}

// convertKernel converts a column to type t. Strings are parsed once per
// dictionary entry; conversions to string have typed fast paths.
func convertKernel(t types.Type) Kernel {
	return func(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
		c := args[0]
		switch {
		case c.Type == t:
			return c, nil
		case t == types.String:
			return toStringColumn(c, n), nil
		case c.Type == types.String:
			vals, k := mapStrings(c, n, func(s string) types.Value { return types.Convert(types.NewString(s), t) })
			return valueColumn(t, vals, k, n), nil
		}
		return RowKernel(t, func(v []types.Value) types.Value { return types.Convert(v[0], t) })(nil, args, n)
	}
}

// toStringColumn implements tostring() over a column: null becomes the
// empty string, a dynamic string its text without quotes, other dynamic
// values their JSON text.
func toStringColumn(c *vec.Column, n int) *vec.Column {
	if c.Const {
		return vec.NewConst(types.NewString(asString(c.Value(0))), n)
	}
	if c.Type == types.Dynamic {
		// Dynamic strings are the text itself: no copy.
		out := make([]string, n)
		for i := range out {
			if s, ok := c.Any(i).(string); ok && !c.IsNull(i) {
				out[i] = s
			} else {
				out[i] = asString(c.Value(i))
			}
		}
		return &vec.Column{Type: types.String, N: n, Strs: out}
	}
	a := newTextArena(n, 8)
	for i := 0; i < n; i++ {
		a.buf = appendText(a.buf, c, i)
		a.endRow()
	}
	return &vec.Column{Type: types.String, N: n, Strs: a.rows()}
}

// parseJSONFn is parse_json() and its aliases: a string holding JSON
// becomes the dynamic value it describes, any other string a dynamic
// string; a dynamic argument is returned as it is.
func parseJSONFn(name string) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 1, p("json", kAny)); err != nil {
			return 0, nil, err
		}
		return types.Dynamic, parseJSONKernel, nil
	}}
}

func parseJSONKernel(_ *Context, args []*vec.Column, n int) (*vec.Column, error) {
	c := args[0]
	switch c.Type {
	case types.Dynamic:
		return c, nil
	case types.String:
		vals, k := mapStrings(c, n, parseJSONText)
		return dynColumn(vals, k, n), nil
	}
	return RowKernel(types.Dynamic, func(v []types.Value) types.Value {
		return types.NewDynamic(types.ToDynamic(v[0]))
	})(nil, args, n)
}

// parseJSONText parses s as JSON, leniently as Kusto does (single quotes,
// unquoted names); text that is not JSON stays a string and blank text
// is null.
func parseJSONText(s string) any {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil
	}
	if v, err := types.ParseJSON(t); err == nil {
		return v
	}
	if v, ok := parseLenientJSON(t); ok {
		return v
	}
	return s
}

func bindDynamicToJSON(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("dynamic_to_json", args, 1, p("expr", kAny)); err != nil {
		return 0, nil, err
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		if v[0].Type != types.Dynamic {
			return types.NewString(asString(v[0]))
		}
		var b bytes.Buffer
		writeCanonicalJSON(&b, v[0].D)
		return types.NewString(b.String())
	}), nil
}

// writeCanonicalJSON writes v as JSON with property bags sorted by name.
func writeCanonicalJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonicalJSON(b, e)
		}
		b.WriteByte(']')
	case *types.Bag:
		idx := make([]int, len(x.Keys))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return x.Keys[idx[i]] < x.Keys[idx[j]] })
		b.WriteByte('{')
		for i, k := range idx {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(types.FormatJSON(x.Keys[k]))
			b.WriteByte(':')
			writeCanonicalJSON(b, x.Vals[k])
		}
		b.WriteByte('}')
	default:
		b.WriteString(types.FormatJSON(v))
	}
}

func bindGettype(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("gettype", args, 1, p("value", kAny)); err != nil {
		return 0, nil, err
	}
	if t := args[0].Type; t != types.Dynamic {
		name := types.NewString(t.String())
		return types.String, func(_ *Context, _ []*vec.Column, n int) (*vec.Column, error) {
			return vec.NewConst(name, n), nil
		}, nil
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		return types.NewString(dynamicTypeName(v[0].D))
	}), nil
}

// dynamicTypeName is gettype() of a dynamic value: the type of the value
// it holds. Integers that fit in 32 bits are "int", as Kusto's JSON
// reader makes them.
func dynamicTypeName(d any) string {
	switch x := d.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return "int"
		}
		return "long"
	case float64:
		return "real"
	case string:
		return "string"
	case types.DatetimeVal:
		return "datetime"
	case types.TimespanVal:
		return "timespan"
	case types.GuidVal:
		return "guid"
	case []any:
		return "array"
	case *types.Bag:
		return "dictionary"
	}
	return "dynamic"
}
