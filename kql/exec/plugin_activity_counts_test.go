package exec_test

import "testing"

func TestActivityCountsMetrics(t *testing.T) {
	data := `let T = datatable(UserId:string, Timestamp:datetime, Region:string)
[
'A', datetime(2017-08-01), 'eu',
'D', datetime(2017-08-01), 'eu',
'J', datetime(2017-08-01), 'us',
'B', datetime(2017-08-01), 'us',
'C', datetime(2017-08-02), 'eu',
'T', datetime(2017-08-02), 'eu',
'J', datetime(2017-08-02), 'us',
'H', datetime(2017-08-03), 'us',
'T', datetime(2017-08-03), 'eu',
'T', datetime(2017-08-03), 'eu',
'J', datetime(2017-08-03), 'us',
'B', datetime(2017-08-03), 'us',
'S', datetime(2017-08-03), 'us',
'S', datetime(2017-08-04), 'us',
'Z', datetime(2017-08-05), 'us',
'Y', datetime(2017-07-31), 'us',
];
`
	runPluginCases(t, nil, []pluginCase{
		{"daily", data + "T | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-04), 1d)", `
Timestamp:datetime | count:long | dcount:long | new_dcount:long | aggregated_dcount:long
2017-08-01T00:00:00Z | 4 | 4 | 4 | 4
2017-08-02T00:00:00Z | 3 | 3 | 2 | 6
2017-08-03T00:00:00Z | 6 | 5 | 2 | 8
2017-08-04T00:00:00Z | 1 | 1 | 0 | 8`},
		{"by region, two-day windows", data + "T | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-04), 2d, Region)", `
Timestamp:datetime | Region:string | count:long | dcount:long | new_dcount:long | aggregated_dcount:long
2017-08-01T00:00:00Z | eu | 4 | 4 | 4 | 4
2017-08-01T00:00:00Z | us | 3 | 2 | 2 | 2
2017-08-03T00:00:00Z | eu | 2 | 1 | 0 | 4
2017-08-03T00:00:00Z | us | 5 | 4 | 2 | 4`},
		{"bad step", data + "T | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-04), 0s)", "error: Step must be a positive timespan"},
	})
}

func TestSlidingWindowCounts(t *testing.T) {
	data := `let T = datatable(UserId:string, Timestamp:datetime)
[
'Bob', datetime(2017-08-01), 'David', datetime(2017-08-01), 'David', datetime(2017-08-01),
'John', datetime(2017-08-01), 'Bob', datetime(2017-08-01),
'Ananda', datetime(2017-08-02), 'Atul', datetime(2017-08-02), 'John', datetime(2017-08-02),
'Ananda', datetime(2017-08-03), 'Atul', datetime(2017-08-03), 'Atul', datetime(2017-08-03),
'John', datetime(2017-08-03), 'Bob', datetime(2017-08-03),
'Betsy', datetime(2017-08-04),
'Bob', datetime(2017-08-05),
];
`
	runPluginCases(t, nil, []pluginCase{
		{"three-day lookback", data + "T | evaluate sliding_window_counts(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-07), 3d, 1d)", `
Timestamp:datetime | Count:long | Dcount:long
2017-08-01T00:00:00Z | 5 | 3
2017-08-02T00:00:00Z | 8 | 5
2017-08-03T00:00:00Z | 13 | 5
2017-08-04T00:00:00Z | 9 | 5
2017-08-05T00:00:00Z | 7 | 5
2017-08-06T00:00:00Z | 2 | 2
2017-08-07T00:00:00Z | 1 | 1`},
		{"lookback rounded down to bins", data + "T | evaluate sliding_window_counts(UserId, Timestamp, datetime(2017-08-04), datetime(2017-08-05), 1.5d, 1d)", `
Timestamp:datetime | Count:long | Dcount:long
2017-08-04T00:00:00Z | 1 | 1
2017-08-05T00:00:00Z | 1 | 1`},
	})
}
