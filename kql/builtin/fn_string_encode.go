package builtin

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
)

// Encodings: base64 to and from strings, byte arrays and guids, and URL
// percent-encoding. Text is encoded as UTF-8.
func init() {
	RegisterScalar(
		unaryString("base64_encode_tostring", types.String, kStr, strToStr(func(s string) string {
			return base64.StdEncoding.EncodeToString([]byte(s))
		})),
		unaryString("base64_decode_tostring", types.String, kStr, strToStr(base64DecodeString)),
		unaryString("base64_decode_toarray", types.Dynamic, kStr, strToDyn(base64DecodeArray)),
		unaryString("base64_decode_toguid", types.Guid, kStr, strToValue(types.Guid, base64DecodeGuid)),
		&Scalar{Name: "base64_encode_fromarray", Bind: bindBase64FromArray},
		&Scalar{Name: "base64_encode_fromguid", Bind: bindBase64FromGuid},
		unaryString("url_encode", types.String, kStr, strToStr(func(s string) string { return urlEncode(s, "+") })),
		unaryString("url_encode_component", types.String, kStr, strToStr(func(s string) string { return urlEncode(s, "%20") })),
		unaryString("url_decode", types.String, kStr, strToStr(urlDecode)),
	)
}

// base64Decode decodes standard, padded base64, ignoring white space as
// .NET does; ok is false for malformed input.
func base64Decode(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
	b, err := base64.StdEncoding.DecodeString(s)
	return b, err == nil
}

// base64DecodeString decodes to UTF-8 text; malformed base64 or bytes
// that are not UTF-8 give the empty string (null).
func base64DecodeString(s string) string {
	b, ok := base64Decode(s)
	if !ok || !utf8.Valid(b) {
		return ""
	}
	return string(b)
}

// base64DecodeArray decodes to an array of byte values (long), or null.
func base64DecodeArray(s string) any {
	b, ok := base64Decode(s)
	if !ok {
		return nil
	}
	out := make([]any, len(b))
	for i, c := range b {
		out[i] = int64(c)
	}
	return out
}

func base64DecodeGuid(s string) types.Value {
	b, ok := base64Decode(s)
	if !ok || len(b) != 16 {
		return types.NullOf(types.Guid)
	}
	return types.NewGuid(guidFromBytes(b))
}

// guidFromBytes formats 16 bytes in .NET's Guid layout: the first three
// fields little-endian, the rest in order.
func guidFromBytes(b []byte) string {
	order := []int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15}
	h := make([]byte, 16)
	for i, j := range order {
		h[i] = b[j]
	}
	x := hex.EncodeToString(h)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// guidBytes is the inverse of guidFromBytes for canonical guid text.
func guidBytes(g string) ([]byte, bool) {
	h, err := hex.DecodeString(strings.ReplaceAll(g, "-", ""))
	if err != nil || len(h) != 16 {
		return nil, false
	}
	order := []int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15}
	b := make([]byte, 16)
	for i, j := range order {
		b[j] = h[i]
	}
	return b, true
}

func bindBase64FromArray(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("base64_encode_fromarray", args, 1, p("base64_string_decoded_as_array", kDyn)); err != nil {
		return 0, nil, err
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		arr, _ := v[0].D.([]any)
		b := make([]byte, len(arr))
		for i, e := range arr {
			x, ok := e.(int64)
			if !ok || x < 0 || x > 255 {
				return types.NewString("")
			}
			b[i] = byte(x)
		}
		return types.NewString(base64.StdEncoding.EncodeToString(b))
	}), nil
}

func bindBase64FromGuid(args []Arg) (types.Type, Kernel, error) {
	if err := checkArgs("base64_encode_fromguid", args, 1, p("guid", kGuid)); err != nil {
		return 0, nil, err
	}
	return types.String, RowKernel(types.String, func(v []types.Value) types.Value {
		g := types.Convert(v[0], types.Guid)
		b, ok := guidBytes(g.S)
		if g.IsNull() || !ok {
			return types.NewString("")
		}
		return types.NewString(base64.StdEncoding.EncodeToString(b))
	}), nil
}

// urlSafe reports the bytes .NET's HttpUtility.UrlEncode leaves as they
// are.
func urlSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.!*()", c) >= 0
}

// urlEncode percent-encodes s with lower-case hex digits, as .NET's
// HttpUtility.UrlEncode does; space becomes the given text.
func urlEncode(s, space string) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case urlSafe(c):
			b.WriteByte(c)
		case c == ' ':
			b.WriteString(space)
		default:
			b.WriteByte('%')
			b.WriteByte(digits[c>>4])
			b.WriteByte(digits[c&15])
		}
	}
	return b.String()
}

// urlDecode reverses URL encoding: %xx bytes, %uxxxx characters and '+'
// for space. Malformed escapes stay as they are; bytes that are not
// UTF-8 become U+FFFD.
func urlDecode(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') && isHex(s[i+2:i+6]):
			r, _ := hexValue(s[i+2 : i+6])
			b = utf8.AppendRune(b, rune(r))
			i += 5
		case c == '%' && i+2 < len(s) && isHex(s[i+1:i+3]):
			v, _ := hexValue(s[i+1 : i+3])
			b = append(b, byte(v))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func isHex(s string) bool {
	_, ok := hexValue(s)
	return ok
}

func hexValue(s string) (uint32, bool) {
	var v uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint32(c)
	}
	return v, true
}
