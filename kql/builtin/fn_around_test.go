package builtin_test

import "testing"

func TestAround(t *testing.T) {
	runDynCases(t, []dynCase{
		{`range dt from datetime(2021-01-01 01:00) to datetime(2021-01-01 02:00) step 1min
| where around(dt, datetime(2021-01-01 01:30), 1min) | count`, "3"},
		{`print around(5, 4, 1), around(5.5, 4, 1), around(int(3), 4, 1), around(2h, 1h, 30m), around(long(null), 1, 1)`,
			"true | false | true | false | "},
	})
}
