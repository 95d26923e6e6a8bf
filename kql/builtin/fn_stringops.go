package builtin

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// String operators: has, contains, startswith, ... with their _cs and
// negated forms, ==~-style equality, in, has_any, has_all, matches regex.
func init() {
	for name, f := range map[string]func(s, t string) bool{
		"has": hasTerm, "hasprefix": hasPrefixTerm, "hassuffix": hasSuffixTerm,
		"contains": strings.Contains, "startswith": strings.HasPrefix, "endswith": strings.HasSuffix,
	} {
		name, f := name, f
		ci := func(s, t string) bool { return f(strings.ToLower(s), strings.ToLower(t)) }
		fast := func(t string) func(string) bool { return caseInsensitive(name, f, t) }
		RegisterScalar(stringOp(name, ci, fast, false), stringOp("!"+name, ci, fast, true),
			stringOp(name+"_cs", f, noMatcher, false), stringOp("!"+name+"_cs", f, noMatcher, true))
	}
	RegisterScalar(
		stringOp("=~", strings.EqualFold, noMatcher, false), stringOp("!~", strings.EqualFold, noMatcher, true),
		&Scalar{Name: "matches regex", Bind: bindMatches},
		inOp("in", false, false), inOp("!in", true, false), inOp("in~", false, true), inOp("!in~", true, true),
		anyAllOp("has_any", false, false), anyAllOp("has_all", true, false),
		anyAllOp("!has_any", false, true), anyAllOp("!has_all", true, true),
	)
}

func isTermChar(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// termBoundaryBefore reports whether s[i] starts a term (or is not inside one).
func termBoundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !isTermChar(r)
}

func termBoundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isTermChar(r)
}

// findTerm reports whether t occurs in s with the required term boundaries.
func findTerm(s, t string, before, after bool) bool {
	if t == "" {
		return true
	}
	for from := 0; from <= len(s)-len(t); {
		i := strings.Index(s[from:], t)
		if i < 0 {
			return false
		}
		i += from
		if (!before || termBoundaryBefore(s, i)) && (!after || termBoundaryAfter(s, i+len(t))) {
			return true
		}
		from = i + 1
	}
	return false
}

// FindTerm reports whether t occurs in s with a term boundary before it
// (when before) and after it (when after): `has_cs`, `hasprefix_cs` and
// `hassuffix_cs`. Storage uses it so that its term filters agree with the
// operators exactly.
func FindTerm(s, t string, before, after bool) bool { return findTerm(s, t, before, after) }

// IsTermChar reports whether r belongs to a term of KQL `has`: a letter or
// a digit.
func IsTermChar(r rune) bool { return isTermChar(r) }

// hasTerm implements `has`: t appears in s as whole terms, where a term is
// a run of letters and digits.
func hasTerm(s, t string) bool { return findTerm(s, t, true, true) }

func hasPrefixTerm(s, t string) bool { return findTerm(s, t, true, false) }

func hasSuffixTerm(s, t string) bool { return findTerm(s, t, false, true) }

// stringOp builds a binary string predicate; operands convert to string.
func stringOp(name string, f func(s, t string) bool, match func(t string) func(string) bool, negate bool) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) != 2 {
			return 0, nil, ArgError(name, "expects 2 operands")
		}
		return types.Bool, stringPredKernel(f, match, negate), nil
	}}
}

func asString(v types.Value) string {
	if v.IsNull() {
		return ""
	}
	if v.Type == types.String {
		return v.S
	}
	return types.Convert(v, types.String).S
}

func bindMatches(args []Arg) (types.Type, Kernel, error) {
	if len(args) != 2 {
		return 0, nil, ArgError("matches regex", "expects 2 operands")
	}
	if args[1].Const == nil {
		return 0, nil, ArgError("matches regex", "the regular expression must be a constant")
	}
	re, err := regexp.Compile(asString(*args[1].Const))
	if err != nil {
		return 0, nil, ArgError("matches regex", "invalid regular expression: %v", err)
	}
	match := re.MatchString
	if lit := requiredLiteral(asString(*args[1].Const)); lit != "" {
		// Most strings fail the cheap substring test.
		match = func(s string) bool { return strings.Contains(s, lit) && re.MatchString(s) }
	}
	return types.Bool, stringPredKernel(func(s, _ string) bool { return match(s) }, noMatcher, false), nil
}

// requiredLiteral returns a case-sensitive string that every match of the
// regular expression expr contains, or "".
func requiredLiteral(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	lit := requiredIn(re.Simplify())
	if strings.ContainsRune(lit, utf8.RuneError) {
		// The matcher reads invalid UTF-8 as U+FFFD; the bytes differ.
		return ""
	}
	return lit
}

func requiredIn(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return requiredIn(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredIn(re.Sub[0])
		}
	case syntax.OpConcat:
		best := ""
		for _, sub := range re.Sub {
			if l := requiredIn(sub); len(l) > len(best) {
				best = l
			}
		}
		return best
	}
	return ""
}

