package builtin

import (
	"bytes"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
)

// IPv4 and IPv6 functions. Addresses are strings, optionally in IP-prefix
// notation ("192.168.1.0/24"); when two prefixes apply (the address's own
// and an argument), the shorter one wins. IPv6 functions take IPv4
// addresses as IPv4-mapped IPv6 addresses, with IPv4 prefixes counted
// from bit 96. Text that isn't an address gives null (an empty string for
// the string-valued functions).
func init() {
	str, long, boolean := types.String, types.Long, types.Bool
	RegisterScalar(
		Fixed("parse_ipv4", false, Sig{Params: []types.Type{str}, Ret: long, F: parseIPv4Fn}),
		Fixed("parse_ipv4_mask", false, Sig{Params: []types.Type{str, long}, Ret: long, F: parseIPv4Mask}),
		Fixed("format_ipv4", false, Sig{Params: []types.Type{types.Null, long}, Ret: str, Min: 1, F: formatIPv4(false)}),
		Fixed("format_ipv4_mask", false, Sig{Params: []types.Type{types.Null, long}, Ret: str, Min: 1, F: formatIPv4(true)}),
		Fixed("ipv4_compare", false, Sig{Params: []types.Type{str, str, long}, Ret: long, Min: 2, F: ipCompare(compareIPv4)}),
		Fixed("ipv4_is_match", false, Sig{Params: []types.Type{str, str, long}, Ret: boolean, Min: 2, F: ipMatch(compareIPv4)}),
		Fixed("ipv4_is_in_range", false, Sig{Params: []types.Type{str, str}, Ret: boolean, F: ipMatch(compareIPv4)}),
		&Scalar{Name: "ipv4_is_in_any_range", Bind: bindInAnyRange("ipv4_is_in_any_range", ipInRange(compareIPv4))},
		Fixed("ipv4_is_private", false, Sig{Params: []types.Type{str}, Ret: boolean, F: ipv4IsPrivate}),
		Fixed("ipv4_netmask_suffix", false, Sig{Params: []types.Type{str}, Ret: types.Int, F: ipv4NetmaskSuffix}),
		Fixed("has_ipv4", false, Sig{Params: []types.Type{str, str}, Ret: boolean, F: hasIPv4(false)}),
		Fixed("has_ipv4_prefix", false, Sig{Params: []types.Type{str, str}, Ret: boolean, F: hasIPv4(true)}),
		&Scalar{Name: "has_any_ipv4", Bind: bindHasAnyIPv4("has_any_ipv4", false)},
		&Scalar{Name: "has_any_ipv4_prefix", Bind: bindHasAnyIPv4("has_any_ipv4_prefix", true)},
		Fixed("parse_ipv6", false, Sig{Params: []types.Type{str}, Ret: str, F: parseIPv6Fn}),
		Fixed("parse_ipv6_mask", false, Sig{Params: []types.Type{str, long}, Ret: str, F: parseIPv6Fn}),
		Fixed("ipv6_compare", false, Sig{Params: []types.Type{str, str, long}, Ret: long, Min: 2, F: ipCompare(compareIPv6)}),
		Fixed("ipv6_is_match", false, Sig{Params: []types.Type{str, str, long}, Ret: boolean, Min: 2, F: ipMatch(compareIPv6)}),
		Fixed("ipv6_is_in_range", false, Sig{Params: []types.Type{str, str}, Ret: boolean, F: ipMatch(compareIPv6)}),
		&Scalar{Name: "ipv6_is_in_any_range", Bind: bindInAnyRange("ipv6_is_in_any_range", ipInRange(compareIPv6))},
	)
}

// ipv4Net is an IPv4 address with a prefix length (32 for one address).
type ipv4Net struct {
	addr   uint32
	prefix int
}

func mask4(prefix int) uint32 {
	if prefix <= 0 {
		return 0
	}
	return math.MaxUint32 << (32 - prefix)
}

// parseOctets parses up to four dot-separated decimal octets; the number
// parsed is returned with the value left-aligned.
func parseOctets(s string) (addr uint32, n int, ok bool) {
	for _, part := range strings.Split(s, ".") {
		if n == 4 || len(part) == 0 || len(part) > 3 {
			return 0, 0, false
		}
		v, err := strconv.Atoi(part)
		if err != nil || v > 255 || part[0] == '+' || part[0] == '-' {
			return 0, 0, false
		}
		addr |= uint32(v) << (24 - 8*n)
		n++
	}
	return addr, n, true
}

