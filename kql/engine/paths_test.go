package engine_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idlogs/idlogs/kql/builtin"
	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/plan"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

// pathRows are the DeviceDetail values of the Devices table: bags with and
// without the paths, nested bags, nulls, arrays and scalars where a bag is
// expected. Status repeats them shifted by one row.
var pathRows = []string{
	`{"operatingSystem":"Windows 10","browser":"Edge","trust":{"type":"Azure AD joined","level":3}}`,
	`{"operatingSystem":"iOS","browser":null,"trust":{"type":null}}`,
	`{"operatingSystem":17,"browser":"Safari","trust":"none"}`,
	`{"operatingSystem":{"name":"Linux"},"errorCode":"50126","trust":{"level":1.5}}`,
	`{"browser":"Chrome","errorCode":0,"ok":true}`,
	`{"operatingSystem":"","errorCode":50074,"ok":false,"trust":{"type":"Hybrid","level":"2"}}`,
	`[{"operatingSystem":"in an array"}]`,
	`"a string"`,
	`42`,
	`null`,
	``, // a null dynamic value
	`{"operatingSystem":[1,2],"errorCode":1.5e3,"ok":"true","trust":{"type":["x"],"level":null}}`,
	`{"OperatingSystem":"case matters","errorCode":"x"}`,
	`{"a.b":"dotted key","errorCode":-7}`,
}

