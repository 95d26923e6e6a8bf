package tablemap

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/store"
	"github.com/idlogs/idlogs/workspace/schema"
)

// BenchmarkBuildSignIns maps 10 000 interactive sign-ins (copies of the
// two full records of testdata/SignInLogs.txt, alternating) per iteration
// and reports records per second.
func BenchmarkBuildSignIns(b *testing.B) {
	batch, recv := benchSignIns(b)
	sch, _ := schema.Lookup("SigninLogs")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if out, errs := Build(activity.SignInLogs, sch, testWorkspace, batch, recv); out.N != len(batch) || len(errs) != 0 {
			b.Fatalf("%d rows, %v", out.N, errs)
		}
	}
	b.ReportMetric(float64(len(batch)*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkBuildAndAppendSignIns adds the store's append (WAL write and
// tail) to BenchmarkBuildSignIns: the workspace destination's whole path.
func BenchmarkBuildAndAppendSignIns(b *testing.B) {
	batch, recv := benchSignIns(b)
	st, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sch, _ := schema.Lookup("SigninLogs")
	tbl, err := st.CreateTable("SigninLogs", sch, store.TableOptions{TimeColumn: "TimeGenerated"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		out, _ := Build(activity.SignInLogs, sch, testWorkspace, batch, recv)
		if err := tbl.Append(context.Background(), out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(batch)*b.N)/b.Elapsed().Seconds(), "records/s")
}

// benchSignIns returns 10 000 sign-in records and their receive time.
func benchSignIns(b *testing.B) ([]activity.Record, time.Time) {
	data, err := os.ReadFile("testdata/SignInLogs.txt")
	if err != nil {
		b.Fatal(err)
	}
	head, _, _ := bytes.Cut(data, []byte("\n----\n"))
	var recs []activity.Record
	for _, line := range bytes.Split(head, []byte("\n")) {
		var r activity.Record
		if len(line) > 0 && line[0] == '{' && json.Unmarshal(line, &r) == nil {
			recs = append(recs, r)
		}
	}
	recs = recs[:2]
	const n = 10000
	batch := make([]activity.Record, n)
	for i := range batch {
		// Each record has its own properties, as records read from the
		// activity log do.
		batch[i] = recs[i%2]
		batch[i].Properties = bytes.Clone(batch[i].Properties)
	}
	return batch, recs[0].Time.Add(time.Minute)
}