// parseIPv4Addr parses a dotted-quad address.
func parseIPv4Addr(s string) (uint32, bool) {
	addr, n, ok := parseOctets(s)
	return addr, ok && n == 4
}

// parseIPv4 parses "a.b.c.d" or "a.b.c.d/prefix".
func parseIPv4(s string) (ipv4Net, bool) {
	s = strings.TrimSpace(s)
	addrPart, prefixPart, hasPrefix := strings.Cut(s, "/")
	addr, ok := parseIPv4Addr(addrPart)
	if !ok {
		return ipv4Net{}, false
	}
	prefix := 32
	if hasPrefix {
		p, err := strconv.Atoi(prefixPart)
		if err != nil || p < 0 || p > 32 {
			return ipv4Net{}, false
		}
		prefix = p
	}
	return ipv4Net{addr, prefix}, true
}

// ipv4Value reads an address argument: a string, or a number holding the
// address in big-endian order.
func ipv4Value(v types.Value) (ipv4Net, bool) {
	v = unwrap(v)
	switch {
	case v.Type == types.String:
		return parseIPv4(v.S)
	case v.Type.IsInteger() && v.Valid && v.I >= 0 && v.I <= math.MaxUint32:
		return ipv4Net{uint32(v.I), 32}, true
	}
	return ipv4Net{}, false
}

// withPrefix narrows n to an optional prefix argument at args[i]; false
// if the argument is out of 0..limit.
func withPrefix(prefix int, args []types.Value, i, limit int) (int, bool) {
	if i >= len(args) {
		return prefix, true
	}
	p := args[i].I
	if p < 0 || p > int64(limit) {
		return 0, false
	}
	return min(prefix, int(p)), true
}

func parseIPv4Fn(v []types.Value) types.Value {
	n, ok := parseIPv4(v[0].S)
	if !ok {
		return types.NullOf(types.Long)
	}
	return types.NewLong(int64(n.addr & mask4(n.prefix)))
}

func parseIPv4Mask(v []types.Value) types.Value {
	n, ok := parseIPv4(v[0].S)
	p, okp := withPrefix(n.prefix, v, 1, 32)
	if !ok || !okp {
		return types.NullOf(types.Long)
	}
	return types.NewLong(int64(n.addr & mask4(p)))
}

func formatIPv4(withMask bool) RowFunc {
	return func(v []types.Value) types.Value {
		n, ok := ipv4Value(v[0])
		p, okp := withPrefix(n.prefix, v, 1, 32)
		if !ok || !okp {
			return types.NewString("")
		}
		a := n.addr & mask4(p)
		s := fmt.Sprintf("%d.%d.%d.%d", a>>24, a>>16&0xff, a>>8&0xff, a&0xff)
		if withMask {
			s += "/" + strconv.Itoa(p)
		}
		return types.NewString(s)
	}
}

// compareIPv4 compares two addresses on their common prefix, narrowed by
// an optional prefix argument at v[2].
func compareIPv4(v []types.Value) (int, bool) {
	a, oka := parseIPv4(v[0].S)
	b, okb := parseIPv4(v[1].S)
	p, okp := withPrefix(min(a.prefix, b.prefix), v, 2, 32)
	if !oka || !okb || !okp {
		return 0, false
	}
	m := mask4(p)
	return types.CompareInts(int64(a.addr&m), int64(b.addr&m)), true
}

var privateIPv4 = []ipv4Net{{10 << 24, 8}, {172<<24 | 16<<16, 12}, {192<<24 | 168<<16, 16}}

func ipv4IsPrivate(v []types.Value) types.Value {
	n, ok := parseIPv4(v[0].S)
	if !ok {
		return types.NullOf(types.Bool)
	}
	for _, r := range privateIPv4 {
		if n.prefix >= r.prefix && n.addr&mask4(r.prefix) == r.addr {
			return types.NewBool(true)
		}
	}
	return types.NewBool(false)
}

