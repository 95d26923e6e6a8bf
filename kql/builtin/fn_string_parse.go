package builtin

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Parsers of structured text: parse_url, parse_urlquery, parse_path,
// parse_csv, parse_command_line, parse_version; and format_bytes.
func init() {
	RegisterScalar(
		unaryString("parse_url", types.Dynamic, kStr, strToDyn(parseURL)),
		unaryString("parse_urlquery", types.Dynamic, kStr, strToDyn(func(s string) any {
			return bag("Query Parameters", queryParams(strings.TrimPrefix(s, "?")))
		})),
		unaryString("parse_path", types.Dynamic, kStr, strToDyn(parsePath)),
		unaryString("parse_csv", types.Dynamic, kStr, strToDyn(parseCSV)),
		&Scalar{Name: "parse_command_line", Bind: bindParseCommandLine},
		unaryString("parse_version", types.Decimal, kStr, strToValue(types.Decimal, parseVersion)),
		&Scalar{Name: "format_bytes", Bind: bindFormatBytes},
	)
}

// bag builds a property bag from alternating keys and values.
func bag(kv ...any) *types.Bag {
	b := &types.Bag{}
	for i := 0; i+1 < len(kv); i += 2 {
		b.Set(kv[i].(string), kv[i+1])
	}
	return b
}

// parseURL splits an absolute URL into its parts; text that is not an
// absolute URL gives every part empty.
func parseURL(s string) any {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		u = &url.URL{}
	}
	user, pass := "", ""
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	return bag("Scheme", u.Scheme, "Host", u.Hostname(), "Port", u.Port(), "Path", u.EscapedPath(),
		"Username", user, "Password", pass, "Query Parameters", queryParams(u.RawQuery), "Fragment", u.Fragment)
}

// queryParams decodes k1=v1&k2=v2 into a bag, in order of appearance.
func queryParams(q string) *types.Bag {
	b := &types.Bag{}
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		b.Set(urlDecode(k), urlDecode(v))
	}
	return b
}

var pathScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.\-]+)://`)

