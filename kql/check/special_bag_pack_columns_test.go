package check_test

import "testing"

func TestBagPackColumns(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"SigninLogs | project b = bag_pack_columns(UserPrincipalName, DurationMs)", "b:dynamic"},
		{"SigninLogs | project b = bag_pack_columns(1)", "error"},
		{"SigninLogs | project b = bag_pack_columns()", "error"},
	} {
		q, err := checkQuery(tc.query)
		got := "error"
		if err == nil {
			got = schemaString(q.Results[0].Plan.Schema())
		}
		if got != tc.want {
			t.Errorf("%s\n got: %s\nwant: %s", tc.query, got, tc.want)
		}
	}
}
