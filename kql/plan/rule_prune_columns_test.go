package plan_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/idlogs/idlogs/kql/plan"
)

// scans returns the scans of p depth first (those of a shared subplan
// once), with the scans of subqueries after the node that holds them.
func scans(n plan.Node, seen map[*plan.Shared]bool) []*plan.Scan {
	switch n := n.(type) {
	case *plan.Scan:
		return []*plan.Scan{n}
	case *plan.Widen:
		return []*plan.Scan{n.In}
	case *plan.Shared:
		if seen[n] {
			return nil
		}
		seen[n] = true
	}
	var out []*plan.Scan
	for _, in := range n.Inputs() {
		out = append(out, scans(in, seen)...)
	}
	switch n := n.(type) {
	case *plan.MvApply:
		out = append(out, scans(n.Sub, seen)...)
	case *plan.Partition:
		out = append(out, scans(n.Sub, seen)...)
	case *plan.Filter:
		if rs, ok := n.Pred.(*plan.RowSet); ok {
			out = append(out, scans(rs.Set.Plan, seen)...)
		}
	}
	return out
}

// scanColumns prints the columns each scan of p reads: "all" when the
// scan was not narrowed.
func scanColumns(p plan.Node) []string {
	var out []string
	for _, s := range scans(p, map[*plan.Shared]bool{}) {
		if s.Req.Columns == nil {
			out = append(out, "all")
			continue
		}
		out = append(out, fmt.Sprint(s.Req.Columns))
	}
	return out
}

