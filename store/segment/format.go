// Package segment reads and writes segment files: the immutable, columnar
// files of the idlogs store, each holding the rows of one table in blocks.
//
// # Layout
//
//	header   "IDLOGSEG" | version u32
//	chunks   the segment dictionaries, then the data of every block and
//	         column, one after the other
//	footer   zstd frame of the footer (below)
//	trailer  footer stored length u32 | footer raw length u32 |
//	         CRC32-C of the stored footer u32 | "IDLOGSEG"
//
// All integers in the trailer and header are little endian; in the footer
// and chunks they are varints (zigzag for signed values).
//
// The footer holds the schema; the time column, time range and row count;
// for each dynamic column the shredded paths with their types; for each
// column and sub-column its segment dictionary, if any (segdict.go:
// coded, or mapped from another column's codes, with references to the
// dictionary and mapping chunks); and for each block its row count and,
// for each column (the schema's columns, then the shredded sub-columns in
// order), a chunk descriptor: encoding, references (offset, stored length,
// raw length, CRC32-C) to the data chunk, to the dictionary chunk of a
// block dictionary or the code bitmap of a segment dictionary, and to the
// term filter, the null count, and min/max statistics.
//
// A data chunk is zstd-compressed unless that does not pay (raw length 0
// in its reference). Every chunk starts with a null bitmap flag (0: no
// nulls; 1: one bit a row follows, set for null) except dictionaries,
// code bitmaps and dynamic chunks (nulls are dynamic nulls). Values follow
// in the encoding of their family, chosen per block:
//
//	enc_int.go      zigzag varints, delta + zigzag varints, or bit-packed
//	                frame of reference (of values or of differences,
//	                divided by their common divisor), whichever is
//	                smallest after compression; a datetime column may be
//	                stored as its differences to the time column; bools
//	                one bit a row
//	enc_float.go    distinct values and bit-packed codes when few, else
//	                raw IEEE bits
//	segdict.go      codes into the column's segment dictionary when the
//	                segment has at most one distinct value for two rows;
//	                nothing, or indexes into per-code lists (keyed.go), for
//	                a column mapped from another's codes
//	enc_string.go   otherwise a block dictionary + bit-packed codes when
//	                at most one distinct value for two rows; else 122 bits
//	                a value when all are version 4 guid text (guid4.go), 16
//	                bytes when all are other lowercase guid text; else
//	                lengths, then bytes
//	enc_dynamic.go  tagged binary values; a value stored in a shredded
//	                sub-column is a one-byte placeholder
//
// Term filters (filter.go) are stored raw, for string blocks that are not
// dictionary-encoded. Shredding (shred.go) adds typed sub-columns for the
// common scalar paths of dynamic columns; they are stored, filtered and
// pruned like ordinary columns. Pruning is in prune.go.
//
// Every chunk and the footer carry a CRC32-C checked before decoding, and
// every length read from the file is bounded by the data left, so damaged
// files give errors, never panics or unbounded allocations.
package segment

