package segment

import "math/bits"

// String and guid columns. A block whose values repeat (at most one
// distinct value for every two rows) is stored as a dictionary chunk and a
// chunk of codes; other blocks store the lengths of all values, then their
// bytes. Both forms compress well with zstd because lengths and bytes are
// kept apart.

// dictionary returns the distinct values of ss in first-seen order and the
// code of each row, or ok=false when the block is not worth a dictionary.
func dictionary(ss []string) (dict []string, codes []uint32, ok bool) {
	n := len(ss)
	if n < 4 {
		return nil, nil, false
	}
	index := make(map[string]uint32)
	codes = make([]uint32, n)
	for i, s := range ss {
		c, seen := index[s]
		if !seen {
			if len(dict)*2 >= n {
				return nil, nil, false
			}
			c = uint32(len(dict))
			index[s] = c
			dict = append(dict, s)
		}
		codes[i] = c
	}
	return dict, codes, true
}

// Forms of a plain string chunk.
const (
	strList  byte = iota // lengths, then bytes
	strGuid              // 16 bytes a value: every value is a canonical lowercase guid
	strGuid4             // 122 bits a value: every value is a lowercase random (version 4) guid; see guid4.go
)

// encodeStrings writes the null bitmap (for guids), the form, then the
// values: as 122 bits each when all are lowercase version 4 guid text, as
// 16 bytes each when all are other lowercase guid text (unique ids would
// not compress below that), else lengths, then bytes. It returns the form.
func encodeStrings(w *writer, ss []string, valid []bool) byte {
	appendNulls(w, valid, len(ss))
	allGuids := len(ss) > 0
	for i, s := range ss {
		if (valid == nil || valid[i]) && !isGuidText(s) {
			allGuids = false
			break
		}
	}
	if !allGuids {
		w.byte(strList)
		encodeStringList(w, ss)
		return strList
	}
	if allV4(ss, valid) {
		w.byte(strGuid4)
		encodeGuid4(w, ss, valid)
		return strGuid4
	}
	w.byte(strGuid)
	var g [16]byte
	for i, s := range ss {
		if valid != nil && !valid[i] {
			g = [16]byte{}
		} else {
			g = parseGuidText(s)
		}
		w.raw(g[:])
	}
	return strGuid
}

// isGuidText reports whether s is a guid in canonical lowercase text,
// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
func isGuidText(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

func hexVal(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}

func parseGuidText(s string) [16]byte {
	var g [16]byte
	j := 0
	for i := 0; i < 36; i += 2 {
		if s[i] == '-' {
			i--
			continue
		}
		g[j] = hexVal(s[i])<<4 | hexVal(s[i+1])
		j++
	}
	return g
}

const hexDigits = "0123456789abcdef"

// appendGuidText appends g as canonical lowercase text.
func appendGuidText(dst []byte, g []byte) []byte {
	for i, b := range g {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[b>>4], hexDigits[b&15])
	}
	return dst
}

func encodeStringList(w *writer, ss []string) {
	for _, s := range ss {
		w.uvarint(uint64(len(s)))
	}
	for _, s := range ss {
		w.rawStr(s)
	}
}

func decodeStrings(r *reader, n int) ([]string, []bool) {
	valid := readNulls(r, n)
	switch form := r.byte(); form {
	case strList:
		return decodeStringList(r, n), valid
	case strGuid4:
		return decodeGuid4(r, n, valid), valid
	case strGuid:
		p := r.take(16 * n)
		if r.err != nil {
			return nil, nil
		}
		text := make([]byte, 0, 36*n)
		for i := 0; i < n; i++ {
			text = appendGuidText(text, p[16*i:16*i+16])
		}
		all := string(text)
		ss := make([]string, n)
		for i := range ss {
			if valid == nil || valid[i] {
				ss[i] = all[36*i : 36*i+36]
			}
		}
		return ss, valid
	default:
		r.fail("unknown string form %d", form)
		return nil, nil
	}
}

// decodeStringList reads n strings; all share one backing allocation.
func decodeStringList(r *reader, n int) []string {
	if n > len(r.b) {
		r.fail("%d strings in %d bytes", n, len(r.b))
		return nil
	}
	lens := make([]int, n)
	total := 0
	for i := range lens {
		l := r.uvarint()
		if l > uint64(len(r.b)) {
			r.fail("string of %d bytes exceeds the %d left", l, len(r.b))
			return nil
		}
		lens[i] = int(l)
		total += int(l)
	}
	data := string(r.take(total))
	if r.err != nil {
		return nil
	}
	ss := make([]string, n)
	off := 0
	for i, l := range lens {
		ss[i] = data[off : off+l]
		off += l
	}
	return ss
}

// encodeDict writes a dictionary chunk: its size, then the string list.
func encodeDict(w *writer, dict []string) {
	w.uvarint(uint64(len(dict)))
	encodeStringList(w, dict)
}

func decodeDict(r *reader) []string {
	n := r.count(1<<31-1, 1)
	return decodeStringList(r, n)
}

// encodeCodes writes the null bitmap, the bit width of a code, then the
// codes packed in that many bits each, least significant bit first.
func encodeCodes(w *writer, codes []uint32, valid []bool, dictLen int) {
	appendNulls(w, valid, len(codes))
	w.byte(byte(bits.Len(uint(max(dictLen-1, 0)))))
	w.raw(packCodes(codes, dictLen))
}

// bitsLen is the bit width of codes below dictLen.
func bitsLen(dictLen int) int { return bits.Len(uint(max(dictLen-1, 0))) }

// packCodes packs codes below dictLen in the fewest bits each.
func packCodes(codes []uint32, dictLen int) []byte {
	width := bits.Len(uint(max(dictLen-1, 0)))
	p := make([]byte, (len(codes)*width+7)/8)
	pos := 0
	for _, c := range codes {
		for b := 0; b < width; b++ {
			if c&(1<<b) != 0 {
				p[pos>>3] |= 1 << (pos & 7)
			}
			pos++
		}
	}
	return p
}

func decodeCodes(r *reader, n, dictLen int) ([]uint32, []bool) {
	valid := readNulls(r, n)
	return unpackCodes(r, n, dictLen), valid
}

// unpackCodes reads a code width and n codes, each below dictLen.
func unpackCodes(r *reader, n, dictLen int) []uint32 {
	width := int(r.byte())
	if width > 32 {
		r.fail("codes of %d bits", width)
	}
	p := r.take((n*width + 7) / 8)
	if r.err != nil {
		return nil
	}
	codes := make([]uint32, n)
	pos := 0
	for i := range codes {
		var c uint32
		for b := 0; b < width; b++ {
			c |= uint32(p[pos>>3]>>(pos&7)&1) << b
			pos++
		}
		if int(c) >= dictLen {
			r.fail("code %d outside a dictionary of %d", c, dictLen)
			return nil
		}
		codes[i] = c
	}
	return codes
}
