package builtin

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"io"

	"github.com/idlogs/idlogs/kql/types"
)

// Compression: gzip_compress_to_base64_string,
// gzip_decompress_from_base64_string and
// zlib_decompress_from_base64_string. Input that is not valid base64 or
// not a valid compressed stream gives an empty string.
func init() {
	RegisterScalar(
		unaryString("gzip_compress_to_base64_string", types.String, kStr, strToStr(gzipToBase64)),
		unaryString("gzip_decompress_from_base64_string", types.String, kStr, strToStr(func(s string) string {
			return inflateBase64(s, func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) })
		})),
		unaryString("zlib_decompress_from_base64_string", types.String, kStr, strToStr(func(s string) string {
			return inflateBase64(s, func(r io.Reader) (io.Reader, error) { return zlib.NewReader(r) })
		})),
	)
}

func gzipToBase64(s string) string {
	if s == "" {
		return ""
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	out := buf.Bytes()
	if stored := storedGzip([]byte(s)); len(stored) <= len(out) {
		out = stored
	}
	return base64.StdEncoding.EncodeToString(out)
}

// storedGzip is data in a gzip stream of uncompressed deflate blocks,
// which is what short or incompressible input is best written as.
func storedGzip(data []byte) []byte {
	out := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}
	out = storedBlocks(out, data)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	return binary.LittleEndian.AppendUint32(out, uint32(len(data)))
}

// storedBlocks appends data as uncompressed deflate blocks.
func storedBlocks(out, data []byte) []byte {
	for first := true; first || len(data) > 0; first = false {
		n := min(len(data), 0xffff)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		out = append(out, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		out = append(out, data[:n]...)
		data = data[n:]
	}
	return out
}

// maxInflated bounds the decompressed size, so a small bomb can't exhaust
// memory.
const maxInflated = 64 << 20

func inflateBase64(s string, open func(io.Reader) (io.Reader, error)) string {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) == 0 {
		return ""
	}
	r, err := open(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	out, err := io.ReadAll(io.LimitReader(r, maxInflated))
	if err != nil {
		return ""
	}
	return string(out)
}
