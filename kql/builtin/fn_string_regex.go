package builtin

import (
	"regexp"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Replacing, trimming and extracting: replace_regex (replace),
// replace_string, replace_strings, trim, trim_start, trim_end, extract,
// extract_all and regex_quote. Regular expressions use RE2 syntax, as
// Kusto's do; constant patterns are compiled once, at bind time.
func init() {
	RegisterScalar(
		&Scalar{Name: "replace_regex", Bind: bindReplaceRegex("replace_regex", 0, 1, 2)},
		&Scalar{Name: "replace", Bind: bindReplaceRegex("replace", 2, 0, 1)},
		&Scalar{Name: "replace_string", Bind: bindReplaceString},
		&Scalar{Name: "replace_strings", Bind: bindReplaceStrings},
		&Scalar{Name: "trim", Bind: bindTrim("trim", true, true)},
		&Scalar{Name: "trim_start", Bind: bindTrim("trim_start", true, false)},
		&Scalar{Name: "trim_end", Bind: bindTrim("trim_end", false, true)},
		&Scalar{Name: "extract", Bind: bindExtract},
		&Scalar{Name: "extract_all", Bind: bindExtractAll},
		unaryString("regex_quote", types.String, kStr, strToStr(regexp.QuoteMeta)),
	)
}

// bindReplaceRegex binds replace_regex(text, regex, rewrite) or the
// deprecated replace(regex, rewrite, text); the positions say where each
// argument is.
func bindReplaceRegex(name string, text, regex, rewrite int) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		params := make([]param, 3)
		params[text], params[regex], params[rewrite] = p("text", kStr), p("regex", kStr), p("rewrite", kStr)
		if err := checkArgs(name, args, 3, params...); err != nil {
			return 0, nil, err
		}
		rx, err := bindRegex(name, args[regex], nil)
		if err != nil {
			return 0, nil, err
		}
		if tmpl, ok := constString(args[rewrite]); ok && rx.fixed != nil {
			re, tmpl := rx.fixed, goTemplate(tmpl)
			f := strToStr(func(s string) string { return re.ReplaceAllString(s, tmpl) })
			return types.String, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
				return f(ctx, a[text:text+1], n)
			}, nil
		}
		return types.String, perRow(types.String, func(c []*vec.Column, r int) (types.Value, error) {
			re, err := rx.get(c[regex], r)
			if err != nil {
				return types.Value{}, err
			}
			return types.NewString(re.ReplaceAllString(strAt(c[text], r), goTemplate(strAt(c[rewrite], r)))), nil
		}), nil
	}
}

// goTemplate turns a Kusto rewrite pattern (\0 for the match, \1 to \9
// for groups, \\ for a backslash, everything else literal) into a Go
// regexp template.
func goTemplate(rw string) string {
	var b strings.Builder
	for i := 0; i < len(rw); i++ {
		c := rw[i]
		switch {
		case c == '$':
			b.WriteString("$$")
		case c == '\\' && i+1 < len(rw) && rw[i+1] >= '0' && rw[i+1] <= '9':
			b.WriteString("${" + rw[i+1:i+2] + "}")
			i++
		case c == '\\' && i+1 < len(rw) && rw[i+1] == '\\':
			b.WriteByte('\\')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func bindReplaceString(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("replace_string", args, 3, p("text", kStr), p("lookup", kStr), p("rewrite", kStr))
	if err != nil {
		return 0, nil, err
	}
	lookup, c1 := constString(args[1])
	rewrite, c2 := constString(args[2])
	if c1 && c2 {
		f := strToStr(func(s string) string { return replaceString(s, lookup, rewrite) })
		return types.String, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return f(ctx, a[:1], n)
		}, nil
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		return types.NewString(replaceString(asString(v[0]), asString(v[1]), asString(v[2])))
	}), nil
}

// replaceString replaces every occurrence of lookup; an empty lookup
// replaces nothing.
func replaceString(s, lookup, rewrite string) string {
	if lookup == "" {
		return s
	}
	return strings.ReplaceAll(s, lookup, rewrite)
}

func bindReplaceStrings(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("replace_strings", args, 3, p("text", kStr), p("lookups", kDyn), p("rewrites", kDyn))
	if err != nil {
		return 0, nil, err
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		lookups, _ := v[1].D.([]any)
		rewrites, _ := v[2].D.([]any)
		return types.NewString(replaceStrings(asString(v[0]), lookups, rewrites))
	}), nil
}

// claim is a replaced range of the text and its replacement (keep when
// the rewrite is not a string: the match stands but is not replaced).
type claim struct {
	lo, hi int
	with   string
	keep   bool
}

