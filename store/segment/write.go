package segment

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// WriteOptions tune Write.
type WriteOptions struct {
	// TimeColumn is the index of the datetime column whose range the
	// segment records, or -1.
	TimeColumn int
	// BlockRows is the number of rows in a block; 0 means 65536.
	BlockRows int
	// ShredPaths is the most paths of a dynamic column stored as typed
	// sub-columns; 0 means 16, negative means none.
	ShredPaths int
}

// Info summarizes a segment.
type Info struct {
	Rows             int64
	Blocks           int
	MinTime, MaxTime int64 // of the time column's non-null values; 0, 0 without
	Bytes            int64 // file size
}

// Write writes the rows of batches (all with the given schema) as one
// segment file at path, atomically: it writes path+".tmp", syncs it,
// renames it to path and syncs the directory.
func Write(path string, schema vec.Schema, batches []*vec.Batch, opt WriteOptions) (*Info, error) {
	if err := checkInput(schema, batches, &opt); err != nil {
		return nil, err
	}
	all := vec.Concat(schema, batches)
	cols := slicesClone(all.Cols)
	f := &footer{schema: schema, timeCol: opt.TimeColumn, shred: make([][]shredPath, len(schema))}
	sub := make([][]*vec.Column, len(schema))
	var wg sync.WaitGroup
	for i, fl := range schema {
		if fl.Type != types.Dynamic || opt.ShredPaths < 0 {
			continue
		}
		wg.Go(func() {
			f.shred[i] = choosePaths(all.Cols[i], opt.ShredPaths)
			sub[i] = extractPaths(all.Cols[i], f.shred[i])
		})
	}
	wg.Wait()
	for _, c := range sub {
		cols = append(cols, c...)
	}
	ds := make([]*segDict, len(cols))
	blockDicts := make([]bool, len(cols))
	for i, c := range cols {
		if c.Type.Storage() == types.StoreString {
			wg.Go(func() { ds[i], blockDicts[i] = buildSegDict(c) })
		}
	}
	wg.Wait()
	findMappings(ds)
	f.info.Rows = int64(all.N)
	tmp := path + ".tmp"
	size, err := writeFile(tmp, f, &columns{cols: cols, dicts: ds, blockDicts: blockDicts}, all.N, opt.BlockRows)
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	info := f.info
	info.Bytes = size
	return &info, nil
}

func slicesClone(cs []*vec.Column) []*vec.Column { return append([]*vec.Column(nil), cs...) }

func checkInput(schema vec.Schema, batches []*vec.Batch, opt *WriteOptions) error {
	if len(schema) == 0 || len(schema) > maxColumns/2 {
		return fmt.Errorf("segment: a schema of %d columns", len(schema))
	}
	if opt.TimeColumn < -1 || opt.TimeColumn >= len(schema) ||
		opt.TimeColumn >= 0 && schema[opt.TimeColumn].Type != types.Datetime {
		return fmt.Errorf("segment: time column %d is not a datetime column of the schema", opt.TimeColumn)
	}
	if opt.BlockRows == 0 {
		opt.BlockRows = 65536
	}
	if opt.BlockRows < 1 || opt.BlockRows > maxBlockLen {
		return fmt.Errorf("segment: %d rows a block is out of range", opt.BlockRows)
	}
	if opt.ShredPaths == 0 {
		opt.ShredPaths = 16
	}
	for _, fl := range schema {
		if fl.Type == types.Null || fl.Type > types.Dynamic {
			return fmt.Errorf("segment: column %q has type %s, which cannot be stored", fl.Name, fl.Type)
		}
	}
	for bi, b := range batches {
		if len(b.Cols) != len(schema) {
			return fmt.Errorf("segment: batch %d has %d columns, the schema %d", bi, len(b.Cols), len(schema))
		}
		for i, c := range b.Cols {
			if c.Type != schema[i].Type || c.N != b.N {
				return fmt.Errorf("segment: batch %d column %q is a %s column of %d rows, want %s of %d",
					bi, schema[i].Name, c.Type, c.N, schema[i].Type, b.N)
			}
		}
	}
	return nil
}

// writeFile writes the header, the blocks, the footer and the trailer to
// name and syncs it; it returns the file size.
// columns are the columns and sub-columns of a segment being written.
type columns struct {
	cols       []*vec.Column
	dicts      []*segDict   // segment dictionaries, nil where none
	blockDicts []bool       // whether blocks may have dictionaries of their own
	tries      []*shredNode // shredded paths of dynamic columns
	timeCol    int
}

