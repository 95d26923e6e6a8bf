package check

import (
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupKey [, ExtraKey, ...]
// [, return_unmatched]) joins rows to the lookup rows whose address or
// IP prefix contains the source address. The output has the source's
// columns, then the lookup table's columns other than the extra keys.
func init() { registerPlugin("ipv4_lookup", bindIPv4Lookup) }

func bindIPv4Lookup(c *checker, sc *scope, in plan.Node, o *syntax.Evaluate) plan.Node {
	c.needInput(o, in)
	args := splitArgs(o.Call)
	c.argCount(args, 3, -1)
	right := c.tabular(sc, args.pos[0])
	ls, rs := in.Schema(), right.Schema()
	n := &plan.IPv4Lookup{Left: in, Right: right,
		LeftKey:  c.columnArg(ls, args.pos[1], "the source key"),
		RightKey: c.columnArg(rs, args.pos[2], "the lookup key")}
	unmatched := args.get(-1, "return_unmatched")
	for i, x := range args.pos[3:] {
		id, isName := x.(*syntax.Ident)
		if !isName || ls.Index(id.Name) < 0 && rs.Index(id.Name) < 0 {
			if i != len(args.pos)-4 || unmatched != nil {
				c.errorf(x, "ipv4_lookup's extra keys must be column names of both tables")
			}
			unmatched = x
			break
		}
		l, r := ls.Index(id.Name), rs.Index(id.Name)
		if l < 0 || r < 0 {
			c.errorf(x, "the extra key '%s' must be a column of both tables", id.Name)
		}
		n.LeftExtra, n.RightExtra = append(n.LeftExtra, l), append(n.RightExtra, r)
	}
	n.Unmatched = c.constArg(sc, unmatched, types.Bool, types.NewBool(false), "return_unmatched").Bool()
	ipv4LookupSchema(n)
	return n
}

func ipv4LookupSchema(n *plan.IPv4Lookup) {
	ls, rs := n.Left.Schema(), n.Right.Schema()
	extra := map[int]bool{}
	for _, r := range n.RightExtra {
		extra[r] = true
	}
	names := newNamer(ls)
	n.Sch = append(vec.Schema(nil), ls...)
	for i := range ls {
		n.LeftCols, n.RightCols = append(n.LeftCols, i), append(n.RightCols, -1)
	}
	for i, f := range rs {
		if extra[i] {
			continue
		}
		n.Sch = append(n.Sch, vec.Field{Name: names.unique(f.Name), Type: f.Type})
		n.LeftCols, n.RightCols = append(n.LeftCols, -1), append(n.RightCols, i)
	}
}
