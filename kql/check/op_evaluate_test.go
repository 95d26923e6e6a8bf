package check_test

import (
	"strings"
	"testing"
)

// TestPluginSchemas checks the output columns of plugins that can be
// known without data.
func TestPluginSchemas(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"SigninLogs | evaluate bag_unpack(Status) : (*, errorCode:long, failureReason:string)",
			"TimeGenerated:datetime, UserPrincipalName:string, ResultType:string, DurationMs:long, errorCode:long, failureReason:string"},
		{"SigninLogs | evaluate bag_unpack(Status, 's_') : (s_errorCode:int)", "s_errorCode:int"},
		{"SigninLogs | evaluate pivot(ResultType, count(), UserPrincipalName) : (UserPrincipalName:string, ['0']:long)",
			"UserPrincipalName:string, 0:long"},
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

// TestPluginErrors checks errors of evaluate that come before any data.
func TestPluginErrors(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"SigninLogs | evaluate bag_unpack(Status)", "1:14: the output columns of bag_unpack depend on the data; declare them"},
		{"SigninLogs | evaluate pivot(ResultType)", "1:14: the output columns of pivot depend on the data"},
		{"SigninLogs | evaluate python(typeof(*), 'result = df')", "1:23: the python plugin is not supported here"},
		{"evaluate sql_request('Server=x', 'select 1')", "1:10: the sql_request plugin is not supported here"},
		{"SigninLogs | evaluate http_request('https://example.com')", "the http_request plugin is not supported here"},
		{"SigninLogs | evaluate ai_embeddings(UserPrincipalName, 'x')", "the ai_embeddings plugin is not supported here"},
		{"SigninLogs | evaluate ai_some_future_model(UserPrincipalName)", "the ai_some_future_model plugin is not supported here"},
		{"SigninLogs | evaluate autocluster()", "the autocluster plugin is not supported yet"},
		{"SigninLogs | evaluate nosuch()", "1:23: unknown plugin 'nosuch'"},
		{"SigninLogs | evaluate bag_unpack(Status) : (Name:nosuchtype)", "unknown type"},
		{"SigninLogs | evaluate bag_unpack(Status) : (a:long, *)", "'*' must come first"},
		{"SigninLogs | evaluate bag_unpack()", "bag_unpack() expects 1 to 4 arguments"},
	} {
		_, err := checkQuery(tc.query)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s\n got: %v\nwant: %s", tc.query, err, tc.want)
		}
	}
}

// TestExternalData checks that reading external storage is refused.
func TestExternalData(t *testing.T) {
	for _, q := range []string{
		"externaldata(Timestamp: datetime, MethodName: string) [h@'https://example.blob.core.windows.net/x.json'] with (format='multijson')",
		"let T = external_data(a:string) ['https://example.com/a.csv']; T | count",
		"SigninLogs | join (externaldata(UserPrincipalName:string) ['https://example.com/a.csv']) on UserPrincipalName",
		"inline_external_table (x:long, s:string) kind=storage dataformat=csv ( h@'https://example.com/a.csv' ) | count",
	} {
		_, err := checkQuery(q)
		if err == nil || !strings.Contains(err.Error(), " is not supported here: idlogs cannot read external storage from a query") {
			t.Errorf("%s\n got: %v", q, err)
		}
	}
}

// TestSeveralResults checks that a statement ending in fork, facet or
// funnel_sequence yields one result per table, each with the trailing
// render.
func TestSeveralResults(t *testing.T) {
	for _, tc := range []struct {
		query string
		names []string
	}{
		{"SigninLogs | fork (count) Slow = (where DurationMs > 100) (take 1 | as First) | render table", []string{"", "Slow", "First"}},
		{"SigninLogs | facet by ResultType, UserPrincipalName with (take 1) | render table", []string{"", "", ""}},
		{"SigninLogs | evaluate funnel_sequence(UserPrincipalName, TimeGenerated, datetime(2024-01-01), datetime(2024-02-01), 1h, 1d, ResultType, dynamic(['0'])) | render table",
			[]string{"", "", ""}},
	} {
		q, err := checkQuery(tc.query)
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if len(q.Results) != len(tc.names) {
			t.Errorf("%s: %d results, want %d", tc.query, len(q.Results), len(tc.names))
			continue
		}
		for i, r := range q.Results {
			if r.Name != tc.names[i] || r.Render == nil || r.Render.Visualization != "table" {
				t.Errorf("%s: result %d is %q with render %v", tc.query, i, r.Name, r.Render)
			}
		}
	}
}
