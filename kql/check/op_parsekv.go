package check

import (
	"regexp"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerOperator((*syntax.ParseKV)(nil), func(c *checker, sc *scope, in plan.Node, op syntax.Operator) plan.Node {
		return c.parseKV(sc, in, op.(*syntax.ParseKV))
	})
}

func (c *checker) parseKV(sc *scope, in plan.Node, o *syntax.ParseKV) plan.Node {
	if in == nil {
		c.errorf(o, "parse-kv needs an input table")
	}
	n := &plan.ParseKV{In: in, X: c.scalar(sc, rowOf(in.Schema()), o.X)}
	sch := append(vec.Schema(nil), in.Schema()...)
	seen := map[string]bool{}
	for _, k := range o.Keys {
		name, t := c.parseColumn(k)
		if seen[name] {
			c.errorf(k, "key '%s' is listed twice", name)
		}
		seen[name] = true
		target := sch.Index(name)
		if target < 0 {
			target = len(sch)
			sch = append(sch, vec.Field{Name: name, Type: t})
		}
		sch[target].Type = t
		n.Keys = append(n.Keys, name)
		n.Targets = append(n.Targets, target)
		n.Types = append(n.Types, t)
	}
	n.Sch = sch
	for _, p := range o.With {
		c.parseKVOption(sc, n, p)
	}
	if (n.PairDelim == "") != (n.KVDelim == "") {
		c.errorf(o, "parse-kv needs both pair_delimiter and kv_delimiter, or neither")
	}
	if n.Regex != nil && (n.PairDelim != "" || len(n.Quotes) > 0 || len(n.Escapes) > 0 || n.Greedy) {
		c.errorf(o, "parse-kv with regex= takes no other options")
	}
	if n.Greedy && n.PairDelim == "" {
		c.errorf(o, "greedy=true needs pair_delimiter and kv_delimiter")
	}
	return n
}

// parseKVOption applies one `with (...)` option.
func (c *checker) parseKVOption(sc *scope, n *plan.ParseKV, p *syntax.OpParam) {
	v := c.constant(sc, p.Value)
	text := func() string {
		if v.Type != types.String || v.S == "" {
			c.errorf(p, "parse-kv option %s needs a non-empty string", p.Name)
		}
		return v.S
	}
	switch p.Name {
	case "pair_delimiter":
		n.PairDelim = text()
	case "kv_delimiter":
		n.KVDelim = text()
	case "quote":
		q := []rune(text())
		if len(q) > 2 {
			c.errorf(p, "a quote is one character, or an opening and a closing one")
		}
		n.Quotes = append(n.Quotes, [2]rune{q[0], q[len(q)-1]})
	case "escape":
		s := text()
		r, size := utf8.DecodeRuneInString(s)
		if size != len(s) {
			c.errorf(p, "an escape is one character")
		}
		n.Escapes = append(n.Escapes, r)
	case "greedy":
		if v.Type != types.Bool {
			c.errorf(p, "greedy needs true or false")
		}
		n.Greedy = v.Bool()
	case "regex":
		re, err := regexp.Compile(text())
		if err != nil {
			c.errorf(p, "invalid regex: %v", err)
		}
		if re.NumSubexp() != 2 {
			c.errorf(p, "the regex needs exactly two capture groups, the key and the value")
		}
		n.Regex = re
	default:
		c.errorf(p, "unknown parse-kv option '%s'", p.Name)
	}
}
