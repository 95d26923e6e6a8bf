package rowcodec

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode: it never panics, and what it
// accepts encodes to a record that decodes to the same batch and encodes to
// the same bytes again.
func FuzzDecode(f *testing.F) {
	for _, tc := range roundTripCases() {
		if tc.batch.N <= 20 {
			f.Add(Encode(nil, "T", tc.schema, tc.batch))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		table, schema, b, err := Decode(data)
		if err != nil {
			return
		}
		again := Encode(nil, table, schema, b)
		table2, schema2, b2, err := Decode(again)
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if table2 != table || len(schema2) != len(schema) {
			t.Fatalf("re-encoding changed the table or schema")
		}
		if b.N <= 1<<16 {
			checkBatch(t, b2, b)
		}
		if third := Encode(nil, table2, schema2, b2); !bytes.Equal(third, again) {
			t.Fatalf("encoding is not stable:\n%x\n%x", again, third)
		}
	})
}
