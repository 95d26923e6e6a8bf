package builtin_test

import "testing"

func TestNowAgo(t *testing.T) {
	dtRun(t, []dtCase{
		{"now()", "datetime", "2023-06-19T08:22:54.6623324Z"},
		{"now(-2d)", "datetime", "2023-06-17T08:22:54.6623324Z"},
		{"now(time(null))", "datetime", ""},
		{"ago(1h)", "datetime", "2023-06-19T07:22:54.6623324Z"},
		{"ago(-1d)", "datetime", "2023-06-20T08:22:54.6623324Z"},
		{"ago(time(null))", "datetime", ""},
		{"now() - ago(1d)", "timespan", "1.00:00:00"},
		{"ago(1)", "", "error: ago(): expects a timespan"},
		{"now(1h, 2h)", "", "error: now(): expects no argument or a timespan"},
	})
	// Documentation example: now() is the same on every row.
	dtTable(t, `datatable(label: string, timespanValue: timespan) ["minute", 60s, "year", 365d]
		| extend timeAgo = now() - timespanValue`, [][]string{
		{"string:minute", "timespan:00:01:00", "datetime:2023-06-19T08:21:54.6623324Z"},
		{"string:year", "timespan:365.00:00:00", "datetime:2022-06-19T08:22:54.6623324Z"},
	})
}

func TestStartEndOfPeriod(t *testing.T) {
	dtRun(t, []dtCase{
		{"startofday(datetime(2017-01-01 10:10:17))", "datetime", "2017-01-01T00:00:00Z"},
		{"startofday(datetime(2017-01-01 10:10:17), -1)", "datetime", "2016-12-31T00:00:00Z"},
		{"endofday(datetime(2017-01-01 10:10:17))", "datetime", "2017-01-01T23:59:59.9999999Z"},
		{"startofweek(datetime(2017-01-04))", "datetime", "2017-01-01T00:00:00Z"},
		{"startofweek(datetime(2017-01-01))", "datetime", "2017-01-01T00:00:00Z"},
		{"startofweek(datetime(2017-01-04), 2)", "datetime", "2017-01-15T00:00:00Z"},
		{"endofweek(datetime(2017-01-04))", "datetime", "2017-01-07T23:59:59.9999999Z"},
		{"endofweek(datetime(2017-01-07 23:59:59.9999999))", "datetime", "2017-01-07T23:59:59.9999999Z"},
		{"startofmonth(datetime(2017-03-31 10:00), -1)", "datetime", "2017-02-01T00:00:00Z"},
		{"startofmonth(datetime(2017-11-30), 14)", "datetime", "2019-01-01T00:00:00Z"},
		{"endofmonth(datetime(2016-02-10))", "datetime", "2016-02-29T23:59:59.9999999Z"},
		{"startofyear(datetime(2017-05-05), -1)", "datetime", "2016-01-01T00:00:00Z"},
		{"endofyear(datetime(2017-05-05), int(1))", "datetime", "2018-12-31T23:59:59.9999999Z"},
		// The datetime range ends: the last tick is valid, beyond it is null.
		{"endofyear(datetime(9999-06-01))", "datetime", "9999-12-31T23:59:59.9999999Z"},
		{"startofyear(datetime(9999-06-01), 1)", "datetime", ""},
		{"startofweek(datetime(0001-01-01))", "datetime", ""},
		{"startofmonth(datetime(0001-01-15), -1)", "datetime", ""},
		{"startofday(datetime(2017-01-01), 9223372036854775807)", "datetime", ""},
		{"startofmonth(datetime(2017-01-01), -9223372036854775807)", "datetime", ""},
		// Nulls.
		{"startofday(datetime(null))", "datetime", ""},
		{"endofmonth(datetime(2017-01-01), long(null))", "datetime", ""},
		{"startofday(dynamic('2017-01-01T05:00:00Z'))", "datetime", "2017-01-01T00:00:00Z"},
		{"startofday('2017-01-01')", "", "error: startofday(): expects a datetime"},
		{"endofday(datetime(2017-01-01), 'x')", "", "error: endofday(): expects a datetime and an optional offset"},
	})
}

