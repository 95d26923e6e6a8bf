package check

import (
	"path"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/vec"
)

func itoa(i int) string { return strconv.Itoa(i) }

// nameKind is how an unnamed call of a scalar function is named, after
// Kusto's ResultNameKind.
type nameKind int

const (
	// firstArgument: the name of the first argument (tostring(d.x) is d_x).
	firstArgument nameKind = iota + 1
	// onlyArgument: the argument's name when there is exactly one.
	onlyArgument
	// nameAndFirstArgument: the function's name, "_" and the first
	// argument's name, which may be empty (strlen(Name) is strlen_Name).
	nameAndFirstArgument
	// prefixAndFirstArgument: a prefix, "_" and the first argument's name.
	prefixAndFirstArgument
	// prefixOnly: the prefix alone (hll_merge(a, b) is hll_merged_result).
	prefixOnly
)

// resultNaming is how a scalar function names its unnamed result.
type resultNaming struct {
	kind   nameKind
	prefix string
}

// resultNames lists the scalar functions whose unnamed result is not
// Column1, print_0, ...: the rules of Kusto's own analyzer.
var resultNames = func() map[string]resultNaming {
	m := map[string]resultNaming{
		"strlen":                    {kind: nameAndFirstArgument},
		"string_size":               {kind: nameAndFirstArgument},
		"percentile_tdigest":        {kind: nameAndFirstArgument},
		"dcount_hll":                {kind: nameAndFirstArgument},
		"gettype":                   {prefixAndFirstArgument, "type"},
		"treepath":                  {prefixAndFirstArgument, "tree"},
		"repeat":                    {prefixAndFirstArgument, "repeat"},
		"percentiles_array_tdigest": {prefixAndFirstArgument, "percentile_tdigest"},
		"tdigest_merge":             {prefixOnly, "tdigests_merge_result"},
		"merge_tdigests":            {prefixOnly, "tdigests_merge_result"},
		"hll_merge":                 {prefixOnly, "hll_merged_result"},
		"make_datetime":             {kind: onlyArgument},
		"make_timespan":             {kind: onlyArgument},
	}
	for _, f := range strings.Fields(`split datetime_to_locale_string number_to_locale_string tostring tohex
		todynamic toobject tolong toint toreal todouble todatetime totimespan totime tobool toboolean
		todecimal toguid parse_csv parsejson parse_json parse_xml format_datetime format_timespan
		startofday bin floor bin_at bin_auto binary_and binary_or binary_xor binary_not
		binary_shift_right binary_shift_left bitset_count_ones series_fir series_outliers series_iir
		series_fill_backward series_fill_forward series_fill_const series_fill_linear round ceiling pow
		sqrt log log2 log10 exp exp2 exp10 cos sin tan acos asin atan atan2 abs rand gamma loggamma
		format_bytes`) {
		m[f] = resultNaming{kind: firstArgument}
	}
	return m
}()

// exprName returns the column name Kusto derives for an unnamed
// expression, or "" when it makes one up (Column1, print_0, ...).
func exprName(x syntax.Expr) string {
	switch x := x.(type) {
	case *syntax.Ident:
		return x.Name
	case *syntax.Paren:
		return exprName(x.X)
	case *syntax.Member:
		if base := exprName(x.X); base != "" {
			return base + "_" + x.Name.Name
		}
	case *syntax.Index:
		base := exprName(x.X)
		if base == "" {
			return ""
		}
		if lit, ok := x.Index.(*syntax.Literal); ok {
			if lit.Kind == syntax.LitString {
				return base + "_" + syntax.StringValue(lit.Text)
			}
			return base + "_" + lit.Text
		}
	case *syntax.Call:
		// An argument written `Name = value` names the result, as
		// Kusto's own analyzer does: round(Rate = a / b) gives Rate.
		for _, a := range x.Args {
			if na, ok := a.(*syntax.NamedArg); ok {
				return na.Name.Name
			}
		}
		return callName(x)
	}
	return ""
}

// callName names an unnamed call of a scalar function by resultNames.
func callName(x *syntax.Call) string {
	fn := funcName(x)
	rn, ok := resultNames[fn]
	if !ok {
		return ""
	}
	first := ""
	if len(x.Args) > 0 {
		first = exprName(x.Args[0])
	}
	switch rn.kind {
	case firstArgument:
		return first
	case onlyArgument:
		if len(x.Args) == 1 {
			return first
		}
	case nameAndFirstArgument:
		return fn + "_" + first
	case prefixAndFirstArgument:
		return rn.prefix + "_" + first
	case prefixOnly:
		return rn.prefix
	}
	return ""
}

// assignName returns the explicit or derived name of a column assignment.
func assignName(a *syntax.Assign) string {
	if len(a.Names) == 1 {
		return a.Names[0].Name
	}
	return exprName(a.Value)
}

// namer hands out column names that do not collide, adding 1, 2, ... to
// a taken name as Kusto does.
type namer struct {
	taken map[string]bool
}

func newNamer(sch vec.Schema) *namer {
	n := &namer{taken: map[string]bool{}}
	for _, f := range sch {
		n.taken[f.Name] = true
	}
	return n
}

func (n *namer) unique(name string) string {
	out := name
	for i := 1; n.taken[out]; i++ {
		out = name + strconv.Itoa(i)
	}
	n.taken[out] = true
	return out
}

// column returns the next free ColumnN name.
func (n *namer) column() string {
	for i := 1; ; i++ {
		name := "Column" + strconv.Itoa(i)
		if !n.taken[name] {
			n.taken[name] = true
			return name
		}
	}
}

// matchPattern reports whether a column name matches a project-away style
// pattern with `*` wildcards.
func matchPattern(pattern, name string) bool {
	ok, err := path.Match(escapeGlob(pattern), name)
	return ok && err == nil
}

// escapeGlob escapes glob metacharacters other than `*`.
func escapeGlob(p string) string {
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '?', '[', ']', '\\':
			out = append(out, '\\')
		}
		out = append(out, p[i])
	}
	return string(out)
}