// ipv4NetmaskSuffix returns the prefix length of an address (32 when it
// has none).
func ipv4NetmaskSuffix(v []types.Value) types.Value {
	n, ok := parseIPv4(v[0].S)
	if !ok {
		return types.NullOf(types.Int)
	}
	return types.NewInt(int32(n.prefix))
}

// stringList flattens string arguments and arrays of strings.
func stringList(v []types.Value) []string {
	var out []string
	for _, x := range v {
		if a, ok := arrayOf(x); ok {
			for _, e := range a {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
			continue
		}
		if x = unwrap(x); x.Type == types.String {
			out = append(out, x.S)
		}
	}
	return out
}

// bindInAnyRange binds f(ip, range1, range2, ...) and f(ip, ranges).
// Null when the address or a range that was tried doesn't parse.
func bindInAnyRange(name string, inRange func(ip, rng string) (bool, bool)) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := dynArgCount(name, args, 2, -1); err != nil {
			return 0, nil, err
		}
		return types.Bool, RowKernel(types.Bool, func(v []types.Value) types.Value {
			ip := unwrap(v[0])
			if ip.Type != types.String {
				return types.NullOf(types.Bool)
			}
			valid := true
			for _, r := range stringList(v[1:]) {
				in, ok := inRange(ip.S, r)
				if in && ok {
					return types.NewBool(true)
				}
				valid = valid && ok
			}
			if !valid {
				return types.NullOf(types.Bool)
			}
			return types.NewBool(false)
		}), nil
	}
}

// ipv4sInText returns the IPv4 addresses in text that stand apart from
// letters and digits around them.
func ipv4sInText(text string) []uint32 {
	var out []uint32
	for i := 0; i < len(text); {
		if !ipTextChar(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && ipTextChar(text[j]) {
			j++
		}
		if (i == 0 || !ipAdjacentAlnum(text[i-1])) && (j == len(text) || !ipAdjacentAlnum(text[j])) {
			if a, ok := parseIPv4Addr(strings.Trim(text[i:j], ".")); ok {
				out = append(out, a)
			}
		}
		i = j
	}
	return out
}

func ipTextChar(c byte) bool { return c >= '0' && c <= '9' || c == '.' }

func ipAdjacentAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// parseIPv4Prefix parses a searched-for address prefix: a whole address,
// or one to three octets each followed by a dot ("10.", "192.168.1.").
// n is the number of octets.
func parseIPv4Prefix(s string) (addr uint32, n int, ok bool) {
	if strings.HasSuffix(s, ".") {
		addr, n, ok = parseOctets(strings.TrimSuffix(s, "."))
		return addr, n, ok && n < 4
	}
	addr, ok = parseIPv4Addr(s)
	return addr, 4, ok
}

// textHasIPv4 reports whether text holds an address matching the
// searched-for address (or prefix, when prefixes are allowed).
func textHasIPv4(found []uint32, s string, allowPrefix bool) bool {
	addr, n, ok := parseIPv4Prefix(s)
	if !ok || n < 4 && !allowPrefix {
		return false
	}
	m := mask4(8 * n)
	for _, a := range found {
		if a&m == addr {
			return true
		}
	}
	return false
}

func hasIPv4(allowPrefix bool) RowFunc {
	return func(v []types.Value) types.Value {
		return types.NewBool(textHasIPv4(ipv4sInText(v[0].S), v[1].S, allowPrefix))
	}
}

// bindHasAnyIPv4 binds has_any_ipv4[_prefix](text, ip1, ip2, ...) and
// (text, ips).
func bindHasAnyIPv4(name string, allowPrefix bool) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := dynArgCount(name, args, 2, -1); err != nil {
			return 0, nil, err
		}
		return types.Bool, RowKernel(types.Bool, func(v []types.Value) types.Value {
			text := unwrap(v[0])
			if text.Type != types.String {
				return types.NewBool(false)
			}
			found := ipv4sInText(text.S)
			for _, s := range stringList(v[1:]) {
				if textHasIPv4(found, s, allowPrefix) {
					return types.NewBool(true)
				}
			}
			return types.NewBool(false)
		}), nil
	}
}

// ipv6Net is an IPv6 address with a prefix length (128 for one address).
type ipv6Net struct {
	addr   [16]byte
	prefix int
}

