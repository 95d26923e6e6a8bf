package exec_test

import "testing"

func TestActiveUsersCount(t *testing.T) {
	data := `let T = datatable(User:string, Timestamp:datetime, Team:string)
[
    "B", datetime(2018-06-29), "x",
    "B", datetime(2018-06-30), "x",
    "A", datetime(2018-07-02), "y",
    "B", datetime(2018-07-04), "x",
    "B", datetime(2018-07-08), "x",
    "A", datetime(2018-07-10), "y",
    "A", datetime(2018-07-14), "y",
    "A", datetime(2018-07-17), "y",
    "A", datetime(2018-07-20), "y",
    "B", datetime(2018-07-24), "x",
];
`
	runPluginCases(t, nil, []pluginCase{
		{"weekly actives", data + "T | evaluate active_users_count(User, Timestamp, datetime(2018-07-01), datetime(2018-07-31), 8d, 1d, 3, 7d)", `
Timestamp:datetime | dcount:long
2018-07-01T00:00:00Z | 1
2018-07-15T00:00:00Z | 1`},
		{"dimensions", data + "T | evaluate active_users_count(User, Timestamp, datetime(2018-07-01), datetime(2018-07-31), 8d, 1d, 3, 7d, Team)", `
Timestamp:datetime | Team:string | dcount:long
2018-07-01T00:00:00Z | x | 1
2018-07-15T00:00:00Z | y | 1`},
		{"one period suffices", data + "T | evaluate active_users_count(User, Timestamp, datetime(2018-07-01), datetime(2018-07-31), 1d, 1d, 1, 14d)", `
Timestamp:datetime | dcount:long
2018-07-01T00:00:00Z | 2
2018-07-15T00:00:00Z | 2`},
		{"empty", data + "T | where false | evaluate active_users_count(User, Timestamp, datetime(2018-07-01), datetime(2018-07-31), 8d, 1d, 3, 7d)", `
Timestamp:datetime | dcount:long`},
		{"bad bin", data + "T | evaluate active_users_count(User, Timestamp, datetime(2018-07-01), datetime(2018-07-31), 8d, 1d, 3, 0d)", "error: Bin must be a positive timespan"},
		{"timeline must be datetime", data + "T | evaluate active_users_count(User, Team, datetime(2018-07-01), datetime(2018-07-31), 8d, 1d, 3, 7d)", "error: the timeline column must be a datetime column"},
		{"too few arguments", data + "T | evaluate active_users_count(User, Timestamp)", "error: expects at least 8 arguments"},
	})
}
