package builtin_test

import "testing"

func TestSeriesColumns(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print y = dynamic([2, 4, 6]) | extend series_fit_line(y) | project-away y`,
			"1 | 2 | 4 | 0 | 0 | [2,4,6]"},
		{`print y = dynamic([3, 1, 2]) | extend series_stats(y) | project-away y`,
			"1 | 1 | 3 | 0 | 2 | 1 | 1"},
		{`print y = dynamic(null) | extend (r, s) = series_fit_line(y) | project r, s`, " | "},
	})
}
