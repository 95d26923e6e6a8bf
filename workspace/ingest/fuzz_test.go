package ingest

import (
	"context"
	"errors"
	"testing"

	"github.com/idlogs/idlogs/api/apierror"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// FuzzIngestJSON feeds arbitrary bodies to the Logs Ingestion decoding and
// conversion: it may refuse them, never panic, and what it accepts has one
// row per record.
func FuzzIngestJSON(f *testing.F) {
	for _, s := range []string{
		`[{"TimeGenerated":"2023-11-14 15:10:02","Computer":"c","N":1,"R":1.5,"B":true,"D":{"a":[1]}}]`,
		`{"N":"12"}`, `[]`, `[1]`, `[{"N":1e400}]`, `[{"N":-9223372036854775809}]`, `[{"T":1700000000.5}]`,
	} {
		f.Add([]byte(s))
	}
	in := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "Computer", Type: types.String},
		{Name: "N", Type: types.Long}, {Name: "I", Type: types.Int}, {Name: "R", Type: types.Real},
		{Name: "B", Type: types.Bool}, {Name: "D", Type: types.Dynamic}, {Name: "T", Type: types.Datetime}}
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, err := parseRecords(body)
		if err != nil {
			return
		}
		b, err := sourceBatch(recs, in)
		if err != nil {
			return
		}
		if b.N != len(recs) {
			t.Fatalf("%d rows for %d records", b.N, len(recs))
		}
	})
}

// FuzzCollectJSON feeds arbitrary bodies to the Data Collector API: it may
// refuse them, never panic, and what it accepts is appended.
func FuzzCollectJSON(f *testing.F) {
	for _, s := range []string{
		`[{"a":"x","b":1,"c":true,"d":"2026-11-27T00:00:00Z","e":"0b7f3a1c5e2d4c9b8a6f1d2e3f4a5b6c","f":{"g":1}}]`,
		`[{"a":1},{"a":"x"},{"a":true}]`, `[{"@t":1}]`, `[{"":1}]`,
	} {
		f.Add([]byte(s))
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		err := fx.svc.Collect(context.Background(), fx.ws, "Fuzz", "d", "", body, testNow)
		var e *apierror.Error
		if err != nil && (!errors.As(err, &e) || e.Status != 400) {
			t.Fatalf("%q: %v", body, err)
		}
	})
}