// parsePath splits a file path: scheme, root (drive), directory, file
// name, extension and alternate data stream.
func parsePath(s string) any {
	scheme := ""
	if m := pathScheme.FindStringSubmatch(s); m != nil {
		scheme, s = m[1], s[len(m[0]):]
	}
	root := ""
	if len(s) >= 2 && s[1] == ':' && isLetter(s[0]) {
		root = s[:2]
	}
	dir, file := "", s
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		dir, file = s[:i], s[i+1:]
		if dir == root && root != "" {
			dir = s[:i+1]
		}
	}
	stream := ""
	if i := strings.IndexByte(file, ':'); i >= 0 && !(root != "" && dir == "" && i == 1) {
		file, stream = file[:i], file[i+1:]
	}
	dirName := dir
	if i := strings.LastIndexAny(dir, `/\`); i >= 0 {
		dirName = dir[i+1:]
	}
	ext := ""
	if i := strings.LastIndexByte(file, '.'); i >= 0 {
		ext = file[i+1:]
	}
	return bag("Scheme", scheme, "RootPath", root, "DirectoryPath", dir, "DirectoryName", dirName,
		"Filename", file, "Extension", ext, "AlternateDataStreamName", stream)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseCSV splits the first record of CSV text into an array of strings.
// Quoted fields may hold commas, line breaks and doubled quotes.
func parseCSV(s string) any {
	fields := []any{}
	var f strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '"' && i+1 < len(s) && s[i+1] == '"':
			f.WriteByte('"')
			i++
		case c == '"' && (quoted || f.Len() == 0):
			quoted = !quoted
		case quoted:
			f.WriteByte(c)
		case c == ',':
			fields = append(fields, f.String())
			f.Reset()
		case c == '\n' || c == '\r':
			return append(fields, f.String())
		default:
			f.WriteByte(c)
		}
	}
	return append(fields, f.String())
}

func bindParseCommandLine(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("parse_command_line", args, 2, p("command_line", kStr), p("parser_type", kStr))
	if err != nil {
		return 0, nil, err
	}
	if kind, ok := constString(args[1]); ok && !strings.EqualFold(kind, "windows") {
		return 0, nil, ArgError("parse_command_line", "unsupported parser %q: the only parser is \"windows\"", kind)
	}
	return types.Dynamic, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
		return strToDyn(parseWindowsCommandLine)(ctx, a[:1], n)
	}, nil
}

// parseWindowsCommandLine splits a command line as CommandLineToArgvW
// does: the program name ends at white space or its closing quote; in
// later arguments, 2n backslashes before a quote give n backslashes and
// toggle quoting, 2n+1 give n backslashes and a literal quote.
func parseWindowsCommandLine(s string) any {
	out := []any{}
	i := 0
	if s == "" {
		return out
	}
	if s[0] == '"' {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return append(out, s[1:])
		}
		out, i = append(out, s[1:1+end]), end+2
	} else {
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			return append(out, s)
		}
		out, i = append(out, s[:end]), end
	}
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return out
		}
		var arg string
		arg, i = windowsArg(s, i)
		out = append(out, arg)
	}
}

// windowsArg reads one argument after the program name from s[i:].
func windowsArg(s string, i int) (string, int) {
	var b strings.Builder
	quoted := false
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				b.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					b.WriteByte('"')
					i++
				}
				continue
			}
			b.WriteString(strings.Repeat(`\`, n))
			continue
		case c == '"' && quoted && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case (c == ' ' || c == '\t') && !quoted:
			return b.String(), i
		default:
			b.WriteByte(c)
		}
		i++
	}
	return b.String(), i
}

// parseVersion converts a version of one to four dot-separated parts of
// up to eight digits into a comparable decimal: each part scaled by
// 10^8 more than the next, missing trailing parts zero.
func parseVersion(s string) types.Value {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) > 4 {
		return types.NullOf(types.Decimal)
	}
	var v float64
	for i := 0; i < 4; i++ {
		x := int64(0)
		if i < len(parts) {
			p := parts[i]
			if len(p) == 0 || len(p) > 8 || strings.Trim(p, "0123456789") != "" {
				return types.NullOf(types.Decimal)
			}
			x, _ = strconv.ParseInt(p, 10, 64)
		}
		v = v*1e8 + float64(x)
	}
	return types.NewDecimal(v)
}

var byteUnits = []string{"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"}

func bindFormatBytes(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("format_bytes", args, 1, p("size", kNum), p("precision", kInt), p("units", kStr), p("base", kInt))
	if err != nil {
		return 0, nil, err
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		size := types.Convert(v[0], types.Real)
		if size.IsNull() {
			return types.NewString("")
		}
		precision, units, base := int64(0), "", 1024.0
		if len(v) > 1 {
			precision, _ = valueInt(v[1])
		}
		if len(v) > 2 {
			units = asString(v[2])
		}
		if len(v) > 3 {
			if b, ok := valueInt(v[3]); ok && b == 10 {
				base = 1000
			}
		}
		return types.NewString(formatBytes(size.F, int(max(precision, 0)), units, base))
	}), nil
}

// formatBytes formats size in the given units (or the largest unit not
// above it), rounded half to even to precision digits.
func formatBytes(size float64, precision int, units string, base float64) string {
	u := -1
	for i, name := range byteUnits {
		if strings.EqualFold(name, units) {
			u = i
		}
	}
	if u < 0 {
		if units != "" {
			return ""
		}
		u = 0
		for u+1 < len(byteUnits) && math.Abs(size) >= math.Pow(base, float64(u+1)) {
			u++
		}
	}
	scale := math.Pow(10, float64(min(precision, 15)))
	x := math.RoundToEven(size/math.Pow(base, float64(u))*scale) / scale
	return strconv.FormatFloat(x, 'f', -1, 64) + " " + byteUnits[u]
}
