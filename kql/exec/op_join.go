package exec

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"sync"

	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// join is a hash join: the right side is built into a table keyed by the
// join keys, the left side probes it. Null keys never match.
func (r *Runner) join(n *plan.Join) (Operator, error) {
	if streamsLeft(n) {
		return r.joinStream(n)
	}
	left, err := r.Run(n.Left)
	if err != nil {
		return nil, err
	}
	right, err := r.Run(n.Right)
	if err != nil {
		return nil, err
	}
	lkeys, err := r.keys(n.LeftKeys, left)
	if err != nil {
		return nil, err
	}
	rkeys, err := r.keys(n.RightKeys, right)
	if err != nil {
		return nil, err
	}
	if n.Kind == "innerunique" {
		lkeys = firstPerKey(lkeys)
	}
	build := map[string][]int{}
	for i, k := range rkeys {
		if k != "" {
			build[k] = append(build[k], i)
		}
	}
	var li, ri []int
	rightUsed := make([]bool, right.N)
	for i, k := range lkeys {
		if k == "\x00skip" {
			continue
		}
		matches := build[k]
		if k == "" {
			matches = nil
		}
		switch n.Kind {
		case "leftsemi":
			if len(matches) > 0 {
				li, ri = append(li, i), append(ri, -1)
			}
			continue
		case "leftanti":
			if len(matches) == 0 {
				li, ri = append(li, i), append(ri, -1)
			}
			continue
		}
		for _, m := range matches {
			li, ri = append(li, i), append(ri, m)
			rightUsed[m] = true
		}
		if len(matches) == 0 && (n.Kind == "leftouter" || n.Kind == "fullouter") {
			li, ri = append(li, i), append(ri, -1)
		}
	}
	switch n.Kind {
	case "rightsemi", "rightanti":
		li, ri = nil, nil
		for i := range rkeys {
			if rightUsed[i] == (n.Kind == "rightsemi") {
				li, ri = append(li, -1), append(ri, i)
			}
		}
	case "rightouter", "fullouter":
		if n.Kind == "rightouter" {
			li2, ri2 := li[:0:0], ri[:0:0]
			for j := range li {
				if ri[j] >= 0 {
					li2, ri2 = append(li2, li[j]), append(ri2, ri[j])
				}
			}
			li, ri = li2, ri2
		}
		for i := range rkeys {
			if !rightUsed[i] {
				li, ri = append(li, -1), append(ri, i)
			}
		}
	}
	return &once{b: joinOutput(n, left, right, li, ri)}, nil
}

// keys encodes each row's join key; "" marks a row with a null key.
func (r *Runner) keys(exprs []plan.Expr, b *vec.Batch) ([]string, error) {
	cols, err := r.keyCols(exprs, b)
	if err != nil {
		return nil, err
	}
	return encodeKeys(cols, b.N), nil
}

// encodeKeys encodes the keys of n rows of cols; "" marks a null key.
func encodeKeys(cols []*vec.Column, n int) []string {
	out := make([]string, n)
	var buf []byte
	for row := range n {
		var ok bool
		if buf, ok = appendKey(buf[:0], cols, row); ok {
			out[row] = string(buf)
		}
	}
	return out
}