import (
	"hash/crc32"
	"math"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

const (
	magic       = "IDLOGSEG"
	version     = 2
	headerLen   = len(magic) + 4
	trailerLen  = 12 + len(magic)
	maxColumns  = 1 << 16
	maxBlockLen = 1 << 22 // rows in one block
	maxBlocks   = 1 << 24
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(p []byte) uint32 { return crc32.Checksum(p, castagnoli) }

// Chunk encodings.
const (
	encPlain   byte = iota
	encDict         // a dictionary chunk of the block and codes
	encSegDict      // codes into the segment dictionary of the column
	encMapped       // no data: the codes of the column's source, mapped
)

// chunkRef locates stored bytes in the file. raw is the decompressed
// length, 0 when the bytes are stored uncompressed.
type chunkRef struct {
	off, n, raw int64
	crc         uint32
}

// colMeta describes one column of one block.
type colMeta struct {
	enc    byte
	data   chunkRef
	dict   chunkRef // encDict: the dictionary; encSegDict, encMapped: the bitmap of the codes used
	filter chunkRef // n == 0: no filter
	nulls  int64
	st     stats
}

// stats are the min/max of the non-null values of a block's column.
type stats struct {
	hasMinMax bool
	ascii     bool // strings: every value is ASCII
	hasMax    bool // strings: max is kept (it is dropped when long)
	hasNaN    bool // reals
	minI      int64
	maxI      int64
	minF      float64
	maxF      float64
	minS      string
	maxS      string
}

// maxStatLen bounds the strings kept as statistics.
const maxStatLen = 128

// blockMeta describes one block.
type blockMeta struct {
	rows int
	cols []colMeta
}

// shredPath is a path of a dynamic column stored as a sub-column.
type shredPath struct {
	path []string
	t    types.Type
}

// footer is everything a reader needs before reading chunks.
type footer struct {
	schema  vec.Schema
	timeCol int
	info    Info
	shred   [][]shredPath // per schema column
	dicts   []colDict     // per column, then sub-column
	blocks  []blockMeta
}

// colTypes returns the types of the schema columns, then of the shredded
// sub-columns.
func (f *footer) colTypes() []types.Type {
	var ts []types.Type
	for _, c := range f.schema {
		ts = append(ts, c.Type)
	}
	for _, ps := range f.shred {
		for _, p := range ps {
			ts = append(ts, p.t)
		}
	}
	return ts
}

func (f *footer) encode() []byte {
	w := &writer{}
	w.uvarint(uint64(len(f.schema)))
	for _, c := range f.schema {
		w.str(c.Name)
		w.byte(byte(c.Type))
	}
	w.varint(int64(f.timeCol))
	w.varint(f.info.MinTime)
	w.varint(f.info.MaxTime)
	w.uvarint(uint64(f.info.Rows))
	for _, ps := range f.shred {
		w.uvarint(uint64(len(ps)))
		for _, p := range ps {
			w.uvarint(uint64(len(p.path)))
			for _, s := range p.path {
				w.str(s)
			}
			w.byte(byte(p.t))
		}
	}
	ts := f.colTypes()
	for i := range ts {
		d := &f.dicts[i]
		w.byte(d.kind)
		if d.kind == dictNone {
			continue
		}
		d.dict.encode(w)
		if d.kind == dictMapped {
			w.uvarint(uint64(d.src))
			d.mapping.encode(w)
		}
	}
	w.uvarint(uint64(len(f.blocks)))
	for _, b := range f.blocks {
		w.uvarint(uint64(b.rows))
		for i, c := range b.cols {
			c.encode(w, ts[i])
		}
	}
	return w.b
}

func (r chunkRef) encode(w *writer) {
	w.uvarint(uint64(r.off))
	w.uvarint(uint64(r.n))
	w.uvarint(uint64(r.raw))
	w.u32(r.crc)
}

func (c *colMeta) encode(w *writer, t types.Type) {
	w.byte(c.enc)
	c.data.encode(w)
	if c.enc != encPlain {
		c.dict.encode(w)
	}
	c.filter.encode(w)
	w.uvarint(uint64(c.nulls))
	st := &c.st
	w.byte(b2i(st.hasMinMax) | b2i(st.ascii)<<1 | b2i(st.hasMax)<<2 | b2i(st.hasNaN)<<3)
	if !st.hasMinMax {
		return
	}
	switch t.Storage() {
	case types.StoreInt:
		w.varint(st.minI)
		w.varint(st.maxI)
	case types.StoreFloat:
		w.f64(st.minF)
		w.f64(st.maxF)
	case types.StoreString:
		w.str(st.minS)
		if st.hasMax {
			w.str(st.maxS)
		}
	}
}

// decodeFooter parses and checks a footer; dataEnd is where chunks end.
func decodeFooter(p []byte, dataEnd int64) (*footer, error) {
	r := &reader{b: p}
	f := &footer{}
	ncols := r.count(maxColumns, 2)
	for i := 0; i < ncols && r.err == nil; i++ {
		name := r.str()
		t := types.Type(r.byte())
		if t > types.Dynamic {
			r.fail("column %q has unknown type %d", name, t)
		}
		f.schema = append(f.schema, vec.Field{Name: name, Type: t})
	}
	f.timeCol = int(r.varint())
	if r.err == nil && (f.timeCol < -1 || f.timeCol >= ncols || f.timeCol >= 0 && f.schema[f.timeCol].Type != types.Datetime) {
		r.fail("bad time column %d", f.timeCol)
	}
	f.info.MinTime, f.info.MaxTime = r.varint(), r.varint()
	f.info.Rows = int64(r.uvarint())
	f.shred = make([][]shredPath, ncols)
	for i := 0; i < ncols && r.err == nil; i++ {
		f.shred[i] = decodeShred(r, f.schema[i].Type)
	}
	ts := f.colTypes()
	if len(ts) > maxColumns {
		r.fail("%d columns", len(ts))
	}
	f.dicts = decodeColDicts(r, ts, dataEnd)
	nblocks := r.count(maxBlocks, 1+len(ts)*8)
	var rows int64
	for i := 0; i < nblocks && r.err == nil; i++ {
		b := blockMeta{rows: r.count(maxBlockLen, 0), cols: make([]colMeta, len(ts))}
		rows += int64(b.rows)
		for j := range b.cols {
			b.cols[j] = decodeColMeta(r, ts[j], b.rows, dataEnd, f.dicts[j].kind)
		}
		f.blocks = append(f.blocks, b)
	}
	if err := r.done(); err != nil {
		return nil, err
	}
	if rows != f.info.Rows {
		return nil, corruptf("blocks hold %d rows, footer says %d", rows, f.info.Rows)
	}
	f.info.Blocks = len(f.blocks)
	return f, nil
}

func decodeShred(r *reader, t types.Type) []shredPath {
	n := r.count(maxColumns, 2)
	if n > 0 && t != types.Dynamic {
		r.fail("shredded paths on a %s column", t)
		return nil
	}
	ps := make([]shredPath, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		segs := make([]string, r.count(maxDynDepth, 1))
		for j := range segs {
			segs[j] = r.str()
		}
		st := types.Type(r.byte())
		if !shreddable(st) {
			r.fail("shredded path of type %d", st)
		}
		ps = append(ps, shredPath{path: segs, t: st})
	}
	return ps
}

func decodeRef(r *reader, dataEnd int64) chunkRef {
	c := chunkRef{off: int64(r.uvarint()), n: int64(r.uvarint()), raw: int64(r.uvarint()), crc: r.u32()}
	if r.err == nil && c.n > 0 && (c.off < int64(headerLen) || c.n < 0 || c.n > dataEnd || c.off > dataEnd-c.n ||
		c.raw < 0 || c.raw > maxChunkRaw) {
		r.fail("chunk reference %d+%d outside the data", c.off, c.n)
	}
	return c
}

// decodeColDicts reads the segment dictionary of each column.
func decodeColDicts(r *reader, ts []types.Type, dataEnd int64) []colDict {
	ds := make([]colDict, len(ts))
	for i := 0; i < len(ts) && r.err == nil; i++ {
		d := &ds[i]
		d.kind = r.byte()
		if d.kind == dictNone {
			continue
		}
		if d.kind > dictMapped || ts[i].Storage() != types.StoreString {
			r.fail("dictionary kind %d on a %s column", d.kind, ts[i])
			return ds
		}
		d.dict = decodeRef(r, dataEnd)
		if d.kind == dictMapped {
			d.src = r.count(len(ts)-1, 0)
			d.mapping = decodeRef(r, dataEnd)
		}
	}
	// A column is mapped from a coded column, or from a column mapped from
	// a coded column: chains have two links at most.
	for i := range ds {
		if ds[i].kind != dictMapped {
			continue
		}
		src := &ds[ds[i].src]
		if ds[i].src == i || src.kind == dictNone || src.kind == dictMapped && (src.src == ds[i].src || ds[src.src].kind != dictCoded) {
			r.fail("column %d is mapped from column %d, which has no coded dictionary", i, ds[i].src)
		}
	}
	return ds
}

// encodingFits reports whether a block of a column of type t with
// dictionary kind may have encoding enc.
func encodingFits(enc byte, t types.Type, kind byte) bool {
	switch enc {
	case encPlain:
		return kind == dictNone
	case encDict:
		return kind == dictNone && t.Storage() == types.StoreString
	case encSegDict:
		return kind == dictCoded
	case encMapped:
		return kind == dictMapped
	}
	return false
}

func decodeColMeta(r *reader, t types.Type, rows int, dataEnd int64, kind byte) colMeta {
	var c colMeta
	c.enc = r.byte()
	if !encodingFits(c.enc, t, kind) {
		r.fail("encoding %d for a %s column with dictionary kind %d", c.enc, t, kind)
		return c
	}
	c.data = decodeRef(r, dataEnd)
	if c.enc != encPlain {
		c.dict = decodeRef(r, dataEnd)
	}
	c.filter = decodeRef(r, dataEnd)
	if c.filter.raw != 0 {
		r.fail("compressed term filter")
	}
	c.nulls = int64(r.uvarint())
	if c.nulls > int64(rows) || c.enc == encMapped && c.nulls != 0 {
		r.fail("%d nulls in %d rows", c.nulls, rows)
	}
	flags := r.byte()
	st := &c.st
	st.hasMinMax, st.ascii, st.hasMax, st.hasNaN = flags&1 != 0, flags&2 != 0, flags&4 != 0, flags&8 != 0
	if flags > 15 {
		r.fail("bad statistics flags %#x", flags)
	}
	if !st.hasMinMax {
		return c
	}
	switch t.Storage() {
	case types.StoreInt:
		st.minI, st.maxI = r.varint(), r.varint()
	case types.StoreFloat:
		st.minF, st.maxF = r.f64(), r.f64()
		if math.IsNaN(st.minF) || math.IsNaN(st.maxF) {
			r.fail("NaN statistics")
		}
	case types.StoreString:
		st.minS = r.str()
		if st.hasMax {
			st.maxS = r.str()
		}
	default:
		r.fail("statistics on a %s column", t)
	}
	return c
}
