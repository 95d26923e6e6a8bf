package plan_test

import (
	"context"
	"slices"
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

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func signins() engine.Catalog {
	sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "UserPrincipalName", Type: types.String},
		{Name: "ResultType", Type: types.String}, {Name: "AppDisplayName", Type: types.String},
		{Name: "DeviceDetail", Type: types.Dynamic}, {Name: "Status", Type: types.Dynamic}}
	b := &vec.Batch{N: 3}
	t0 := types.TicksFromTime(now)
	b.Cols = []*vec.Column{
		vec.FromValues(types.Datetime, []types.Value{types.NewDatetime(t0 - 3*types.TicksPerDay), types.NewDatetime(t0 - types.TicksPerHour), types.NewDatetime(t0)}),
		vec.FromValues(types.String, []types.Value{types.NewString("a@x"), types.NewString("b@x"), types.NewString("c@x")}),
		vec.FromValues(types.String, []types.Value{types.NewString("0"), types.NewString("50126"), types.NewString("0")}),
		vec.FromValues(types.String, []types.Value{types.NewString("Portal"), types.NewString("Teams"), types.NewString("Portal")}),
		vec.FromValues(types.Dynamic, []types.Value{dyn(`{"operatingSystem":"Windows","trust":{"type":"joined"}}`), dyn(`{"operatingSystem":"iOS"}`), dyn(`[1]`)}),
		vec.FromValues(types.Dynamic, []types.Value{dyn(`{"errorCode":0}`), dyn(`{"errorCode":50126}`), types.NullOf(types.Dynamic)}),
	}
	return engine.Catalog{"SigninLogs": &engine.MemTable{TableName: "SigninLogs", Sch: sch, Data: b}}
}

func dyn(s string) types.Value {
	v, err := types.ParseJSON(s)
	if err != nil {
		panic(err)
	}
	return types.NewDynamic(v)
}

// optimize checks and optimizes query and returns the plan and the rules that fired.
func optimize(t *testing.T, query string) (plan.Node, []string) {
	t.Helper()
	script, err := syntax.Parse(query)
	if err != nil {
		t.Fatal(err)
	}
	q, err := check.Check(query, script, check.Options{Catalog: signins()})
	if err != nil {
		t.Fatal(err)
	}
	env := &plan.Env{Ctx: &builtin.Context{Now: types.TicksFromTime(now)}}
	p := plan.Optimize(q.Results[0].Plan, env)
	return p, env.Fired
}

