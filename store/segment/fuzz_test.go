package segment

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// fuzzSeed is a small valid segment with every type, dictionaries, term
// filters and shredded paths, and the rows it holds.
var fuzzSeed = sync.OnceValues(func() ([]byte, *vec.Batch) {
	b := allTypesBatch(0, 120)
	// Give the dynamic column a shredded path.
	for i := range b.Cols[9].Anys {
		if b.Cols[9].Anys[i] == nil || i%3 != 0 {
			b.Cols[9].Anys[i] = bag("os", fmt.Sprint("v", i%4), "n", int64(i))
			if b.Cols[9].Valid != nil {
				b.Cols[9].Valid[i] = true
			}
		}
	}
	dir, err := os.MkdirTemp("", "segfuzz")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "seg")
	if _, err := Write(path, allTypesSchema, []*vec.Batch{b}, WriteOptions{TimeColumn: 5, BlockRows: 50}); err != nil {
		panic(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return data, b
})

// fuzzKeyedSeed is a small valid segment with keyed and mapped
// dictionaries and a datetime column stored relative to the time column.
var fuzzKeyedSeed = sync.OnceValues(func() ([]byte, *vec.Batch) {
	b := keyedBatch(1000)
	dir, err := os.MkdirTemp("", "segfuzz")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "seg")
	if _, err := Write(path, keyedSchema, []*vec.Batch{b}, WriteOptions{TimeColumn: 0, BlockRows: 150}); err != nil {
		panic(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return data, b
})

// readAll reads every column and shredded path of s and compares them
// with want; it returns the first read error.
func readAll(s *Segment, want *vec.Batch) (mismatch string, err error) {
	row := 0
	for b := 0; b < s.NumBlocks(); b++ {
		for col := range s.Schema() {
			c, err := s.ReadColumn(b, col)
			if err != nil {
				return "", err
			}
			for i := 0; i < c.N && mismatch == ""; i++ {
				if row+i >= want.N || !sameValue(c.Value(i), want.Cols[col].Value(row+i)) {
					mismatch = fmt.Sprintf("block %d column %d row %d", b, col, i)
				}
			}
			for _, p := range s.ShreddedPaths(col) {
				pc, _, err := s.ReadPath(b, col, p)
				if err != nil {
					return "", err
				}
				for i := 0; i < pc.N && mismatch == ""; i++ {
					if !sameValue(pc.Value(i), wantPath(want.Cols[col], row+i, p, pc.Type)) {
						mismatch = fmt.Sprintf("block %d path %v row %d", b, p, i)
					}
				}
			}
		}
		s.Blocks(nil)
		if err := readPruningChunks(s, b); err != nil {
			return "", err
		}
		row += s.BlockRows(b)
	}
	if mismatch == "" && row != want.N {
		mismatch = fmt.Sprintf("%d rows, want %d", row, want.N)
	}
	return mismatch, nil
}

// readPruningChunks reads what pruning reads of block b (code bitmaps and
// term filters), which pruning itself takes as "maybe" when damaged.
func readPruningChunks(s *Segment, b int) error {
	for col := range s.ft.blocks[b].cols {
		m := &s.ft.blocks[b].cols[col]
		if m.enc == encSegDict || m.enc == encMapped {
			if _, err := s.readUsed(b, col); err != nil {
				return err
			}
		}
		if m.filter.n > 0 {
			if _, err := s.readFilter(m); err != nil {
				return err
			}
		}
	}
	return nil
}

func TestFuzzSeedReadsBack(t *testing.T) {
	data, want := fuzzSeed()
	s, err := openBytes(t, data)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.ShreddedPaths(9)) == 0 {
		t.Fatal("the seed has no shredded paths")
	}
	if m, err := readAll(s, want); m != "" || err != nil {
		t.Fatalf("mismatch %q, error %v", m, err)
	}
	data, want = fuzzKeyedSeed()
	k, err := openBytes(t, data)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if m, err := readAll(k, want); m != "" || err != nil {
		t.Fatalf("keyed seed: mismatch %q, error %v", m, err)
	}
	if d := k.ft.dicts; d[1].kind != dictCoded || d[2].kind != dictMapped || d[3].kind != dictMapped {
		t.Fatalf("keyed seed: dictionaries %+v", d)
	}
	if _, m, err := k.segDict(2); err != nil || m.maxLen < 2 || k.ft.dicts[2].src != 1 {
		t.Fatalf("keyed seed: dev is not keyed on user (%+v, %v)", m, err)
	}
}

// FuzzOpen flips bytes of a valid segment: opening and reading it must
// fail or give back exactly the rows written, and never panic.
func FuzzOpen(f *testing.F) {
	for seed := range 2 {
		data, _ := fuzzSeed()
		if seed == 1 {
			data, _ = fuzzKeyedSeed()
		}
		f.Add(seed == 1, uint32(0), byte(1), uint32(0), byte(0))
		f.Add(seed == 1, uint32(len(data)-5), byte(0x80), uint32(100), byte(3))
		f.Add(seed == 1, uint32(len(data)-30), byte(0xff), uint32(len(data)/2), byte(0x10))
	}
	f.Fuzz(func(t *testing.T, keyed bool, off1 uint32, x1 byte, off2 uint32, x2 byte) {
		data, want := fuzzSeed()
		if keyed {
			data, want = fuzzKeyedSeed()
		}
		d := append([]byte(nil), data...)
		d[int(off1)%len(d)] ^= x1
		d[int(off2)%len(d)] ^= x2
		s, err := openBytes(t, d)
		if err != nil {
			return
		}
		defer s.Close()
		m, err := readAll(s, want)
		if err == nil && m != "" {
			t.Fatalf("damaged file read without error but wrong: %s", m)
		}
		if err == nil && s.Verify() != nil {
			t.Fatalf("every column read, yet Verify fails: %v", s.Verify())
		}
	})
}

// FuzzDecode feeds arbitrary bytes to each decoder: errors are fine,
// panics and allocations beyond the input are not.
func FuzzDecode(f *testing.F) {
	for kind := byte(0); kind < 10; kind++ {
		f.Add(kind, uint16(3), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	}
	w := &writer{}
	encodeDynamics(w, dynSamples, nil, nil)
	f.Add(byte(4), uint16(len(dynSamples)), w.b)
	w = &writer{}
	encodeStrings(w, []string{"a", "", "bc"}, nil)
	f.Add(byte(2), uint16(3), w.b)
	w = &writer{}
	encodeStrings(w, []string{"0123abcd-4567-489a-9bcd-ef0123456789", "0123abcd-4567-489a-9bcd-ef0123456789"}, nil)
	f.Add(byte(2), uint16(2), w.b)
	w = &writer{}
	encodeIntsRef(w, []int64{10_000, 30_000, 20_000}, nil, []int64{0, 0, 0})
	f.Add(byte(9), uint16(3), w.b)
	f.Add(byte(8), uint16(3), encodeMapping(&mapping{offs: []uint32{0, 2, 2, 3}, codes: []uint32{1, 0, 2}, maxLen: 2}, 3))
	f.Fuzz(func(t *testing.T, kind byte, n uint16, data []byte) {
		r := &reader{b: data}
		switch kind % 10 {
		case 0:
			decodeInts(r, int(n))
		case 1:
			decodeFloats(r, int(n))
		case 2:
			decodeStrings(r, int(n))
		case 3:
			decodeCodes(r, int(n), int(n)/2)
		case 4:
			sub := []*vec.Column{{Type: types.String, N: int(n), Strs: make([]string, n)}}
			root := shredTrie([]shredPath{{path: []string{"a"}, t: types.String}})
			decodeDynamics(r, int(n), root, sub)
		case 5:
			decodeDict(r)
		case 6:
			decodeFooter(data, int64(len(data)))
		case 7:
			if f, err := parseFilter(data); err == nil {
				f.mayHaveTerms("some terms here", true)
				f.mayContain("substring")
			}
		case 8:
			decodeMapping(r, int(n)%1024, 2+int(n)/1024)
		case 9:
			decodeIntsRef(r, int(n), func(*reader) []int64 { return make([]int64, n) })
		}
		r.done()
	})
}
