package builtin_test

import "testing"

func TestSeriesSeasonal(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print s=dynamic([2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1])
| union (print s=dynamic([8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10]))
| union (print s=dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]))
| project series_seasonal(s)`,
			"[1,2,3,4,3,2,1,2,3,4,3,2,1,2,3,4,3,2,1,2,3,4,3,2,1]\n" +
				"[10,12,14,12,10,10,12,14,12,10,10,12,14,12,10,10,12,14,12,10]\n" +
				"[0,0,0,0,0,0,0,0,0,0,0,0]"},
		{`print series_seasonal(dynamic([1, 3, 5, 1, 3, 5, 2, 4, 6]), 3), series_seasonal(dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]), 3)`,
			"[1,3,5,1,3,5,1,3,5] | [1.5,3.5,5.5,1.5,3.5,5.5,1.5,3.5,5.5,1.5,3.5,5.5]"},
		{`print series_seasonal(dynamic([])), series_seasonal(dynamic(null))`, "[] | "},
	})
}

func TestSeriesDecompose(t *testing.T) {
	runDynCases(t, []dynCase{
		// Period 4 plus a line: linefit recovers both, residual is zero.
		{`print y = dynamic([1, 5, 3, 1, 2, 6, 4, 2, 3, 7, 5, 3, 4, 8, 6, 4])
| extend series_decompose(y, 4, 'none')
| project series_decompose_y_seasonal, series_decompose_y_trend`,
			"[2.5,6.5,4.5,2.5,2.5,6.5,4.5,2.5,2.5,6.5,4.5,2.5,2.5,6.5,4.5,2.5] | [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]"},
		{`print y = dynamic([1, 2, 3, 4, 5, 6])
| extend (b, s, tr, r) = series_decompose(y, 0, 'linefit') | project b, r`,
			"[1,2,3,4,5,6] | [0,0,0,0,0,0]"},
		{`print y = dynamic([1, 2, 3, 4, 5, 6]) | extend (b, s) = series_decompose(y, 0) | project b, s`,
			"[3.5,3.5,3.5,3.5,3.5,3.5] | [0,0,0,0,0,0]"},
		{`print series_decompose_forecast(dynamic([1, 2, 3, 4, 0, 0]), 2, 0)`, "[1,2,3,4,5,6]"},
		{`print y = dynamic([10, 11, 10, 11, 10, 30, 10, 11, 10, 11, -10, 11])
| extend series_decompose_anomalies(y, 1.5, 0) | project series_decompose_anomalies_y_ad_flag`,
			"[0,0,0,0,0,1,0,0,0,0,-1,0]"},
		{`print series_outliers(dynamic([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]), 'tukey')`,
			"[-0.5,-0.2777777777777778,-0.05555555555555555,0,0,0,0,0.05555555555555555,0.2777777777777778,20.5]"},
		{`print y = dynamic(null) | extend series_decompose(y) | project series_decompose_y_baseline`, ""},
	})
}

func TestSeriesPeriods(t *testing.T) {
	runDynCases(t, []dynCase{
		{`print y = dynamic([8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10])
| project series_periods_detect(y, 2.0, 10.0, 2)`, "[5,0] | [0.890909090909091,0]"},
		{`print y = dynamic([8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10])
| project series_periods_validate(y, 5.0, 4.0)`, "[5,4] | [0.890909090909091,0]"},
	})
}

// TestSeriesDecomposeAnomaliesWeekly runs the documented scenario: hourly
// data with weekly seasonality, a trend, noise and six injected outliers,
// which must be exactly the points flagged.
func TestSeriesDecomposeAnomaliesWeekly(t *testing.T) {
	runDynCases(t, []dynCase{
		{`let ts=range t from 1 to 24*7*5 step 1
| extend Timestamp = datetime(2018-03-01 05:00) + 1h * t
| extend y = 2*rand() + iff((t/24)%7>=5, 5.0, 15.0) - (((t%24)/10)*((t%24)/10)) + t/72.0
| extend y=iff(t==150 or t==200 or t==780, y-8.0, y)
| extend y=iff(t==300 or t==400 or t==600, y+8.0, y)
| summarize Timestamp=make_list(Timestamp, 10000),y=make_list(y, 10000);
ts
| extend series_decompose_anomalies(y, 1.5, -1, 'linefit')
| mv-expand with_itemindex=i series_decompose_anomalies_y_ad_flag to typeof(long)
| where series_decompose_anomalies_y_ad_flag != 0
| summarize make_list(i + 1), make_list(series_decompose_anomalies_y_ad_flag)`,
			"[150,200,300,400,600,780] | [-1,-1,1,1,1,-1]"},
	})
}
