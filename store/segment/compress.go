package segment

import (
	"sync"

	"github.com/klauspost/compress/zstd"
)

// maxChunkRaw bounds the decompressed size of one chunk, so a damaged
// footer cannot make a reader allocate without limit.
const maxChunkRaw = 1 << 30

// Segments are written once and read many times, so chunks are compressed
// at the better-compression level (about 3% smaller than the default on
// sign-in logs, for a third more encoding time).
//
// zstd encoders and decoders are expensive to create; one of each serves
// every segment (EncodeAll and DecodeAll are safe for concurrent use).
var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
	zstdDec  *zstd.Decoder
)

func zstdInit() {
	var err error
	zstdEnc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBetterCompression))
	if err != nil {
		panic(err) // only on invalid options
	}
	zstdDec, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxChunkRaw))
	if err != nil {
		panic(err)
	}
}

// compress returns the zstd frame of raw, or nil when compressing does not
// pay (the chunk is then stored as is).
func compress(raw []byte) []byte {
	if len(raw) < 64 {
		return nil
	}
	zstdOnce.Do(zstdInit)
	out := zstdEnc.EncodeAll(raw, make([]byte, 0, len(raw)/2))
	if len(out) >= len(raw) {
		return nil
	}
	return out
}

// decompress expands a zstd frame that must decode to exactly rawLen bytes.
func decompress(stored []byte, rawLen int) ([]byte, error) {
	if rawLen > maxChunkRaw {
		return nil, corruptf("chunk of %d bytes is too large", rawLen)
	}
	zstdOnce.Do(zstdInit)
	out, err := zstdDec.DecodeAll(stored, make([]byte, 0, rawLen))
	if err != nil {
		return nil, corruptf("zstd: %v", err)
	}
	if len(out) != rawLen {
		return nil, corruptf("chunk decompressed to %d bytes, want %d", len(out), rawLen)
	}
	return out, nil
}
