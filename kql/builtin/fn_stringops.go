package builtin

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
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
	return types.Bool, stringPredKernel(func(s, _ string) bool { return re.MatchString(s) }, noMatcher, false), nil
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
		return types.Bool, RowKernel(types.Bool, func(v []types.Value) types.Value {
			x := unwrap(v[0])
			if x.IsNull() {
				return types.NewBool(negate)
			}
			for _, e := range flatten(v[1:]) {
				if e.IsNull() {
					continue
				}
				if x.Type.Storage() == types.StoreString || e.Type.Storage() == types.StoreString {
					xs, es := asString(x), asString(e)
					if xs == es || ignoreCase && strings.EqualFold(xs, es) {
						return types.NewBool(!negate)
					}
					continue
				}
				if types.Compare(x, e) == 0 {
					return types.NewBool(!negate)
				}
			}
			return types.NewBool(negate)
		}), nil
	}}
}

func anyAllOp(name string, all, negate bool) *Scalar {
	return &Scalar{Name: name, Bind: func(args []Arg) (types.Type, Kernel, error) {
		if len(args) < 1 {
			return 0, nil, ArgError(name, "expects a value and a list")
		}
		return types.Bool, RowKernel(types.Bool, func(v []types.Value) types.Value {
			s := strings.ToLower(asString(v[0]))
			terms := flatten(v[1:])
			matched := 0
			for _, t := range terms {
				if hasTerm(s, strings.ToLower(asString(t))) {
					matched++
					if !all {
						break
					}
				}
			}
			ok := matched > 0
			if all {
				ok = matched == len(terms)
			}
			return types.NewBool(ok != negate)
		}), nil
	}}
}
