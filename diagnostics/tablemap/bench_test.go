package tablemap

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/idlogs/idlogs/activity"
	"github.com/idlogs/idlogs/workspace/schema"
)

// BenchmarkBuildSignIns maps 10 000 interactive sign-ins (the two full
// records of testdata/SignInLogs.txt, alternating) per iteration and
// reports records per second.
func BenchmarkBuildSignIns(b *testing.B) {
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
		batch[i] = recs[i%2]
	}
	sch, _ := schema.Lookup("SigninLogs")
	recv := recs[0].Time.Add(time.Minute)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if out, errs := Build(activity.SignInLogs, sch, testWorkspace, batch, recv); out.N != n || len(errs) != 0 {
			b.Fatalf("%d rows, %v", out.N, errs)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}
