package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// benchBody is a Logs Ingestion body just under 1 MB.
func benchBody() ([]byte, int) {
	var recs []string
	size := 2
	for i := 0; size < MaxIngestBytes-200; i++ {
		r := fmt.Sprintf(`{"TimeGenerated":"2026-11-27T07:%02d:%02dZ","Computer":"host-%d","UserPrincipalName":"user%d@contoso.com","Count":%d,"Props":{"app":"portal","ok":true}}`,
			i/60%60, i%60, i%50, i%1000, i)
		recs = append(recs, r)
		size += len(r) + 1
	}
	return []byte("[" + strings.Join(recs, ",") + "]"), len(recs)
}

func benchIngest(b *testing.B, transform string) {
	f := newFixture(b)
	f.createTable(b, "B_CL", "TimeGenerated:datetime", "Computer:string", "UserPrincipalName:string", "Count:long", "Props:dynamic", "Double:long")
	r, _, err := f.svc.PutRule("sub1", "rg1", "bench", f.rule("Custom-S",
		cols("TimeGenerated:datetime", "Computer:string", "UserPrincipalName:string", "Count:long", "Props:dynamic"), transform, "Custom-B_CL"))
	if err != nil {
		b.Fatal(err)
	}
	body, n := benchBody()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f.svc.Ingest(context.Background(), r.Properties.ImmutableID, "Custom-S", body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkIngestPassThrough(b *testing.B) { benchIngest(b, "source") }

func BenchmarkIngestTransform(b *testing.B) {
	benchIngest(b, "source | extend Double = Count * 2 | where Computer != 'host-0'")
}

func BenchmarkCollect(b *testing.B) {
	f := newFixture(b)
	body, n := benchBody()
	body = []byte(strings.ReplaceAll(string(body), `"TimeGenerated"`, `"ts"`))
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := f.svc.Collect(context.Background(), f.ws, "Bench", "ts", "", body, testNow); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
