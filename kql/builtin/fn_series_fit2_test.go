package builtin_test

import "testing"

func TestSeriesFit2Lines(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print y = dynamic([1, 2, 3, 4, 10, 8, 6, 4]) | extend (r, idx, v, rv, fit) = series_fit_2lines(y) | project r, idx, fit`,
			"1 | 4 | [1,2,3,4,10,8,6,4]"},
		{`print y = dynamic([1, 2, 3, 4, 10, 8, 6, 4]) | extend series_fit_2lines(y) | project series_fit_2lines_y_left_slope, series_fit_2lines_y_right_slope, series_fit_2lines_y_right_interception`,
			"1 | -2 | 20"},
		{`print series_fit_2lines_dynamic(dynamic([5])), series_fit_2lines_dynamic(dynamic([1, "a", 3]))`, " | "},
	})
}