func writeFile(name string, f *footer, cs *columns, rows, blockRows int) (int64, error) {
	file, err := os.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	out := &countingWriter{w: bufio.NewWriterSize(file, 1<<20)}
	out.write([]byte(magic))
	out.write(binary.LittleEndian.AppendUint32(nil, version))
	f.info.MinTime, f.info.MaxTime = 0, 0
	haveTime := false
	cs.tries = make([]*shredNode, len(cs.cols))
	for i := range f.shred {
		cs.tries[i] = shredTrie(f.shred[i])
	}
	cs.timeCol = f.timeCol
	f.dicts = writeDicts(out, cs.dicts)
	for lo := 0; lo < rows; lo += blockRows {
		hi := min(lo+blockRows, rows)
		b := blockMeta{rows: hi - lo, cols: make([]colMeta, len(cs.cols))}
		enc, err := encodeBlock(cs, lo, hi)
		if err != nil {
			return 0, err
		}
		for i, e := range enc {
			b.cols[i] = out.place(e)
		}
		if t := f.timeCol; t >= 0 && b.cols[t].st.hasMinMax {
			st := b.cols[t].st
			if !haveTime {
				f.info.MinTime, f.info.MaxTime, haveTime = st.minI, st.maxI, true
			}
			f.info.MinTime, f.info.MaxTime = min(f.info.MinTime, st.minI), max(f.info.MaxTime, st.maxI)
		}
		f.blocks = append(f.blocks, b)
	}
	f.info.Blocks = len(f.blocks)
	raw := f.encode()
	stored := compress(raw)
	if stored == nil {
		stored = raw
	}
	out.write(stored)
	t := &writer{}
	t.u32(uint32(len(stored)))
	t.u32(uint32(len(raw)))
	t.u32(checksum(stored))
	t.rawStr(magic)
	out.write(t.b)
	if out.err == nil {
		out.err = out.w.Flush()
	}
	if out.err == nil {
		out.err = file.Sync()
	}
	if out.err != nil {
		return 0, out.err
	}
	return out.n, file.Close()
}

// writeDicts writes the segment dictionaries (and mappings) of ds and
// returns their descriptors.
func writeDicts(out *countingWriter, ds []*segDict) []colDict {
	cds := make([]colDict, len(ds))
	for i, d := range ds {
		if d == nil {
			continue
		}
		cd := &cds[i]
		cd.kind = dictCoded
		cd.dict = out.put(makeChunk(encodeSegDictValues(d.values), true))
		if d.src >= 0 {
			cd.kind, cd.src = dictMapped, d.src
			cd.mapping = out.put(makeChunk(encodeMapping(d.mapping, len(d.values)), true))
		}
	}
	return cds
}

type countingWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countingWriter) write(p []byte) {
	if c.err != nil {
		return
	}
	_, c.err = c.w.Write(p)
	c.n += int64(len(p))
}

// pending is a chunk encoded but not yet written.
type pending struct {
	stored []byte
	raw    int64 // 0: stored uncompressed
	crc    uint32
}

// makeChunk compresses raw when asked and when that pays.
func makeChunk(raw []byte, compressIt bool) pending {
	p := pending{stored: raw}
	if compressIt {
		if z := compress(raw); z != nil {
			p.stored, p.raw = z, int64(len(raw))
		}
	}
	p.crc = checksum(p.stored)
	return p
}

// put writes p and returns its reference.
func (c *countingWriter) put(p pending) chunkRef {
	ref := chunkRef{off: c.n, n: int64(len(p.stored)), raw: p.raw, crc: p.crc}
	c.write(p.stored)
	return ref
}

// encodedColumn is one block of one column, ready to be written.
type encodedColumn struct {
	meta               colMeta
	data, dict, filter pending
}

// place writes the chunks of e and returns its descriptor.
func (c *countingWriter) place(e *encodedColumn) colMeta {
	m := e.meta
	if m.enc != encPlain {
		m.dict = c.put(e.dict)
	}
	if e.filter.stored != nil {
		m.filter = c.put(e.filter)
	}
	m.data = c.put(e.data)
	return m
}

