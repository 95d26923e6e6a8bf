package exec_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/exec"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// smallStoreTable is a SigninLogs of 12 batches of 3,000 rows whose string
// columns have a dictionary per batch, as the store delivers them.
func smallStoreTable() *batchTable {
	rng := rand.New(rand.NewPCG(5, 6))
	users := make([]string, 700)
	for i := range users {
		users[i] = fmt.Sprintf("user%03d@contoso.com", i)
	}
	apps := []string{"Teams", "Outlook", "Azure Portal", "SharePoint", ""}
	sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "UserPrincipalName", Type: types.String},
		{Name: "AppDisplayName", Type: types.String}, {Name: "DurationMs", Type: types.Long}}
	t0 := types.TicksFromTime(storeT0)
	tab := &batchTable{sch: sch}
	for b := 0; b < 12; b++ {
		const n = 3000
		ts, dur := make([]int64, n), make([]int64, n)
		ui, ai := make([]int, n), make([]int, n)
		for r := range n {
			ts[r] = t0 + int64(rng.IntN(5*24))*types.TicksPerHour // unordered, with ties
			dur[r] = int64(rng.IntN(100))
			ui[r], ai[r] = int(min(rng.ExpFloat64()*100, 699)), rng.IntN(len(apps))
		}
		tab.batches = append(tab.batches, &vec.Batch{N: n, Cols: []*vec.Column{
			{Type: types.Datetime, N: n, Ints: ts}, dictEncode(users, ui), dictEncode(apps, ai),
			{Type: types.Long, N: n, Ints: dur}}})
	}
	return tab
}

// TestParallelSummarizeMatchesSerial runs summarize over batches with
// their own dictionaries on one worker and on several, and compares the
// results row by row: groups come out in order of first appearance and
// ties go to the first row either way.
func TestParallelSummarizeMatchesSerial(t *testing.T) {
	queries := []string{
		"SigninLogs | summarize count(), sum(DurationMs), min(TimeGenerated), max(AppDisplayName) by UserPrincipalName",
		"SigninLogs | summarize arg_max(TimeGenerated, *), arg_min(DurationMs, AppDisplayName) by UserPrincipalName",
		"SigninLogs | summarize dcount(UserPrincipalName), take_any(AppDisplayName), avg(TimeGenerated) by bin(TimeGenerated, 1d)",
		"SigninLogs | summarize countif(DurationMs > 50), dcountif(UserPrincipalName, AppDisplayName == 'Teams') by AppDisplayName",
		"SigninLogs | summarize count() by AppDisplayName, bin(TimeGenerated, 12h)",
		"SigninLogs | where DurationMs > 90 | summarize dcount(UserPrincipalName), dcount(AppDisplayName), count()",
	}
	tab := smallStoreTable()
	run := func(q string, workers int) string {
		saved := exec.Parallelism
		exec.Parallelism = workers
		defer func() { exec.Parallelism = saved }()
		e := &engine.Engine{Catalog: engine.Catalog{"SigninLogs": tab}, Now: func() time.Time { return storeT0 }}
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
		serial, parallel := run(q, 1), run(q, 3)
		if strings.HasPrefix(serial, "error:") || strings.Count(serial, "\n") < 1 {
			t.Errorf("%s: %q", q, serial)
			continue
		}
		if serial != parallel {
			t.Errorf("%s\nserial:\n%s\nparallel:\n%s", q, serial, parallel)
		}
	}
}