// replaceStrings replaces the matches of several lookups in one pass.
// Earlier lookups take precedence: a later lookup's match that overlaps
// an earlier one's is ignored. Lookups that are not strings are ignored.
func replaceStrings(s string, lookups, rewrites []any) string {
	var claims []claim
	for i, l := range lookups {
		lookup, ok := l.(string)
		if !ok || lookup == "" {
			continue
		}
		c := claim{keep: true}
		if i < len(rewrites) {
			if w, ok := rewrites[i].(string); ok {
				c = claim{with: w}
			}
		}
		claims = claimMatches(s, lookup, c, claims)
	}
	if len(claims) == 0 {
		return s
	}
	sortClaims(claims)
	var b strings.Builder
	at := 0
	for _, c := range claims {
		b.WriteString(s[at:c.lo])
		if c.keep {
			b.WriteString(s[c.lo:c.hi])
		} else {
			b.WriteString(c.with)
		}
		at = c.hi
	}
	b.WriteString(s[at:])
	return b.String()
}

// claimMatches adds the non-overlapping matches of lookup that do not
// overlap earlier claims.
func claimMatches(s, lookup string, c claim, claims []claim) []claim {
	for from := 0; from <= len(s)-len(lookup); {
		i := strings.Index(s[from:], lookup)
		if i < 0 {
			break
		}
		lo, hi := from+i, from+i+len(lookup)
		if overlaps(claims, lo, hi) {
			from = lo + 1
			continue
		}
		c.lo, c.hi = lo, hi
		claims = append(claims, c)
		from = hi
	}
	return claims
}

func overlaps(claims []claim, lo, hi int) bool {
	for _, c := range claims {
		if lo < c.hi && c.lo < hi {
			return true
		}
	}
	return false
}

func sortClaims(claims []claim) {
	for i := 1; i < len(claims); i++ {
		for j := i; j > 0 && claims[j].lo < claims[j-1].lo; j-- {
			claims[j], claims[j-1] = claims[j-1], claims[j]
		}
	}
}

// bindTrim binds trim, trim_start and trim_end: all leading and/or
// trailing matches of a regular expression are removed.
func bindTrim(name string, start, end bool) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := checkArgs(name, args, 2, p("regex", kStr), p("source", kStr)); err != nil {
			return 0, nil, err
		}
		// Validate the pattern on its own so errors name what was typed.
		if _, err := bindRegex(name, args[0], nil); err != nil {
			return 0, nil, err
		}
		head, err := bindRegex(name, args[0], func(s string) string { return "^(?:" + s + ")+" })
		if err != nil {
			return 0, nil, err
		}
		tail, err := bindRegex(name, args[0], func(s string) string { return "(?:" + s + ")+$" })
		if err != nil {
			return 0, nil, err
		}
		trim := func(s string, h, t *regexp.Regexp) string {
			if start {
				if loc := h.FindStringIndex(s); loc != nil {
					s = s[loc[1]:]
				}
			}
			if end {
				if loc := t.FindStringIndex(s); loc != nil {
					s = s[:loc[0]]
				}
			}
			return s
		}
		if head.fixed != nil {
			f := strToStr(func(s string) string { return trim(s, head.fixed, tail.fixed) })
			return types.String, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
				return f(ctx, a[1:], n)
			}, nil
		}
		return types.String, perRow(types.String, func(c []*vec.Column, r int) (types.Value, error) {
			h, err := head.get(c[0], r)
			if err != nil {
				return types.Value{}, err
			}
			t, err := tail.get(c[0], r)
			if err != nil {
				return types.Value{}, err
			}
			return types.NewString(trim(strAt(c[1], r), h, t)), nil
		}), nil
	}
}

func bindExtract(args []Arg) (types.Type, Kernel, error) {
	err := checkArgs("extract", args, 3, p("regex", kStr), p("captureGroup", kInt), p("source", kStr), p("typeLiteral", kAny))
	if err != nil {
		return 0, nil, err
	}
	ret := types.String
	if len(args) == 4 {
		if ret = args[3].Type; ret == types.Null {
			return 0, nil, ArgError("extract", "argument #4 must be a type, such as typeof(long)")
		}
	}
	rx, err := bindRegex("extract", args[0], nil)
	if err != nil {
		return 0, nil, err
	}
	if g, ok := constInt(args[1]); ok && rx.fixed != nil {
		if g < 0 || g > int64(rx.fixed.NumSubexp()) {
			return 0, nil, ArgError("extract", "capture group %d does not exist: the regular expression has %d", g, rx.fixed.NumSubexp())
		}
		re := rx.fixed
		f := strToValue(ret, func(s string) types.Value { return extractGroup(re, int(g), s, ret) })
		return ret, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return f(ctx, a[2:3], n)
		}, nil
	}
	return ret, perRow(ret, func(c []*vec.Column, r int) (types.Value, error) {
		re, err := rx.get(c[0], r)
		if err != nil {
			return types.Value{}, err
		}
		g, ok := valueInt(c[1].Value(r))
		if !ok || g < 0 || g > int64(re.NumSubexp()) {
			return types.NullOf(ret), nil
		}
		return extractGroup(re, int(g), strAt(c[2], r), ret), nil
	}), nil
}

