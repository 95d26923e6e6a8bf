package builtin_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// aggBenchTable is a table T(x:long, s:string, k:long) of n rows with n/4
// distinct x and s values and 16 groups k.
func aggBenchTable(n int) engine.Catalog {
	xs := vec.NewBuilder(types.Long, n)
	ss := vec.NewBuilder(types.String, n)
	ks := vec.NewBuilder(types.Long, n)
	for i := 0; i < n; i++ {
		v := int64(i*7919) % int64(n/4)
		xs.AppendInt(v)
		ss.AppendString("value-" + strconv.FormatInt(v, 10))
		ks.AppendInt(int64(i % 16))
	}
	sch := vec.Schema{{Name: "x", Type: types.Long}, {Name: "s", Type: types.String}, {Name: "k", Type: types.Long}}
	return engine.Catalog{"T": &engine.MemTable{TableName: "T", Sch: sch,
		Data: &vec.Batch{Cols: []*vec.Column{xs.Build(), ss.Build(), ks.Build()}, N: n}}}
}

func aggBench(b *testing.B, query string) {
	cat := aggBenchTable(1 << 21)
	e := &engine.Engine{Catalog: cat}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Query(context.Background(), query); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDcountLong(b *testing.B)   { aggBench(b, "T | summarize dcount(x)") }
func BenchmarkDcountString(b *testing.B) { aggBench(b, "T | summarize dcount(s)") }
func BenchmarkDcountGroups(b *testing.B) { aggBench(b, "T | summarize dcount(x) by k") }
func BenchmarkCount(b *testing.B)        { aggBench(b, "T | summarize count()") }

func BenchmarkArgMax(b *testing.B)     { aggBench(b, "T | summarize arg_max(x, *) by k") }
func BenchmarkPercentile(b *testing.B) { aggBench(b, "T | summarize percentiles(x, 50, 99)") }
func BenchmarkMakeSet(b *testing.B)    { aggBench(b, "T | summarize make_set(x, 1000) by k") }
func BenchmarkSumAvg(b *testing.B)     { aggBench(b, "T | summarize sum(x), avg(x), max(s)") }
