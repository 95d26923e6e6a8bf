package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/exec"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// numbers is a catalog with a table Numbers(x:long) of 1..n, which scans
// in batches of 8192 rows.
func numbers(n int) engine.Catalog {
	xs := make([]int64, n)
	for i := range xs {
		xs[i] = int64(i + 1)
	}
	col := &vec.Column{Type: types.Long, N: n, Ints: xs}
	return engine.Catalog{"Numbers": &engine.MemTable{TableName: "Numbers",
		Sch: vec.Schema{{Name: "x", Type: types.Long}}, Data: &vec.Batch{Cols: []*vec.Column{col}, N: n}}}
}

// TestParallelMatchesSerial runs multi-batch queries with batches
// evaluated on several goroutines and on one, and compares the results
// (run it with -race to check the kernels for shared state).
func TestParallelMatchesSerial(t *testing.T) {
	queries := []string{
		"Numbers | where x % 7 == 3 | extend s = strcat('u', tostring(x)), h = hash(tostring(x)) | summarize count(), sum(x), dcount(s), max(h)",
		"Numbers | extend d = pack('a', x, 'b', tostring(x % 13)) | where tostring(d.b) has '7' | project y = d.a, z = replace_regex(tostring(x), @'(\\d)$', 'n')",
		"Numbers | extend t = datetime(2024-01-01) + x * 1m | summarize count() by bin(t, 1d) | sort by t asc",
		"Numbers | where x in ((range y from 1 to 100 step 3 | project y)) | extend r = x * toscalar(print 2) | take 5",
		"Numbers | extend g = geo_point_to_s2cell(x % 180 - 90.0, x % 90 - 45.0, 8), p = parse_user_agent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0', 'browser') | summarize dcount(g), any(p)",
		"Numbers | extend r = rand() | where r >= 0 | count",
		// Summarize merges partial aggregates: group order, ties and nulls
		// must come out as one pass gives them.
		"Numbers | extend k = strcat('k', tostring(x * 7919 % 1013)) | summarize count(), sum(x), min(x), max(x), avg(x) by k",
		"Numbers | extend n = iif(x % 5 == 0, long(null), x % 10) | summarize arg_max(x % 10, x, tostring(x)), arg_min(n, x) by k = x % 37",
		"Numbers | extend s = iif(x % 100 == 0, tostring(x), '') | summarize take_any(s), take_any(x, s), take_anyif(x, x > 20000) by k = x % 11",
		"Numbers | extend t = datetime(2024-01-01) + x * 1s, f = x * 0.5 | summarize avg(t), avg(f), countif(x % 3 == 0), sumif(x, x % 2 == 0), dcountif(x % 100, x > 10), max(t) by k = x % 5",
		"Numbers | summarize max(iif(x % 2 == 0, 0.0, -0.0)), min(iif(x % 2 == 1, 0.0, -0.0)), make_set(x % 5) by k = x % 3",
		"Numbers | summarize count(), arg_max(x % 3, *) by a = iif(x % 7 == 0, long(null), x % 3), b = tostring(x % 2)",
		"Numbers | extend s = tostring(x), r = iif(x % 3 == 0, real(null), x * 1.5), d = pack('a', x) | summarize arg_max(x % 100, s, r, d), arg_min(r, s), arg_max(s, x) by k = x % 13",
		"Numbers | extend y = x - 25000, s = x * 1s - 3h | summarize count(), sum(x) by bin(y, 7), bin(s, 1h)",
		"Numbers | extend y = x - 25000 | summarize count(), min(x) by bin(y, 7)",
		"Numbers | extend s = x * 1s - 3h | summarize count(), max(x) by floor(s, 1h)",
		"Numbers | summarize hll(x), dcount(tostring(x)) by k = x / 20000 | project k, dcount_hll(hll_x), dcount_x",
	}
	now := func() time.Time { return time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }
	run := func(q string, workers int) string {
		saved := exec.Parallelism
		exec.Parallelism = workers
		defer func() { exec.Parallelism = saved }()
		e := &engine.Engine{Catalog: numbers(50000), Now: now}
		res, err := e.Query(context.Background(), q)
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		r := res[len(res)-1]
		for i := 0; i < r.Rows.N; i++ {
			for j := range r.Schema {
				fmt.Fprintf(&b, "%s|", r.Value(i, j))
			}
			b.WriteByte('\n')
		}
		return b.String()
	}
	for _, q := range queries {
		serial, parallel := run(q, 1), run(q, 4)
		if strings.HasPrefix(serial, "error:") {
			t.Errorf("%s: %s", q, serial)
			continue
		}
		if serial != parallel {
			t.Errorf("%s\nserial:\n%s\nparallel:\n%s", q, serial, parallel)
		}
	}
}

// TestMemoryLimit checks that a query holding more rows than its budget
// fails with a clear error instead of exhausting memory.
func TestMemoryLimit(t *testing.T) {
	e := &engine.Engine{Catalog: numbers(50000), MemoryLimit: 100_000}
	_, err := e.Query(context.Background(), "Numbers | sort by x desc")
	if err == nil || !strings.Contains(err.Error(), "memory limit") {
		t.Fatalf("sort over 400 kB with a 100 kB budget: err = %v", err)
	}
	if _, err := e.Query(context.Background(), "Numbers | where x < 100 | sort by x desc"); err != nil {
		t.Fatalf("a small sort under the same budget failed: %v", err)
	}
}
