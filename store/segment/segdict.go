package segment

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Segment dictionaries. A string or guid column (or string sub-column)
// with at most one distinct value for every two rows of the segment keeps
// one sorted dictionary for the whole segment instead of one per block:
// user, device and address columns would otherwise repeat most of their
// values in every block. Each block stores the codes of its rows and a
// bitmap of the codes its non-null rows use, which pruning reads instead
// of values.
//
// A dictionary column whose value is a function of another dictionary
// column's value over the whole segment (UserPrincipalName of UserId)
// stores no codes at all: its dictionary is followed by a mapping from the
// codes of that source column to its own codes, and its rows are read
// through the source column's codes. A column whose value is nearly a
// function of another's (the device or address of a user: one of a few)
// is mapped the same way to a short list of codes for each source code,
// and its blocks hold each row's index in its list (see keyed.go).

// Kinds of column dictionaries.
const (
	dictNone   byte = iota
	dictCoded       // blocks hold codes (encSegDict)
	dictMapped      // blocks hold no codes (encMapped): the source's codes are mapped
)

// mapping is the list of codes of a mapped column that go with each code
// of its source, most frequent first: codes[offs[a]:offs[a+1]]. When no
// list is longer than one, the column is a function of its source.
type mapping struct {
	offs   []uint32
	codes  []uint32
	maxLen int
}

// colDict describes the segment dictionary of one column in the footer.
type colDict struct {
	kind    byte
	src     int      // dictMapped: the column whose codes determine this one's
	dict    chunkRef // the values, sorted
	mapping chunkRef // dictMapped: the mapping from the codes of src
}

// segDict is the segment dictionary of one column while it is written.
type segDict struct {
	values  []string // sorted, distinct
	ascii   []bool   // of each value
	codes   []uint32 // of each row
	valid   []bool   // nil: no null rows
	src     int      // the source column of a mapped column, else -1
	mapping *mapping
	index   []uint32 // of each row in its list, when mapping.maxLen > 1
}

// buildSegDict returns the segment dictionary of string column c, or nil
// when c has more than one distinct value for every two rows (or looks
// like it will, from the first rows). Then blockDicts tells whether
// dictionaries of single blocks may still pay: not when half the rows were
// distinct before 60% of them were seen.
func buildSegDict(c *vec.Column) (d *segDict, blockDicts bool) {
	n := c.N
	if n < 4 {
		return nil, true
	}
	c = c.Materialize()
	d = &segDict{src: -1, codes: make([]uint32, n)}
	if c.Type != types.String && c.Valid != nil && !allTrue(c.Valid[:n]) {
		d.valid = c.Valid[:n]
	}
	index := make(map[string]uint32, 1024)
	var vals []string
	var last string
	var lastCode uint32
	for i, s := range c.Strs[:n] {
		if i == n/8 && len(vals)*10 > i*9 || i == n/4 && len(vals)*2 > i {
			// 90% distinct in the first eighth, or over half in the
			// first quarter: the dictionary would not pay, nor block
			// dictionaries.
			return nil, false
		}
		if d.valid != nil && !d.valid[i] {
			s = ""
		}
		if i > 0 && s == last {
			d.codes[i] = lastCode
			continue
		}
		k, ok := index[s]
		if !ok {
			if len(vals)*2 >= n {
				return nil, i*10 >= n*6
			}
			k = uint32(len(vals))
			index[s] = k
			vals = append(vals, s)
		}
		d.codes[i], last, lastCode = k, s, k
	}
	order := make([]uint32, len(vals))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(vals[a], vals[b]) })
	remap := make([]uint32, len(vals))
	d.values = make([]string, len(vals))
	d.ascii = make([]bool, len(vals))
	for code, old := range order {
		remap[old] = uint32(code)
		d.values[code] = vals[old]
		d.ascii[code] = isASCII(vals[old])
	}
	for i, k := range d.codes {
		d.codes[i] = remap[k]
	}
	return d, false
}

// findMappings turns each dictionary column whose values are a function
// of another coded dictionary column's values into a mapped column. The
// source is the smallest coded dictionary at least as large that
// determines it; columns are visited from the largest dictionary down, so
// sources are always coded. Then it keys large coded dictionaries on
// another coded column when that pays (keyed.go).
func findMappings(ds []*segDict) {
	var order []int
	for i, d := range ds {
		if d != nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(ds[b].values), len(ds[a].values)) })
	var coded []int // in decreasing dictionary size
	for _, b := range order {
		d := ds[b]
		if len(d.values) > 1 && d.valid == nil {
			for j := len(coded) - 1; j >= 0; j-- {
				a := ds[coded[j]]
				if a.valid != nil || len(a.values) < len(d.values) {
					continue
				}
				if m := determines(a, d); m != nil {
					d.src, d.mapping = coded[j], m
					break
				}
			}
		}
		if d.src < 0 {
			coded = append(coded, b)
		}
	}
	findKeys(ds, coded)
}

