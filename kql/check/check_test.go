package check_test

import (
	"strings"
	"testing"

	"github.com/idlogs/idlogs/kql/check"
	"github.com/idlogs/idlogs/kql/engine"
	"github.com/idlogs/idlogs/kql/syntax"
	"github.com/idlogs/idlogs/kql/types"
	"github.com/idlogs/idlogs/kql/vec"
)

func catalog() engine.Catalog {
	sch := vec.Schema{{Name: "TimeGenerated", Type: types.Datetime}, {Name: "UserPrincipalName", Type: types.String},
		{Name: "ResultType", Type: types.String}, {Name: "Status", Type: types.Dynamic}, {Name: "DurationMs", Type: types.Long}}
	return engine.Catalog{"SigninLogs": &engine.MemTable{TableName: "SigninLogs", Sch: sch}}
}

func checkQuery(query string) (*check.Query, error) {
	script, err := syntax.Parse(query)
	if err != nil {
		return nil, err
	}
	return check.Check(query, script, check.Options{Catalog: catalog()})
}

func schemaString(s vec.Schema) string {
	parts := make([]string, len(s))
	for i, f := range s {
		parts[i] = f.Name + ":" + f.Type.String()
	}
	return strings.Join(parts, ", ")
}

// TestOutputColumns checks the names and types Kusto gives output columns.
func TestOutputColumns(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"print 1, 'a'", "print_0:long, print_1:string"},
		{"print x = 1.5, 2", "x:real, print_1:long"},
		{"SigninLogs | summarize count()", "count_:long"},
		{"SigninLogs | summarize count(), sum(DurationMs) by UserPrincipalName",
			"UserPrincipalName:string, count_:long, sum_DurationMs:long"},
		{"SigninLogs | summarize count(), count()", "count_:long, count_1:long"},
		{"SigninLogs | project DurationMs * 2, UserPrincipalName", "Column1:long, UserPrincipalName:string"},
		// Scalar functions name their results as Kusto's analyzer does.
		{"SigninLogs | project strlen(UserPrincipalName), strlen(tolower(UserPrincipalName)), round(DurationMs / 2.0), abs(DurationMs)",
			"strlen_UserPrincipalName:long, strlen_:long, Column1:real, DurationMs:long"},
		{"SigninLogs | project gettype(Status), make_datetime(2026, 1, 1), hll_merge(Status, Status)",
			"type_Status:string, Column1:datetime, hll_merged_result:dynamic"},
		{"SigninLogs | summarize d = hll(DurationMs) | summarize hll_merge(d)", "hll_merge_d:dynamic"},
		// array_sort_* over several arrays returns a column per array.
		{"print a = dynamic([2, 1]) | extend array_sort_asc(a, dynamic(['x', 'y']), false)",
			"a:dynamic, a_sorted:dynamic, array2_sorted:dynamic"},
		{"print (x, y) = array_sort_desc(dynamic([1]), dynamic([2])), z = array_sort_asc(dynamic([1]))",
			"x:dynamic, y:dynamic, z:dynamic"},
		{"SigninLogs | extend DurationMs = 1.5 | project DurationMs", "DurationMs:real"},
		{"SigninLogs | extend Status.errorCode | project-away TimeGenerated, User*",
			"ResultType:string, Status:dynamic, DurationMs:long, Status_errorCode:dynamic"},
		{"SigninLogs | project-rename Upn = UserPrincipalName | project-reorder DurationMs | take 1",
			"DurationMs:long, TimeGenerated:datetime, Upn:string, ResultType:string, Status:dynamic"},
		{"SigninLogs | count", "Count:long"},
		// In one extend, a replaced input column still means the input's
		// column; a new column is visible to later assignments.
		{"SigninLogs | extend Status = 'x', e = Status.errorCode, n = 1, m = n + 1 | project Status, e, m",
			"Status:string, e:dynamic, m:long"},
		{"SigninLogs | summarize count() by startofday(TimeGenerated)", "TimeGenerated:datetime, count_:long"},
		{"SigninLogs | summarize any(UserPrincipalName, DurationMs) | summarize any(any_UserPrincipalName)",
			"any_any_UserPrincipalName:string"},
		{"SigninLogs | distinct UserPrincipalName, ResultType", "UserPrincipalName:string, ResultType:string"},
		{"SigninLogs | join (SigninLogs) on UserPrincipalName | project-keep User*",
			"UserPrincipalName:string, UserPrincipalName1:string"},
		{"SigninLogs | lookup (SigninLogs | project UserPrincipalName, Extra = 1) on UserPrincipalName | getschema | project ColumnName",
			"ColumnName:string"},
		{"range x from 1 to 3 step 1", "x:long"},
		{"SigninLogs | project round(Rate = DurationMs / 2.0), ResultType | where Rate > 1", "Rate:real, ResultType:string"},
		{"union isfuzzy=true (Nope | project x = 1), (SigninLogs | project ResultType), Signins", "ResultType:string"},
		{"union isfuzzy=true (imNope(starttime=ago(1d)) | project x = 1), (SigninLogs | project ResultType)", "ResultType:string"},
		{"datatable(a:int, b:dynamic)[1, dynamic([1])] | mv-expand b to typeof(long)", "a:int, b:long"},
		{"union (print a = 1), (print a = 'x')", "a_long:long, a_string:string"},
		{"let f = (t:(*)) { t | count }; SigninLogs | invoke f()", "Count:long"},
	} {
		q, err := checkQuery(tc.query)
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if got := schemaString(q.Results[0].Plan.Schema()); got != tc.want {
			t.Errorf("%s\n got: %s\nwant: %s", tc.query, got, tc.want)
		}
	}
}

