package exec

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func init() {
	registerNode((*plan.IPv4Lookup)(nil), func(r *Runner, n plan.Node) (Operator, error) {
		return r.ipv4Lookup(n.(*plan.IPv4Lookup))
	})
}

// ipv4Prefix is an address with the number of leading bits that matter.
type ipv4Prefix struct {
	addr uint32
	bits int
}

// parseIPv4Prefix reads `a.b.c.d` or `a.b.c.d/n` (n from 0 to 32).
func parseIPv4Prefix(s string) (ipv4Prefix, bool) {
	s = strings.TrimSpace(s)
	bits := 32
	if i := strings.IndexByte(s, '/'); i >= 0 {
		n, err := strconv.Atoi(s[i+1:])
		if err != nil || n < 0 || n > 32 {
			return ipv4Prefix{}, false
		}
		s, bits = s[:i], n
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return ipv4Prefix{}, false
	}
	b := a.As4()
	addr := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	return ipv4Prefix{addr: addr & ipv4Mask(bits), bits: bits}, true
}

func ipv4Mask(bits int) uint32 {
	if bits == 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}

// ipv4Index finds the lookup rows whose prefix contains an address.
type ipv4Index struct {
	byBits [33]map[uint32][]int
}

func newIPv4Index(col *vec.Column, n int) *ipv4Index {
	x := &ipv4Index{}
	for r := 0; r < n; r++ {
		p, ok := parseIPv4Prefix(col.Value(r).String())
		if !ok {
			continue
		}
		if x.byBits[p.bits] == nil {
			x.byBits[p.bits] = map[uint32][]int{}
		}
		x.byBits[p.bits][p.addr] = append(x.byBits[p.bits][p.addr], r)
	}
	return x
}

// match returns the rows containing p, most specific prefixes first.
func (x *ipv4Index) match(p ipv4Prefix) []int {
	var out []int
	for bits := p.bits; bits >= 0; bits-- {
		if m := x.byBits[bits]; m != nil {
			out = append(out, m[p.addr&ipv4Mask(bits)]...)
		}
	}
	return out
}

func (r *Runner) ipv4Lookup(n *plan.IPv4Lookup) (Operator, error) {
	right, err := r.Run(n.Right)
	if err != nil {
		return nil, err
	}
	index := newIPv4Index(right.Cols[n.RightKey], right.N)
	in, err := r.open(n.Left)
	if err != nil {
		return nil, err
	}
	return funcOp(func() (*vec.Batch, error) {
		for {
			b, err := in.Next()
			if b == nil || err != nil {
				return nil, err
			}
			var li, ri []int
			for row := 0; row < b.N; row++ {
				matched := false
				if p, ok := parseIPv4Prefix(b.Cols[n.LeftKey].Value(row).String()); ok {
					for _, m := range index.match(p) {
						if extraKeysEqual(n, b, row, right, m) {
							li, ri, matched = append(li, row), append(ri, m), true
						}
					}
				}
				if !matched && n.Unmatched {
					li, ri = append(li, row), append(ri, -1)
				}
			}
			if len(li) > 0 {
				return joinRows(n.Sch, n.LeftCols, n.RightCols, b, right, li, ri), nil
			}
		}
	}), nil
}

func extraKeysEqual(n *plan.IPv4Lookup, l *vec.Batch, lr int, r *vec.Batch, rr int) bool {
	for i, lc := range n.LeftExtra {
		lv, rv := l.Cols[lc].Value(lr), r.Cols[n.RightExtra[i]].Value(rr)
		if lv.IsNull() || rv.IsNull() || types.Compare(lv, rv) != 0 {
			return false
		}
	}
	return true
}

// joinRows builds output rows from left rows li and right rows ri (-1 is
// a null row), with columns mapped as in plan.Join.
func joinRows(sch vec.Schema, leftCols, rightCols []int, l, r *vec.Batch, li, ri []int) *vec.Batch {
	out := &vec.Batch{N: len(li), Cols: make([]*vec.Column, len(sch))}
	for j := range sch {
		if c := leftCols[j]; c >= 0 {
			out.Cols[j] = l.Cols[c].Gather(li)
		} else {
			out.Cols[j] = r.Cols[rightCols[j]].Gather(ri)
		}
	}
	return out
}