// devices is a catalog with Devices(Id:long, DeviceDetail:dynamic,
// Status:dynamic, Name:string) of rows*len(pathRows) rows.
func devices(t testing.TB, rows int) engine.Catalog {
	vals := make([]any, len(pathRows))
	for i, s := range pathRows {
		if s == "" {
			continue
		}
		v, err := types.ParseJSON(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		vals[i] = v
	}
	n := rows * len(pathRows)
	id, name := vec.NewBuilder(types.Long, n), vec.NewBuilder(types.String, n)
	dd, st := vec.NewBuilder(types.Dynamic, n), vec.NewBuilder(types.Dynamic, n)
	dyn := func(v any) types.Value {
		if v == nil {
			return types.NullOf(types.Dynamic)
		}
		return types.NewDynamic(v)
	}
	for i := 0; i < n; i++ {
		id.AppendInt(int64(i))
		name.Append(types.NewString(fmt.Sprintf("n%d", i%5)))
		dd.Append(dyn(vals[i%len(vals)]))
		st.Append(dyn(vals[(i+1)%len(vals)]))
	}
	sch := vec.Schema{{Name: "Id", Type: types.Long}, {Name: "DeviceDetail", Type: types.Dynamic},
		{Name: "Status", Type: types.Dynamic}, {Name: "Name", Type: types.String}}
	b := &vec.Batch{N: n, Cols: []*vec.Column{id.Build(), dd.Build(), st.Build(), name.Build()}}
	return engine.Catalog{"Devices": &engine.MemTable{TableName: "Devices", Sch: sch, Data: b}}
}

// resultText prints every result set of q, or the error.
func resultText(e *engine.Engine, q string) string {
	res, err := e.Query(context.Background(), q)
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	for _, r := range res {
		for _, f := range r.Schema {
			fmt.Fprintf(&b, "%s:%s|", f.Name, f.Type)
		}
		b.WriteByte('\n')
		for i := 0; i < r.Rows.N; i++ {
			for j := range r.Schema {
				v := r.Value(i, j)
				fmt.Fprintf(&b, "%s:%v|", v.Type, v)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// scanPathsFires reports whether the scan_paths rule changes q's plan.
func scanPathsFires(t *testing.T, cat engine.Catalog, q string) bool {
	t.Helper()
	fires, err := ruleFires(cat, q, "scan_paths")
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return fires
}

// ruleFires reports whether rule changes q's plans; q must check without
// running anything (no plugin whose columns depend on the data).
func ruleFires(cat engine.Catalog, q, rule string) (bool, error) {
	script, err := syntax.Parse(q)
	if err != nil {
		return false, err
	}
	res, err := check.Check(q, script, check.Options{Catalog: cat})
	if err != nil {
		return false, err
	}
	env := &plan.Env{Ctx: &builtin.Context{}}
	plans := make([]plan.Node, len(res.Results))
	for i, r := range res.Results {
		plans[i] = r.Plan
	}
	plan.OptimizeAll(plans, env)
	return slices.Contains(env.Fired, rule), nil
}

var pathQueries = []string{
	"Devices | project Id, os = tostring(DeviceDetail.operatingSystem)",
	"Devices | project Id, os = DeviceDetail.operatingSystem, b = DeviceDetail['browser']",
	"Devices | where tostring(DeviceDetail.operatingSystem) == 'iOS'",
	"Devices | where tostring(DeviceDetail.operatingSystem) != '' | take 3",
	"Devices | where isnull(DeviceDetail.operatingSystem) | count",
	"Devices | where isempty(tostring(DeviceDetail.browser)) | project Id",
	"Devices | summarize count() by tostring(DeviceDetail.operatingSystem) | sort by DeviceDetail_operatingSystem asc",
	"Devices | summarize count() by os = tostring(DeviceDetail.operatingSystem), ok = tobool(DeviceDetail.ok) | sort by os asc, ok asc",
	"Devices | summarize n = count(), s = sum(toint(Status.errorCode)), m = max(tolong(DeviceDetail.errorCode)), r = avg(toreal(Status.errorCode)) by Name | sort by Name asc",
	"Devices | extend t = tostring(DeviceDetail.trust.type), l = todouble(DeviceDetail['trust']['level']) | where isnotnull(l) or t != ''",
	"Devices | extend t = DeviceDetail.trust.type, all = DeviceDetail | project Id, t, all, tostring(all)",
	"Devices | project Id, DeviceDetail, os = tostring(DeviceDetail.operatingSystem), DeviceDetail.trust",
	"Devices | where toint(Status.errorCode) > 0 and tostring(DeviceDetail.browser) has 'e' | project Id, Name",
	"Devices | where tostring(Status.errorCode) in ('50126', '0') | where Name != 'n1' | summarize count() by Name",
	"Devices | project x = DeviceDetail[0].operatingSystem, y = DeviceDetail.trust[0], z = tostring(DeviceDetail['a.b'])",
	"Devices | project o = tostring(DeviceDetail.OperatingSystem), p = tostring(DeviceDetail.operatingsystem)",
	"Devices | where DeviceDetail.ok == true | count",
	"Devices | where tostring(DeviceDetail.operatingSystem) == 'iOS' | join kind=inner (Devices | project Id, s = Status.errorCode) on Id",
	"Devices | summarize make_set(tostring(DeviceDetail.browser)) by bin(Id, 10) | count",
	"Devices | extend os = tostring(DeviceDetail.operatingSystem) | summarize count() by os | sort by os asc",
	"Devices | where tostring(Status.ok) == 'true' | project-away DeviceDetail",
	"let d = Devices | where tostring(DeviceDetail.operatingSystem) == 'iOS'; d | union d | count",
	"Devices | where Id < 20 | project Id, gettype(DeviceDetail.operatingSystem), gettype(DeviceDetail.trust.level)",
	"let d = materialize(Devices | where tostring(DeviceDetail.operatingSystem) == 'iOS'); d | join kind=inner d on Id | count",
	"Devices | where tostring(DeviceDetail.browser) != '' | where toint(Status.errorCode) >= 0 | where Name != 'n2' | project Id, tostring(DeviceDetail.browser)",
	"Devices | where tostring(DeviceDetail.operatingSystem) startswith 'i' | take 2 | project Id",
	"Devices | distinct tostring(DeviceDetail.operatingSystem), tostring(Status.operatingSystem) | count",
	"Devices | where isnotempty(DeviceDetail.trust) | sort by Id desc | take 3",
	"Devices | extend os = tostring(DeviceDetail.operatingSystem), e = Status.errorCode | project e",
	"Devices | extend x = Id * 2 | where tostring(DeviceDetail.operatingSystem) == 'iOS'",
	"Devices | extend os = tostring(DeviceDetail.operatingSystem) | extend code = toint(Status.errorCode) | where code > 0 or os == 'iOS' | extend d = DeviceDetail | project Id, os, code, b = tostring(d.browser), t = d.trust.type",
	"Devices | project-rename D = DeviceDetail | project-away Status | where isnotnull(D.trust) | extend l = toreal(D.trust.level) | summarize count() by l, tostring(D.trust.type) | sort by l asc, D_trust_type asc",
	"Devices | extend Status = DeviceDetail, DeviceDetail = Status | project Id, a = tostring(Status.operatingSystem), b = tostring(DeviceDetail.errorCode)",
	"Devices | where DeviceDetail.trust.level > 1 | summarize dcount(tostring(DeviceDetail.trust.type)), arg_max(Id, DeviceDetail.browser)",
}

// TestScanPathsKeepResults runs queries that read dynamic paths with and
// without the scan_paths rule; the results must be identical, on one
// batch and on several.
func TestScanPathsKeepResults(t *testing.T) {
	now := func() time.Time { return time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) }
	for _, rows := range []int{1, 1200} {
		cat := devices(t, rows)
		with := &engine.Engine{Catalog: cat, Now: now}
		without := &engine.Engine{Catalog: cat, Now: now, DisabledRules: []string{"scan_paths"}}
		for _, q := range pathQueries {
			if !scanPathsFires(t, cat, q) {
				t.Errorf("%s: scan_paths does not fire", q)
			}
			got, want := resultText(with, q), resultText(without, q)
			if strings.HasPrefix(want, "error:") {
				t.Errorf("%s: %s", q, want)
				continue
			}
			if got != want {
				t.Errorf("%s (%d rows)\nwith scan_paths:\n%s\nwithout:\n%s", q, rows*len(pathRows), got, want)
			}
		}
	}
}
