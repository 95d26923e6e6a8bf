package builtin

import (
	"strings"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
)

// Unicode functions: code points to and from strings, UTF-8 and ASCII
// tests, and Punycode (RFC 3492) for labels and domain names.
func init() {
	RegisterScalar(
		unaryString("unicode_codepoints_from_string", types.Dynamic, kStr, strToDyn(codepoints)),
		&Scalar{Name: "unicode_codepoints_to_string", Bind: bindCodepointsToString("unicode_codepoints_to_string")},
		&Scalar{Name: "make_string", Bind: bindCodepointsToString("make_string")},
		unaryString("isutf8", types.Bool, kStr, strToInt(types.Bool, func(s string) int64 { return b2i(utf8.ValidString(s)) })),
		unaryString("isascii", types.Bool, kStr, strToInt(types.Bool, func(s string) int64 { return b2i(isASCII(s)) })),
		unaryString("punycode_from_string", types.String, kStr, strToStr(func(s string) string {
			out, _ := punyEncode(s)
			return out
		})),
		unaryString("punycode_to_string", types.String, kStr, strToStr(func(s string) string {
			out, _ := punyDecode(s)
			return out
		})),
		// Kusto names the domain functions the other way round from
		// punycode_from_string: _to_string encodes, _from_string decodes.
		unaryString("punycode_domain_to_string", types.String, kStr, strToStr(punyDomainEncode)),
		unaryString("punycode_domain_from_string", types.String, kStr, strToStr(punyDomainDecode)),
	)
}

func codepoints(s string) any {
	out := make([]any, 0, len(s))
	for _, r := range s {
		out = append(out, int64(r))
	}
	return out
}

func bindCodepointsToString(name string) func(args []Arg) (types.Type, Kernel, error) {
	return func(args []Arg) (types.Type, Kernel, error) {
		if err := checkVariadic(name, args, 1, 64, nil, p("codepoint", kInt)); err != nil {
			return 0, nil, err
		}
		return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
			var b strings.Builder
			for _, x := range v {
				if !appendCodepoints(&b, x) {
					return types.NewString("")
				}
			}
			return types.NewString(b.String())
		}), nil
	}
}

// appendCodepoints writes the characters of a code point or an array of
// code points; false when one is null or not a valid code point.
func appendCodepoints(b *strings.Builder, v types.Value) bool {
	if arr, ok := v.D.([]any); ok && v.Type == types.Dynamic {
		for _, e := range arr {
			if !appendCodepoints(b, types.FromDynamic(e)) {
				return false
			}
		}
		return true
	}
	if v.Type != types.Int && v.Type != types.Long && v.Type != types.Dynamic {
		return false
	}
	cp, ok := valueInt(v)
	if !ok || cp < 0 || cp > utf8.MaxRune || cp >= 0xD800 && cp <= 0xDFFF {
		return false
	}
	b.WriteRune(rune(cp))
	return true
}

// Punycode parameters (RFC 3492, section 5).
const (
	punyBase        = 36
	punyTMin        = 1
	punyTMax        = 26
	punySkew        = 38
	punyDamp        = 700
	punyInitialBias = 72
	punyInitialN    = 128
)

func punyAdapt(delta, points int, first bool) int {
	if first {
		delta /= punyDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > (punyBase-punyTMin)*punyTMax/2 {
		delta /= punyBase - punyTMin
		k += punyBase
	}
	return k + (punyBase-punyTMin+1)*delta/(delta+punySkew)
}

func punyThreshold(k, bias int) int {
	switch {
	case k <= bias:
		return punyTMin
	case k >= bias+punyTMax:
		return punyTMax
	}
	return k - bias
}

func punyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

// punyEncode encodes s with Punycode: its ASCII characters, a '-' when
// there are any, then the encoded insertions of the others.
func punyEncode(s string) (string, bool) {
	runes := []rune(s)
	var out []byte
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	h, basic := len(out), len(out)
	if basic > 0 {
		out = append(out, '-')
	}
	n, delta, bias := punyInitialN, 0, punyInitialBias
	for h < len(runes) {
		m := int(utf8.MaxRune) + 1
		for _, r := range runes {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if int(r) < n {
				delta++
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := punyBase; ; k += punyBase {
				t := punyThreshold(k, bias)
				if q < t {
					break
				}
				out = append(out, punyDigit(t+(q-t)%(punyBase-t)))
				q = (q - t) / (punyBase - t)
			}
			out = append(out, punyDigit(q))
			bias = punyAdapt(delta, h+1, h == basic)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return string(out), true
}

func punyDigitValue(c byte) (int, bool) {
	switch {
	case c >= 'a' && c <= 'z':
		return int(c - 'a'), true
	case c >= 'A' && c <= 'Z':
		return int(c - 'A'), true
	case c >= '0' && c <= '9':
		return int(c-'0') + 26, true
	}
	return 0, false
}

// punyDecode decodes Punycode text; false (and "") when it is malformed.
func punyDecode(s string) (string, bool) {
	var out []rune
	rest := s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for _, r := range s[:i] {
			if r >= 0x80 {
				return "", false
			}
			out = append(out, r)
		}
		rest = s[i+1:]
	}
	n, i, bias := punyInitialN, 0, punyInitialBias
	for pos := 0; pos < len(rest); {
		oldi, w := i, 1
		for k := punyBase; ; k += punyBase {
			if pos >= len(rest) {
				return "", false
			}
			d, ok := punyDigitValue(rest[pos])
			pos++
			if !ok || d > (1<<31-i)/w {
				return "", false
			}
			i += d * w
			t := punyThreshold(k, bias)
			if d < t {
				break
			}
			w *= punyBase - t
		}
		bias = punyAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > utf8.MaxRune {
			return "", false
		}
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return string(out), true
}

var domainDots = strings.NewReplacer("\u3002", ".", "\uFF0E", ".", "\uFF61", ".")

// domainLabels splits a domain name into labels at the dots IDNA
// recognizes: '.', and the ideographic and full- and half-width stops.
func domainLabels(s string) []string {
	return strings.Split(domainDots.Replace(s), ".")
}

// punyDomainEncode encodes each label that is not ASCII as xn--punycode.
func punyDomainEncode(s string) string {
	labels := domainLabels(s)
	for i, l := range labels {
		if !isASCII(l) {
			enc, _ := punyEncode(l)
			labels[i] = "xn--" + enc
		}
	}
	return strings.Join(labels, ".")
}

// punyDomainDecode decodes each xn-- label; "" when one is malformed.
func punyDomainDecode(s string) string {
	labels := strings.Split(s, ".")
	for i, l := range labels {
		if len(l) >= 4 && strings.EqualFold(l[:4], "xn--") {
			dec, ok := punyDecode(l[4:])
			if !ok {
				return ""
			}
			labels[i] = dec
		}
	}
	return strings.Join(labels, ".")
}
