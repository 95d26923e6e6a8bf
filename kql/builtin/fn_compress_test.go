package builtin_test

import "testing"

func TestCompress(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print gzip_compress_to_base64_string("1234567890qwertyuiop")`, "H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA=="},
		{`print gzip_decompress_from_base64_string(gzip_compress_to_base64_string("hello, hello, hello"))`, "hello, hello, hello"},
		{`print gzip_decompress_from_base64_string("x0x0x0"), zlib_decompress_from_base64_string("x0x0x0"), gzip_compress_to_base64_string("")`, " |  | "},
		{`print zlib_decompress_from_base64_string("eJwLSS0uUUhKTE5VyEktUUjOzy0oSi0uTk1RSMsvUkjOzytJzSvRBQA0cgyh")`, ""},
	})
}