// determines returns, when every code of a goes with one code of b, the
// mapping of a's codes to b's (an unused code of a maps to nothing); else
// nil.
func determines(a, b *segDict) *mapping {
	const unset = ^uint32(0)
	m := make([]uint32, len(a.values))
	for i := range m {
		m[i] = unset
	}
	for i, ka := range a.codes {
		kb := b.codes[i]
		switch m[ka] {
		case kb:
		case unset:
			m[ka] = kb
		default:
			return nil
		}
	}
	mp := &mapping{offs: make([]uint32, 1, len(m)+1), maxLen: 1}
	for _, k := range m {
		if k != unset {
			mp.codes = append(mp.codes, k)
		}
		mp.offs = append(mp.offs, uint32(len(mp.codes)))
	}
	return mp
}

// encodeSegDictBlock encodes rows [lo, hi) of a column with a segment
// dictionary: the codes (none for a mapped column) and the bitmap of the
// codes used, with statistics from the sorted dictionary.
func encodeSegDictBlock(d *segDict, lo, hi int) *encodedColumn {
	e := &encodedColumn{}
	m := &e.meta
	codes := d.codes[lo:hi]
	var valid []bool
	if d.valid != nil {
		valid = d.valid[lo:hi]
	}
	used := make([]byte, (len(d.values)+7)/8)
	for i, k := range codes {
		if valid != nil && !valid[i] {
			m.nulls++
			continue
		}
		used[k>>3] |= 1 << (k & 7)
	}
	m.st = usedStats(d, used)
	if d.src >= 0 {
		m.enc = encMapped
		if d.mapping.maxLen > 1 {
			w := &writer{}
			encodeCodes(w, d.index[lo:hi], nil, d.mapping.maxLen)
			e.data = makeChunk(w.b, true)
		}
	} else {
		m.enc = encSegDict
		w := &writer{}
		encodeCodes(w, codes, valid, len(d.values))
		e.data = makeChunk(w.b, true)
	}
	e.dict = makeChunk(used, true)
	return e
}

// usedStats returns the statistics of the values whose codes are set in
// used: the dictionary is sorted, so the least and greatest codes give
// the minimum and maximum.
func usedStats(d *segDict, used []byte) stats {
	st := stats{ascii: true}
	lo, hi := -1, -1
	for k := range d.values {
		if used[k>>3]&(1<<(k&7)) == 0 {
			continue
		}
		if lo < 0 {
			lo = k
		}
		hi = k
		if !d.ascii[k] {
			st.ascii = false
		}
	}
	if lo >= 0 {
		st.hasMinMax, st.minS, st.maxS = true, d.values[lo], d.values[hi]
	}
	trimStringStats(&st)
	return st
}

// encodeSegDictValues writes a segment dictionary chunk: the number of
// values, then the values as a plain string chunk (16 bytes each when all
// are guid text).
func encodeSegDictValues(values []string) []byte {
	w := &writer{}
	w.uvarint(uint64(len(values)))
	encodeStrings(w, values, nil)
	return w.b
}

func decodeSegDictValues(r *reader) []string {
	n := r.count(1<<31-1, 1)
	ss, valid := decodeStrings(r, n)
	if valid != nil {
		r.fail("null values in a dictionary")
	}
	return ss
}

// encodeMapping writes the length of each source code's list, then the
// codes of all lists, each bit-packed.
func encodeMapping(m *mapping, dictLen int) []byte {
	w := &writer{}
	lens := make([]uint32, len(m.offs)-1)
	for a := range lens {
		lens[a] = m.offs[a+1] - m.offs[a]
	}
	w.uvarint(uint64(m.maxLen))
	w.byte(byte(bitsLen(m.maxLen + 1)))
	w.raw(packCodes(lens, m.maxLen+1))
	w.byte(byte(bitsLen(dictLen)))
	w.raw(packCodes(m.codes, dictLen))
	return w.b
}

// decodeMapping reads a mapping from srcLen source codes to codes below
// dictLen (at least 2, so each code takes a bit).
func decodeMapping(r *reader, srcLen, dictLen int) *mapping {
	maxLen := r.count(1<<31-1, 0)
	if dictLen < 2 || maxLen < 1 {
		r.fail("mapping to a dictionary of %d values with lists of %d", dictLen, maxLen)
		return nil
	}
	lens := unpackCodes(r, srcLen, maxLen+1)
	m := &mapping{offs: make([]uint32, 1, srcLen+1), maxLen: maxLen}
	total := 0
	for _, l := range lens {
		total += int(l)
		m.offs = append(m.offs, uint32(total))
	}
	if total > len(r.b)*8 {
		r.fail("mapping of %d codes in %d bytes", total, len(r.b))
		return nil
	}
	m.codes = unpackCodes(r, total, dictLen)
	return m
}