func findScan(n plan.Node) *plan.Scan {
	switch n := n.(type) {
	case *plan.Scan:
		return n
	case *plan.Widen:
		return n.In
	}
	for _, in := range n.Inputs() {
		if s := findScan(in); s != nil {
			return s
		}
	}
	return nil
}

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		query    string
		fired    []string
		notFired []string
		check    func(t *testing.T, s *plan.Scan)
		// root, when set, checks the optimized plan.
		root func(t *testing.T, p plan.Node)
	}{
		{
			query: "SigninLogs | where TimeGenerated > datetime(2026-11-26 12:00) | count",
			fired: []string{"push_filter", "push_time_range"},
			check: func(t *testing.T, s *plan.Scan) {
				want := types.TicksFromTime(now.Add(-24*time.Hour)) + 1 // > is exclusive
				if s.Req.TimeColumn != 0 || s.Req.MinTime != want {
					t.Errorf("time range = col %d from %d, want col 0 from %d", s.Req.TimeColumn, s.Req.MinTime, want)
				}
			},
		},
		{
			query:    "SigninLogs | where UserPrincipalName has 'a' | project AppDisplayName",
			fired:    []string{"push_filter", "prune_columns"},
			notFired: []string{"push_time_range", "fold_time"},
			check: func(t *testing.T, s *plan.Scan) {
				if !slices.Equal(s.Req.Columns, []int{1, 3}) {
					t.Errorf("columns = %v, want [1 3]", s.Req.Columns)
				}
			},
		},
		{
			query:    "SigninLogs | take 5",
			fired:    []string{"push_limit"},
			notFired: []string{"push_filter", "prune_columns"},
			check: func(t *testing.T, s *plan.Scan) {
				if s.Req.Limit != 5 {
					t.Errorf("limit = %d, want 5", s.Req.Limit)
				}
			},
		},
		{
			query:    "SigninLogs | where TimeGenerated between (datetime(2026-11-01) .. 1d) | summarize count() by AppDisplayName",
			fired:    []string{"push_time_range", "prune_columns"},
			notFired: []string{"fold_time"},
		},
		{
			query: "SigninLogs | where TimeGenerated > ago(1d) | count",
			fired: []string{"fold_time", "push_filter", "push_time_range"},
			check: func(t *testing.T, s *plan.Scan) {
				want := types.TicksFromTime(now.Add(-24*time.Hour)) + 1 // > is exclusive
				if s.Req.TimeColumn != 0 || s.Req.MinTime != want {
					t.Errorf("time range = col %d from %d, want col 0 from %d", s.Req.TimeColumn, s.Req.MinTime, want)
				}
			},
		},
		{
			// ago() of a column is not constant: nothing folds.
			query:    "SigninLogs | extend x = 1h | where TimeGenerated > ago(x) | count",
			notFired: []string{"fold_time", "push_time_range"},
		},
		{
			query: "SigninLogs | sort by TimeGenerated desc | take 2",
			fired: []string{"sort_limit_to_top"},
		},
		{
			query:    "SigninLogs | sort by TimeGenerated desc",
			notFired: []string{"sort_limit_to_top", "prune_columns"},
		},
		{
			// Only the columns read above the extend are scanned.
			query: "SigninLogs | extend Failed = ResultType != '0' | where Failed | count",
			fired: []string{"prune_columns"},
			check: func(t *testing.T, s *plan.Scan) {
				if !slices.Equal(s.Req.Columns, []int{2}) {
					t.Errorf("columns = %v, want [2]", s.Req.Columns)
				}
			},
		},
		{
			// The dynamic column itself is not read: only its path.
			query: "SigninLogs | summarize count() by tostring(DeviceDetail.operatingSystem)",
			fired: []string{"scan_paths", "prune_columns"},
			check: func(t *testing.T, s *plan.Scan) {
				wantPaths(t, s, "tostring(#4.operatingSystem)")
				if len(s.Req.Columns) != 0 {
					t.Errorf("columns = %v, want none", s.Req.Columns)
				}
			},
		},
		{
			// Pushed conjuncts read the path column (index 6: the first
			// column after the table's six).
			query: "SigninLogs | where toint(Status.errorCode) != 0 | project UserPrincipalName, os = DeviceDetail['operatingSystem'], t = tostring(DeviceDetail.trust.type)",
			fired: []string{"scan_paths", "push_filter", "prune_columns"},
			check: func(t *testing.T, s *plan.Scan) {
				wantPaths(t, s, "toint(#5.errorCode)", "#4.operatingSystem", "tostring(#4.trust.type)")
				if !slices.Equal(s.Req.Columns, []int{1}) {
					t.Errorf("columns = %v, want [1]", s.Req.Columns)
				}
				if len(s.Req.Filter) != 1 || s.Req.Filter[0].String() != "!=(#6:toint(#5.errorCode), long(0))" {
					t.Errorf("filter = %v", s.Req.Filter)
				}
			},
		},
		{
			// A filter alone keeps the table's columns: a project drops
			// the path column again.
			query: "SigninLogs | where tostring(DeviceDetail.trust.type) == 'joined'",
			fired: []string{"scan_paths", "push_filter"},
			check: func(t *testing.T, s *plan.Scan) { wantPaths(t, s, "tostring(#4.trust.type)") },
			root: func(t *testing.T, p plan.Node) {
				if len(p.Schema()) != 6 {
					t.Errorf("result schema = %v, want the table's 6 columns", p.Schema())
				}
			},
		},
		{
			// The bare column and its path are both read.
			query: "SigninLogs | project DeviceDetail, os = tostring(DeviceDetail.operatingSystem)",
			fired: []string{"scan_paths", "prune_columns"},
			check: func(t *testing.T, s *plan.Scan) {
				wantPaths(t, s, "tostring(#4.operatingSystem)")
				if !slices.Equal(s.Req.Columns, []int{4}) {
					t.Errorf("columns = %v, want [4]", s.Req.Columns)
				}
			},
		},
		{
			// A path unread above an extend is not asked for.
			query: "SigninLogs | extend os = tostring(DeviceDetail.operatingSystem), e = Status.errorCode | project e",
			fired: []string{"scan_paths", "prune_columns"},
			check: func(t *testing.T, s *plan.Scan) { wantPaths(t, s, "#5.errorCode") },
		},
		{
			// Element access is not a path.
			query:    "SigninLogs | project x = DeviceDetail[0].operatingSystem",
			notFired: []string{"scan_paths"},
		},
		{
			// Projects pass scan columns and path columns through.
			query: "SigninLogs | extend d = DeviceDetail | project tostring(d.operatingSystem)",
			fired: []string{"scan_paths", "prune_columns"},
			check: func(t *testing.T, s *plan.Scan) {
				wantPaths(t, s, "tostring(#4.operatingSystem)")
				if len(s.Req.Columns) != 0 {
					t.Errorf("columns = %v, want none", s.Req.Columns)
				}
			},
		},
		{
			query: "SigninLogs | extend a = tostring(DeviceDetail.operatingSystem) | extend b = toint(Status.errorCode) | where b != 0 | project a, c = Status.errorCode",
			fired: []string{"scan_paths", "prune_columns"},
			check: func(t *testing.T, s *plan.Scan) {
				wantPaths(t, s, "tostring(#4.operatingSystem)", "toint(#5.errorCode)", "#5.errorCode")
				if len(s.Req.Columns) != 0 {
					t.Errorf("columns = %v, want none", s.Req.Columns)
				}
			},
		},
		{
			// A filter on top of an extend keeps the extend's columns.
			query: "SigninLogs | extend x = 1 | where tostring(DeviceDetail.trust.type) == 'joined'",
			fired: []string{"scan_paths"},
			check: func(t *testing.T, s *plan.Scan) { wantPaths(t, s, "tostring(#4.trust.type)") },
			root: func(t *testing.T, p plan.Node) {
				if len(p.Schema()) != 7 {
					t.Errorf("result schema = %v, want the table's 6 columns and x", p.Schema())
				}
			},
		},
		{
			// Paths of a computed column are not the scan's.
			query:    "SigninLogs | extend d = pack('os', UserPrincipalName) | project tostring(d.os)",
			notFired: []string{"scan_paths"},
		},
		{
			// Nor are paths above a summarize.
			query:    "SigninLogs | summarize d = take_any(DeviceDetail) | project tostring(d.operatingSystem)",
			notFired: []string{"scan_paths"},
		},
		{
			// Sort is not a node the rule looks through.
			query:    "SigninLogs | sort by tostring(DeviceDetail.operatingSystem) asc",
			notFired: []string{"scan_paths"},
		},
		{
			query:    "SigninLogs | project s = tostring(UserPrincipalName)",
			notFired: []string{"scan_paths"},
		},
		{
			// A filter on a computed column is not above the scan: nothing to push.
			query:    "SigninLogs | extend x = TimeGenerated + 1h | where x > datetime(2026-11-27)",
			notFired: []string{"push_filter", "push_time_range"},
		},
	} {
		t.Run(tc.query, func(t *testing.T) {
			p, fired := optimize(t, tc.query)
			for _, r := range tc.fired {
				if !slices.Contains(fired, r) {
					t.Errorf("rule %s did not fire (fired: %v)", r, fired)
				}
			}
			for _, r := range tc.notFired {
				if slices.Contains(fired, r) {
					t.Errorf("rule %s fired, want not", r)
				}
			}
			if tc.check != nil {
				tc.check(t, findScan(p))
			}
			if tc.root != nil {
				tc.root(t, p)
			}
		})
	}
}