// keyCols evaluates the key expressions over b.
func (r *Runner) keyCols(exprs []plan.Expr, b *vec.Batch) ([]*vec.Column, error) {
	cols := make([]*vec.Column, len(exprs))
	for i, e := range exprs {
		c, err := r.eval(e, b)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return cols, nil
}

// appendKey appends the key of row to dst, the encoding types.Key gives
// the row's values (dynamic ones unwrapped), and reports false when a
// key value is null. Strings and int-stored values are encoded straight
// from the column.
func appendKey(dst []byte, cols []*vec.Column, row int) ([]byte, bool) {
	for _, c := range cols {
		if c.Type != types.Dynamic && c.IsNull(row) {
			return dst, false
		}
		switch c.Type {
		case types.String, types.Guid:
			s := c.Str(row)
			dst = append(dst, 's')
			dst = binary.BigEndian.AppendUint64(dst, uint64(len(s)))
			dst = append(dst, s...)
			continue
		case types.Bool, types.Int, types.Long:
			dst = binary.BigEndian.AppendUint64(append(dst, 'i'), uint64(c.Int(row)))
			continue
		case types.Datetime:
			dst = binary.BigEndian.AppendUint64(append(dst, 'd'), uint64(c.Int(row)))
			continue
		case types.Timespan:
			dst = binary.BigEndian.AppendUint64(append(dst, 't'), uint64(c.Int(row)))
			continue
		}
		v := c.Value(row)
		if v.Type == types.Dynamic {
			v = types.FromDynamic(v.D)
		}
		if v.IsNull() {
			return dst, false
		}
		dst = types.Key(dst, v)
	}
	return dst, true
}

// firstPerKey keeps the first row of each key for innerunique joins and
// marks later duplicates to be skipped.
func firstPerKey(keys []string) []string {
	seen := map[string]bool{}
	out := make([]string, len(keys))
	for i, k := range keys {
		switch {
		case k == "":
			out[i] = ""
		case seen[k]:
			out[i] = "\x00skip"
		default:
			seen[k] = true
			out[i] = k
		}
	}
	return out
}

// streamsLeft reports whether the left side of n can be joined batch by
// batch: each left row's output depends only on the right side, which
// holds for the kinds that do not report unmatched right rows, and when
// no key is a window function. (innerunique's deduplication of the left
// side is a pass over the output in order.)
func streamsLeft(n *plan.Join) bool {
	switch n.Kind {
	case "inner", "innerunique", "leftouter", "leftsemi", "leftanti":
	default:
		return false
	}
	for _, e := range n.LeftKeys {
		if plan.UsesSerial(e) {
			return false
		}
	}
	return true
}

// joinStream builds the right side into a table once, then probes it with
// the left side's batches in parallel, yielding output in left row order.
func (r *Runner) joinStream(n *plan.Join) (Operator, error) {
	right, err := r.Run(n.Right)
	if err != nil {
		return nil, err
	}
	rcols, err := r.keyCols(n.RightKeys, right)
	if err != nil {
		return nil, err
	}
	rkeys := encodeKeysParallel(rcols, right.N)
	build := buildHashes(rcols, rkeys)
	seen := newHashFilter(right.N)
	for _, part := range build.parts {
		for h := range part {
			seen.add(h)
		}
	}
	dicts := &dictHashes{m: map[*string][]uint64{}}
	in, err := r.open(n.Left)
	if err != nil {
		return nil, err
	}
	// A left batch without output maps to nil, which parallelMap skips.
	out := r.parallelMap(in, func(b *vec.Batch) (*vec.Batch, error) {
		cols, err := r.keyCols(n.LeftKeys, b)
		if err != nil {
			return nil, err
		}
		var li, ri, found []int
		var kb, scratch []byte
		hs := dicts.of(cols)
		for i := 0; i < b.N; i++ {
			found = found[:0]
			if h, ok := keyHash(cols, hs, i, &scratch); ok && seen.has(h) {
				if cands := build.rows(h); len(cands) > 0 {
					// Equal hashes are checked on the encoded keys.
					kb, _ = appendKey(kb[:0], cols, i)
					for _, m := range cands {
						if string(kb) == rkeys[m] {
							found = append(found, m)
						}
					}
				}
			}
			matches := found
			switch n.Kind {
			case "leftsemi":
				if len(matches) > 0 {
					li, ri = append(li, i), append(ri, -1)
				}
				continue
			case "leftanti":
				if len(matches) == 0 {
					li, ri = append(li, i), append(ri, -1)
				}
				continue
			}
			for _, m := range matches {
				li, ri = append(li, i), append(ri, m)
			}
			if len(matches) == 0 && n.Kind == "leftouter" {
				li, ri = append(li, i), append(ri, -1)
			}
		}
		if len(li) == 0 {
			return nil, nil
		}
		out := joinOutput(n, b, right, li, ri)
		if n.Kind == "innerunique" {
			out.Cols = append(out.Cols, firstRowKeys(cols, li))
		}
		return out, nil
	})
	if n.Kind == "innerunique" {
		return firstPerKeyOp(out), nil
	}
	return out, nil
}

// firstRowKeys is a string column over the output rows li of an
// innerunique join: a left row's encoded key on its first output row, ""
// on the others.
func firstRowKeys(cols []*vec.Column, li []int) *vec.Column {
	keys := make([]string, len(li))
	var buf []byte
	for j, i := range li {
		if j == 0 || li[j-1] != i {
			buf, _ = appendKey(buf[:0], cols, i)
			keys[j] = string(buf)
		}
	}
	return &vec.Column{Type: types.String, N: len(li), Strs: keys}
}

// firstPerKeyOp keeps, of the batches of an innerunique join in left row
// order, the output of the first left row of each key (firstRowKeys in
// the last column, which it removes): later left rows with a key already
// seen are dropped, as firstPerKey drops them before probing.
func firstPerKeyOp(in Operator) Operator {
	seen := map[string]bool{}
	return funcOp(func() (*vec.Batch, error) {
		for {
			b, err := in.Next()
			if b == nil || err != nil {
				return nil, err
			}
			last := len(b.Cols) - 1
			keys := b.Cols[last].Strs
			b.Cols = b.Cols[:last]
			var keep []int
			kept := false
			for j, k := range keys {
				if k != "" {
					kept = !seen[k]
					seen[k] = true
				}
				if kept {
					keep = append(keep, j)
				}
			}
			switch len(keep) {
			case b.N:
				return b, nil
			case 0:
				continue
			}
			return b.Gather(keep), nil
		}
	})
}

// joinOutput gathers the output columns of the row pairs li, ri (-1 for
// no row of that side).
func joinOutput(n *plan.Join, left, right *vec.Batch, li, ri []int) *vec.Batch {
	out := &vec.Batch{N: len(li)}
	for j := range n.Sch {
		if c := n.LeftCols[j]; c >= 0 {
			out.Cols = append(out.Cols, left.Cols[c].Gather(li))
		} else {
			out.Cols = append(out.Cols, right.Cols[n.RightCols[j]].Gather(ri))
		}
	}
	return out
}

// joinSeed seeds the hashes of join keys.
var joinSeed = maphash.MakeSeed()

// hashTable maps the hash of each right row's key (keyHash) to the rows
// that have it, in row order. It is split into partitions by the hash's
// low bits, built in parallel.
type hashTable struct {
	parts []map[uint64][]int
}

func (t *hashTable) rows(h uint64) []int { return t.parts[h&uint64(len(t.parts)-1)][h] }

// buildHashes builds the hash table of the rows of cols; rows with a null
// key (an empty rkeys entry) are left out. Large inputs are hashed in
// chunks and the partitions built at the same time, one goroutine each.
func buildHashes(cols []*vec.Column, rkeys []string) *hashTable {
	n := len(rkeys)
	hs, ok := make([]uint64, n), make([]bool, n)
	parallelChunks(n, func(lo, hi int) {
		var scratch []byte
		for i := lo; i < hi; i++ {
			if rkeys[i] != "" {
				hs[i], ok[i] = keyHash(cols, nil, i, &scratch)
			}
		}
	})
	parts := 1
	if n >= minParallelRows {
		for parts*2 <= Parallelism {
			parts *= 2
		}
	}
	t := &hashTable{parts: make([]map[uint64][]int, parts)}
	parallelDo(parts, func(p int) {
		m := make(map[uint64][]int, n/parts)
		for i, h := range hs {
			if ok[i] && h&uint64(parts-1) == uint64(p) {
				m[h] = append(m[h], i)
			}
		}
		t.parts[p] = m
	})
	return t
}

// minParallelRows is the size below which a join's build side is built
// on one goroutine.
const minParallelRows = 16384

// parallelChunks calls f over the chunks [lo, hi) of [0, n), on up to
// Parallelism goroutines when n is large.
func parallelChunks(n int, f func(lo, hi int)) {
	if n < minParallelRows || Parallelism < 2 {
		f(0, n)
		return
	}
	step := (n + Parallelism - 1) / Parallelism
	parallelDo((n+step-1)/step, func(k int) { f(k*step, min((k+1)*step, n)) })
}

// parallelDo calls f(0), ..., f(k-1) on k goroutines and waits for them;
// a panic in one is raised again in the caller, where the query's own
// recovery reports it.
func parallelDo(k int, f func(i int)) {
	if k == 1 {
		f(0)
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var panicked any
	for i := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					panicked = p
					mu.Unlock()
				}
			}()
			f(i)
		}()
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

