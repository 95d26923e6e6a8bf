package exec_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// benchRows is the size of the in-memory sign-in table the operator
// benchmarks run over.
const benchRows = 5_000_000

var (
	benchOnce sync.Once
	benchCat  engine.Catalog
)

// benchCatalog builds, once, a sign-in-shaped table of benchRows rows
// (dictionary-encoded users and apps, as storage delivers them) and a
// 300-row app dimension table.
func benchCatalog() engine.Catalog {
	benchOnce.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		users := make([]string, 50_000)
		for i := range users {
			users[i] = fmt.Sprintf("user%05d@contoso.com", i)
		}
		apps := make([]string, 300)
		for i := range apps {
			apps[i] = fmt.Sprintf("App %03d", i)
		}
		t0 := types.TicksFromTime(time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC))
		n := benchRows
		ts := make([]int64, n)
		ucodes := make([]uint32, n)
		acodes := make([]uint32, n)
		result := make([]int64, n)
		dur := make([]float64, n)
		tags := make([]any, n)
		for i := 0; i < n; i++ {
			ts[i] = t0 + int64(i)*(30*types.TicksPerDay/int64(n))
			ucodes[i] = uint32(min(rng.ExpFloat64()*5000, 49_999))
			acodes[i] = uint32(min(rng.ExpFloat64()*30, 299))
			if rng.IntN(20) == 0 {
				result[i] = 50126
			}
			dur[i] = rng.Float64() * 1000
			tags[i] = []any{int64(i % 7), "mfa"}
		}
		sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "UserPrincipalName", Type: types.String},
			{Name: "AppDisplayName", Type: types.String}, {Name: "ResultType", Type: types.Long},
			{Name: "DurationMs", Type: types.Real}, {Name: "Tags", Type: types.Dynamic}}
		data := &vec.Batch{N: n, Cols: []*vec.Column{
			{Type: types.Datetime, N: n, Ints: ts},
			{Type: types.String, N: n, Dict: users, Codes: ucodes},
			{Type: types.String, N: n, Dict: apps, Codes: acodes},
			{Type: types.Long, N: n, Ints: result},
			{Type: types.Real, N: n, Floats: dur},
			{Type: types.Dynamic, N: n, Anys: tags},
		}}
		appIDs := make([]string, len(apps))
		owners := make([]string, len(apps))
		for i := range apps {
			appIDs[i] = apps[i]
			owners[i] = fmt.Sprintf("team%d", i%10)
		}
		dim := &vec.Batch{N: len(apps), Cols: []*vec.Column{
			{Type: types.String, N: len(apps), Strs: appIDs},
			{Type: types.String, N: len(apps), Strs: owners},
		}}
		benchCat = engine.Catalog{
			"SigninLogs": &engine.MemTable{TableName: "SigninLogs", Sch: sch, Data: data},
			"Apps": &engine.MemTable{TableName: "Apps", Sch: vec.Schema{{Name: "AppDisplayName", Type: types.String},
				{Name: "Owner", Type: types.String}}, Data: dim},
		}
	})
	return benchCat
}

func benchQuery(b *testing.B, rows int, query string) {
	benchEngine(b, &engine.Engine{Catalog: benchCatalog()}, rows, query)
}

// benchEngine runs query on e and reports rows/s over rows input rows.
func benchEngine(b *testing.B, e *engine.Engine, rows int, query string) {
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Query(context.Background(), query); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWhere(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | where ResultType == 50126 | count")
}

func BenchmarkWhereString(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | where AppDisplayName == 'App 007' | count")
}

func BenchmarkExtend(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | extend Slow = DurationMs > 500 | where Slow | count")
}

func BenchmarkSummarize(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | summarize count(), avg(DurationMs) by AppDisplayName")
}

func BenchmarkSummarizeByTime(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | summarize count() by bin(TimeGenerated, 1h)")
}

func BenchmarkJoin(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | where ResultType == 50126 | join kind=inner (Apps) on AppDisplayName | summarize count() by Owner")
}

func BenchmarkSort(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | sort by DurationMs desc | take 10")
}

func BenchmarkTop(b *testing.B) {
	benchQuery(b, benchRows, "SigninLogs | top 10 by DurationMs desc")
}

func BenchmarkMvExpand(b *testing.B) {
	benchQuery(b, benchRows/10, "SigninLogs | take 500000 | mv-expand Tags | count")
}