// wantPaths checks the paths a scan asks for.
func wantPaths(t *testing.T, s *plan.Scan, want ...string) {
	t.Helper()
	var got []string
	for _, p := range s.Req.Paths {
		got = append(got, p.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("paths = %v, want %v", got, want)
	}
}

// TestRulesKeepResults runs each query with and without rules: the rows
// must be the same.
func TestRulesKeepResults(t *testing.T) {
	e := &engine.Engine{Catalog: signins(), Now: func() time.Time { return now }}
	for _, q := range []string{
		"SigninLogs | where TimeGenerated > datetime(2026-11-26 12:00) | count",
		"SigninLogs | where TimeGenerated > datetime(2026-11-27 10:00) and ResultType == '0' | project UserPrincipalName",
		"SigninLogs | where UserPrincipalName has 'b' | project AppDisplayName",
		"SigninLogs | summarize count() by AppDisplayName | sort by AppDisplayName asc",
		"SigninLogs | take 2 | count",
		"SigninLogs | extend Failed = ResultType != '0' | where Failed | count",
		"SigninLogs | sort by TimeGenerated desc | take 1 | project UserPrincipalName",
	} {
		res, err := e.Query(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got := res[0].Rows
		want := map[string]int64{
			"SigninLogs | where TimeGenerated > datetime(2026-11-26 12:00) | count": 2,
			"SigninLogs | take 2 | count":                                           2,
		}
		if n, ok := want[q]; ok && got.Cols[0].Value(0).I != n {
			t.Errorf("%s = %v, want %d", q, got.Cols[0].Value(0), n)
		}
		if q == "SigninLogs | where UserPrincipalName has 'b' | project AppDisplayName" && (got.N != 1 || got.Cols[0].Value(0).S != "Teams") {
			t.Errorf("%s: got %d rows", q, got.N)
		}
		if q == "SigninLogs | sort by TimeGenerated desc | take 1 | project UserPrincipalName" && got.Cols[0].Value(0).S != "c@x" {
			t.Errorf("%s = %v, want c@x", q, got.Cols[0].Value(0))
		}
	}
}