// encodeKeysParallel is encodeKeys in chunks on several goroutines.
func encodeKeysParallel(cols []*vec.Column, n int) []string {
	out := make([]string, n)
	parallelChunks(n, func(lo, hi int) {
		var buf []byte
		for row := lo; row < hi; row++ {
			var ok bool
			if buf, ok = appendKey(buf[:0], cols, row); ok {
				out[row] = string(buf)
			}
		}
	})
	return out
}

// keyHash hashes the key of row, reporting false when a key value is
// null. Rows whose keys appendKey encodes alike hash alike: each value
// hashes its appendKey encoding's tag and payload, strings and
// int-stored values straight from the column, dictionary-encoded strings
// from dicts[i], the hashes of column i's dictionary entries, when set.
func keyHash(cols []*vec.Column, dicts [][]uint64, row int, scratch *[]byte) (uint64, bool) {
	h := uint64(len(cols))
	for i, c := range cols {
		if c.Type != types.Dynamic && c.IsNull(row) {
			return 0, false
		}
		var x uint64
		switch c.Type {
		case types.String, types.Guid:
			if dicts != nil && dicts[i] != nil {
				x = dicts[i][c.Codes[row]]
				break
			}
			x = stringHash(c.Str(row))
		case types.Bool, types.Int, types.Long:
			x = mix64(uint64(c.Int(row))) ^ 'i'
		case types.Datetime:
			x = mix64(uint64(c.Int(row))) ^ 'd'
		case types.Timespan:
			x = mix64(uint64(c.Int(row))) ^ 't'
		default:
			v := c.Value(row)
			if v.Type == types.Dynamic {
				v = types.FromDynamic(v.D)
			}
			if v.IsNull() {
				return 0, false
			}
			*scratch = types.Key((*scratch)[:0], v)
			x = hashEncoded(*scratch)
		}
		h = mix64(h*0x9e3779b97f4a7c15 ^ x)
	}
	return h, true
}

