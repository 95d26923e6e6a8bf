package check_test

import "testing"

// TestMultiOutputColumns checks the columns of functions returning several.
func TestMultiOutputColumns(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"print y = dynamic([1]) | extend series_decompose(y)",
			"y:dynamic, series_decompose_y_baseline:dynamic, series_decompose_y_seasonal:dynamic, " +
				"series_decompose_y_trend:dynamic, series_decompose_y_residual:dynamic"},
		{"print y = dynamic([1]) | project (flag, score) = series_decompose_anomalies(y)", "flag:dynamic, score:dynamic"},
		{"print y = dynamic([1]) | extend y = 1 | project s = series_decompose_anomalies(dynamic([1]))",
			"s_ad_flag:dynamic, s_ad_score:dynamic, s_baseline:dynamic"},
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
