package exec_test

import "testing"

func TestRollingPercentile(t *testing.T) {
	data := `let T = range idx from 0 to 24 * 4 - 1 step 1
    | project Timestamp = datetime(2018-01-01) + 1h * idx, val = idx + 1
    | extend Parity = val % 2;
`
	runPluginCases(t, nil, []pluginCase{
		{"three-day median", data + "T | evaluate rolling_percentile(val, 50, Timestamp, 1d, 3)", `
Timestamp:datetime | rolling_3_percentile_val_50:long
2018-01-01T00:00:00Z | 12
2018-01-02T00:00:00Z | 24
2018-01-03T00:00:00Z | 36
2018-01-04T00:00:00Z | 60`},
		{"by dimension", data + "T | evaluate rolling_percentile(val, 50, Timestamp, 1d, 3, Parity) | where Timestamp >= datetime(2018-01-03)", `
Timestamp:datetime | Parity:long | rolling_3_percentile_val_50:long
2018-01-03T00:00:00Z | 1 | 35
2018-01-04T00:00:00Z | 1 | 59
2018-01-03T00:00:00Z | 0 | 36
2018-01-04T00:00:00Z | 0 | 60`},
		{"numeric index", "range x from 1 to 10 step 1 | extend v = x * 10 | evaluate rolling_percentile(v, 90, x, 5, 1)", `
x:long | rolling_1_percentile_v_90:long
0 | 40
5 | 90
10 | 100`},
		{"bad percentile", data + "T | evaluate rolling_percentile(val, 150, Timestamp, 1d, 3)", "error: between 0 and 100"},
		{"bad bin size", data + "T | evaluate rolling_percentile(val, 50, Timestamp, 0d, 3)", "error: BinSize must be positive"},
	})
}