// hashEncoded hashes one value's types.Key encoding as keyHash hashes the
// columns it reads directly.
func hashEncoded(kb []byte) uint64 {
	switch kb[0] {
	case 's':
		return maphash.Bytes(joinSeed, kb[9:]) ^ 's' // as stringHash
	case 'i', 'd', 't', 'f':
		return mix64(binary.BigEndian.Uint64(kb[1:9])) ^ uint64(kb[0])
	}
	return maphash.Bytes(joinSeed, kb)
}

// mix64 is the finalizer of splitmix64.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// stringHash is keyHash's hash of a string value.
func stringHash(s string) uint64 { return maphash.String(joinSeed, s) ^ 's' }

// dictHashes holds the string hashes of the dictionaries that the probing
// batches' key columns share (a segment's), computed once per query. It
// is used by several goroutines.
type dictHashes struct {
	mu sync.Mutex
	m  map[*string][]uint64
}

// of returns, per key column, the hashes of its dictionary's entries, or
// nil for a column without a dictionary; nil when no column has one.
func (d *dictHashes) of(cols []*vec.Column) [][]uint64 {
	var out [][]uint64
	for i, c := range cols {
		if c.Codes == nil || c.Const || len(c.Dict) == 0 || len(c.Dict) > 64*c.N ||
			c.Type != types.String && c.Type != types.Guid {
			// Rows hash their own strings: no dictionary, or one so much
			// larger than the batch that few of its entries are used.
			continue
		}
		if out == nil {
			out = make([][]uint64, len(cols))
		}
		out[i] = d.get(c.Dict)
	}
	return out
}

func (d *dictHashes) get(dict []string) []uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if hs, ok := d.m[&dict[0]]; ok && len(hs) == len(dict) {
		return hs
	}
	hs := make([]uint64, len(dict))
	for i, s := range dict {
		hs[i] = stringHash(s)
	}
	d.m[&dict[0]] = hs
	return hs
}

// hashFilter is a bitmap of key hashes, about 16 bits per key, small
// enough to stay in cache: most probes of a selective join miss it and
// skip the map lookup.
type hashFilter struct {
	bits  []uint64
	shift uint
}

func newHashFilter(n int) *hashFilter {
	size := 64
	for size < 16*n {
		size *= 2
	}
	return &hashFilter{bits: make([]uint64, size/64), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

func (f *hashFilter) add(h uint64) {
	i := h >> f.shift
	f.bits[i/64] |= 1 << (i % 64)
}

func (f *hashFilter) has(h uint64) bool {
	i := h >> f.shift
	return f.bits[i/64]&(1<<(i%64)) != 0
}