// TestErrors checks that binding errors name the place and the offending name.
func TestErrors(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"SigninLogs | where Usr == 'x'", "1:20: unknown column or name 'Usr'"},
		{"Signins | count", "1:1: unknown table 'Signins'"},
		// A fuzzy union leaves out legs whose tables do not exist, but not
		// other errors, and fails when no leg is left.
		{"union isfuzzy=true Nope, (Signins | take 1)", "1:20: unknown table 'Nope'"},
		{"union isfuzzy=true (SigninLogs | project Usr), Nope", "1:42: unknown column or name 'Usr'"},
		{"union (SigninLogs), Nope", "1:21: unknown table 'Nope'"},
		{"SigninLogs\n| where DurationMs", "2:9: the where predicate must be bool, not long"},
		{"SigninLogs | extend x = nosuchfn(1)", "1:25: unknown function 'nosuchfn'"},
		{"print count()", "1:7: aggregate function count() is only allowed in summarize"},
		{"SigninLogs | summarize count() by Status.errorCode", "1:35: summarize group key 'Status_errorCode' is of a 'dynamic' type"},
		{"SigninLogs | join kind=sideways (SigninLogs) on UserPrincipalName", "1:19: unknown join kind 'sideways'"},
		{"SigninLogs | where TimeGenerated > 'x' + 1", "1:36: operator '+' cannot be applied to string and long"},
		{"SigninLogs | summarize count() + DurationMs", "1:34: column 'DurationMs' must be inside an aggregate function or be a by column"},
		// A tabular expression used as a scalar runs once: a function
		// argument that reads the row cannot reach it.
		{"let f = (n:long) { toscalar(range x from 1 to n step 1 | count) };\nSigninLogs | extend c = f(DurationMs)",
			"2:27: can't use 'DurationMs' as it is defined outside its row-context scope"},
		{"let f = (n:long) { range x from 1 to n step 1 | summarize make_list(x) };\nSigninLogs | project d = f(DurationMs + 1)",
			"2:28: can't use 'DurationMs + 1' as it is defined outside its row-context scope"},
	} {
		_, err := checkQuery(tc.query)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s\n got: %v\nwant: %s", tc.query, err, tc.want)
		}
	}
}
