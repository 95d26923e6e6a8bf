package rowcodec

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.hex")

// TestGolden pins the format: a record written by an older build must
// still decode, so a change here needs a new version byte.
func TestGolden(t *testing.T) {
	schema := vec.Schema{{Name: "T", Type: types.Datetime}, {Name: "U", Type: types.String},
		{Name: "R", Type: types.Real}, {Name: "B", Type: types.Bool}, {Name: "D", Type: types.Dynamic},
		{Name: "K", Type: types.String}}
	b := &vec.Batch{N: 3, Cols: []*vec.Column{
		{Type: types.Datetime, N: 3, Ints: []int64{638_650_000_000_000_000, 638_650_000_010_000_000, 638_649_999_990_000_000}},
		{Type: types.String, N: 3, Dict: []string{"alice", "bob"}, Codes: []uint32{1, 0, 1}},
		{Type: types.Real, N: 3, Floats: []float64{1.5, 0, -2}, Valid: []bool{true, false, true}},
		{Type: types.Bool, N: 3, Const: true, Ints: []int64{1}},
		{Type: types.Dynamic, N: 3, Anys: []any{bag("a", []any{int64(-2), "x"}), nil, types.TimespanVal(10)}},
		{Type: types.String, N: 3, Strs: []string{"", "é", "z"}},
	}}
	got := hex.Dump(Encode(nil, "SigninLogs", schema, b))
	path := filepath.Join("testdata", "golden.hex")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("encoding changed (run with -update if intended):\n%s\nwant:\n%s", got, want)
	}
	_, _, dec, err := Decode(fromDump(t, string(want)))
	if err != nil {
		t.Fatal(err)
	}
	checkBatch(t, dec, b)
}

// fromDump parses hex.Dump output back into bytes.
func fromDump(t *testing.T, dump string) []byte {
	var out []byte
	for _, line := range strings.Split(strings.TrimSpace(dump), "\n") {
		fields := strings.Fields(line[10:min(len(line), 58)])
		for _, f := range fields {
			b, err := hex.DecodeString(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b...)
		}
	}
	return out
}

// record builds a record by hand for the error cases.
type record []byte

func (r record) b(bs ...byte) record { return append(r, bs...) }
func (r record) u(v uint64) record   { return binary.AppendUvarint(r, v) }
func (r record) s(s string) record   { return append(r.u(uint64(len(s))), s...) }

// header starts a record of table "T" with one column of type t and n rows.
func header(t types.Type, n uint64) record {
	return record{version}.s("T").u(1).s("C").b(byte(t)).u(n)
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		data record
		want string
	}{
		{"empty", nil, "unexpected end"},
		{"version", record{2}, "unknown record version 2"},
		{"type", record{version}.s("T").u(1).s("C").b(11).u(0), "unknown type 11"},
		{"columns", record{version}.s("T").u(1 << 40), "column count"},
		{"string length", record{version}.u(100).b('T'), "string length 100"},
		{"rows", header(types.Long, 1<<40), "row count"},
		{"flags", header(types.Long, 1).b(8, 0), "unknown column flags"},
		{"dict flag", header(types.Long, 1).b(flagDict, 0), "dictionary flag on a long column"},
		{"dict code", header(types.String, 1).b(flagDict).u(1).s("a").u(1), "dictionary code 1 of 1"},
		{"dict size", header(types.String, 1).b(flagDict).u(1 << 30), "dictionary size"},
		{"bool", header(types.Bool, 1).b(0, 4), "value 2 out of range for bool"},
		{"int", header(types.Int, 1).b(0).u(1 << 33), "out of range for int"},
		{"floats", header(types.Real, 2).b(0, 1, 2, 3, 4, 5, 6, 7, 8), "2 values do not fit"},
		{"bitmap", header(types.Long, 9).b(flagNulls, 0xff), "valid bitmap"},
		{"bitmap padding", header(types.Long, 1).b(flagNulls, 0x03, 0), "bits set past row 1"},
		{"trailing", header(types.Long, 1).b(0, 0, 0), "1 bytes after the last column"},
		{"varint", header(types.Long, 1).b(0, 0x80), "bad or truncated varint"},
		{"tag", header(types.Dynamic, 1).b(0, 11), "unknown dynamic value tag 11"},
		{"null type", header(types.Null, 1).b(0, tagTrue), "tag 2 in a column of type null"},
		{"array", header(types.Dynamic, 1).b(0, tagArray).u(5).b(0), "array length 5"},
		{"bag", header(types.Dynamic, 1).b(0, tagBag).u(2).b(0, 0, 0), "property bag size 2"},
		{"depth", header(types.Dynamic, 1).b(0).b(bytes.Repeat([]byte{tagArray, 1}, maxDepth+1)...).b(0), "nested deeper"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := Decode(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode(%x) = %v, want an error containing %q", []byte(tc.data), err, tc.want)
			}
		})
	}
}

// TestDecodeTruncated cuts every round-trip record at every length: each
// cut is an error.
func TestDecodeTruncated(t *testing.T) {
	for _, tc := range roundTripCases() {
		data := Encode(nil, "T", tc.schema, tc.batch)
		if len(data) > 4000 {
			continue
		}
		for n := range len(data) {
			if _, _, _, err := Decode(data[:n]); err == nil {
				t.Fatalf("%s: Decode of the first %d of %d bytes succeeded", tc.name, n, len(data))
			}
		}
	}
}
