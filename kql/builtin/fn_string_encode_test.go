package builtin_test

import "testing"

func TestBase64(t *testing.T) {
	testExprs(t, []exprCase{
		{`base64_encode_tostring("Kusto")`, "S3VzdG8=", "string"},
		{`base64_encode_tostring("")`, "", "string"},
		{`base64_decode_tostring("S3VzdG8=")`, "Kusto", "string"},
		{`base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")`, "", "string"},
		{`base64_decode_tostring("not base64!")`, "", "string"},
		{`base64_decode_toarray("S3VzdG8=")`, "[75,117,115,116,111]", "dynamic"},
		{`base64_decode_toarray("U3RyaW5n0KHR0tGA0L7Rh9C60LA")`, nullText, "dynamic"},
		{`base64_decode_toarray("")`, "[]", "dynamic"},
		{`base64_encode_fromarray(base64_decode_toarray("S3VzdG8="))`, "S3VzdG8=", "string"},
		{`base64_encode_fromarray(base64_decode_toarray("U3RyaW5n0KHR0tGA0L7Rh9C60LA"))`, "", "string"},
		{`base64_encode_fromarray(dynamic([256]))`, "", "string"},
		// The guid layout is .NET's (first three fields little-endian), as in
		// the docs' base64_encode_fromguid example.
		{`base64_encode_fromguid(toguid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb"))`, "8jMxriJurkmwahbmqbIS6w==", "string"},
		{`base64_decode_toguid("8jMxriJurkmwahbmqbIS6w==")`, "ae3133f2-6e22-49ae-b06a-16e6a9b212eb", "guid"},
		{`base64_decode_toguid("abcd1231")`, "<null>", "guid"},
		{`base64_encode_fromguid(base64_decode_toguid("JpbpECu8dUy7Pv5gbeJXAA=="))`, "JpbpECu8dUy7Pv5gbeJXAA==", "string"},
	})
	testTables(t, []tableCase{
		{"base64 array through toscalar", `let bytes_array = toscalar(print base64_decode_toarray("S3VzdG8="));
print decoded_base64_string = base64_encode_fromarray(bytes_array)`, []string{"S3VzdG8="}},
	})
}

func TestURLEncoding(t *testing.T) {
	testExprs(t, []exprCase{
		{`url_encode(@'https://www.bing.com/hello world')`, "https%3a%2f%2fwww.bing.com%2fhello+world", "string"},
		{`url_encode_component(@'https://www.bing.com/hello world/')`, "https%3a%2f%2fwww.bing.com%2fhello%20world%2f", "string"},
		{`url_encode("a-b_c.d!e*f(g)")`, "a-b_c.d!e*f(g)", "string"},
		{`url_encode("é")`, "%c3%a9", "string"},
		{`url_encode("")`, "", "string"},
		{`url_decode(@'https%3a%2f%2fwww.bing.com%2f')`, "https://www.bing.com/", "string"},
		{`url_decode("hello+world%20!")`, "hello world !", "string"},
		{`url_decode("%c3%a9%u00e9")`, "éé", "string"},
		{`url_decode("100%")`, "100%", "string"},
		{`url_decode("%zz")`, "%zz", "string"},
	})
}

func TestEncodingErrors(t *testing.T) {
	testErrors(t, []errCase{
		{`print base64_encode_fromguid("abcd1231")`, "base64_encode_fromguid(): argument #1 (guid) must be a guid, got string"},
		{`print base64_encode_tostring(1)`, "base64_encode_tostring(): argument #1 (source) must be a string"},
		{`print base64_encode_fromarray("a")`, "must be a dynamic value"},
		{`print url_decode()`, "url_decode(): expects 1 argument, got 0"},
	})
}
