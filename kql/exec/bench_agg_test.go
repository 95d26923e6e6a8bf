package exec_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// storeBatch is the number of rows in one batch of the store-shaped
// benchmark table, as the workspace store delivers them.
const storeBatch = 65_536

var (
	storeOnce sync.Once
	storeTab  *batchTable
	storeT0   = time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC)
)

// batchTable serves fixed batches, each string column with a dictionary of
// its own, as a columnar store does.
type batchTable struct {
	sch     vec.Schema
	batches []*vec.Batch
}

func (t *batchTable) Name() string       { return "SigninLogs" }
func (t *batchTable) Schema() vec.Schema { return t.sch }

func (t *batchTable) Scan(req *plan.ScanRequest) (plan.BatchIterator, error) {
	return &batchIter{t: t, req: req}, nil
}

type batchIter struct {
	t   *batchTable
	req *plan.ScanRequest
	pos int
}

func (it *batchIter) Next() (*vec.Batch, error) {
	if it.pos >= len(it.t.batches) {
		return nil, nil
	}
	b := it.t.batches[it.pos]
	it.pos++
	if it.req.Columns == nil {
		return b, nil
	}
	out := &vec.Batch{N: b.N}
	for _, i := range it.req.Columns {
		out.Cols = append(out.Cols, b.Cols[i])
	}
	return out, nil
}

func (it *batchIter) Close() {}

// dictEncode encodes the strings picked by idx as a dictionary column
// whose dictionary holds the batch's distinct values in first-seen order.
func dictEncode(vals []string, idx []int) *vec.Column {
	codes := make([]uint32, len(idx))
	seen := map[int]uint32{}
	var dict []string
	for r, i := range idx {
		c, ok := seen[i]
		if !ok {
			c = uint32(len(dict))
			seen[i] = c
			dict = append(dict, vals[i])
		}
		codes[r] = c
	}
	return &vec.Column{Type: types.String, N: len(idx), Dict: dict, Codes: codes}
}

// storeTable builds, once, a SigninLogs table of benchRows rows in
// batches of storeBatch rows with 30 columns: per-batch dictionaries for
// users (50,000), apps (300) and result codes, a dynamic DeviceDetail bag,
// its operating system as a plain string column, and padding columns that stand for the rest of the Sentinel schema.
func storeTable() *batchTable {
	storeOnce.Do(func() {
		rng := rand.New(rand.NewPCG(3, 4))
		users := make([]string, 50_000)
		for i := range users {
			users[i] = fmt.Sprintf("user%05d@contoso.com", i)
		}
		apps := make([]string, 300)
		for i := range apps {
			apps[i] = fmt.Sprintf("App %03d", i)
		}
		results := []string{"0", "50126", "50074", "53003", "70044"}
		oses := []string{"Windows 10", "Windows 11", "iOS 17", "Android", "MacOs", "Linux", ""}
		devices := make([]any, len(oses))
		for i, o := range oses {
			bag := &types.Bag{}
			bag.Set("operatingSystem", o)
			bag.Set("browser", "Edge")
			devices[i] = bag
		}
		sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "UserPrincipalName", Type: types.String},
			{Name: "AppDisplayName", Type: types.String}, {Name: "ResultType", Type: types.String},
			{Name: "DurationMs", Type: types.Real}, {Name: "DeviceDetail", Type: types.Dynamic},
			{Name: "DeviceOS", Type: types.String}}
		const pad = 23
		for i := 0; i < pad; i++ {
			sch = append(sch, vec.Field{Name: fmt.Sprintf("Extra%02d", i), Type: types.String})
		}
		padDict := []string{"alpha", "beta", "gamma", "delta"}
		padCodes := make([]uint32, storeBatch)
		for i := range padCodes {
			padCodes[i] = uint32(i % len(padDict))
		}
		t0 := types.TicksFromTime(storeT0)
		tab := &batchTable{sch: sch}
		for lo := 0; lo < benchRows; lo += storeBatch {
			n := min(storeBatch, benchRows-lo)
			ts := make([]int64, n)
			ui, ai, ri := make([]int, n), make([]int, n), make([]int, n)
			dur := make([]float64, n)
			dev := make([]any, n)
			os := make([]string, n)
			for r := 0; r < n; r++ {
				ts[r] = t0 + int64(lo+r)*(30*types.TicksPerDay/int64(benchRows))
				ui[r] = int(min(rng.ExpFloat64()*5000, 49_999))
				ai[r] = int(min(rng.ExpFloat64()*30, 299))
				if rng.IntN(20) == 0 {
					ri[r] = 1 + rng.IntN(len(results)-1)
				}
				dur[r] = rng.Float64() * 1000
				d := rng.IntN(len(devices))
				dev[r], os[r] = devices[d], oses[d]
			}
			b := &vec.Batch{N: n, Cols: []*vec.Column{
				{Type: types.Datetime, N: n, Ints: ts},
				dictEncode(users, ui), dictEncode(apps, ai), dictEncode(results, ri),
				{Type: types.Real, N: n, Floats: dur},
				{Type: types.Dynamic, N: n, Anys: dev},
				{Type: types.String, N: n, Strs: os},
			}}
			for i := 0; i < pad; i++ {
				b.Cols = append(b.Cols, &vec.Column{Type: types.String, N: n, Dict: padDict, Codes: padCodes[:n]})
			}
			tab.batches = append(tab.batches, b)
		}
		storeTab = tab
	})
	return storeTab
}

func benchStore(b *testing.B, query string) {
	e := &engine.Engine{Catalog: engine.Catalog{"SigninLogs": storeTable()},
		Now: func() time.Time { return storeT0.Add(30 * 24 * time.Hour) }}
	benchEngine(b, e, benchRows, query)
}

func BenchmarkStoreCountByApp(b *testing.B) {
	benchStore(b, "SigninLogs | summarize count() by AppDisplayName | top 10 by count_")
}

func BenchmarkStoreDcountByDay(b *testing.B) {
	benchStore(b, "SigninLogs | summarize dcount(UserPrincipalName) by bin(TimeGenerated, 1d)")
}

func BenchmarkStoreWhereCount(b *testing.B) {
	benchStore(b, `SigninLogs | where TimeGenerated > ago(7d) | where ResultType != "0" | count`)
}

func BenchmarkStoreCountByOS(b *testing.B) {
	benchStore(b, "SigninLogs | summarize count() by tostring(DeviceDetail.operatingSystem)")
}

func BenchmarkStoreCountByOSColumn(b *testing.B) {
	benchStore(b, "SigninLogs | summarize count() by DeviceOS")
}

func BenchmarkStoreArgMax(b *testing.B) {
	benchStore(b, "SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName")
}

func BenchmarkStoreDcounts(b *testing.B) {
	benchStore(b, `SigninLogs | where ResultType != "0" | summarize dcount(UserPrincipalName), dcount(AppDisplayName)`)
}

func BenchmarkStoreSumByApp(b *testing.B) {
	benchStore(b, "SigninLogs | summarize count(), sum(DurationMs), max(TimeGenerated) by AppDisplayName")
}