// extractGroup returns group g of the first match of re in s, converted
// to ret; null without a match.
func extractGroup(re *regexp.Regexp, g int, s string, ret types.Type) types.Value {
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil || loc[2*g] < 0 {
		return types.NullOf(ret)
	}
	return convertText(s[loc[2*g]:loc[2*g+1]], ret)
}

// convertText converts extracted text to type t.
func convertText(s string, t types.Type) types.Value {
	if t == types.String {
		return types.NewString(s)
	}
	return types.Convert(types.NewString(s), t)
}

func bindExtractAll(args []Arg) (types.Type, Kernel, error) {
	params := []param{p("regex", kStr), p("captureGroups", kDyn), p("source", kStr)}
	if len(args) == 2 {
		params = []param{p("regex", kStr), p("source", kStr)}
	}
	if err := checkArgs("extract_all", args, 2, params...); err != nil {
		return 0, nil, err
	}
	rx, err := bindRegex("extract_all", args[0], nil)
	if err != nil {
		return 0, nil, err
	}
	var groups []any
	if len(args) == 3 {
		if args[1].Const == nil {
			return 0, nil, ArgError("extract_all", "captureGroups must be a constant array")
		}
		if groups, _ = args[1].Const.D.([]any); len(groups) == 0 {
			return 0, nil, ArgError("extract_all", "captureGroups must be a non-empty array of group numbers or names")
		}
		if rx.fixed != nil {
			if _, err := groupIndexes(rx.fixed, groups); err != nil {
				return 0, nil, err
			}
		}
	}
	if re := rx.fixed; re != nil {
		idx, _ := groupIndexes(re, groups)
		f := strToDyn(func(s string) any { return extractAll(re, idx, s) })
		return types.Dynamic, func(ctx *Context, a []*vec.Column, n int) (*vec.Column, error) {
			return f(ctx, a[len(a)-1:], n)
		}, nil
	}
	return types.Dynamic, perRow(types.Dynamic, func(c []*vec.Column, r int) (types.Value, error) {
		re, err := rx.get(c[0], r)
		if err != nil {
			return types.Value{}, err
		}
		idx, err := groupIndexes(re, groups)
		if err != nil {
			return types.Value{}, err
		}
		return types.NewDynamic(extractAll(re, idx, strAt(c[len(c)-1], r))), nil
	}), nil
}

// groupIndexes resolves captureGroups (numbers or names) to group
// numbers; without a selection, every group (or the whole match when the
// pattern has no groups).
func groupIndexes(re *regexp.Regexp, groups []any) ([]int, error) {
	if groups == nil {
		n := re.NumSubexp()
		if n == 0 {
			return []int{0}, nil
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i + 1
		}
		return idx, nil
	}
	idx := make([]int, len(groups))
	for i, g := range groups {
		switch x := g.(type) {
		case int64:
			if x < 1 || x > int64(re.NumSubexp()) {
				return nil, ArgError("extract_all", "capture group %d does not exist: the regular expression has %d", x, re.NumSubexp())
			}
			idx[i] = int(x)
		case string:
			if idx[i] = re.SubexpIndex(x); idx[i] < 0 {
				return nil, ArgError("extract_all", "the regular expression has no capture group named %q", x)
			}
		default:
			return nil, ArgError("extract_all", "captureGroups must hold group numbers or names")
		}
	}
	return idx, nil
}

// extractAll returns every match's selected groups: an array of strings
// for one group, an array of arrays for several; null without a match.
func extractAll(re *regexp.Regexp, idx []int, s string) any {
	matches := re.FindAllStringSubmatchIndex(s, -1)
	if len(matches) == 0 {
		return nil
	}
	out := make([]any, len(matches))
	for i, loc := range matches {
		parts := make([]any, len(idx))
		for j, g := range idx {
			if loc[2*g] >= 0 {
				parts[j] = s[loc[2*g]:loc[2*g+1]]
			} else {
				parts[j] = ""
			}
		}
		if len(idx) == 1 {
			out[i] = parts[0]
		} else {
			out[i] = parts
		}
	}
	return out
}