// TestPruneColumns checks which columns the scans read after
// prune_columns, for every kind of node it passes needs through. The
// table is SigninLogs(TimeGenerated 0, UserPrincipalName 1, ResultType 2,
// AppDisplayName 3, DeviceDetail 4, Status 5).
func TestPruneColumns(t *testing.T) {
	for _, tc := range []struct {
		query string
		// scans are the columns each scan reads, depth first.
		scans []string
		fired bool
	}{
		// mv-expand reads the expanded column; the others pass through.
		{"SigninLogs | where AppDisplayName has 'P' | mv-expand d = DeviceDetail | where tostring(d) != '' | summarize dcount(UserPrincipalName)", []string{"[1 3 4]"}, true},
		{"SigninLogs | mv-expand DeviceDetail | project DeviceDetail", []string{"[4]"}, true},
		{"SigninLogs | mv-expand with_itemindex = i d = Status to typeof(string) | project i", []string{"[5]"}, true},
		// Unread aggregates go; grouping stays.
		{"SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName | count", []string{"[1]"}, true},
		{"SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName | project UserPrincipalName, AppDisplayName", []string{"[0 1 3]"}, true},
		{"SigninLogs | summarize arg_min(TimeGenerated, *) | project ResultType", []string{"[0 2]"}, true},
		{"SigninLogs | summarize n = count(), s = make_set(DeviceDetail), d = dcount(AppDisplayName) | project n", []string{"[]"}, true},
		{"SigninLogs | summarize s = make_set(DeviceDetail), d = dcount(AppDisplayName) | count", []string{"[3]"}, true},
		{"SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName", []string{"all"}, false},
		{"SigninLogs | summarize take_any(*) by AppDisplayName | project AppDisplayName, UserPrincipalName", []string{"[1 3]"}, true},
		{"SigninLogs | summarize take_any(DeviceDetail) by AppDisplayName | project AppDisplayName, DeviceDetail", []string{"[3 4]"}, true},
		{"SigninLogs | distinct AppDisplayName", []string{"[3]"}, true},
		// Joins keep each side's keys and the columns read above.
		{"SigninLogs | join kind=inner (SigninLogs | project UserPrincipalName, AppDisplayName) on UserPrincipalName | project ResultType, AppDisplayName1", []string{"[1 2]", "[1 3]"}, true},
		{"SigninLogs | lookup (SigninLogs | project UserPrincipalName, App = AppDisplayName, Status) on UserPrincipalName | summarize count() by App", []string{"[1]", "[1 3]"}, true},
		{"SigninLogs | join kind=leftanti (SigninLogs | where ResultType != '0') on UserPrincipalName, AppDisplayName | count", []string{"[1 3]", "[1 2 3]"}, true},
		{"union SigninLogs, (SigninLogs | extend x = 1) | summarize count() by AppDisplayName", []string{"[3]", "[3]"}, true},
		{"union withsource=T SigninLogs, (SigninLogs | project UserPrincipalName) | summarize count() by T, UserPrincipalName", []string{"[1]", "[1]"}, true},
		{"SigninLogs | parse UserPrincipalName with user '@' domain | summarize count() by domain", []string{"[1]"}, true},
		{"SigninLogs | parse-where AppDisplayName with 'P' rest | project UserPrincipalName", []string{"[1 3]"}, true},
		{"SigninLogs | parse-kv ResultType as (a:string) with (pair_delimiter=',', kv_delimiter='=') | project a, AppDisplayName", []string{"[2 3]"}, true},
		{"SigninLogs | extend a = strlen(UserPrincipalName) | extend b = a + 1, c = tostring(DeviceDetail) | extend d = b * 2 | project d", []string{"[1]"}, true},
		{"SigninLogs | sort by TimeGenerated desc | project UserPrincipalName", []string{"[0 1]"}, true},
		{"SigninLogs | top 2 by ResultType | project AppDisplayName", []string{"[2 3]"}, true},
		{"SigninLogs | sample 2 | project AppDisplayName", []string{"[3]"}, true},
		{"SigninLogs | sample-distinct 2 of AppDisplayName", []string{"[3]"}, true},
		{"SigninLogs | make-series count() default=0 on TimeGenerated step 1h by AppDisplayName", []string{"[0 3]"}, true},
		{"SigninLogs | top-nested 2 of AppDisplayName by count()", []string{"[3]"}, true},
		{"SigninLogs | partition by AppDisplayName (summarize c = count() by ResultType)", []string{"[2 3]"}, true},
		{"SigninLogs | mv-apply d = DeviceDetail on (summarize c = count()) | project UserPrincipalName, c", []string{"[1 4]"}, true},
		{"SigninLogs | mv-apply d = DeviceDetail to typeof(string) on (where d != ResultType) | project d", []string{"[2 4]"}, true},
		{"SigninLogs | scan with (step s: ResultType != '0';) | project UserPrincipalName", []string{"[1 2]"}, true},
		{"SigninLogs | reduce by AppDisplayName", []string{"[3]"}, true},
		{"SigninLogs | evaluate activity_counts_metrics(UserPrincipalName, TimeGenerated, datetime(2026-11-20), datetime(2026-11-28), 1d)", []string{"[0 1]"}, true},
		{"SigninLogs | evaluate narrow()", []string{"all"}, false},
		{"SigninLogs | project-away DeviceDetail | evaluate narrow()", []string{"[0 1 2 3 5]"}, true},
		{"SigninLogs | consume", []string{"[]"}, true},
		// A plan bound by `as` or let (without materialize) is evaluated for
		// each reader, so each prunes its own.
		{"SigninLogs | as T | join kind=inner (T | project UserPrincipalName) on UserPrincipalName | project AppDisplayName", []string{"[1 3]", "[1]"}, true},
		{"let T = SigninLogs | where ResultType != '0'; T | join kind=inner (T | project UserPrincipalName, Status) on UserPrincipalName | project AppDisplayName", []string{"[1 2 3]", "[1 2]"}, true},
		// A shared subplan keeps what all its readers need.
		{"let s = materialize(SigninLogs | where ResultType != '0'); s | join kind=inner (s | project UserPrincipalName) on UserPrincipalName | project AppDisplayName", []string{"[1 2 3]"}, true},
		{"let s = materialize(SigninLogs); union (s | project AppDisplayName), (s | project Status) | count", []string{"[]"}, true},
		{"let s = materialize(SigninLogs); union (s | project AppDisplayName), (s | project Status) | project Status", []string{"[5]"}, true},
		// Subqueries are read for their first column.
		{"SigninLogs | where UserPrincipalName in ((SigninLogs | where ResultType != '0' | project UserPrincipalName, AppDisplayName)) | count", []string{"[1]", "[1 2]"}, true},
	} {
		t.Run(tc.query, func(t *testing.T) {
			p, fired := optimize(t, tc.query)
			if got := slices.Contains(fired, "prune_columns"); got != tc.fired {
				t.Errorf("prune_columns fired = %v, want %v", got, tc.fired)
			}
			if got := scanColumns(p); !slices.Equal(got, tc.scans) {
				t.Errorf("scans read %v, want %v\n%s", got, tc.scans, plan.Describe(p))
			}
		})
	}
}

// TestPruneFilterUnread: a filter learns which of its output columns no
// operator above reads, so that it need not copy them. The columns are
// those of TestPruneColumns.
func TestPruneFilterUnread(t *testing.T) {
	for _, tc := range []struct {
		query  string
		unread []bool // of the topmost filter; nil when all are read
	}{
		{"SigninLogs | where ResultType != '0' | count", []bool{true, true, true, true, true, true}},
		{"SigninLogs | where ResultType != '0' | project UserPrincipalName", []bool{true, false, true, true, true, true}},
		{"SigninLogs | where ResultType != '0' | summarize dcount(UserPrincipalName) by AppDisplayName", []bool{true, false, true, false, true, true}},
		{"SigninLogs | where ResultType != '0'", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			p, _ := optimize(t, tc.query)
			f := topFilter(p)
			if f == nil {
				t.Fatalf("no filter in\n%s", plan.Describe(p))
			}
			if !slices.Equal(f.Unread, tc.unread) {
				t.Errorf("unread %v, want %v\n%s", f.Unread, tc.unread, plan.Describe(p))
			}
		})
	}
}

// topFilter returns the first filter of p, depth first.
func topFilter(n plan.Node) *plan.Filter {
	if f, ok := n.(*plan.Filter); ok {
		return f
	}
	for _, in := range n.Inputs() {
		if f := topFilter(in); f != nil {
			return f
		}
	}
	return nil
}