// loadedDict is a segment dictionary as read, shared by every block.
type loadedDict struct {
	once    sync.Once
	values  []string
	mapping *mapping // mapped columns
	err     error
}

// segDict returns the dictionary values of column col (and, for a mapped
// column, its mapping from source codes), read once per segment.
func (s *Segment) segDict(col int) ([]string, *mapping, error) {
	l := &s.dicts[col]
	l.once.Do(func() {
		cd := &s.ft.dicts[col]
		raw, err := s.readChunk(cd.dict)
		if err != nil {
			l.err = err
			return
		}
		r := &reader{b: raw}
		values := decodeSegDictValues(r)
		if l.err = r.done(); l.err != nil {
			return
		}
		if cd.kind == dictMapped {
			src, _, err := s.segDict(cd.src)
			if err != nil {
				l.err = err
				return
			}
			raw, err := s.readChunk(cd.mapping)
			if err != nil {
				l.err = err
				return
			}
			r := &reader{b: raw}
			m := decodeMapping(r, len(src), len(values))
			if l.err = r.done(); l.err != nil {
				return
			}
			l.mapping = m
		}
		l.values = values
	})
	return l.values, l.mapping, l.err
}

// readUsed returns the bitmap of the codes block b of column col uses.
func (s *Segment) readUsed(b, col int) ([]byte, error) {
	values, _, err := s.segDict(col)
	if err != nil {
		return nil, err
	}
	p, err := s.readChunk(s.ft.blocks[b].cols[col].dict)
	if err != nil {
		return nil, err
	}
	if len(p) != (len(values)+7)/8 {
		return nil, corruptf("code bitmap of %d bytes for a dictionary of %d values", len(p), len(values))
	}
	return p, nil
}

// decodeSegDictColumn decodes block b of a column with a segment
// dictionary; raw is its data chunk.
func (s *Segment) decodeSegDictColumn(b, col int, raw []byte, c *vec.Column) error {
	values, _, err := s.segDict(col)
	if err != nil {
		return err
	}
	c.Dict = values
	if s.ft.dicts[col].kind == dictCoded {
		r := &reader{b: raw}
		c.Codes, c.Valid = decodeCodes(r, c.N, len(values))
		return r.done()
	}
	c.Codes, err = s.blockCodes(b, col)
	return err
}

// blockCodes returns the codes of the rows of block b of a column with a
// segment dictionary. The footer allows mapping chains of two links at
// most (a function of a keyed column), so the recursion is bounded.
func (s *Segment) blockCodes(b, col int) ([]uint32, error) {
	values, m, err := s.segDict(col)
	if err != nil {
		return nil, err
	}
	n := s.ft.blocks[b].rows
	ref := s.ft.blocks[b].cols[col].data
	if s.ft.dicts[col].kind == dictCoded {
		raw, err := s.readChunk(ref)
		if err != nil {
			return nil, err
		}
		r := &reader{b: raw}
		codes, _ := decodeCodes(r, n, len(values))
		return codes, r.done()
	}
	src, err := s.blockCodes(b, s.ft.dicts[col].src)
	if err != nil {
		return nil, err
	}
	var index []uint32
	if m.maxLen > 1 {
		raw, err := s.readChunk(ref)
		if err != nil {
			return nil, err
		}
		r := &reader{b: raw}
		var valid []bool
		index, valid = decodeCodes(r, n, m.maxLen)
		if err := r.done(); err != nil {
			return nil, err
		}
		if valid != nil {
			return nil, corruptf("null list indexes")
		}
	} else if ref.n != 0 {
		return nil, corruptf("list indexes of a column that is a function of its source")
	}
	codes := make([]uint32, n)
	for i, a := range src {
		lo, hi := m.offs[a], m.offs[a+1]
		var k uint32
		if index != nil {
			k = index[i]
		}
		if lo+k >= hi {
			return nil, corruptf("row %d: no code %d for source code %d", i, k, a)
		}
		codes[i] = m.codes[lo+k]
	}
	return codes, nil
}

// checkUsed reports whether used is exactly the bitmap of the codes of
// the non-null rows of c.
func checkUsed(c *vec.Column, used []byte) error {
	want := make([]byte, len(used))
	for i, k := range c.Codes {
		if c.Valid == nil || c.Valid[i] {
			want[k>>3] |= 1 << (k & 7)
		}
	}
	if !slices.Equal(want, used) {
		return corruptf("the code bitmap does not match the codes")
	}
	return nil
}