// parseIPv6 parses an IPv6 or IPv4 address with an optional prefix. An
// IPv4 address, written alone or embedded in IPv6 text ("::1.2.3.4",
// "::ffff:1.2.3.4"), becomes IPv4-mapped with its prefix counted from
// bit 96.
func parseIPv6(s string) (ipv6Net, bool) {
	s = strings.TrimSpace(s)
	addrPart, prefixPart, hasPrefix := strings.Cut(s, "/")
	var n ipv6Net
	limit := 128
	if a, ok := parseIPv4Addr(addrPart); ok {
		n.addr = netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)}).As16()
		limit = 32
	} else {
		addr, err := netip.ParseAddr(addrPart)
		if err != nil || addr.Zone() != "" || !addr.Is6() {
			return ipv6Net{}, false
		}
		n.addr = addr.As16()
		if strings.Contains(addrPart, ".") && embedsIPv4(n.addr) {
			n.addr[10], n.addr[11] = 0xff, 0xff
			limit = 32
		}
	}
	n.prefix = 128
	if hasPrefix {
		p, err := strconv.Atoi(prefixPart)
		if err != nil || p < 0 || p > limit {
			return ipv6Net{}, false
		}
		n.prefix = 128 - limit + p
	}
	return n, true
}

// embedsIPv4 reports whether a is IPv4-compatible (::a.b.c.d) or
// IPv4-mapped (::ffff:a.b.c.d).
func embedsIPv4(a [16]byte) bool {
	for _, b := range a[:10] {
		if b != 0 {
			return false
		}
	}
	return a[10] == a[11] && (a[10] == 0 || a[10] == 0xff)
}

func (n ipv6Net) masked(prefix int) [16]byte {
	out := n.addr
	for i := range out {
		bits := prefix - 8*i
		switch {
		case bits <= 0:
			out[i] = 0
		case bits < 8:
			out[i] &= byte(0xff << (8 - bits))
		}
	}
	return out
}

func formatIPv6(a [16]byte) string {
	var b strings.Builder
	for i := 0; i < 16; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02x%02x", a[i], a[i+1])
	}
	return b.String()
}

// parseIPv6Fn implements parse_ipv6(ip) and parse_ipv6_mask(ip, prefix):
// the masked address in full lower-case form.
func parseIPv6Fn(v []types.Value) types.Value {
	n, ok := parseIPv6(v[0].S)
	p, okp := withPrefix(n.prefix, v, 1, 128)
	if !ok || !okp {
		return types.NewString("")
	}
	return types.NewString(formatIPv6(n.masked(p)))
}

func compareIPv6(v []types.Value) (int, bool) {
	a, oka := parseIPv6(v[0].S)
	b, okb := parseIPv6(v[1].S)
	p, okp := withPrefix(min(a.prefix, b.prefix), v, 2, 128)
	if !oka || !okb || !okp {
		return 0, false
	}
	ma, mb := a.masked(p), b.masked(p)
	return bytes.Compare(ma[:], mb[:]), true
}

// ipComparer compares two addresses (with optional prefix) given as the
// first arguments; ok is false when either does not parse.
type ipComparer func(v []types.Value) (int, bool)

// ipCompare builds ipv4_compare/ipv6_compare: -1, 0 or 1, null on bad input.
func ipCompare(cmp ipComparer) RowFunc {
	return func(v []types.Value) types.Value {
		c, ok := cmp(v)
		if !ok {
			return types.NullOf(types.Long)
		}
		return types.NewLong(int64(c))
	}
}

// ipMatch builds ipv*_is_match and ipv*_is_in_range.
func ipMatch(cmp ipComparer) RowFunc {
	return func(v []types.Value) types.Value {
		c, ok := cmp(v)
		if !ok {
			return types.NullOf(types.Bool)
		}
		return types.NewBool(c == 0)
	}
}

// ipInRange reports whether ip lies in rng; ok is false if either doesn't
// parse.
func ipInRange(cmp ipComparer) func(ip, rng string) (in, ok bool) {
	return func(ip, rng string) (bool, bool) {
		c, ok := cmp([]types.Value{types.NewString(ip), types.NewString(rng)})
		return c == 0, ok
	}
}
