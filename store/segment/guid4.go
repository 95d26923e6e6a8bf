package segment

import "encoding/binary"

// Random guids (version 4, RFC 9562 variant), such as the ids of Entra
// sign-ins, have 122 random bits: the version nibble is 4 and the variant
// bits are 10. A strGuid4 chunk keeps only the random bits, 6 bits a
// value less than 16 bytes. Rows of one session share a correlation id, so
// the form also drops a value equal to the previous row's:
//
//	flag      1 when a repeat bitmap follows, else 0 (no row repeats)
//	repeats   one bit a row, set when the row's value is the previous row's
//	values    the 122 bits of each non-null value that is not a repeat,
//	          60 bits of the first half, then 62 of the second, least
//	          significant bit first

// allV4 reports whether every non-null value of ss is version 4 guid text
// (ss is already known to be lowercase guid text).
func allV4(ss []string, valid []bool) bool {
	for i, s := range ss {
		if (valid == nil || valid[i]) && (s[14] != '4' || s[19] < '8' || s[19] > 'b') {
			return false
		}
	}
	return true
}

// guid4Repeats returns the repeat flag of each row, nil when none repeats.
func guid4Repeats(ss []string, valid []bool) []bool {
	var rep []bool
	for i := 1; i < len(ss); i++ {
		if (valid == nil || valid[i] && valid[i-1]) && ss[i] == ss[i-1] {
			if rep == nil {
				rep = make([]bool, len(ss))
			}
			rep[i] = true
		}
	}
	return rep
}

// bitWriter appends values of up to 64 bits, least significant bit first.
type bitWriter struct {
	p    []byte
	acc  uint64
	nacc int
}

func (b *bitWriter) put(x uint64, n int) {
	for n > 0 {
		k := min(n, 64-b.nacc)
		b.acc |= (x & (1<<k - 1)) << b.nacc
		b.nacc += k
		x >>= k
		n -= k
		for b.nacc >= 8 {
			b.p = append(b.p, byte(b.acc))
			b.acc >>= 8
			b.nacc -= 8
		}
	}
}

func (b *bitWriter) flush() []byte {
	if b.nacc > 0 {
		b.p = append(b.p, byte(b.acc))
	}
	return b.p
}

// bitReader reads what bitWriter wrote; the caller checks the length.
type bitReader struct {
	p   []byte
	pos int
}

func (b *bitReader) get(n int) uint64 {
	var x uint64
	for i := 0; i < n; {
		byteIdx, bit := b.pos>>3, b.pos&7
		k := min(8-bit, n-i)
		x |= uint64(b.p[byteIdx]>>bit&(1<<k-1)) << i
		i += k
		b.pos += k
	}
	return x
}

func encodeGuid4(w *writer, ss []string, valid []bool) {
	rep := guid4Repeats(ss, valid)
	w.bool(rep != nil)
	if rep != nil {
		w.raw(packBits(len(ss), func(i int) bool { return rep[i] }))
	}
	bw := &bitWriter{p: make([]byte, 0, len(ss)*16)}
	for i, s := range ss {
		if valid != nil && !valid[i] || rep != nil && rep[i] {
			continue
		}
		g := parseGuidText(s)
		hi, lo := binary.BigEndian.Uint64(g[:8]), binary.BigEndian.Uint64(g[8:])
		bw.put(hi>>16<<12|hi&0xfff, 60)
		bw.put(lo&(1<<62-1), 62)
	}
	w.raw(bw.flush())
}

func decodeGuid4(r *reader, n int, valid []bool) []string {
	var rep []bool
	if r.bool() {
		p := r.take((n + 7) / 8)
		rep = make([]bool, n)
		for i := range rep {
			rep[i] = p != nil && p[i>>3]&(1<<(i&7)) != 0
		}
	}
	stored := 0
	for i := 0; i < n; i++ {
		switch {
		case valid != nil && !valid[i]:
			if rep != nil && rep[i] {
				r.fail("null row %d marked as a repeat", i)
			}
		case rep != nil && rep[i]:
			if i == 0 || valid != nil && !valid[i-1] {
				r.fail("row %d repeats a missing value", i)
			}
		default:
			stored++
		}
	}
	p := r.take((stored*122 + 7) / 8)
	if r.err != nil {
		return nil
	}
	br := &bitReader{p: p}
	text := make([]byte, 0, 36*stored)
	var g [16]byte
	for range stored {
		a, b := br.get(60), br.get(62)
		binary.BigEndian.PutUint64(g[:8], a>>12<<16|0x4000|a&0xfff)
		binary.BigEndian.PutUint64(g[8:], b|1<<63)
		text = appendGuidText(text, g[:])
	}
	all := string(text)
	ss := make([]string, n)
	k := 0
	for i := range ss {
		switch {
		case valid != nil && !valid[i]:
		case rep != nil && rep[i]:
			ss[i] = ss[i-1]
		default:
			ss[i] = all[36*k : 36*k+36]
			k++
		}
	}
	return ss
}
