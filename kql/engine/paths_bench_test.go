package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// signinDevices is a catalog with SigninLogs(Id:long, DeviceDetail:dynamic)
// of n rows; the DeviceDetail bags repeat with a period of 1000.
func signinDevices(n int) engine.Catalog {
	oses := []string{"Windows 10", "Windows 11", "iOS 17", "Android", "MacOs", "Linux"}
	browsers := []string{"Edge 120", "Chrome 119", "Safari", "Firefox 121", "Mobile Safari"}
	bags := make([]any, 1000)
	for i := range bags {
		bags[i] = &types.Bag{
			Keys: []string{"deviceId", "displayName", "operatingSystem", "browser", "isCompliant", "isManaged", "trustType"},
			Vals: []any{fmt.Sprintf("%08x-1111-2222-3333-444455556666", i), fmt.Sprintf("DESKTOP-%04d", i),
				oses[i%len(oses)], browsers[i%len(browsers)], i%3 == 0, i%2 == 0, "Azure AD joined"},
		}
	}
	ids, dd := make([]int64, n), make([]any, n)
	for i := range ids {
		ids[i] = int64(i)
		dd[i] = bags[i%len(bags)]
	}
	b := &vec.Batch{N: n, Cols: []*vec.Column{{Type: types.Long, N: n, Ints: ids}, {Type: types.Dynamic, N: n, Anys: dd}}}
	sch := vec.Schema{{Name: "Id", Type: types.Long}, {Name: "DeviceDetail", Type: types.Dynamic}}
	return engine.Catalog{"SigninLogs": &engine.MemTable{TableName: "SigninLogs", Sch: sch, Data: b}}
}

// BenchmarkScanPaths groups a million rows by a dynamic path with the
// scan_paths rule (the MemTable computes the path column with
// plan.ExtractPath) and without it (the projection evaluates the path).
func BenchmarkScanPaths(b *testing.B) {
	cat := signinDevices(1_000_000)
	const q = "SigninLogs | summarize count() by tostring(DeviceDetail.operatingSystem)"
	for _, bc := range []struct {
		name     string
		disabled []string
	}{{"with_rule", nil}, {"without_rule", []string{"scan_paths"}}} {
		b.Run(bc.name, func(b *testing.B) {
			e := &engine.Engine{Catalog: cat, DisabledRules: bc.disabled}
			for b.Loop() {
				res, err := e.Query(context.Background(), q)
				if err != nil {
					b.Fatal(err)
				}
				if res[0].Rows.N != 6 {
					b.Fatalf("%d groups, want 6", res[0].Rows.N)
				}
			}
		})
	}
}