func TestStartEndOfPeriodOffsetColumn(t *testing.T) {
	// Documentation examples: the offset comes from a column.
	base := "range offset from -1 to 1 step 1 | project "
	for _, c := range []struct {
		fn   string
		want []string
	}{
		{"startofday", []string{"2016-12-31T00:00:00Z", "2017-01-01T00:00:00Z", "2017-01-02T00:00:00Z"}},
		{"endofday", []string{"2016-12-31T23:59:59.9999999Z", "2017-01-01T23:59:59.9999999Z", "2017-01-02T23:59:59.9999999Z"}},
		{"startofmonth", []string{"2016-12-01T00:00:00Z", "2017-01-01T00:00:00Z", "2017-02-01T00:00:00Z"}},
		{"endofmonth", []string{"2016-12-31T23:59:59.9999999Z", "2017-01-31T23:59:59.9999999Z", "2017-02-28T23:59:59.9999999Z"}},
		{"endofyear", []string{"2016-12-31T23:59:59.9999999Z", "2017-12-31T23:59:59.9999999Z", "2018-12-31T23:59:59.9999999Z"}},
		{"startofweek", []string{"2016-12-25T00:00:00Z", "2017-01-01T00:00:00Z", "2017-01-08T00:00:00Z"}},
	} {
		var want [][]string
		for _, w := range c.want {
			want = append(want, []string{"datetime:" + w})
		}
		dtTable(t, base+"r = "+c.fn+"(datetime(2017-01-01 10:10:17), offset)", want)
	}
	// A datetime column with a constant offset, with a null row.
	dtTable(t, `datatable(d:datetime)[datetime(2017-01-01 10:10:17), datetime(null), datetime(2020-02-29 23:00)]
		| project a = startofday(d), b = startofmonth(d, 1), c = endofweek(d)`, [][]string{
		{"datetime:2017-01-01T00:00:00Z", "datetime:2017-02-01T00:00:00Z", "datetime:2017-01-07T23:59:59.9999999Z"},
		{"datetime:", "datetime:", "datetime:"},
		{"datetime:2020-02-29T00:00:00Z", "datetime:2020-03-01T00:00:00Z", "datetime:2020-02-29T23:59:59.9999999Z"},
	})
}

func TestDateParts(t *testing.T) {
	dtRun(t, []dtCase{
		// Documentation examples.
		{"dayofweek(datetime(1947-11-30 10:00:05))", "timespan", "00:00:00"},
		{"dayofweek(datetime(1970-05-11))", "timespan", "1.00:00:00"},
		{"dayofweek(datetime(1970-5-12)) / 1d", "real", "2"},
		{"dayofmonth(datetime(2015-12-14))", "int", "14"},
		{"getyear(datetime(2015-10-12))", "int", "2015"},
		{"monthofyear(datetime(2015-12-14))", "int", "12"},
		{"week_of_year(datetime(2020-12-31))", "int", "53"},
		{"week_of_year(datetime(2020-06-15))", "int", "25"},
		{"week_of_year(datetime(1970-01-01))", "int", "1"},
		{"week_of_year(datetime(2000-01-01))", "int", "52"},
		// More calendar corners.
		{"dayofweek(datetime(2017-01-07 23:59))", "timespan", "6.00:00:00"},
		{"dayofweek(datetime(0001-01-01))", "timespan", "1.00:00:00"},
		{"dayofyear(datetime(2017-10-30))", "int", "303"},
		{"dayofyear(datetime(2016-12-31))", "int", "366"},
		{"dayofyear(datetime(2017-01-01))", "int", "1"},
		{"hourofday(datetime(2015-12-14 18:54))", "int", "18"},
		{"hourofday(datetime(2015-12-14))", "int", "0"},
		{"getmonth(datetime(2015-10-12))", "int", "10"},
		{"weekofyear(datetime(2017-10-30))", "int", "44"},
		{"week_of_year(datetime(2021-01-03))", "int", "53"},
		{"week_of_year(datetime(2021-01-04))", "int", "1"},
		{"week_of_year(datetime(2019-12-30))", "int", "1"},
		{"getyear(datetime(9999-12-31 23:59:59.9999999))", "int", "9999"},
		{"getyear(datetime(0001-01-01))", "int", "1"},
		// Nulls and wrong types.
		{"dayofmonth(datetime(null))", "int", ""},
		{"dayofweek(datetime(null))", "timespan", ""},
		{"getyear(dynamic(null))", "int", ""},
		{"dayofmonth(1)", "", "error: dayofmonth(): expects a datetime"},
		{"getyear()", "", "error: getyear(): expects a datetime"},
	})
}
