package check

import (
	"path"
	"strconv"

	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/vec"
)

func itoa(i int) string { return strconv.Itoa(i) }

// nameKeeping lists functions whose unnamed result takes the name derived
// from their first argument: `bin(TimeGenerated, 1h)` stays `TimeGenerated`,
// `tostring(d.x)` becomes `d_x`.
var nameKeeping = map[string]bool{
	"bin": true, "bin_at": true, "bin_auto": true, "floor": true, "tostring": true, "toint": true, "tolong": true,
	"todouble": true, "toreal": true, "todatetime": true, "totimespan": true, "tobool": true,
	"toboolean": true, "todecimal": true, "toguid": true, "todynamic": true, "toobject": true,
	"startofday": true,
}

// exprName returns the column name Kusto derives for an unnamed
// expression, or "" when it makes one up (Column1, print_0, ...).
func exprName(x syntax.Expr) string {
	switch x := x.(type) {
	case *syntax.Ident:
		return x.Name
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
		if nameKeeping[funcName(x)] && len(x.Args) > 0 {
			return exprName(x.Args[0])
		}
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