// flatten expands dynamic arrays among list values, as `in` and `has_any` do.
func flatten(vals []types.Value) []types.Value {
	var out []types.Value
	for _, v := range vals {
		if v.Type == types.Dynamic {
			if arr, ok := v.D.([]any); ok {
				for _, e := range arr {
					out = append(out, types.FromDynamic(e))
				}
				continue
			}
			v = types.FromDynamic(v.D)
		}
		out = append(out, v)
	}
	return out
}

func inOp(name string, negate, ignoreCase bool) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) < 1 {
			return 0, nil, ArgError(name, "expects a value and a list")
		}
		slow := RowKernel(types.Bool, func(v []types.Value) types.Value {
			return types.NewBool(inList(unwrap(v[0]), flatten(v[1:]), ignoreCase) != negate)
		})
		list, ok := constList(args[1:])
		if !ok || args[0].Type != types.String {
			return types.Bool, slow, nil
		}
		return types.Bool, stringSetKernel(list, ignoreCase, negate, slow), nil
	}}
}

// inList reports whether x equals an element of list: as strings when
// either is a string (ignoring case when asked), otherwise by value.
func inList(x types.Value, list []types.Value, ignoreCase bool) bool {
	if x.IsNull() {
		return false
	}
	for _, e := range list {
		if e.IsNull() {
			continue
		}
		if x.Type.Storage() == types.StoreString || e.Type.Storage() == types.StoreString {
			xs, es := asString(x), asString(e)
			if xs == es || ignoreCase && strings.EqualFold(xs, es) {
				return true
			}
			continue
		}
		if types.Compare(x, e) == 0 {
			return true
		}
	}
	return false
}

// constList returns the flattened values of constant list arguments.
func constList(args []Arg) ([]types.Value, bool) {
	vals := make([]types.Value, len(args))
	for i, a := range args {
		if a.Const == nil {
			return nil, false
		}
		vals[i] = *a.Const
	}
	return flatten(vals), true
}

// stringSetKernel is `in` of a plain string column in a constant list: a
// set lookup per row. With ignoreCase the set holds lower-case ASCII
// elements and rows that are not ASCII go to slow, as does a list with
// an element that is not ASCII, since Unicode case folding may equate an
// ASCII string with one that is not (K and the Kelvin sign).
func stringSetKernel(list []types.Value, ignoreCase, negate bool, slow Kernel) Kernel {
	set := make(map[string]struct{}, len(list))
	for _, e := range list {
		if e.IsNull() {
			continue
		}
		es := asString(e)
		if ignoreCase {
			if !isASCII(es) {
				return slow
			}
			es = strings.ToLower(es)
		}
		set[es] = struct{}{}
	}
	return func(ctx *Context, args []*vec.Column, n int) (*vec.Column, error) {
		x := args[0]
		if x.Const || x.Codes != nil || x.Type != types.String {
			return slow(ctx, args, n)
		}
		out := make([]int64, n)
		var fo folder
		for i, s := range x.Strs[:n] {
			if ignoreCase {
				ls, ok := fo.lower(s)
				if !ok {
					out[i] = b2i(inList(types.NewString(s), list, true) != negate)
					continue
				}
				s = ls
			}
			_, hit := set[s]
			out[i] = b2i(hit != negate)
		}
		return boolColumn(out, nil), nil
	}
}

func anyAllOp(name string, all, negate bool) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) < 1 {
			return 0, nil, ArgError(name, "expects a value and a list")
		}
		slow := RowKernel(types.Bool, func(v []types.Value) types.Value {
			terms := flatten(v[1:])
			lowered := make([]string, len(terms))
			for i, t := range terms {
				lowered[i] = strings.ToLower(asString(t))
			}
			return types.NewBool(hasTerms(strings.ToLower(asString(v[0])), lowered, all) != negate)
		})
		list, ok := constList(args[1:])
		if !ok || args[0].Type != types.String {
			return types.Bool, slow, nil
		}
		terms := make([]string, len(list))
		for i, t := range list {
			terms[i] = strings.ToLower(asString(t))
		}
		return types.Bool, func(ctx *Context, cols []*vec.Column, n int) (*vec.Column, error) {
			x := cols[0]
			if x.Const || x.Codes != nil {
				return slow(ctx, cols, n)
			}
			out := make([]int64, n)
			var fo folder
			for i, s := range x.Strs[:n] {
				ls, ok := fo.lower(s)
				if !ok {
					ls = strings.ToLower(s)
				}
				out[i] = b2i(hasTerms(ls, terms, all) != negate)
			}
			return boolColumn(out, nil), nil
		}, nil
	}}
}

// hasTerms reports whether the lower-case string s has any (or all) of
// the lower-case terms.
func hasTerms(s string, terms []string, all bool) bool {
	matched := 0
	for _, t := range terms {
		if hasTerm(s, t) {
			matched++
			if !all {
				break
			}
		}
	}
	if all {
		return matched == len(terms)
	}
	return matched > 0
}
