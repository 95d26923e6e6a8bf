package builtin_test

import "testing"

func TestSeriesFitPoly(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print y = dynamic([1, 4, 9, 16, 25]) | extend series_fit_poly(y, dynamic([1, 2, 3, 4, 5]), 2)
| project round(series_fit_poly_y_rsquare, 6), round(todouble(series_fit_poly_y_coefficients[0]), 6), round(series_fit_poly_y_rvariance, 9)`,
			"1 | 1 | 0"},
		{`print y = dynamic([2, 4, 6]) | extend (r, c, v, rv, fit) = series_fit_poly(y) | project r, v, fit`,
			"1 | 2.6666666666666665 | [2,4,6]"},
		{`print y = dynamic([1]) | extend (r, c) = series_fit_poly(y, dynamic(null), 2) | project r, c`, " | "},
	})
}

func TestSeriesFFT(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print y = dynamic([1, 0, 0, 0]) | extend (re, im) = series_fft(y) | project re, im`, "[1,1,1,1] | [0,0,0,0]"},
		{`print y = dynamic([1, 2, 3, 4]) | extend (re, im) = series_fft(y) | extend (r2, i2) = series_ifft(re, im) | project r2`,
			"[1,2,3,4]"},
		{`print y = dynamic([]) | extend (re, im) = series_fft(y) | project re`, "[]"},
	})
}
