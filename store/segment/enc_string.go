package segment

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

// encodeStrings writes the null bitmap (for guids), the lengths, then the
// bytes of ss.
func encodeStrings(w *writer, ss []string, valid []bool) {
	appendNulls(w, valid, len(ss))
	encodeStringList(w, ss)
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
	return decodeStringList(r, n), valid
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

// encodeCodes writes the null bitmap and the dictionary code of each row.
func encodeCodes(w *writer, codes []uint32, valid []bool) {
	appendNulls(w, valid, len(codes))
	for _, c := range codes {
		w.uvarint(uint64(c))
	}
}

func decodeCodes(r *reader, n, dictLen int) ([]uint32, []bool) {
	valid := readNulls(r, n)
	if n > len(r.b) {
		r.fail("%d codes in %d bytes", n, len(r.b))
		return nil, nil
	}
	codes := make([]uint32, n)
	for i := range codes {
		c := r.uvarint()
		if c >= uint64(dictLen) {
			r.fail("code %d outside a dictionary of %d", c, dictLen)
			return nil, nil
		}
		codes[i] = uint32(c)
	}
	return codes, valid
}
