package check

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// parse and parse-where compile their pattern to one regular expression,
// anchored at the start of the text:
//
//   - kind=simple (the default): string constants match literally; `*`
//     and string columns match as few characters as possible (`.*?`), except
//     a column that ends the pattern, which takes the rest of the text;
//     int, long, real and decimal columns match a number; other typed
//     columns match like strings (or, before a `*`, text of their type's
//     usual form) and must then convert to their type, or the whole row
//     fails to parse.
//   - kind=relaxed: as simple, but a typed column whose text does not
//     convert is null while the rest of the row still parses.
//   - kind=regex: string constants are regular expressions, `*` and string
//     columns are greedy (`.*`, which flags=U makes lazy).
func init() {
	registerOperator((*syntax.ParseOp)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.parseOp(sc, in, op.(*syntax.ParseOp))
	})
}

func (c *checker) parseOp(sc *scope, in plan.Node, o *syntax.ParseOp) plan.Node {
	if in == nil {
		c.errorf(o, "%s needs an input table", o.Name())
	}
	kind, at := paramString(o.Params, "kind")
	switch kind {
	case "":
		kind = "simple"
	case "simple", "regex", "relaxed":
	default:
		c.errorf(at, "unknown %s kind '%s': expected simple, regex or relaxed", o.Name(), kind)
	}
	flags, fat := paramString(o.Params, "flags")
	if flags != "" && kind != "regex" {
		c.errorf(fat, "flags= needs kind=regex")
	}
	if strings.Trim(flags, "imsU") != "" {
		c.errorf(fat, "unknown regex flags '%s': expected some of i, m, s and U", flags)
	}
	x := c.scalar(sc, rowOf(in.Schema()), o.X)
	n := &plan.Parse{In: in, X: x, Relaxed: kind == "relaxed", Where: o.Where}
	pattern := c.parsePattern(n, kind, o.Pattern)
	if flags != "" {
		pattern = "(?" + flags + ")" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		c.errorf(o, "invalid %s pattern: %v", o.Name(), err)
	}
	n.Pattern = re
	for i := range n.Groups {
		n.Groups[i] = re.SubexpIndex(parseGroupName(i))
	}
	return n
}

// parsePattern translates the pattern elements to a regular expression and
// records the extracted columns in n.
func (c *checker) parsePattern(n *plan.Parse, kind string, elems []*syntax.ParseElem) string {
	var b strings.Builder
	b.WriteString(`\A`)
	sch := append(vec.Schema(nil), n.In.Schema()...)
	seen := map[string]bool{}
	for i, e := range elems {
		switch {
		case e.Star:
			b.WriteString(anyText(kind, false))
		case e.Lit != nil:
			text := syntax.StringValue(e.Lit.Text)
			if kind == "regex" {
				b.WriteString("(?:" + text + ")")
			} else {
				b.WriteString(regexp.QuoteMeta(text))
			}
		default:
			name, t := c.parseColumn(e.Column)
			if seen[name] {
				c.errorf(e, "column '%s' appears twice in the pattern", name)
			}
			seen[name] = true
			last, beforeStar := i == len(elems)-1, i+1 < len(elems) && elems[i+1].Star
			b.WriteString(columnPattern(kind, t, last, beforeStar, parseGroupName(len(n.Groups))))
			target := sch.Index(name)
			if target < 0 {
				target = len(sch)
				sch = append(sch, vec.Field{Name: name, Type: t})
			}
			sch[target].Type = t
			n.Groups = append(n.Groups, 0)
			n.Targets = append(n.Targets, target)
			n.Types = append(n.Types, t)
		}
	}
	n.Sch = sch
	return b.String()
}

// parseColumn returns the name and type of a `Name[:type]` pattern element.
func (c *checker) parseColumn(d *syntax.ColumnDecl) (string, types.Type) {
	if d.Type == nil {
		return d.Name.Name, types.String
	}
	t, ok := types.Lookup(typeRefName(d.Type))
	if !ok {
		c.errorf(d.Type, "unknown type for column %s", d.Name.Name)
	}
	return d.Name.Name, t
}

func parseGroupName(i int) string { return "kqlparse" + strconv.Itoa(i) }

// anyText matches any text: as little as possible in simple and relaxed
// patterns, as much as possible in regex ones and at the end of a pattern.
func anyText(kind string, last bool) string {
	if kind == "regex" || last {
		return ".*"
	}
	return ".*?"
}

// numberPattern returns the text a numeric column matches, or "".
func numberPattern(t types.Type) string {
	switch t {
	case types.Int, types.Long:
		return `-?\d+`
	case types.Real, types.Decimal:
		return `-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`
	}
	return ""
}

// typedPattern returns the text a datetime, timespan, guid or bool column
// matches when a `*` follows it, and nothing marks where it ends.
func typedPattern(t types.Type) string {
	switch t {
	case types.Datetime:
		return `\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?` +
			`|\d{1,2}/\d{1,2}/\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?`
	case types.Timespan:
		return `-?(?:\d+\.)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?`
	case types.Guid:
		return `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`
	case types.Bool:
		return `(?i:true|false)`
	}
	return ""
}

// columnPattern returns the capture group of one extracted column.
func columnPattern(kind string, t types.Type, last, beforeStar bool, group string) string {
	body := anyText(kind, last)
	lead := ""
	if typed := typedPattern(t); typed != "" && beforeStar && kind != "regex" {
		body = typed
		if kind == "relaxed" {
			body += "|" + anyText(kind, last)
		}
	}
	if num := numberPattern(t); num != "" {
		switch kind {
		case "regex":
			body = num
		case "relaxed":
			body, lead = num+"|"+body, `\s*`
		default:
			body, lead = num, `\s*`
		}
	}
	return lead + "(?P<" + group + ">" + body + ")"
}