// encodeBlock encodes rows [lo, hi) of every column, on as many
// goroutines as there are processors.
func encodeBlock(cs *columns, lo, hi int) ([]*encodedColumn, error) {
	cols, timeCol := cs.cols, cs.timeCol
	out := make([]*encodedColumn, len(cols))
	var ref []int64 // the time column's values, 0 when null
	if timeCol >= 0 {
		tc := cols[timeCol].Slice(lo, hi).Materialize()
		ref = fillNulls(tc.Ints[:tc.N], tc.Valid)
		for i := range ref {
			if tc.IsNull(i) {
				ref[i] = 0
			}
		}
	}
	errs := make([]error, len(cols))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cols)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if cs.dicts[i] != nil {
					out[i] = encodeSegDictBlock(cs.dicts[i], lo, hi)
					continue
				}
				var r []int64
				if i != timeCol && cols[i].Type == types.Datetime {
					r = ref
				}
				out[i], errs[i] = encodeColumn(cols[i].Slice(lo, hi).Materialize(), cs.tries[i], r, cs.blockDicts[i])
			}
		}()
	}
	for i := range cols {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

// encodeColumn encodes one block of one column. ref, when not nil, holds
// the time column's values, which a datetime column may be stored
// relative to; a string column gets a dictionary of its own only when
// blockDict is set.
func encodeColumn(c *vec.Column, trie *shredNode, ref []int64, blockDict bool) (*encodedColumn, error) {
	e := &encodedColumn{}
	m := &e.meta
	w := &writer{}
	if c.Type == types.String && c.Valid != nil {
		cc := *c // strings are never null
		cc.Valid = nil
		c = &cc
	}
	for i := 0; i < c.N; i++ {
		if c.IsNull(i) || c.Type == types.Dynamic && isNilBag(c.Anys[i]) {
			m.nulls++
		}
	}
	switch c.Type.Storage() {
	case types.StoreInt:
		encodeInts(w, c.Ints[:c.N], c.Valid, c.Type == types.Bool)
		m.st = intStats(c)
		if c.Type != types.Bool {
			// Varints compress well when values repeat, bit packing when
			// they are random in a range: keep the smaller after zstd.
			e.data = makeChunk(w.b, true)
			pw := &writer{}
			encodeIntsPacked(pw, c.Ints[:c.N], c.Valid)
			if alt := makeChunk(pw.b, true); len(alt.stored) < len(e.data.stored) {
				e.data = alt
			}
			if ref != nil {
				rw := &writer{}
				encodeIntsRef(rw, c.Ints[:c.N], c.Valid, ref)
				if alt := makeChunk(rw.b, true); len(alt.stored) < len(e.data.stored) {
					e.data = alt
				}
			}
			return e, nil
		}
	case types.StoreFloat:
		encodeFloats(w, c.Floats[:c.N], c.Valid)
		m.st = floatStats(c)
	case types.StoreString:
		ss := c.Strs[:c.N]
		m.st = stringStats(c)
		var dict []string
		var codes []uint32
		if blockDict {
			dict, codes, _ = dictionary(ss)
		}
		if dict != nil {
			m.enc = encDict
			d := &writer{}
			encodeDict(d, dict)
			e.dict = makeChunk(d.b, true)
			encodeCodes(w, codes, c.Valid, len(dict))
		} else {
			// Unique ids (guid text) have too many terms for a filter.
			form := encodeStrings(w, ss, c.Valid)
			if c.Type == types.String && form == strList {
				if fl := buildFilter(ss); fl != nil {
					e.filter = makeChunk(fl, false)
				}
			}
			if form == strGuid4 {
				// Random bits do not compress.
				e.data = makeChunk(w.b, false)
				return e, nil
			}
		}
	case types.StoreAny:
		if err := encodeDynamics(w, c.Anys[:c.N], c.Valid, trie); err != nil {
			return nil, err
		}
	}
	e.data = makeChunk(w.b, true)
	return e, nil
}

func intStats(c *vec.Column) stats {
	var st stats
	for i := 0; i < c.N; i++ {
		if c.IsNull(i) {
			continue
		}
		x := c.Ints[i]
		if !st.hasMinMax {
			st.minI, st.maxI, st.hasMinMax = x, x, true
		}
		st.minI, st.maxI = min(st.minI, x), max(st.maxI, x)
	}
	return st
}

func floatStats(c *vec.Column) stats {
	var st stats
	for i := 0; i < c.N; i++ {
		if c.IsNull(i) {
			continue
		}
		x := c.Floats[i]
		if math.IsNaN(x) {
			st.hasNaN = true
			continue
		}
		if !st.hasMinMax {
			st.minF, st.maxF, st.hasMinMax = x, x, true
		}
		st.minF, st.maxF = min(st.minF, x), max(st.maxF, x)
	}
	return st
}

// stringStats keeps the minimum cut to maxStatLen bytes (still a lower
// bound) and the maximum only when it is short.
func stringStats(c *vec.Column) stats {
	st := stats{ascii: true}
	for i := 0; i < c.N; i++ {
		if c.IsNull(i) {
			continue
		}
		s := c.Strs[i]
		if st.ascii && !isASCII(s) {
			st.ascii = false
		}
		if !st.hasMinMax {
			st.minS, st.maxS, st.hasMinMax = s, s, true
		}
		st.minS, st.maxS = min(st.minS, s), max(st.maxS, s)
	}
	trimStringStats(&st)
	return st
}

// trimStringStats keeps the minimum cut to maxStatLen bytes (still a lower
// bound) and the maximum only when it is short, both copied so that they
// do not hold on to the block's values.
func trimStringStats(st *stats) {
	st.hasMax = st.hasMinMax && len(st.maxS) <= maxStatLen
	if !st.hasMax {
		st.maxS = ""
	}
	if len(st.minS) > maxStatLen {
		cut := maxStatLen
		for cut > 0 && !utf8.RuneStart(st.minS[cut]) {
			cut--
		}
		st.minS = st.minS[:cut]
	}
	st.minS = string([]byte(st.minS))
	st.maxS = string([]byte(st.maxS))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// isNilBag reports whether v is a nil *types.Bag, which is stored as null.
func isNilBag(v any) bool {
	b, ok := v.(*types.Bag)
	return ok && b == nil
}
