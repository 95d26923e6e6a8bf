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
		row += s.BlockRows(b)
	}
	if mismatch == "" && row != want.N {
		mismatch = fmt.Sprintf("%d rows, want %d", row, want.N)
	}
	return mismatch, nil
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
}

// FuzzOpen flips bytes of a valid segment: opening and reading it must
// fail or give back exactly the rows written, and never panic.
func FuzzOpen(f *testing.F) {
	data, want := fuzzSeed()
	f.Add(uint32(0), byte(1), uint32(0), byte(0))
	f.Add(uint32(len(data)-5), byte(0x80), uint32(100), byte(3))
	f.Add(uint32(len(data)-30), byte(0xff), uint32(len(data)/2), byte(0x10))
	f.Fuzz(func(t *testing.T, off1 uint32, x1 byte, off2 uint32, x2 byte) {
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
	for kind := byte(0); kind < 8; kind++ {
		f.Add(kind, uint16(3), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	}
	w := &writer{}
	encodeDynamics(w, dynSamples, nil, nil)
	f.Add(byte(4), uint16(len(dynSamples)), w.b)
	w = &writer{}
	encodeStrings(w, []string{"a", "", "bc"}, nil)
	f.Add(byte(2), uint16(3), w.b)
	f.Fuzz(func(t *testing.T, kind byte, n uint16, data []byte) {
		r := &reader{b: data}
		switch kind % 8 {
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
		}
		r.done()
	})
}
