package segment

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// Segment is an open segment file. Its methods may be called from several
// goroutines at once; columns it returns are not shared.
type Segment struct {
	f    *os.File
	path string
	ft   *footer
	size int64
	// firstShred is the column index of each schema column's first
	// shredded sub-column.
	firstShred []int
	tries      []*shredNode // per schema column
	colTypes   []types.Type // of the schema columns, then the sub-columns
	dicts      []loadedDict // per column and sub-column, loaded on first use
}

// Open opens the segment file at path and checks its header, trailer and
// footer. Chunks are read and checked when used.
func Open(path string) (*Segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := open(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func open(f *os.File, path string) (*Segment, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < int64(headerLen+trailerLen) {
		return nil, fmt.Errorf("segment %s: %w: file of %d bytes is too short", path, errCorrupt, size)
	}
	head := make([]byte, headerLen)
	tail := make([]byte, trailerLen)
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, err
	}
	if _, err := f.ReadAt(tail, size-int64(trailerLen)); err != nil {
		return nil, err
	}
	if string(head[:len(magic)]) != magic || string(tail[12:]) != magic {
		return nil, fmt.Errorf("segment %s: not a segment file", path)
	}
	if v := binary.LittleEndian.Uint32(head[len(magic):]); v != version {
		return nil, fmt.Errorf("segment %s: format version %d, this build reads %d", path, v, version)
	}
	storedLen := int64(binary.LittleEndian.Uint32(tail))
	rawLen := int64(binary.LittleEndian.Uint32(tail[4:]))
	dataEnd := size - int64(trailerLen) - storedLen
	if dataEnd < int64(headerLen) {
		return nil, fmt.Errorf("segment %s: %w: footer of %d bytes does not fit", path, errCorrupt, storedLen)
	}
	ref := chunkRef{off: dataEnd, n: storedLen, crc: binary.LittleEndian.Uint32(tail[8:])}
	if rawLen != storedLen {
		ref.raw = rawLen
	}
	s := &Segment{f: f, path: path, size: size}
	raw, err := s.readChunk(ref)
	if err != nil {
		return nil, fmt.Errorf("segment %s: footer: %w", path, err)
	}
	if s.ft, err = decodeFooter(raw, dataEnd); err != nil {
		return nil, fmt.Errorf("segment %s: footer: %w", path, err)
	}
	s.ft.info.Bytes = size
	s.colTypes = s.ft.colTypes()
	s.dicts = make([]loadedDict, len(s.colTypes))
	next := len(s.ft.schema)
	for _, ps := range s.ft.shred {
		s.firstShred = append(s.firstShred, next)
		s.tries = append(s.tries, shredTrie(ps))
		next += len(ps)
	}
	return s, nil
}

// readChunk reads the bytes of ref, checks them and decompresses them.
func (s *Segment) readChunk(ref chunkRef) ([]byte, error) {
	if ref.n < 0 || ref.off < 0 || ref.off > s.size-ref.n {
		return nil, corruptf("chunk %d+%d outside the file", ref.off, ref.n)
	}
	p := make([]byte, ref.n)
	if _, err := s.f.ReadAt(p, ref.off); err != nil {
		return nil, err
	}
	if checksum(p) != ref.crc {
		return nil, corruptf("checksum mismatch in chunk at offset %d", ref.off)
	}
	if ref.raw == 0 {
		return p, nil
	}
	return decompress(p, int(ref.raw))
}

// Schema returns the columns of the segment.
func (s *Segment) Schema() vec.Schema { return s.ft.schema }

// Info returns the row count, block count, time range and size.
func (s *Segment) Info() Info { return s.ft.info }

// NumBlocks returns the number of blocks.
func (s *Segment) NumBlocks() int { return len(s.ft.blocks) }

// BlockRows returns the number of rows in block b (0 when there is no
// block b).
func (s *Segment) BlockRows(b int) int {
	if b < 0 || b >= len(s.ft.blocks) {
		return 0
	}
	return s.ft.blocks[b].rows
}

// ShreddedPaths returns the paths of dynamic column col stored as
// sub-columns.
func (s *Segment) ShreddedPaths(col int) [][]string {
	if col < 0 || col >= len(s.ft.shred) {
		return nil
	}
	var out [][]string
	for _, p := range s.ft.shred[col] {
		out = append(out, slices.Clone(p.path))
	}
	return out
}

// Close closes the file.
func (s *Segment) Close() error { return s.f.Close() }

// ReadColumn decodes column col of block b. Strings of dictionary-encoded
// blocks come back as Dict and Codes; a column with a segment dictionary
// shares its Dict slice between all blocks, so callers must not modify it.
func (s *Segment) ReadColumn(b, col int) (*vec.Column, error) {
	if b < 0 || b >= len(s.ft.blocks) || col < 0 || col >= len(s.ft.schema) {
		return nil, fmt.Errorf("segment %s: no block %d column %d", s.path, b, col)
	}
	return s.readColumn(b, col, s.ft.schema[col].Type)
}

// ReadPath returns the sub-column of path in dynamic column col of block
// b, ok=false when the path is not shredded. Its values are those of
// col.path, typed: a missing path or JSON null is null, and "" in a string
// sub-column.
func (s *Segment) ReadPath(b, col int, path []string) (*vec.Column, bool, error) {
	if b < 0 || b >= len(s.ft.blocks) || col < 0 || col >= len(s.ft.schema) {
		return nil, false, fmt.Errorf("segment %s: no block %d column %d", s.path, b, col)
	}
	for i, p := range s.ft.shred[col] {
		if slices.Equal(p.path, path) {
			c, err := s.readColumn(b, s.firstShred[col]+i, p.t)
			return c, err == nil, err
		}
	}
	return nil, false, nil
}

func (s *Segment) readColumn(b, col int, t types.Type) (*vec.Column, error) {
	c, err := s.decodeColumn(b, col, t)
	if err != nil {
		return nil, fmt.Errorf("segment %s block %d column %d: %w", s.path, b, col, err)
	}
	return c, nil
}

func (s *Segment) decodeColumn(b, col int, t types.Type) (*vec.Column, error) {
	blk := &s.ft.blocks[b]
	m := &blk.cols[col]
	n := blk.rows
	var dict []string
	if m.enc == encDict {
		var err error
		if dict, err = s.readDict(m); err != nil {
			return nil, err
		}
	}
	var raw []byte
	if m.enc != encMapped {
		var err error
		if raw, err = s.readChunk(m.data); err != nil {
			return nil, err
		}
	}
	r := &reader{b: raw}
	c := &vec.Column{Type: t, N: n}
	switch {
	case m.enc == encSegDict, m.enc == encMapped:
		if err := s.decodeSegDictColumn(b, col, raw, c); err != nil {
			return nil, err
		}
		r.b = nil
	case m.enc == encDict:
		c.Dict = dict
		c.Codes, c.Valid = decodeCodes(r, n, len(dict))
	case t.Storage() == types.StoreInt:
		var ref func(*reader) []int64
		if tc := s.ft.timeCol; t == types.Datetime && tc >= 0 && col != tc {
			ref = func(r *reader) []int64 {
				tcol, err := s.decodeColumn(b, tc, types.Datetime)
				if err != nil {
					r.fail("time column: %v", err)
					return nil
				}
				return tcol.Ints
			}
		}
		c.Ints, c.Valid = decodeIntsRef(r, n, ref)
	case t.Storage() == types.StoreFloat:
		c.Floats, c.Valid = decodeFloats(r, n)
	case t.Storage() == types.StoreString:
		c.Strs, c.Valid = decodeStrings(r, n)
	default:
		var root *shredNode
		var sub []*vec.Column
		if col < len(s.ft.schema) && len(s.ft.shred[col]) > 0 {
			root = s.tries[col]
			for j, p := range s.ft.shred[col] {
				sc, err := s.decodeColumn(b, s.firstShred[col]+j, p.t)
				if err != nil {
					return nil, err
				}
				sub = append(sub, sc)
			}
		}
		c.Anys = decodeDynamics(r, n, root, sub)
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	if t == types.String && c.Valid != nil {
		return nil, corruptf("null strings")
	}
	if nulls := countNulls(c); nulls != m.nulls {
		return nil, corruptf("%d nulls, the footer says %d", nulls, m.nulls)
	}
	return c, nil
}

func countNulls(c *vec.Column) int64 {
	var k int64
	for i := 0; i < c.N; i++ {
		if c.IsNull(i) {
			k++
		}
	}
	return k
}

func (s *Segment) readDict(m *colMeta) ([]string, error) {
	raw, err := s.readChunk(m.dict)
	if err != nil {
		return nil, err
	}
	r := &reader{b: raw}
	d := decodeDict(r)
	return d, r.done()
}

// Verify checks the checksum of every chunk and decodes every column of
// every block.
func (s *Segment) Verify() error {
	var errs []error
	ts := s.ft.colTypes()
	for b, blk := range s.ft.blocks {
		for col, m := range blk.cols {
			c, err := s.readColumn(b, col, ts[col])
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if m.enc == encSegDict || m.enc == encMapped {
				used, err := s.readUsed(b, col)
				if err == nil {
					err = checkUsed(c, used)
				}
				if err != nil {
					errs = append(errs, fmt.Errorf("segment %s block %d column %d: %w", s.path, b, col, err))
				}
			}
			if m.filter.n > 0 {
				if _, err := s.readFilter(&blk.cols[col]); err != nil {
					errs = append(errs, fmt.Errorf("segment %s block %d column %d: term filter: %w", s.path, b, col, err))
				}
			}
		}
	}
	return errors.Join(errs...)
}

func (s *Segment) readFilter(m *colMeta) (*bloom, error) {
	p, err := s.readChunk(m.filter)
	if err != nil {
		return nil, err
	}
	return parseFilter(p)
}

// columnNames names the schema columns, then the shredded sub-columns
// (column.path).
func (s *Segment) columnNames() []string {
	var names []string
	for _, c := range s.ft.schema {
		names = append(names, c.Name)
	}
	for i, ps := range s.ft.shred {
		for _, p := range ps {
			names = append(names, s.ft.schema[i].Name+"."+strings.Join(p.path, "."))
		}
	}
	return names
}

// BlockTimeRange returns the least and greatest non-null value of the
// segment's time column in block b; ok is false without a time column or
// when every value is null.
func (s *Segment) BlockTimeRange(b int) (lo, hi int64, ok bool) {
	tc := s.ft.timeCol
	if tc < 0 || b < 0 || b >= len(s.ft.blocks) {
		return 0, 0, false
	}
	st := &s.ft.blocks[b].cols[tc].st
	return st.minI, st.maxI, st.hasMinMax
}

// ColumnSize is the space one column (or shredded sub-column) takes in a
// segment, summed over its blocks.
type ColumnSize struct {
	Name   string // "DeviceDetail.operatingSystem" for a sub-column
	Data   int64  // compressed values
	Dict   int64  // dictionaries
	Filter int64  // term filters
}

// ColumnSizes returns the stored size of every column and sub-column, in
// schema order followed by the sub-columns.
func (s *Segment) ColumnSizes() []ColumnSize {
	names := s.columnNames()
	out := make([]ColumnSize, len(names))
	for i, n := range names {
		out[i].Name = n
		if i < len(s.ft.dicts) {
			out[i].Dict += s.ft.dicts[i].dict.n + s.ft.dicts[i].mapping.n
		}
	}
	for _, blk := range s.ft.blocks {
		for c := range blk.cols {
			if c >= len(out) {
				break
			}
			m := &blk.cols[c]
			out[c].Data += m.data.n
			out[c].Dict += m.dict.n
			out[c].Filter += m.filter.n
		}
	}
	return out
}
